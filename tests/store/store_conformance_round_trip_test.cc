// Conformance: every field of every resource comes back exactly as it was stored.
#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>

#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

// Paths of fields left at their default, so a field added to the proto later makes these
// tests fail until they fill it too.
void CollectUnset(const google::protobuf::Message& message, const std::string& prefix,
                  std::vector<std::string>* unset) {
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  const google::protobuf::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    const std::string path = prefix + field->name();
    if (field->is_repeated()) {
      if (reflection->FieldSize(message, field) == 0) unset->push_back(path);
      // A field of repeated elements counts as filled when some element fills it (a
      // schedule has one ⇒ cell, not five).
      if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        std::optional<std::set<std::string>> unset_in_all;
        for (int j = 0; j < reflection->FieldSize(message, field); ++j) {
          std::vector<std::string> in_element;
          CollectUnset(reflection->GetRepeatedMessage(message, field, j), path + "[].",
                       &in_element);
          std::set<std::string> element(in_element.begin(), in_element.end());
          if (!unset_in_all.has_value()) {
            unset_in_all = element;
          } else {
            std::set<std::string> both;
            std::set_intersection(unset_in_all->begin(), unset_in_all->end(), element.begin(),
                                  element.end(), std::inserter(both, both.begin()));
            unset_in_all = both;
          }
        }
        if (unset_in_all.has_value())
          unset->insert(unset->end(), unset_in_all->begin(), unset_in_all->end());
      }
    } else if (!reflection->HasField(message, field)) {
      unset->push_back(path);
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectUnset(reflection->GetMessage(message, field), path + ".", unset);
    }
  }
}

::testing::AssertionResult EveryFieldSet(const google::protobuf::Message& message) {
  std::vector<std::string> unset;
  CollectUnset(message, "", &unset);
  if (unset.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << message.GetTypeName() << " leaves unset: " << absl::StrJoin(unset, ", ");
}

// What the store returns is the input with the store-owned fields replaced.
template <typename Message>
::testing::AssertionResult SameExceptStoreFields(Message input, const Message& stored) {
  input.set_etag(stored.etag());
  *input.mutable_update_time() = stored.update_time();
  if constexpr (requires { input.mutable_create_time(); }) {
    *input.mutable_create_time() = stored.create_time();
  }
  return ProtoEquals(input, stored);
}

TEST_P(StoreConformance, RoundTripOrganizationKeepsEveryField) {
  v1::Organization input = MakeOrganization(kCity, "札幌市 🏙 ＡＢＣ");
  ASSERT_OK_AND_ASSIGN(v1::Organization created, store().CreateOrganization(input, ""));
  EXPECT_TRUE(EveryFieldSet(created));
  EXPECT_TRUE(SameExceptStoreFields(input, created));
  ASSERT_OK_AND_ASSIGN(v1::Organization got, store().GetOrganization(kCity));
  EXPECT_TRUE(ProtoEquals(created, got));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Organization> listed, store().ListOrganizations(Page{}));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_TRUE(ProtoEquals(created, listed.items[0]));
}

TEST_P(StoreConformance, RoundTripPlanKeepsEveryField) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  v1::Plan input;
  input.set_name(std::string(kHrPlan));
  input.set_title("人材育成推進プラン（平成30年度～令和4年度）");
  input.mutable_period()->set_first_fiscal_year(2018);
  input.mutable_period()->set_last_fiscal_year(2022);
  input.add_areas("職員研修");
  input.add_areas("組織文化");
  input.add_areas("働きやすい環境");
  for (const auto& [code, label, meaning] :
       {std::tuple{"A", "実施できた", "計画どおり"},
        std::tuple{"B", "概ね実施できた", "一部実施できなかった"},
        std::tuple{"C", "実施できなかった", "未実施"}}) {
    v1::Grade* grade = input.mutable_rating_scale()->add_grades();
    grade->set_code(code);
    grade->set_label(label);
    grade->set_meaning(meaning);
  }
  input.set_rule_set("rule-sets/hr-default");
  v1::TableLayout* layout = input.mutable_table_layout();
  layout->set_period_text("平成３０年度～令和４年度");
  layout->set_caption("の実施状況");
  layout->set_theme_heading("中項目");
  layout->set_subtheme_heading("小項目");
  layout->set_title_heading("取組内容");
  layout->set_kind_heading("区分");
  layout->set_schedule_heading("スケジュール");
  layout->set_outcome_heading("実施状況");
  layout->set_rating_heading("評価");
  v1::TableYearLabel* label = layout->add_year_labels();
  label->set_fiscal_year(2022);
  label->set_schedule_label("R4");
  label->set_outcome_label("R4（～８月）");
  layout->set_title_placement(v1::TABLE_PLACEMENT_ONCE);
  layout->set_legend_placement(v1::TABLE_PLACEMENT_PER_AREA);
  layout->set_legend_text("※評価 A：実施できた");
  layout->set_blank_lines_after_title(1);
  layout->set_blank_lines_after_area(2);
  layout->set_blank_lines_before_legend(3);
  layout->set_blank_lines_after_legend(4);
  layout->set_empty_cell_for_no_phase(true);
  layout->set_recorded(true);
  ASSERT_OK_AND_ASSIGN(v1::Plan created, store().CreatePlan(input, ""));
  EXPECT_TRUE(EveryFieldSet(created));
  EXPECT_TRUE(SameExceptStoreFields(input, created));
  ASSERT_OK_AND_ASSIGN(v1::Plan got, store().GetPlan(kHrPlan));
  EXPECT_TRUE(ProtoEquals(created, got));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Plan> listed, store().ListPlans(kCity, "", Page{}));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_TRUE(ProtoEquals(created, listed.items[0]));

  ASSERT_OK_AND_ASSIGN(v1::Plan updated, store().UpdatePlan(input, created.etag()));
  EXPECT_TRUE(SameExceptStoreFields(input, updated));
  ASSERT_OK_AND_ASSIGN(v1::Plan got_again, store().GetPlan(kHrPlan));
  EXPECT_TRUE(ProtoEquals(updated, got_again));
}

TEST_P(StoreConformance, RoundTripInitiativeKeepsEveryField) {
  CreateCityAndHrPlan();
  v1::Initiative original = CreateInitiativeOrDie(MakeInitiative("original", kTraining, 1));
  v1::Initiative input;
  input.set_name(InitiativeName("full"));
  input.set_area(std::string(kCulture));
  input.set_theme("職員の意識改革");
  input.set_subtheme("コンプライアンス");
  input.set_number(3);
  input.set_title("（再掲）ｅラーニングによる研修 ①");
  input.set_kind(v1::INITIATIVE_KIND_NEW);
  int year = 2018;
  for (v1::Phase phase : {v1::PHASE_RESEARCH, v1::PHASE_CONSIDER, v1::PHASE_TRIAL,
                          v1::PHASE_IMPLEMENT, v1::PHASE_IMPLEMENT}) {
    v1::ScheduleEntry* entry = input.add_schedule();
    entry->set_fiscal_year(year++);
    entry->set_phase(phase);
    entry->set_continuation(year == 2023);  // the last one was ⇒
  }
  input.set_relists(original.name());
  v1::HumanRating* rating = input.mutable_human_rating();
  rating->set_grade("B");
  rating->set_rater("人事課 山田");
  rating->mutable_rate_time()->set_seconds(1'660'000'000);
  rating->mutable_rate_time()->set_nanos(123'456'789);
  rating->set_reason("一部の所属で未実施");
  rating->set_rating_round("organizations/city/plans/hr/ratingRounds/2022");
  rating->set_computed_rating(absl::StrCat(original.name(), "/computedRatings/7"));

  ASSERT_OK_AND_ASSIGN(v1::Initiative created, store().CreateInitiative(input, ""));
  EXPECT_TRUE(EveryFieldSet(created));
  EXPECT_TRUE(SameExceptStoreFields(input, created));
  ASSERT_OK_AND_ASSIGN(v1::Initiative got, store().GetInitiative(input.name()));
  EXPECT_TRUE(ProtoEquals(created, got));
  v1::InitiativeFilter filter;
  filter.set_area(std::string(kCulture));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Initiative> listed,
                       store().ListInitiatives(kHrPlan, filter, Page{}));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_TRUE(ProtoEquals(created, listed.items[0]));

  // Through a batch and an update, too.
  v1::Initiative batch_input = input;
  batch_input.set_name(InitiativeName("full-batch"));
  batch_input.set_number(4);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Initiative> batch,
                       store().BatchCreateInitiatives({batch_input}, ""));
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_TRUE(SameExceptStoreFields(batch_input, batch[0]));
  ASSERT_OK_AND_ASSIGN(v1::Initiative updated, store().UpdateInitiative(input, created.etag()));
  EXPECT_TRUE(SameExceptStoreFields(input, updated));
  ASSERT_OK_AND_ASSIGN(v1::Initiative got_again, store().GetInitiative(input.name()));
  EXPECT_TRUE(ProtoEquals(updated, got_again));
}

TEST_P(StoreConformance, RoundTripOutcomeKeepsEveryField) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  v1::Outcome input;
  input.set_name(absl::StrCat(initiative.name(), "/outcomes/fy2022"));
  input.set_fiscal_year(2022);
  input.set_text("努力賞7件（計20件中）\n※実施中");
  input.set_status(v1::OUTCOME_STATUS_IN_PROGRESS);
  v1::Metric* metric = input.add_metrics();
  metric->set_label("努力賞");
  metric->set_value(7);
  metric->set_unit("件");
  metric->set_out_of(20);
  metric->set_target(10.5);
  v1::Metric* second = input.add_metrics();
  second->set_label("受講者");
  second->set_value(468.25);
  second->set_unit("人");
  second->set_out_of(0);  // explicitly zero is kept apart from unset
  second->set_target(-1);
  input.mutable_as_of()->set_year(2022);
  input.mutable_as_of()->set_month(8);
  input.mutable_as_of()->set_day(31);

  ASSERT_OK_AND_ASSIGN(UpsertResult created, store().UpsertOutcome(input, ""));
  EXPECT_TRUE(EveryFieldSet(created.outcome));
  EXPECT_TRUE(SameExceptStoreFields(input, created.outcome));
  ASSERT_OK_AND_ASSIGN(ListResult<v1::Outcome> listed,
                       store().ListOutcomes(initiative.name(), 2022, Page{}));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_TRUE(ProtoEquals(created.outcome, listed.items[0]));
  EXPECT_TRUE(listed.items[0].metrics(1).has_out_of());
  EXPECT_EQ(listed.items[0].metrics(1).out_of(), 0);
}

}  // namespace
}  // namespace torikumi::store::testing
