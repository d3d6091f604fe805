// Initiatives: every validation rule against the plan, NFKC input, masks, etags, batches,
// re-listed links and human ratings.
#include "domain_fixture.h"

namespace torikumi::domain::testing {
namespace {

class DomainInitiatives : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    plan_ = MakePlan();
    ASSERT_FALSE(plan_.empty());
  }

  static void AddSchedule(v1::Initiative* initiative, int fiscal_year, v1::Phase phase) {
    auto* entry = initiative->add_schedule();
    entry->set_fiscal_year(fiscal_year);
    entry->set_phase(phase);
  }

  v1::Initiative Get(const std::string& name) {
    v1::GetInitiativeRequest request;
    request.set_name(name);
    auto got = initiatives_->Get(request);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? got->initiative() : v1::Initiative();
  }

  std::string plan_;
};

TEST_F(DomainInitiatives, CreateKeepsEverythingAndGeneratesAnId) {
  v1::Initiative initiative =
      SimpleInitiative("職員研修", 1, "通信教育講座を受講する職員への経費の一部支援");
  initiative.set_theme("自己啓発（自学）");
  initiative.set_subtheme("自己啓発支援制度の充実");
  AddSchedule(&initiative, 2018, v1::PHASE_IMPLEMENT);
  auto created = CreateInitiative(plan_, initiative);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(absl::StartsWith(created->name(), plan_ + "/initiatives/i")) << created->name();
  EXPECT_EQ(created->theme(), "自己啓発（自学）");  // as written
  ASSERT_EQ(created->schedule_size(), 1);
  EXPECT_EQ(created->schedule(0).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_EQ(Get(created->name()).title(), created->title());
}

TEST_F(DomainInitiatives, FullWidthInputIsKeptAndMatchesEitherWidth) {
  // The area as the seed writes it, with brackets and a trailing ideographic space.
  v1::Initiative initiative =
      SimpleInitiative("【職員研修】\u3000", 1, "１　通信教育講座（ｅラーニング）");
  initiative.set_theme("ｅラーニング");
  auto created = CreateInitiative(plan_, initiative);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->area(), "職員研修");
  EXPECT_EQ(created->title(), "１　通信教育講座（ｅラーニング）");
  EXPECT_EQ(created->theme(), "ｅラーニング");

  // A filter typed with full-width characters finds it.
  v1::ListInitiativesRequest list;
  list.set_parent(plan_);
  list.mutable_filter()->set_area("\u3000職員研修");
  list.mutable_filter()->set_text_contains("（ｅラーニング）");
  auto listed = initiatives_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->initiatives_size(), 1);
  EXPECT_EQ(listed->initiatives(0).name(), created->name());
}

TEST_F(DomainInitiatives, AreaMustBeOneOfThePlans) {
  EXPECT_TRUE(IsViolation(CreateInitiative(plan_, SimpleInitiative("", 1, "x")).status(),
                          "initiative.area", "required"));
  auto unknown = CreateInitiative(plan_, SimpleInitiative("財務", 1, "x"));
  EXPECT_TRUE(IsViolation(unknown.status(), "initiative.area", "'財務'"));
  EXPECT_TRUE(
      IsViolation(unknown.status(), "initiative.area", "職員研修, 組織文化, 働きやすい環境"));
}

TEST_F(DomainInitiatives, NumberMustBePositiveAndTitlePresent) {
  auto created = CreateInitiative(plan_, SimpleInitiative("職員研修", 0, "\u3000"));
  EXPECT_TRUE(IsViolation(created.status(), "initiative.number", "0"));
  EXPECT_TRUE(IsViolation(created.status(), "initiative.title", "required"));
  EXPECT_TRUE(IsViolation(CreateInitiative(plan_, SimpleInitiative("職員研修", -3, "x")).status(),
                          "initiative.number", "-3"));
}

TEST_F(DomainInitiatives, ScheduleYearsPhasesAndDuplicates) {
  v1::Initiative initiative = SimpleInitiative("職員研修", 1, "x");
  AddSchedule(&initiative, 2018, v1::PHASE_UNSPECIFIED);  // [0] phase missing
  AddSchedule(&initiative, 2019, v1::PHASE_CONSIDER);     // [1] fine
  AddSchedule(&initiative, 2023, v1::PHASE_IMPLEMENT);    // [2] after the period
  AddSchedule(&initiative, 2019, v1::PHASE_IMPLEMENT);    // [3] repeats [1]
  AddSchedule(&initiative, 2017, v1::PHASE_TRIAL);        // [4] before the period
  auto created = CreateInitiative(plan_, initiative);
  EXPECT_TRUE(IsViolation(created.status(), "initiative.schedule[0].phase", "PHASE_UNSPECIFIED"));
  EXPECT_TRUE(IsViolation(created.status(), "initiative.schedule[2].fiscal_year",
                          "2023 is outside the plan period 2018..2022"));
  EXPECT_TRUE(IsViolation(created.status(), "initiative.schedule[3].fiscal_year",
                          "2019 repeats schedule[1]"));
  EXPECT_TRUE(IsViolation(created.status(), "initiative.schedule[4].fiscal_year", "2017"));
  EXPECT_EQ(ViolationFields(created.status()).size(), 4u);
}

TEST_F(DomainInitiatives, EveryViolationOfARequestIsReported) {
  v1::Initiative initiative = SimpleInitiative("財務", 0, "");
  AddSchedule(&initiative, 2030, v1::PHASE_IMPLEMENT);
  initiative.mutable_human_rating()->set_grade("S");
  initiative.set_relists("organizations/city/plans/other/initiatives/x");
  v1::CreateInitiativeRequest request;
  request.set_parent(plan_);
  request.set_initiative_id("No");
  *request.mutable_initiative() = initiative;
  auto created = initiatives_->Create(request);
  EXPECT_EQ(ViolationFields(created.status()),
            (std::vector<std::string>{"initiative_id", "initiative.area", "initiative.number",
                                      "initiative.title", "initiative.schedule[0].fiscal_year",
                                      "initiative.relists", "initiative.human_rating.grade"}))
      << created.status();
  EXPECT_TRUE(IsViolation(created.status(), "initiative.human_rating.grade", "'S'"));
}

TEST_F(DomainInitiatives, RelistsMustNameAnotherExistingInitiativeOfThePlan) {
  auto original = CreateInitiative(plan_, SimpleInitiative("職員研修", 6, "階層別研修"), "i6");
  ASSERT_TRUE(original.ok()) << original.status();

  v1::Initiative relisted = SimpleInitiative("組織文化", 1, "階層別研修（再掲）");
  relisted.set_relists(original->name());
  auto created = CreateInitiative(plan_, relisted);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->relists(), original->name());

  relisted.set_number(2);
  relisted.set_relists(plan_ + "/initiatives/missing");
  EXPECT_TRUE(IsViolation(CreateInitiative(plan_, relisted).status(), "initiative.relists",
                          "'" + plan_ + "/initiatives/missing'"));
  relisted.set_relists("not a name");
  EXPECT_TRUE(IsViolation(CreateInitiative(plan_, relisted).status(), "initiative.relists",
                          "'not a name'"));
  relisted.set_relists(plan_ + "/initiatives/self");
  EXPECT_TRUE(IsViolation(CreateInitiative(plan_, relisted, "self").status(), "initiative.relists",
                          "itself"));

  // An initiative of another plan of the same organization.
  auto other = CreatePlan("organizations/city", SeedPlan(), "other");
  ASSERT_TRUE(other.ok());
  auto foreign = CreateInitiative(other->name(), SimpleInitiative("職員研修", 1, "x"));
  ASSERT_TRUE(foreign.ok());
  relisted.set_relists(foreign->name());
  EXPECT_TRUE(IsViolation(CreateInitiative(plan_, relisted).status(), "initiative.relists",
                          "is not an initiative of plan " + plan_));
}

TEST_F(DomainInitiatives, HumanRatingOnCreateMustBeOnTheScale) {
  v1::Initiative initiative = SimpleInitiative("職員研修", 1, "x");
  initiative.mutable_human_rating()->set_grade("Ｄ");
  EXPECT_TRUE(IsViolation(CreateInitiative(plan_, initiative).status(),
                          "initiative.human_rating.grade", "'D'"));
  initiative.mutable_human_rating()->set_grade("Ｂ");
  initiative.mutable_human_rating()->set_rater("人事課");
  auto created = CreateInitiative(plan_, initiative);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->human_rating().grade(), "B");
  EXPECT_TRUE(created->human_rating().has_rate_time());
}

TEST_F(DomainInitiatives, IdParentAndUniqueness) {
  EXPECT_TRUE(
      IsViolation(CreateInitiative(plan_, SimpleInitiative("職員研修", 1, "x"), "1st").status(),
                  "initiative_id", "'1st'"));
  EXPECT_EQ(CreateInitiative("organizations/city/plans/none", SimpleInitiative("職員研修", 1, "x"))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(CreateInitiative(plan_, SimpleInitiative("職員研修", 1, "x"), "one").ok());
  EXPECT_EQ(CreateInitiative(plan_, SimpleInitiative("職員研修", 2, "x"), "one").status().code(),
            absl::StatusCode::kAlreadyExists);
  // (area, number) is unique within a plan.
  EXPECT_EQ(CreateInitiative(plan_, SimpleInitiative("職員研修", 1, "y")).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(DomainInitiatives, RetryWithTheSameRequestIdCreatesOnce) {
  v1::CreateInitiativeRequest request;
  request.set_parent(plan_);
  *request.mutable_initiative() = SimpleInitiative("職員研修", 1, "x");
  request.set_request_id("import-7");
  auto first = initiatives_->Create(request);
  auto second = initiatives_->Create(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->initiative().name(), second->initiative().name());
  v1::ListInitiativesRequest list;
  list.set_parent(plan_);
  auto listed = initiatives_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->total_size(), 1);
}

TEST_F(DomainInitiatives, BatchCreateAllowsLinksToEarlierItemsAndReportsPerItemPaths) {
  v1::BatchCreateInitiativesRequest batch;
  batch.set_parent(plan_);
  auto* first = batch.add_requests();
  first->set_initiative_id("base");
  *first->mutable_initiative() = SimpleInitiative("職員研修", 1, "研修");
  auto* second = batch.add_requests();
  *second->mutable_initiative() = SimpleInitiative("組織文化", 1, "研修（再掲）");
  second->mutable_initiative()->set_relists(plan_ + "/initiatives/base");
  auto created = initiatives_->BatchCreate(batch);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->initiatives_size(), 2);
  EXPECT_EQ(created->initiatives(1).relists(), created->initiatives(0).name());

  v1::BatchCreateInitiativesRequest bad;
  bad.set_parent(plan_);
  auto* a = bad.add_requests();
  *a->mutable_initiative() = SimpleInitiative("働きやすい環境", 5, "a");
  a->set_parent("organizations/city/plans/other");
  auto* b = bad.add_requests();
  *b->mutable_initiative() = SimpleInitiative("財務", 1, "b");
  auto* c = bad.add_requests();
  *c->mutable_initiative() = SimpleInitiative("働きやすい環境", 5, "c");
  auto refused = initiatives_->BatchCreate(bad);
  EXPECT_TRUE(
      IsViolation(refused.status(), "requests[0].parent", "organizations/city/plans/other"));
  EXPECT_TRUE(IsViolation(refused.status(), "requests[1].initiative.area", "'財務'"));
  EXPECT_TRUE(
      IsViolation(refused.status(), "requests[2].initiative.number", "repeats requests[0]"));
  // Nothing of the refused batch was written.
  v1::ListInitiativesRequest list;
  list.set_parent(plan_);
  auto listed = initiatives_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->total_size(), 2);
}

TEST_F(DomainInitiatives, UpdateAppliesTheMaskAndValidatesTheMergedResult) {
  v1::Initiative initiative = SimpleInitiative("職員研修", 1, "旧");
  initiative.set_theme("研修所研修");
  auto created = CreateInitiative(plan_, initiative);
  ASSERT_TRUE(created.ok());

  v1::UpdateInitiativeRequest request;
  request.mutable_initiative()->set_name(created->name());
  request.mutable_initiative()->set_title("新しい題名");
  request.mutable_initiative()->set_number(99);  // not in the mask: ignored
  request.mutable_update_mask()->add_paths("title");
  auto updated = initiatives_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->initiative().title(), "新しい題名");
  EXPECT_EQ(updated->initiative().number(), 1);
  EXPECT_EQ(updated->initiative().theme(), "研修所研修");

  request.mutable_update_mask()->Clear();
  request.mutable_update_mask()->add_paths("area");
  request.mutable_initiative()->set_area("財務");
  EXPECT_TRUE(IsViolation(initiatives_->Update(request).status(), "initiative.area", "'財務'"));

  request.mutable_update_mask()->Clear();
  request.mutable_update_mask()->add_paths("etag");
  request.mutable_update_mask()->add_paths("priority");
  auto refused = initiatives_->Update(request);
  EXPECT_TRUE(IsViolation(refused.status(), "update_mask.paths[0]", "cannot be updated"));
  EXPECT_TRUE(IsViolation(refused.status(), "update_mask.paths[1]", "'priority'"));
  EXPECT_TRUE(IsViolation(refused.status(), "update_mask.paths[1]", "schedule"));
}

TEST_F(DomainInitiatives, UpdateReplacesRepeatedFieldsWhole) {
  v1::Initiative initiative = SimpleInitiative("職員研修", 1, "x");
  AddSchedule(&initiative, 2018, v1::PHASE_CONSIDER);
  AddSchedule(&initiative, 2019, v1::PHASE_IMPLEMENT);
  auto created = CreateInitiative(plan_, initiative);
  ASSERT_TRUE(created.ok());
  v1::UpdateInitiativeRequest request;
  request.mutable_initiative()->set_name(created->name());
  AddSchedule(request.mutable_initiative(), 2020, v1::PHASE_TRIAL);
  request.mutable_update_mask()->add_paths("schedule");
  auto updated = initiatives_->Update(request);
  ASSERT_TRUE(updated.ok()) << updated.status();
  ASSERT_EQ(updated->initiative().schedule_size(), 1);
  EXPECT_EQ(updated->initiative().schedule(0).fiscal_year(), 2020);
}

TEST_F(DomainInitiatives, EtagFlow) {
  auto created = CreateInitiative(plan_, SimpleInitiative("職員研修", 1, "x"));
  ASSERT_TRUE(created.ok());
  v1::UpdateInitiativeRequest request;
  request.mutable_initiative()->set_name(created->name());
  request.mutable_initiative()->set_etag(created->etag());
  request.mutable_initiative()->set_title("一");
  request.mutable_update_mask()->add_paths("title");
  auto first = initiatives_->Update(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_NE(first->initiative().etag(), created->etag());

  request.mutable_initiative()->set_title("二");
  auto stale = initiatives_->Update(request);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  EXPECT_EQ(Get(created->name()).title(), "一");

  v1::DeleteInitiativeRequest del;
  del.set_name(created->name());
  del.set_etag(created->etag());
  EXPECT_EQ(initiatives_->Delete(del).status().code(), absl::StatusCode::kAborted);
  del.set_etag(first->initiative().etag());
  EXPECT_TRUE(initiatives_->Delete(del).ok());
}

TEST_F(DomainInitiatives, RateOnAndOffTheScale) {
  auto created = CreateInitiative(plan_, SimpleInitiative("職員研修", 1, "x"));
  ASSERT_TRUE(created.ok());
  v1::RateInitiativeRequest request;
  request.set_name(created->name());
  request.set_grade("Ａ");  // full-width A
  request.set_rater("人事課　山田");
  request.set_reason("全ての年度で実施できた");
  auto rated = initiatives_->Rate(request);
  ASSERT_TRUE(rated.ok()) << rated.status();
  EXPECT_EQ(rated->initiative().human_rating().grade(), "A");
  EXPECT_EQ(rated->initiative().human_rating().rater(), "人事課 山田");
  EXPECT_EQ(rated->initiative().human_rating().reason(), "全ての年度で実施できた");
  EXPECT_GT(rated->initiative().human_rating().rate_time().seconds(), 1600000000);

  request.set_grade("S");
  request.clear_rater();
  auto refused = initiatives_->Rate(request);
  EXPECT_TRUE(IsViolation(refused.status(), "grade", "'S'"));
  EXPECT_TRUE(IsViolation(refused.status(), "grade", "A, B, C"));
  EXPECT_TRUE(IsViolation(refused.status(), "rater"));
  EXPECT_EQ(Get(created->name()).human_rating().grade(), "A");

  // A stale etag is refused; the current one works; an empty grade clears.
  request.set_grade("");
  request.set_etag(created->etag());
  EXPECT_EQ(initiatives_->Rate(request).status().code(), absl::StatusCode::kAborted);
  request.set_etag(rated->initiative().etag());
  auto cleared = initiatives_->Rate(request);
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_FALSE(cleared->initiative().has_human_rating());
}

TEST_F(DomainInitiatives, RatingNeedsAScale) {
  v1::Plan plan = SeedPlan();
  plan.clear_rating_scale();
  auto unscaled = CreatePlan("organizations/city", plan, "unscaled");
  ASSERT_TRUE(unscaled.ok()) << unscaled.status();
  auto created = CreateInitiative(unscaled->name(), SimpleInitiative("職員研修", 1, "x"));
  ASSERT_TRUE(created.ok());
  v1::RateInitiativeRequest request;
  request.set_name(created->name());
  request.set_grade("A");
  request.set_rater("人事課");
  EXPECT_EQ(initiatives_->Rate(request).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DomainInitiatives, DeleteARelistedInitiativeNeedsForce) {
  auto original = CreateInitiative(plan_, SimpleInitiative("職員研修", 1, "x"), "orig");
  ASSERT_TRUE(original.ok());
  v1::Initiative copy = SimpleInitiative("組織文化", 1, "x（再掲）");
  copy.set_relists(original->name());
  auto relisted = CreateInitiative(plan_, copy);
  ASSERT_TRUE(relisted.ok()) << relisted.status();
  v1::DeleteInitiativeRequest request;
  request.set_name(original->name());
  EXPECT_EQ(initiatives_->Delete(request).status().code(), absl::StatusCode::kFailedPrecondition);
  request.set_force(true);
  EXPECT_TRUE(initiatives_->Delete(request).ok());
  v1::GetInitiativeRequest get;
  get.set_name(original->name());
  EXPECT_EQ(initiatives_->Get(get).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get(relisted->name()).relists(), "");
}

}  // namespace
}  // namespace torikumi::domain::testing
