// What `cmake --install` (component torikumi_server) lays down works on its own: the
// installed torikumi-server starts from the install prefix with the installed plugins
// and shipped rule set, imports and rates the demo plan, and the installed torikumi CLI
// talks to it. The install itself is the ctest fixture InstallTree.Setup (see
// CMakeLists.txt), into TORIKUMI_INSTALL_PREFIX under the build tree.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/rating_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

const std::string kPrefix = TORIKUMI_INSTALL_PREFIX;

TEST(InstalledServer, StartsFromThePrefixAndRatesTheDemoPlan) {
  TempDir dir;
  ServerProcess server(
      dir, kPrefix + "/bin/torikumi-server",
      {"--listen=127.0.0.1:0", "--db=" + dir.File("torikumi.db"), "--demo_table=" TORIKUMI_SEED_TSV,
       "--demo_org=demo", "--plugins_dir=" + kPrefix + "/lib/torikumi/plugins",
       "--default_rule_set=" + kPrefix + "/share/torikumi/rulesets/abc-implementation.textproto"});
  ASSERT_EQ(server.Launch(), "");
  EXPECT_TRUE(absl::StrContains(server.Log(), "2 loaded, 0 refused")) << server.Log();

  auto ratings = v1::RatingService::NewStub(server.Channel());
  EXPECT_EQ(WaitForJob(*ratings, "jobs/1").state(), v1::Job::STATE_SUCCEEDED) << server.Log();

  // The installed CLI, against the installed server.
  RunResult listed = RunProgram(
      {kPrefix + "/bin/torikumi", "--server", server.address(), "--json", "evaluators", "list"},
      dir);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(absl::StrContains(listed.out, kPrefix + "/lib/torikumi/plugins/rules.so"))
      << listed.out;
  RunResult compared = RunProgram({kPrefix + "/bin/torikumi", "--server", server.address(),
                                   "ratings", "compare", "--plan", "demo/hr-plan-progress-h30-r4"},
                                  dir);
  EXPECT_EQ(compared.exit_code, 0) << compared.err;
  EXPECT_TRUE(absl::StrContains(compared.out, "agreement: 60 of 64")) << compared.out;
  EXPECT_TRUE(server.Stop()) << server.Log();
}

}  // namespace
}  // namespace torikumi::server_test
