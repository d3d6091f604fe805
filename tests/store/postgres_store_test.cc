// The PostgreSQL backend: the whole conformance suite on a real PostgreSQL 15 (a schema per
// test on the run's throw-away cluster), plus what only a database server shared by several
// processes has — a second store on the same database sees every write at once and hears of
// its changes, and the audit log records the writer as on SQLite.
#include "services/store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include "services/store/write_origin.h"
#include "tests/store/postgres_test_cluster.h"
#include "tests/store/store_conformance.h"

namespace torikumi::store::testing {
namespace {

absl::StatusOr<std::unique_ptr<Store>> OpenFreshPostgresStore(const std::string&) {
  absl::StatusOr<std::string> uri = FreshPostgresUri();
  if (!uri.ok()) return uri.status();
  return OpenPostgresStore(*uri, {.pool_size = 2});
}

INSTANTIATE_TEST_SUITE_P(StorePostgres, StoreConformance,
                         ::testing::Values(Backend{"postgres", OpenFreshPostgresStore}),
                         BackendName);

TEST(StorePostgres, TellsTheUriFromAFilePath) {
  EXPECT_TRUE(IsPostgresUri("postgresql://torikumi@db.example/torikumi"));
  EXPECT_TRUE(IsPostgresUri("postgres:///torikumi?host=/run/postgresql"));
  EXPECT_FALSE(IsPostgresUri("var/torikumi.db"));
  EXPECT_FALSE(IsPostgresUri("/srv/postgresql/torikumi.db"));
}

TEST(StorePostgres, UnreachableDatabaseIsUnavailableWithoutThePassword) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenPostgresStore("postgresql://torikumi:s3cret@127.0.0.1:1/torikumi", {.pool_size = 1});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable) << store.status();
  EXPECT_NE(store.status().message().find("postgresql://torikumi:***@127.0.0.1:1/torikumi"),
            absl::string_view::npos)
      << store.status();
  EXPECT_EQ(store.status().message().find("s3cret"), absl::string_view::npos);
}

TEST(StorePostgres, RejectsAPoolOfNoConnections) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenPostgresStore("postgresql:///torikumi", {.pool_size = 0});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument) << store.status();
}

// Two stores on one database, as two servers would have.
class StorePostgresShared : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> uri = FreshPostgresUri();
    ASSERT_TRUE(uri.ok()) << uri.status();
    for (auto* store : {&first_, &second_}) {
      absl::StatusOr<std::unique_ptr<Store>> opened =
          OpenPostgresStore(*uri, {.pool_size = 2, .change_poll_interval = absl::Milliseconds(20)});
      ASSERT_TRUE(opened.ok()) << opened.status();
      *store = *std::move(opened);
    }
  }
  std::unique_ptr<Store> first_;
  std::unique_ptr<Store> second_;
};

TEST_F(StorePostgresShared, AWriteOnOneIsReadOnTheOtherAtOnce) {
  ASSERT_TRUE(first_->CreateOrganization(MakeOrganization(kCity), "").ok());
  absl::StatusOr<v1::Plan> created = first_->CreatePlan(MakePlan(kHrPlan), "req-1");
  ASSERT_TRUE(created.ok()) << created.status();
  absl::StatusOr<v1::Plan> read = second_->GetPlan(kHrPlan);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->etag(), created->etag());
  // The request id is shared too: a retry that reaches the other server creates nothing.
  absl::StatusOr<v1::Plan> retried = second_->CreatePlan(MakePlan(kHrPlan), "req-1");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->etag(), created->etag());
  // And an etag read on one guards an update on the other.
  v1::Plan changed = *read;
  changed.set_title("改題");
  ASSERT_TRUE(second_->UpdatePlan(changed, read->etag()).ok());
  EXPECT_EQ(first_->UpdatePlan(changed, created->etag()).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(StorePostgresShared, ChangesWrittenByOneAreToldToTheOthersWatchers) {
  absl::StatusOr<int64_t> start = second_->LastChange();
  ASSERT_TRUE(start.ok());
  Mutex mu;
  int64_t heard = 0;
  const int id = second_->change_notifier().AddListener([&](int64_t last) {
    MutexLock lock(&mu);
    heard = last;
  });
  ASSERT_TRUE(first_->CreateOrganization(MakeOrganization(kCity), "").ok());
  ASSERT_TRUE(first_->CreatePlan(MakePlan(kHrPlan), "").ok());
  // Generous for a sanitizer build on a loaded machine; the loop ends once it has heard.
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  int64_t last = 0;
  while (absl::Now() < deadline) {
    {
      MutexLock lock(&mu);
      last = heard;
    }
    if (last > *start) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  second_->change_notifier().RemoveListener(id);
  ASSERT_GT(last, *start);
  absl::StatusOr<ChangePage> page =
      second_->ListChanges({.organization = std::string(kCity), .after = *start});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].name(), kHrPlan);
  EXPECT_EQ(page->events[0].type(), v1::CHANGE_TYPE_CREATED);
}

TEST_F(StorePostgresShared, TheAuditLogRecordsTheWritersOrigin) {
  const WriteOrigin origin{.principal = "organizations/city/tokens/hr",
                           .method = "torikumi.v1.PlanService/UpdatePlan",
                           .field_mask = "title",
                           .request_id = "r-1"};
  ASSERT_TRUE(first_->CreateOrganization(MakeOrganization(kCity), "").ok());
  absl::StatusOr<v1::Plan> created = first_->CreatePlan(MakePlan(kHrPlan), "");
  ASSERT_TRUE(created.ok());
  v1::Plan changed = *created;
  changed.set_title("改題");
  absl::StatusOr<v1::Plan> updated;
  {
    ScopedWriteOrigin scope(origin);
    updated = first_->UpdatePlan(changed, "");
  }
  ASSERT_TRUE(updated.ok());
  absl::StatusOr<ListResult<v1::AuditEvent>> events = second_->ListAuditEvents({}, {0, 100});
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->items.size(), 3u);
  const v1::AuditEvent& update = events->items[0];
  EXPECT_EQ(update.principal(), origin.principal);
  EXPECT_EQ(update.method(), origin.method);
  EXPECT_EQ(update.field_mask(), "title");
  EXPECT_EQ(update.request_id(), "r-1");
  EXPECT_EQ(update.resource(), kHrPlan);
  EXPECT_EQ(update.organization(), kCity);
  EXPECT_EQ(update.etag_before(), created->etag());
  EXPECT_EQ(update.etag_after(), updated->etag());
  EXPECT_EQ(events->items[1].principal(), "system");
  // Below a resource: the plan and everything under it.
  absl::StatusOr<ListResult<v1::AuditEvent>> below =
      second_->ListAuditEvents({.resource = std::string(kCity)}, {0, 100});
  ASSERT_TRUE(below.ok());
  EXPECT_EQ(below->total, 3);
}

}  // namespace
}  // namespace torikumi::store::testing
