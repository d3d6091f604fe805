#include "tests/store/postgres_test_cluster.h"

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"

namespace torikumi::store::testing {
namespace {

std::string Script() { return absl::StrCat(TORIKUMI_SOURCE_DIR, "/scripts/pg_test_cluster.sh"); }

// A cluster this process started because CTest's fixture did not give one; stopped at exit.
class OwnCluster {
 public:
  OwnCluster() : directory_(absl::StrCat("/tmp/torikumi-pg-", getpid())) {
    status_ = std::system(absl::StrCat(Script(), " start ", directory_).c_str());
  }
  ~OwnCluster() { std::system(absl::StrCat(Script(), " stop ", directory_).c_str()); }
  const std::string& directory() const { return directory_; }
  bool started() const { return status_ == 0; }

 private:
  std::string directory_;
  int status_ = -1;
};

absl::StatusOr<std::string> ClusterDirectory() {
  if (const char* given = std::getenv("TORIKUMI_TEST_POSTGRES_DIR"); given != nullptr) {
    return std::string(given);
  }
  // Stopped by its destructor when the process exits.
  static OwnCluster own;
  if (!own.started()) {
    return absl::UnavailableError(absl::StrCat("could not start a PostgreSQL cluster with ",
                                               Script(), " (see its output above)"));
  }
  return own.directory();
}

}  // namespace

absl::StatusOr<std::string> FreshPostgresUri() {
  absl::StatusOr<std::string> directory = ClusterDirectory();
  if (!directory.ok()) return directory.status();
  const std::string server =
      absl::StrCat("postgresql:///postgres?host=", *directory, "&user=torikumi");
  static std::atomic<int> counter{0};
  const std::string schema = absl::StrCat("t_", getpid(), "_", counter++);
  try {
    pqxx::connection admin(server);
    pqxx::nontransaction(admin).exec(absl::StrCat("CREATE SCHEMA ", schema));
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("test PostgreSQL in ", *directory, ": ", e.what()));
  }
  // "-c search_path=<schema>", percent-encoded for the URI.
  return absl::StrCat(server, "&options=-c%20search_path%3D", schema);
}

}  // namespace torikumi::store::testing
