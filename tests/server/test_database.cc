#include "tests/server/test_database.h"

#include <cstdlib>

#include "tests/store/postgres_test_cluster.h"

namespace torikumi::server_test {

absl::StatusOr<std::string> TestDatabase(const TempDir& dir, absl::string_view name) {
  if (std::getenv("TORIKUMI_TEST_POSTGRES_DIR") != nullptr) {
    return store::testing::FreshPostgresUri();
  }
  return dir.File(name);
}

}  // namespace torikumi::server_test
