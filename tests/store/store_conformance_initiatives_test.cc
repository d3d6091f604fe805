// Conformance: creating, updating and deleting initiatives, batches and re-listing links.
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

TEST_P(StoreConformance, InitiativeCreateNeedsItsPlan) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  EXPECT_TRUE(HasError(store().CreateInitiative(MakeInitiative("i1", kTraining, 1), ""),
                       absl::StatusCode::kNotFound, kHrPlan));
}

TEST_P(StoreConformance, InitiativeCreateGetAndDuplicateName) {
  CreateCityAndHrPlan();
  v1::Initiative input = MakeInitiative("i1", kTraining, 1);
  input.set_etag("x");
  ASSERT_OK_AND_ASSIGN(v1::Initiative created, store().CreateInitiative(input, ""));
  EXPECT_NE(created.etag(), "x");
  EXPECT_TRUE(created.has_create_time());
  ASSERT_OK_AND_ASSIGN(v1::Initiative got, store().GetInitiative(created.name()));
  EXPECT_TRUE(ProtoEquals(created, got));
  EXPECT_TRUE(HasError(store().CreateInitiative(MakeInitiative("i1", kCulture, 9), ""),
                       absl::StatusCode::kAlreadyExists, created.name()));
  EXPECT_TRUE(HasError(store().GetInitiative(InitiativeName("none")), absl::StatusCode::kNotFound,
                       InitiativeName("none")));
}

TEST_P(StoreConformance, InitiativeAreaAndNumberAreUniqueWithinThePlan) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  // The message names the area, the number and the initiative holding them.
  EXPECT_TRUE(HasError(store().CreateInitiative(MakeInitiative("i2", kTraining, 1), ""),
                       absl::StatusCode::kAlreadyExists, kTraining, "number 1",
                       InitiativeName("i1")));
  // The same number in another area, or in another plan, is fine.
  CreateInitiativeOrDie(MakeInitiative("i3", kCulture, 1));
  ASSERT_OK(store().CreatePlan(MakePlan("organizations/city/plans/reform"), "").status());
  CreateInitiativeOrDie(
      MakeInitiative("i1", kTraining, 1, "同じ番号", "organizations/city/plans/reform"));
}

TEST_P(StoreConformance, InitiativeRequestIdIsIdempotent) {
  CreateCityAndHrPlan();
  ASSERT_OK_AND_ASSIGN(v1::Initiative first,
                       store().CreateInitiative(MakeInitiative("i1", kTraining, 1), "once"));
  ASSERT_OK_AND_ASSIGN(v1::Initiative retry,
                       store().CreateInitiative(MakeInitiative("i1", kTraining, 1), "once"));
  EXPECT_TRUE(ProtoEquals(first, retry));
  ASSERT_OK_AND_ASSIGN(v1::Initiative other_body,
                       store().CreateInitiative(MakeInitiative("i9", kCulture, 9), "once"));
  EXPECT_TRUE(ProtoEquals(first, other_body));
  EXPECT_EQ(ListedInitiatives({}), std::vector<std::string>{InitiativeName("i1")});
}

TEST_P(StoreConformance, InitiativeUpdateEtagsNumbersAndMissing) {
  CreateCityAndHrPlan();
  v1::Initiative one = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  v1::Initiative two = CreateInitiativeOrDie(MakeInitiative("i2", kTraining, 2));

  v1::Initiative change = one;
  change.set_title("変更後");
  ASSERT_OK_AND_ASSIGN(v1::Initiative updated, store().UpdateInitiative(change, one.etag()));
  EXPECT_NE(updated.etag(), one.etag());
  EXPECT_EQ(updated.title(), "変更後");
  EXPECT_TRUE(ProtoEquals(one.create_time(), updated.create_time()));
  ASSERT_OK_AND_ASSIGN(v1::Initiative got, store().GetInitiative(one.name()));
  EXPECT_TRUE(ProtoEquals(updated, got));

  EXPECT_TRUE(HasError(store().UpdateInitiative(change, one.etag()), absl::StatusCode::kAborted,
                       one.etag(), updated.etag()));

  // Taking another initiative's number is refused; keeping one's own is not a conflict.
  v1::Initiative clash = updated;
  clash.set_number(2);
  EXPECT_TRUE(HasError(store().UpdateInitiative(clash, ""), absl::StatusCode::kAlreadyExists,
                       "number 2", two.name()));
  ASSERT_OK_AND_ASSIGN(v1::Initiative after, store().GetInitiative(one.name()));
  EXPECT_EQ(after.number(), 1);
  v1::Initiative moved = updated;
  moved.set_area(std::string(kCulture));
  moved.set_number(2);
  ASSERT_OK(store().UpdateInitiative(moved, updated.etag()).status());

  EXPECT_TRUE(HasError(store().UpdateInitiative(MakeInitiative("none", kTraining, 7), ""),
                       absl::StatusCode::kNotFound, InitiativeName("none")));
}

TEST_P(StoreConformance, InitiativeDeleteWithOutcomesNeedsForce) {
  CreateCityAndHrPlan();
  v1::Initiative initiative = CreateInitiativeOrDie(MakeInitiative("i1", kTraining, 1));
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(initiative.name(), 2019), "").status());
  ASSERT_OK(store().UpsertOutcome(MakeOutcome(initiative.name(), 2020), "").status());

  EXPECT_TRUE(HasError(store().DeleteInitiative(initiative.name(), false, ""),
                       absl::StatusCode::kFailedPrecondition, initiative.name(), "2 outcomes"));
  EXPECT_TRUE(HasError(store().DeleteInitiative(initiative.name(), true, "\"old\""),
                       absl::StatusCode::kAborted));
  ASSERT_OK(store().DeleteInitiative(initiative.name(), true, initiative.etag()));
  EXPECT_TRUE(HasError(store().GetInitiative(initiative.name()), absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(
      ListResult<v1::Outcome> outcomes,
      store().ListOutcomes(absl::StrCat(kHrPlan, "/initiatives/-"), std::nullopt, Page{}));
  EXPECT_EQ(outcomes.total, 0);
  EXPECT_TRUE(
      HasError(store().DeleteInitiative(initiative.name(), true, ""), absl::StatusCode::kNotFound));

  // Without outcomes, no force is needed.
  v1::Initiative plain = CreateInitiativeOrDie(MakeInitiative("i2", kTraining, 2));
  ASSERT_OK(store().DeleteInitiative(plain.name(), false, ""));
}

TEST_P(StoreConformance, InitiativeRelistingMustNameAnExistingInitiative) {
  CreateCityAndHrPlan();
  v1::Initiative relisting = MakeInitiative("r1", kCulture, 1);
  relisting.set_relists(InitiativeName("missing"));
  EXPECT_TRUE(HasError(store().CreateInitiative(relisting, ""), absl::StatusCode::kNotFound,
                       InitiativeName("missing")));
  EXPECT_EQ(ListedInitiatives({}), std::vector<std::string>{});

  relisting.set_relists("not a name");
  EXPECT_TRUE(HasError(store().CreateInitiative(relisting, ""), absl::StatusCode::kInvalidArgument,
                       "not a name"));
}

TEST_P(StoreConformance, InitiativeRelistedElsewhereNeedsForceWhichClearsTheLink) {
  CreateCityAndHrPlan();
  v1::Initiative original = CreateInitiativeOrDie(MakeInitiative("o1", kTraining, 1));
  v1::Initiative relisting = MakeInitiative("r1", kCulture, 1, "（再掲）研修の実施");
  relisting.set_relists(original.name());
  relisting = CreateInitiativeOrDie(relisting);

  EXPECT_TRUE(HasError(store().DeleteInitiative(original.name(), false, ""),
                       absl::StatusCode::kFailedPrecondition, original.name(), relisting.name()));
  ASSERT_OK(store().DeleteInitiative(original.name(), true, ""));

  ASSERT_OK_AND_ASSIGN(v1::Initiative after, store().GetInitiative(relisting.name()));
  EXPECT_TRUE(after.relists().empty());
  // Clearing the link is a write: the etag changes, the rest stays.
  EXPECT_NE(after.etag(), relisting.etag());
  EXPECT_EQ(after.title(), relisting.title());
  EXPECT_TRUE(ProtoEquals(relisting.create_time(), after.create_time()));
  // With the link gone it can be deleted without force.
  ASSERT_OK(store().DeleteInitiative(relisting.name(), false, after.etag()));
}

TEST_P(StoreConformance, InitiativeRelistingAcrossPlansIsClearedWhenThePlanGoes) {
  CreateCityAndHrPlan();
  const std::string reform = "organizations/city/plans/reform";
  ASSERT_OK(store().CreatePlan(MakePlan(reform), "").status());
  v1::Initiative original = CreateInitiativeOrDie(MakeInitiative("o1", kTraining, 1, "x", reform));
  v1::Initiative relisting = MakeInitiative("r1", kTraining, 1);
  relisting.set_relists(original.name());
  relisting = CreateInitiativeOrDie(relisting);

  ASSERT_OK(store().DeletePlan(reform, true, ""));
  ASSERT_OK_AND_ASSIGN(v1::Initiative after, store().GetInitiative(relisting.name()));
  EXPECT_TRUE(after.relists().empty());
}

TEST_P(StoreConformance, InitiativeMayRelistItselfAndStillBeDeletedWithoutForce) {
  CreateCityAndHrPlan();
  v1::Initiative self = MakeInitiative("s1", kTraining, 1);
  self.set_relists(self.name());
  self = CreateInitiativeOrDie(self);
  ASSERT_OK(store().DeleteInitiative(self.name(), false, ""));
}

TEST_P(StoreConformance, BatchCreateCreatesAllInOrder) {
  CreateCityAndHrPlan();
  std::vector<v1::Initiative> batch = {MakeInitiative("b1", kTraining, 1),
                                       MakeInitiative("b2", kTraining, 2),
                                       MakeInitiative("b3", kCulture, 1)};
  // An item may re-list one that comes later in the same batch.
  batch[0].set_relists(InitiativeName("b3"));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Initiative> created,
                       store().BatchCreateInitiatives(batch, ""));
  ASSERT_EQ(created.size(), 3u);
  EXPECT_EQ(Names(created), Names(batch));
  for (const v1::Initiative& one : created) {
    EXPECT_FALSE(one.etag().empty());
    ASSERT_OK_AND_ASSIGN(v1::Initiative got, store().GetInitiative(one.name()));
    EXPECT_TRUE(ProtoEquals(one, got));
  }
  EXPECT_EQ(created[0].relists(), InitiativeName("b3"));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Initiative> none, store().BatchCreateInitiatives({}, ""));
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreConformance, BatchCreateIsAllOrNone) {
  CreateCityAndHrPlan();
  CreateInitiativeOrDie(MakeInitiative("old", kCulture, 5));
  // Item 3 (index 2) takes the area and number of an existing initiative.
  std::vector<v1::Initiative> batch = {
      MakeInitiative("b1", kTraining, 1), MakeInitiative("b2", kTraining, 2),
      MakeInitiative("b3", kCulture, 5), MakeInitiative("b4", kTraining, 4)};
  EXPECT_TRUE(HasError(store().BatchCreateInitiatives(batch, "batch-1"),
                       absl::StatusCode::kAlreadyExists, "initiatives[2]", InitiativeName("old")));
  EXPECT_EQ(ListedInitiatives({}), std::vector<std::string>{InitiativeName("old")});

  // A clash inside the batch itself, a missing link and a missing plan fail the same way.
  batch[2] = MakeInitiative("b1", kCulture, 6);
  EXPECT_TRUE(HasError(store().BatchCreateInitiatives(batch, ""), absl::StatusCode::kAlreadyExists,
                       "initiatives[2]", InitiativeName("b1")));
  batch[2] = MakeInitiative("b3", kCulture, 6);
  batch[3].set_relists(InitiativeName("nowhere"));
  EXPECT_TRUE(HasError(store().BatchCreateInitiatives(batch, ""), absl::StatusCode::kNotFound,
                       "initiatives[3]", InitiativeName("nowhere")));
  batch[3].clear_relists();
  batch[1] = MakeInitiative("b2", kTraining, 2, "x", "organizations/city/plans/none");
  EXPECT_TRUE(HasError(store().BatchCreateInitiatives(batch, ""), absl::StatusCode::kNotFound,
                       "initiatives[1]", "organizations/city/plans/none"));
  EXPECT_EQ(ListedInitiatives({}), std::vector<std::string>{InitiativeName("old")});

  // The failed request id was not consumed: a corrected retry with it goes through.
  batch[1] = MakeInitiative("b2", kTraining, 2);
  ASSERT_OK(store().BatchCreateInitiatives(batch, "batch-1").status());
  EXPECT_EQ(ListedInitiatives({}).size(), 5u);
}

TEST_P(StoreConformance, BatchCreateRequestIdReturnsTheFirstBatch) {
  CreateCityAndHrPlan();
  std::vector<v1::Initiative> batch = {MakeInitiative("b1", kTraining, 1),
                                       MakeInitiative("b2", kTraining, 2)};
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Initiative> first,
                       store().BatchCreateInitiatives(batch, "import-1"));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Initiative> retry,
                       store().BatchCreateInitiatives(batch, "import-1"));
  ASSERT_EQ(retry.size(), 2u);
  EXPECT_TRUE(ProtoEquals(first[0], retry[0]));
  EXPECT_TRUE(ProtoEquals(first[1], retry[1]));
  EXPECT_EQ(ListedInitiatives({}).size(), 2u);

  ASSERT_OK(store().DeleteInitiative(first[1].name(), false, ""));
  EXPECT_TRUE(HasError(store().BatchCreateInitiatives(batch, "import-1"),
                       absl::StatusCode::kNotFound, "import-1", first[1].name()));
}

}  // namespace
}  // namespace torikumi::store::testing
