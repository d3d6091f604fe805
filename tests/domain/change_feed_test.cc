// Job events in the change feed: a job that re-rates plans of several organizations shows
// each plan's watchers only that plan's part of it.
#include "services/domain/change_feed.h"

#include "domain_fixture.h"
#include "gtest/gtest.h"

namespace torikumi::domain::testing {
namespace {

class DomainChangeFeedTest : public DomainTest {};

TEST_F(DomainChangeFeedTest, AJobOverSeveralOrganizationsShowsEachPlanOnlyItsOwnPart) {
  const std::string a = "organizations/a/plans/hr";
  const std::string b = "organizations/b/plans/hr";
  ASSERT_EQ(MakeOrganization("a"), "organizations/a");
  ASSERT_EQ(MakeOrganization("b"), "organizations/b");
  ASSERT_TRUE(CreatePlan("organizations/a", SeedPlan(), "hr").ok());
  ASSERT_TRUE(CreatePlan("organizations/b", SeedPlan(), "hr").ok());
  absl::StatusOr<int64_t> start = store_->LastChange();
  ASSERT_TRUE(start.ok()) << start.status();

  v1::Job job;
  job.set_name("jobs/1");
  job.set_state(v1::Job::STATE_FAILED);
  job.set_total(2);
  job.set_done(2);
  job.add_errors(b + ": INTERNAL: the plugin crashed");
  ASSERT_TRUE(RecordJobChange(*store_, v1::CHANGE_TYPE_UPDATED, job, {a, b}).ok());

  for (const auto& [plan, errors] : {std::pair{a, 0}, std::pair{b, 1}}) {
    store::ChangeQuery query{.organization = plan.substr(0, plan.find("/plans/")),
                             .plan = plan,
                             .kinds = {v1::RESOURCE_KIND_JOB},
                             .after = *start};
    absl::StatusOr<store::ChangePage> page = store_->ListChanges(query);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_EQ(page->events.size(), 1u) << plan;
    const v1::Job& seen = page->events[0].job();
    EXPECT_EQ(seen.errors_size(), errors) << plan;
    EXPECT_EQ(seen.total(), 1) << plan << ": the other organization's plans are not counted";
    EXPECT_EQ(seen.done(), 1) << plan;
  }
}

}  // namespace
}  // namespace torikumi::domain::testing
