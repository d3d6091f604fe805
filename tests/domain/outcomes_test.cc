// Outcomes: names from parent and fiscal year, period bounds, metrics, dates, verbatim text.
#include <cmath>
#include <limits>

#include "domain_fixture.h"

namespace torikumi::domain::testing {
namespace {

class DomainOutcomes : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    plan_ = MakePlan();
    ASSERT_FALSE(plan_.empty());
    auto initiative = CreateInitiative(plan_, SimpleInitiative("職員研修", 1, "通信教育"), "one");
    ASSERT_TRUE(initiative.ok()) << initiative.status();
    initiative_ = initiative->name();
  }

  absl::StatusOr<v1::UpsertOutcomeResponse> Upsert(const v1::Outcome& outcome,
                                                   const std::string& etag = "") {
    v1::UpsertOutcomeRequest request;
    request.set_parent(initiative_);
    *request.mutable_outcome() = outcome;
    request.set_etag(etag);
    return outcomes_->Upsert(request);
  }

  std::string plan_;
  std::string initiative_;
};

TEST_F(DomainOutcomes, UpsertNamesTheOutcomeAndKeepsTextVerbatim) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(2019);
  outcome.set_text("支援人数　１５人※実施中");  // full-width digits stay as written
  outcome.set_status(v1::OUTCOME_STATUS_IN_PROGRESS);
  auto* metric = outcome.add_metrics();
  metric->set_label("支援人数");
  metric->set_value(15);
  metric->set_unit("人");
  auto* award = outcome.add_metrics();
  award->set_label("努力賞");
  award->set_value(7);
  award->set_unit("件");
  award->set_out_of(20);
  outcome.mutable_as_of()->set_year(2019);
  outcome.mutable_as_of()->set_month(8);
  outcome.mutable_as_of()->set_day(31);
  auto created = Upsert(outcome);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->created());
  EXPECT_EQ(created->outcome().name(), initiative_ + "/outcomes/fy2019");
  EXPECT_EQ(created->outcome().text(), "支援人数　１５人※実施中");
  EXPECT_EQ(created->outcome().metrics(1).out_of(), 20);

  outcome.set_text("支援人数 16人");
  auto replaced = Upsert(outcome);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_FALSE(replaced->created());
  EXPECT_EQ(replaced->outcome().text(), "支援人数 16人");
}

TEST_F(DomainOutcomes, WholePeriodOutcomeAndGivenNamesMustAgree) {
  v1::Outcome outcome;
  outcome.set_text("検討を進めた。");
  auto period = Upsert(outcome);
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(period->outcome().name(), initiative_ + "/outcomes/period");

  outcome.set_fiscal_year(2020);
  outcome.set_name(initiative_ + "/outcomes/fy2021");
  EXPECT_TRUE(IsViolation(Upsert(outcome).status(), "outcome.name", "fy2021"));
  outcome.set_name(initiative_ + "/outcomes/fy2020");
  EXPECT_TRUE(Upsert(outcome).ok());
}

TEST_F(DomainOutcomes, FiscalYearMustBeInThePlanPeriod) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(2017);
  EXPECT_TRUE(IsViolation(Upsert(outcome).status(), "outcome.fiscal_year",
                          "2017 is outside the plan period 2018..2022"));
  outcome.set_fiscal_year(2023);
  EXPECT_TRUE(IsViolation(Upsert(outcome).status(), "outcome.fiscal_year", "2023"));
}

TEST_F(DomainOutcomes, MetricsDatesAndTextAreCheckedTogether) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(2022);
  outcome.set_text(std::string("支援人数 \xff人"));
  outcome.add_metrics()->set_value(std::numeric_limits<double>::quiet_NaN());
  auto* negative = outcome.add_metrics();
  negative->set_value(3);
  negative->set_out_of(-1);
  auto* infinite = outcome.add_metrics();
  infinite->set_value(1);
  infinite->set_target(std::numeric_limits<double>::infinity());
  outcome.mutable_as_of()->set_year(2022);
  outcome.mutable_as_of()->set_month(2);
  outcome.mutable_as_of()->set_day(30);
  auto refused = Upsert(outcome);
  EXPECT_TRUE(IsViolation(refused.status(), "outcome.text", "UTF-8"));
  EXPECT_TRUE(IsViolation(refused.status(), "outcome.metrics[0].value", "nan"));
  EXPECT_TRUE(IsViolation(refused.status(), "outcome.metrics[1].out_of", "-1"));
  EXPECT_TRUE(IsViolation(refused.status(), "outcome.metrics[2].target", "inf"));
  EXPECT_TRUE(IsViolation(refused.status(), "outcome.as_of", "2022-2-30"));
  EXPECT_EQ(ViolationFields(refused.status()).size(), 5u);
}

TEST_F(DomainOutcomes, ZeroAndNegativeValuesAreFine) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(2018);
  auto* metric = outcome.add_metrics();
  metric->set_label("増減");
  metric->set_value(-2);
  metric->set_out_of(0);
  outcome.mutable_as_of()->set_year(2020);
  outcome.mutable_as_of()->set_month(2);
  outcome.mutable_as_of()->set_day(29);  // a leap day
  EXPECT_TRUE(Upsert(outcome).ok());
}

TEST_F(DomainOutcomes, EtagParentListAndDelete) {
  v1::Outcome outcome;
  outcome.set_fiscal_year(2018);
  auto first = Upsert(outcome);
  ASSERT_TRUE(first.ok()) << first.status();
  outcome.set_text("更新");
  auto second = Upsert(outcome, first->outcome().etag());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(Upsert(outcome, first->outcome().etag()).status().code(), absl::StatusCode::kAborted);

  v1::UpsertOutcomeRequest orphan;
  orphan.set_parent(plan_ + "/initiatives/none");
  EXPECT_EQ(outcomes_->Upsert(orphan).status().code(), absl::StatusCode::kNotFound);
  orphan.set_parent(plan_);
  EXPECT_TRUE(IsViolation(outcomes_->Upsert(orphan).status(), "parent"));

  outcome.set_fiscal_year(2019);
  ASSERT_TRUE(Upsert(outcome).ok());
  v1::ListOutcomesRequest list;
  list.set_parent(plan_ + "/initiatives/-");
  auto all = outcomes_->List(list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->total_size(), 2);
  list.set_fiscal_year(2019);
  auto one = outcomes_->List(list);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->outcomes_size(), 1);
  EXPECT_EQ(one->outcomes(0).name(), initiative_ + "/outcomes/fy2019");
  list.set_fiscal_year(99);
  EXPECT_TRUE(IsViolation(outcomes_->List(list).status(), "fiscal_year", "99"));

  v1::DeleteOutcomeRequest del;
  del.set_name(initiative_ + "/outcomes/fy2018");
  del.set_etag(first->outcome().etag());
  EXPECT_EQ(outcomes_->Delete(del).status().code(), absl::StatusCode::kAborted);
  del.set_etag(second->outcome().etag());
  EXPECT_TRUE(outcomes_->Delete(del).ok());
  list.clear_fiscal_year();
  auto left = outcomes_->List(list);
  ASSERT_TRUE(left.ok()) << left.status();
  ASSERT_EQ(left->outcomes_size(), 1);
  EXPECT_EQ(left->outcomes(0).fiscal_year(), 2019);
  del.set_name(initiative_ + "/outcomes/2018");
  EXPECT_TRUE(IsViolation(outcomes_->Delete(del).status(), "name"));
}

}  // namespace
}  // namespace torikumi::domain::testing
