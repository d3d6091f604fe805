// The permission table (services/server/auth/method_permissions.cc) against what the server
// really serves: every method of every torikumi.v1 service, as server reflection lists them
// (so a service or method added later is caught), needs an entry; every entry names a real
// method; every request type leads back to its method.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "services/server/auth/method_permissions.h"
#include "services/server/server.h"
#include "tests/server/test_support.h"

namespace torikumi::server_test {
namespace {

std::vector<std::string> ServedMethods(const std::string& address, const TempDir& dir) {
  RunResult methods = RunProgram({TORIKUMI_REFLECTION_JSON_CLIENT, address, "methods"}, dir);
  EXPECT_EQ(methods.exit_code, 0) << methods.err;
  return absl::StrSplit(methods.out, '\n', absl::SkipEmpty());
}

TEST(AuthMethodsTest, EveryServedMethodHasAPermissionAndEveryEntryIsServed) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<server::Server>> server =
      server::Server::Open(dir.File("torikumi.db"));
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE((*server)->EnableRatings(TORIKUMI_BUILT_PLUGINS_DIR).ok());
  ASSERT_TRUE((*server)->EnableChangeFeed().ok());
  ASSERT_TRUE((*server)->Start("127.0.0.1:0").ok());

  std::vector<std::string> served;
  for (const std::string& method : ServedMethods((*server)->address(), dir)) {
    if (!absl::StartsWith(method, "torikumi.")) continue;  // health, reflection
    served.push_back(method);
    EXPECT_TRUE(server::auth::PermissionOf(method).has_value())
        << method << " is missing from the permission table";
  }
  EXPECT_EQ(served.size(), server::auth::TableMethods().size());
  for (const std::string& entry : server::auth::TableMethods()) {
    EXPECT_NE(std::find(served.begin(), served.end(), entry), served.end())
        << entry << " is in the permission table but not served";
    std::vector<std::string> parts = absl::StrSplit(entry, '/');
    const auto* method = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
        parts[0] + "." + parts[1]);
    ASSERT_NE(method, nullptr) << entry;
    EXPECT_EQ(server::auth::MethodOfRequest(method->input_type()), entry);
  }
  (*server)->Shutdown(absl::Seconds(5));
}

TEST(AuthMethodsTest, RolesGrowByWhatTheyAdd) {
  using server::auth::Permission;
  using server::auth::RoleAllows;
  EXPECT_TRUE(RoleAllows(v1::ROLE_VIEWER, Permission::kRead));
  EXPECT_FALSE(RoleAllows(v1::ROLE_VIEWER, Permission::kRecord));
  EXPECT_TRUE(RoleAllows(v1::ROLE_RECORDER, Permission::kRecord));
  EXPECT_FALSE(RoleAllows(v1::ROLE_RECORDER, Permission::kRate));
  EXPECT_TRUE(RoleAllows(v1::ROLE_RATER, Permission::kRate));
  EXPECT_FALSE(RoleAllows(v1::ROLE_RATER, Permission::kEdit));
  EXPECT_TRUE(RoleAllows(v1::ROLE_EDITOR, Permission::kEdit));
  EXPECT_FALSE(RoleAllows(v1::ROLE_EDITOR, Permission::kAdmin));
  EXPECT_TRUE(RoleAllows(v1::ROLE_ADMIN, Permission::kAdmin));
  EXPECT_FALSE(RoleAllows(v1::ROLE_ADMIN, Permission::kServerAdmin));
  EXPECT_TRUE(RoleAllows(v1::ROLE_SERVER_ADMIN, Permission::kServerAdmin));
  EXPECT_FALSE(RoleAllows(v1::ROLE_UNSPECIFIED, Permission::kRead));
}

}  // namespace
}  // namespace torikumi::server_test
