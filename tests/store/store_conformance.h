// The Store conformance suite: tests written against the abstract torikumi::store::Store, so
// every backend must pass the same ones. A backend joins by instantiating the suite with a
// factory, as sqlite_store_test.cc does:
//
//   INSTANTIATE_TEST_SUITE_P(StoreSqlite, StoreConformance,
//                            ::testing::Values(Backend{"sqlite", OpenFreshSqliteStore}),
//                            BackendName);
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "services/store/store.h"
#include "tests/store/test_util.h"

namespace torikumi::store::testing {

struct Backend {
  std::string name;
  // Opens a new, empty store. `scratch_directory` is a fresh directory the backend may use
  // (and that is removed after the test); a server-based backend may ignore it.
  std::function<absl::StatusOr<std::unique_ptr<Store>>(const std::string& scratch_directory)> open;
};

std::string BackendName(const ::testing::TestParamInfo<Backend>& info);
// So GoogleTest prints a backend by its name.
void PrintTo(const Backend& backend, std::ostream* os);

// A directory under the test temp dir, removed with everything in it on destruction.
class ScratchDirectory {
 public:
  ScratchDirectory();
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Names and builders of the resources most tests use: the organization "city" runs the plan
// "hr" with the areas 職員研修, 組織文化 and 働きやすい環境 (in that order) on an A–C scale.
inline constexpr absl::string_view kCity = "organizations/city";
inline constexpr absl::string_view kHrPlan = "organizations/city/plans/hr";
inline constexpr absl::string_view kTraining = "職員研修";
inline constexpr absl::string_view kCulture = "組織文化";
inline constexpr absl::string_view kEnvironment = "働きやすい環境";

v1::Organization MakeOrganization(absl::string_view name,
                                  absl::string_view display_name = "市役所");
v1::Plan MakePlan(absl::string_view name, absl::string_view title = "人材育成推進プラン");
// An initiative of the plan `plan` named ".../initiatives/{id}".
v1::Initiative MakeInitiative(absl::string_view id, absl::string_view area, int number,
                              absl::string_view title = "研修の実施",
                              absl::string_view plan = kHrPlan);
std::string InitiativeName(absl::string_view id, absl::string_view plan = kHrPlan);
// The outcome of `initiative` for `fiscal_year` (0: the whole period).
v1::Outcome MakeOutcome(absl::string_view initiative, int fiscal_year,
                        absl::string_view text = "実施した");

// Versions 1 (body "one") and 2 ("two") of the rules rule set `name`.
void CreateTwoRuleSetVersions(Store& store, absl::string_view name);

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  // Creates organizations/city and its plan hr.
  void CreateCityAndHrPlan();
  // Creates an initiative and fails the test if that does not work.
  v1::Initiative CreateInitiativeOrDie(const v1::Initiative& initiative);
  // The names of a listing, in order.
  template <typename T>
  static std::vector<std::string> Names(const std::vector<T>& items) {
    std::vector<std::string> names;
    for (const T& item : items) names.push_back(item.name());
    return names;
  }
  // Every initiative of kHrPlan matching `filter`, in order (one big page).
  std::vector<std::string> ListedInitiatives(const v1::InitiativeFilter& filter);

 private:
  std::unique_ptr<ScratchDirectory> scratch_;
  std::unique_ptr<Store> store_;
};

}  // namespace torikumi::store::testing
