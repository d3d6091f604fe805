#include "bench/load/rated_size.h"

#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/domain/ratings.h"
#include "services/evaluators/evaluator_host.h"
#include "services/store/sqlite/sqlite_store.h"

namespace torikumi::bench {
namespace {

// One recorded evaluation of each plan: one computed rating per initiative.
absl::Status RateEveryPlan(const std::string& db, const Seeded& seeded,
                           const std::string& plugins_dir) {
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(db);
  if (!store.ok()) return store.status();
  evaluators::EvaluatorHost host({.plugins_dir = plugins_dir, .call_limit = absl::Minutes(10)});
  if (auto report = host.Reload(); !report.ok()) return report.status();
  domain::Ratings ratings(**store, host);
  for (const std::string& plan : seeded.plans) {
    v1::RatingServiceEvaluateRequest request;
    request.set_plan(plan);
    if (auto done = ratings.Evaluate(request); !done.ok()) {
      return absl::Status(done.status().code(),
                          absl::StrCat("evaluating ", plan, ": ", done.status().message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int64_t> RatedDatabaseBytes(const std::string& db, const Seeded& seeded,
                                           const std::string& plugins_dir) {
  if (absl::Status s = RateEveryPlan(db, seeded, plugins_dir); !s.ok()) return s;
  namespace fs = std::filesystem;
  std::error_code error;
  const uintmax_t main_file = fs::file_size(db, error);
  if (error) return absl::InternalError(absl::StrCat(db, ": ", error.message()));
  const uintmax_t wal = fs::file_size(db + "-wal", error);
  return static_cast<int64_t>(main_file + (error ? 0 : wal));
}

}  // namespace torikumi::bench
