// The SQLite store's audit log and API tokens: every write transaction records what it
// changed with the WriteOrigin in scope ("system" without one), in the same transaction.
#include <gtest/gtest.h>

#include "services/store/sqlite/sqlite_store.h"
#include "services/store/write_origin.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

class StoreAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Store>> opened = OpenSqliteStore(dir_.path() + "/t.db");
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
  }

  std::vector<v1::AuditEvent> Events(const AuditQuery& query = {}) {
    absl::StatusOr<ListResult<v1::AuditEvent>> listed =
        store_->ListAuditEvents(query, {.offset = 0, .limit = 1000});
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->items : std::vector<v1::AuditEvent>();
  }

  ScratchDirectory dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreAuditTest, AWriteRecordsItsOriginAndEtagsNewestFirst) {
  const WriteOrigin origin{.principal = "organizations/city/tokens/hr",
                           .method = "torikumi.v1.PlanService/UpdatePlan",
                           .field_mask = "title",
                           .request_id = "r-1"};
  ASSERT_TRUE(store_->CreateOrganization(MakeOrganization(kCity), "").ok());
  absl::StatusOr<v1::Plan> created = store_->CreatePlan(MakePlan(kHrPlan), "");
  ASSERT_TRUE(created.ok());
  v1::Plan changed = *created;
  changed.set_title("改題");
  absl::StatusOr<v1::Plan> updated;
  {
    ScopedWriteOrigin scope(origin);
    updated = store_->UpdatePlan(changed, "");
  }
  ASSERT_TRUE(updated.ok());

  std::vector<v1::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 3u);
  const v1::AuditEvent& update = events[0];
  EXPECT_EQ(update.principal(), origin.principal);
  EXPECT_EQ(update.method(), origin.method);
  EXPECT_EQ(update.field_mask(), "title");
  EXPECT_EQ(update.request_id(), "r-1");
  EXPECT_EQ(update.resource(), kHrPlan);
  EXPECT_EQ(update.organization(), kCity);
  EXPECT_EQ(update.etag_before(), created->etag());
  EXPECT_EQ(update.etag_after(), updated->etag());
  // Without an origin in scope the writer is "system".
  EXPECT_EQ(events[1].principal(), "system");
  EXPECT_EQ(events[1].resource(), kHrPlan);
  EXPECT_TRUE(events[1].etag_before().empty());
  EXPECT_EQ(events[2].resource(), kCity);
}

// Moving a plan's areas rewrites its initiatives' stored area positions, which are not the
// initiatives' resources: the plan's update is the only event.
TEST_F(StoreAuditTest, MovingAPlansAreasIsOneEventForThePlan) {
  ASSERT_TRUE(store_->CreateOrganization(MakeOrganization(kCity), "").ok());
  absl::StatusOr<v1::Plan> plan = store_->CreatePlan(MakePlan(kHrPlan), "");
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(store_->CreateInitiative(MakeInitiative("a", kTraining, 1), "").ok());
  ASSERT_TRUE(store_->CreateInitiative(MakeInitiative("b", kEnvironment, 1), "").ok());
  const size_t before = Events().size();
  plan->clear_areas();
  plan->add_areas(std::string(kEnvironment));
  plan->add_areas(std::string(kTraining));
  ASSERT_TRUE(store_->UpdatePlan(*plan, plan->etag()).ok());

  std::vector<v1::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), before + 1);
  EXPECT_EQ(events[0].resource(), kHrPlan);
  absl::StatusOr<ListResult<v1::Initiative>> listed =
      store_->ListInitiatives(kHrPlan, {}, {.offset = 0, .limit = 10});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(listed->items[0].name(), InitiativeName("b"));  // the moved order is kept
}

TEST_F(StoreAuditTest, AFailedWriteRecordsNothingAndAForcedDeleteIsOneEvent) {
  ASSERT_TRUE(store_->CreateOrganization(MakeOrganization(kCity), "").ok());
  ASSERT_TRUE(store_->CreatePlan(MakePlan(kHrPlan), "").ok());
  ASSERT_TRUE(store_->CreateInitiative(MakeInitiative("i1", kTraining, 1, "研修"), "").ok());
  EXPECT_FALSE(store_->CreatePlan(MakePlan(kHrPlan), "").ok());  // ALREADY_EXISTS
  EXPECT_EQ(Events().size(), 3u);

  ASSERT_TRUE(store_->DeleteOrganization(kCity, /*force=*/true, "").ok());
  std::vector<v1::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].resource(), kCity);
  EXPECT_FALSE(events[0].etag_before().empty());
  EXPECT_TRUE(events[0].etag_after().empty());
}

// An outcome's row gives its name (its body leaves it out): the log names it when it is
// written and deleted; deleted with its initiative it is not logged apart.
TEST_F(StoreAuditTest, OutcomesAreLoggedByNameAndGoWithTheirInitiative) {
  ASSERT_TRUE(store_->CreateOrganization(MakeOrganization(kCity), "").ok());
  ASSERT_TRUE(store_->CreatePlan(MakePlan(kHrPlan), "").ok());
  absl::StatusOr<v1::Initiative> initiative =
      store_->CreateInitiative(MakeInitiative("i1", kTraining, 1, "研修"), "");
  ASSERT_TRUE(initiative.ok());
  const v1::Outcome outcome = MakeOutcome(initiative->name(), 2019);
  absl::StatusOr<UpsertResult> put = store_->UpsertOutcome(outcome, "");
  ASSERT_TRUE(put.ok()) << put.status();
  ASSERT_TRUE(store_->DeleteOutcome(outcome.name(), "").ok());
  ASSERT_TRUE(store_->UpsertOutcome(MakeOutcome(initiative->name(), 2020), "").ok());
  ASSERT_TRUE(store_->DeleteInitiative(initiative->name(), /*force=*/true, "").ok());

  std::vector<v1::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].resource(), initiative->name());
  EXPECT_EQ(events[1].resource(), MakeOutcome(initiative->name(), 2020).name());
  EXPECT_EQ(events[2].resource(), outcome.name());
  EXPECT_EQ(events[2].etag_before(), put->outcome.etag());
  EXPECT_TRUE(events[2].etag_after().empty());
  EXPECT_EQ(events[3].resource(), outcome.name());
  EXPECT_EQ(events[3].etag_after(), put->outcome.etag());
}

TEST_F(StoreAuditTest, ListingFiltersByResourcePrincipalOrganizationAndTime) {
  ASSERT_TRUE(store_->CreateOrganization(MakeOrganization(kCity), "").ok());
  ASSERT_TRUE(store_->CreateOrganization(MakeOrganization("organizations/town"), "").ok());
  const absl::Time middle = absl::Now();
  {
    ScopedWriteOrigin scope(WriteOrigin{.principal = "tokens/ops"});
    ASSERT_TRUE(store_->CreatePlan(MakePlan(kHrPlan), "").ok());
  }
  EXPECT_EQ(Events({.organization = std::string(kCity)}).size(), 2u);
  EXPECT_EQ(Events({.resource = std::string(kCity)}).size(), 2u) << "the city and its plan";
  EXPECT_EQ(Events({.resource = "organizations/cit"}).size(), 0u) << "names, not prefixes";
  EXPECT_EQ(Events({.principal = "tokens/ops"}).size(), 1u);
  EXPECT_EQ(Events({.start_time = middle}).size(), 1u);
  EXPECT_EQ(Events({.end_time = middle}).size(), 2u);
}

TEST_F(StoreAuditTest, TokensAreFoundByTheirHashAndGoneWhenRevoked) {
  ASSERT_TRUE(store_->CreateOrganization(MakeOrganization(kCity), "").ok());
  v1::Token token;
  token.set_name("organizations/city/tokens/hr");
  token.set_role(v1::ROLE_RECORDER);
  ASSERT_TRUE(store_->CreateToken(token, "abc123").ok());
  EXPECT_EQ(store_->CreateToken(token, "def456").status().code(), absl::StatusCode::kAlreadyExists);
  v1::Token orphan;
  orphan.set_name("organizations/none/tokens/x");
  EXPECT_EQ(store_->CreateToken(orphan, "x").status().code(), absl::StatusCode::kNotFound);
  v1::Token server;
  server.set_name("tokens/ops");
  server.set_role(v1::ROLE_SERVER_ADMIN);
  ASSERT_TRUE(store_->CreateToken(server, "fff").ok());

  absl::StatusOr<v1::Token> found = store_->FindToken("abc123");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->name(), "organizations/city/tokens/hr");
  EXPECT_FALSE(found->etag().empty());
  EXPECT_EQ(store_->ListTokens(kCity, {.limit = 10})->items.size(), 1u);
  ASSERT_EQ(store_->ListTokens("", {.limit = 10})->items.size(), 1u);
  EXPECT_EQ(store_->ListTokens("", {.limit = 10})->items[0].name(), "tokens/ops");

  ASSERT_TRUE(store_->DeleteToken("organizations/city/tokens/hr").ok());
  EXPECT_EQ(store_->FindToken("abc123").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteToken("organizations/city/tokens/hr").code(),
            absl::StatusCode::kNotFound);
  // An organization's tokens go with it.
  ASSERT_TRUE(store_->CreateToken(token, "abc123").ok());
  ASSERT_TRUE(store_->DeleteOrganization(kCity, /*force=*/true, "").ok());
  EXPECT_EQ(store_->FindToken("abc123").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace torikumi::store::testing
