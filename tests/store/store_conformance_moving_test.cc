// What moving a database (domain/copy_store.h) reads and writes beyond the resources: the
// API tokens with the hash of their secret, and the audit log under its names and times.
#include "absl/strings/numbers.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/timestamp.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Token MakeToken(absl::string_view name, v1::Role role) {
  v1::Token token;
  token.set_name(std::string(name));
  token.set_display_name("training-system");
  token.set_role(role);
  token.set_creator("tokens/ops");
  return token;
}

// A fresh, empty store of the same backend, as the target of a move.
class MoveTarget {
 public:
  explicit MoveTarget(const Backend& backend) {
    absl::StatusOr<std::unique_ptr<Store>> opened = backend.open(scratch_.path());
    EXPECT_TRUE(opened.ok()) << opened.status();
    if (opened.ok()) store_ = *std::move(opened);
  }
  Store* get() { return store_.get(); }

 private:
  ScratchDirectory scratch_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, StoredTokensMoveWithTheirHashRoleExpiryAndCreateTime) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  v1::Token editor = MakeToken("organizations/city/tokens/hr", v1::ROLE_EDITOR);
  *editor.mutable_expire_time() = ToTimestamp(absl::FromUnixSeconds(4102444800));  // 2100
  ASSERT_OK(store().CreateToken(editor, "a1").status());
  ASSERT_OK(store().CreateToken(MakeToken("tokens/ops", v1::ROLE_SERVER_ADMIN), "b2").status());
  ASSERT_OK(store()
                .CreateToken(MakeToken("organizations/city/tokens/old", v1::ROLE_VIEWER), "c3")
                .status());
  ASSERT_OK(store().DeleteToken("organizations/city/tokens/old"));

  // Every token there is, by name, with its hash; the revoked one is gone.
  ASSERT_OK_AND_ASSIGN(std::vector<StoredToken> stored, store().ListStoredTokens());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].token.name(), "organizations/city/tokens/hr");
  EXPECT_EQ(stored[0].secret_sha256, "a1");
  EXPECT_EQ(stored[1].token.name(), "tokens/ops");
  EXPECT_EQ(stored[1].secret_sha256, "b2");

  MoveTarget target(GetParam());
  ASSERT_NE(target.get(), nullptr);
  // An organization's token needs its organization there first.
  EXPECT_EQ(target.get()->RestoreToken(stored[0]).status().code(), absl::StatusCode::kNotFound);
  ASSERT_OK(target.get()->CreateOrganization(MakeOrganization(kCity), "").status());
  for (const StoredToken& token : stored) {
    ASSERT_OK_AND_ASSIGN(v1::Token restored, target.get()->RestoreToken(token));
    EXPECT_FALSE(restored.etag().empty());
    ASSERT_OK_AND_ASSIGN(v1::Token found, target.get()->FindToken(token.secret_sha256));
    EXPECT_EQ(found.etag(), restored.etag());
    // As it was, create_time included; only the etag is the target's.
    found.clear_etag();
    v1::Token expected = token.token;
    expected.clear_etag();
    EXPECT_TRUE(MessageDifferencer::Equals(found, expected)) << found.DebugString();
  }
  EXPECT_EQ(target.get()->FindToken("c3").status().code(), absl::StatusCode::kNotFound);

  // A name or a hash is taken once.
  EXPECT_TRUE(HasError(target.get()->RestoreToken(stored[0]), absl::StatusCode::kAlreadyExists,
                       "already exists"));
  StoredToken same_secret = stored[0];
  same_secret.token.set_name("organizations/city/tokens/copy");
  EXPECT_TRUE(HasError(target.get()->RestoreToken(same_secret), absl::StatusCode::kAlreadyExists,
                       "same secret"));
  EXPECT_TRUE(
      HasError(target.get()->CreateToken(MakeToken("tokens/new", v1::ROLE_SERVER_ADMIN), "b2"),
               absl::StatusCode::kAlreadyExists, "same secret"));
}

v1::AuditEvent MakeEvent(int64_t number, int64_t unix_seconds, absl::string_view resource) {
  v1::AuditEvent event;
  event.set_name(absl::StrCat("auditEvents/", number));
  *event.mutable_time() = ToTimestamp(absl::FromUnixSeconds(unix_seconds));
  event.set_principal("organizations/city/tokens/hr");
  event.set_method("torikumi.v1.PlanService/UpdatePlan");
  event.set_resource(std::string(resource));
  event.set_organization(std::string(kCity));
  event.set_field_mask("title");
  event.set_request_id("r-1");
  event.set_etag_before("\"3\"");
  event.set_etag_after("\"9\"");
  return event;
}

std::vector<v1::AuditEvent> AllEvents(Store& store, const AuditQuery& query = {}) {
  absl::StatusOr<ListResult<v1::AuditEvent>> listed = store.ListAuditEvents(query, {0, 1000});
  EXPECT_TRUE(listed.ok()) << listed.status();
  return listed.ok() ? listed->items : std::vector<v1::AuditEvent>();
}

// The number of "auditEvents/{n}".
int64_t NumberOf(const v1::AuditEvent& event) {
  int64_t number = 0;
  EXPECT_TRUE(absl::SimpleAtoi(event.name().substr(event.name().find('/') + 1), &number));
  return number;
}

TEST_P(StoreConformance, AuditEventsAreRestoredUnderTheirNamesAfterWhatTheLogHolds) {
  ASSERT_OK(store().CreateOrganization(MakeOrganization(kCity), "").status());
  std::vector<v1::AuditEvent> before = AllEvents(store());
  ASSERT_EQ(before.size(), 1u);
  const int64_t last = NumberOf(before[0]);
  const std::vector<v1::AuditEvent> moved = {MakeEvent(last + 5, 1600000000, kHrPlan),
                                             MakeEvent(last + 7, 1600000060, kCity)};
  ASSERT_OK(store().RestoreAuditEvents(moved));

  // Nothing out of order, behind the log, or misnamed; a batch with one is not written.
  EXPECT_TRUE(HasError(store().RestoreAuditEvents({MakeEvent(last + 6, 1600000000, kCity)}),
                       absl::StatusCode::kInvalidArgument, "events[0].name"));
  EXPECT_TRUE(HasError(store().RestoreAuditEvents({MakeEvent(last + 20, 1600000000, kCity),
                                                   MakeEvent(last + 10, 1600000000, kCity)}),
                       absl::StatusCode::kInvalidArgument, "events[1].name"));
  v1::AuditEvent misnamed = MakeEvent(last + 30, 1600000000, kCity);
  misnamed.set_name("auditEvents/x");
  EXPECT_TRUE(HasError(store().RestoreAuditEvents({misnamed}), absl::StatusCode::kInvalidArgument,
                       "auditEvents/x"));

  // The next write is numbered after the restored events.
  ASSERT_OK(store().CreatePlan(MakePlan(kHrPlan), "").status());
  std::vector<v1::AuditEvent> after = AllEvents(store());
  ASSERT_EQ(after.size(), 4u);
  EXPECT_EQ(after[0].resource(), kHrPlan);
  EXPECT_GT(NumberOf(after[0]), last + 7);
  EXPECT_TRUE(MessageDifferencer::Equals(after[1], moved[1])) << after[1].DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(after[2], moved[0])) << after[2].DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(after[3], before[0]));

  // Restored events are listed by their own time, principal and resource.
  std::vector<v1::AuditEvent> old =
      AllEvents(store(), {.end_time = absl::FromUnixSeconds(1600000030)});
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].name(), moved[0].name());
  EXPECT_EQ(AllEvents(store(), {.principal = "organizations/city/tokens/hr"}).size(), 2u);
}

}  // namespace
}  // namespace torikumi::store::testing
