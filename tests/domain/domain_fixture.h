// Shared setup for the domain tests: a fresh SQLite store in its own temp directory per
// test, the four domain classes over it, and helpers that build a plan shaped like the seed
// (人材育成推進プラン, H30–R4, three areas, grades A/B/C).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/bounded_executor.h"
#include "services/common/errors.h"
#include "services/common/log.h"
#include "services/common/resource_name.h"
#include "services/domain/initiatives.h"
#include "services/domain/organizations.h"
#include "services/domain/outcomes.h"
#include "services/domain/plans.h"
#include "services/store/sqlite/sqlite_store.h"

namespace torikumi::domain::testing {

// The bytes of a file (a table in testdata/, a rule set); fails the current test when it
// cannot be read.
inline std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The fields named by the violations of an INVALID_ARGUMENT status, in order.
inline std::vector<std::string> ViolationFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(status)) fields.push_back(v.field());
  return fields;
}

// The description of the violation on `field`, or "" when there is none.
inline std::string ViolationOn(const absl::Status& status, const std::string& field) {
  for (const auto& v : FieldViolationsOf(status)) {
    if (v.field() == field) return v.description();
  }
  return "";
}

// Passes when `status` is INVALID_ARGUMENT with a violation on `field` whose description
// contains `quoted` (the offending value).
inline ::testing::AssertionResult IsViolation(const absl::Status& status, const std::string& field,
                                              const std::string& quoted = "") {
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    return ::testing::AssertionFailure() << "expected INVALID_ARGUMENT, got " << status;
  }
  for (const auto& v : FieldViolationsOf(status)) {
    if (v.field() != field) continue;
    if (v.description().find(quoted) == std::string::npos) {
      return ::testing::AssertionFailure() << "violation on " << field << " is '" << v.description()
                                           << "', which lacks '" << quoted << "'";
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no violation on " << field << " in " << status;
}

class DomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Migration notices on every fresh database would drown the test output.
    log::SetLevel(log::Level::kWarning);
    std::string pattern =
        (std::filesystem::temp_directory_path() / "torikumi-domain-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto store = store::OpenSqliteStore((dir_ / "torikumi.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    organizations_ = std::make_unique<Organizations>(*store_);
    plans_ = std::make_unique<Plans>(*store_);
    initiatives_ = std::make_unique<Initiatives>(*store_);
    rerating_ = std::make_unique<BoundedExecutor>("rerating", 2, 16);
    outcomes_ = std::make_unique<Outcomes>(*store_, *rerating_);
  }

  void TearDown() override {
    outcomes_.reset();
    rerating_.reset();
    initiatives_.reset();
    plans_.reset();
    organizations_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // organizations/city with a display name.
  std::string MakeOrganization(const std::string& id = "city") {
    v1::CreateOrganizationRequest request;
    request.set_organization_id(id);
    request.mutable_organization()->set_display_name("福島市");
    auto created = organizations_->Create(request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->organization().name() : "";
  }

  // A plan like the seed: H30–R4, areas 職員研修/組織文化/働きやすい環境, grades A/B/C.
  static v1::Plan SeedPlan() {
    v1::Plan plan;
    plan.set_title("人材育成推進プラン");
    plan.mutable_period()->set_first_fiscal_year(2018);
    plan.mutable_period()->set_last_fiscal_year(2022);
    plan.add_areas("職員研修");
    plan.add_areas("組織文化");
    plan.add_areas("働きやすい環境");
    for (const char* code : {"A", "B", "C"}) {
      v1::Grade* grade = plan.mutable_rating_scale()->add_grades();
      grade->set_code(code);
      grade->set_label(absl::StrCat("評価", code));
    }
    return plan;
  }

  absl::StatusOr<v1::Plan> CreatePlan(const std::string& parent, const v1::Plan& plan,
                                      const std::string& id = "") {
    v1::CreatePlanRequest request;
    request.set_parent(parent);
    *request.mutable_plan() = plan;
    request.set_plan_id(id);
    auto created = plans_->Create(request);
    if (!created.ok()) return created.status();
    return created->plan();
  }

  // An organization and a seed-like plan under it; returns the plan name.
  std::string MakePlan(const std::string& plan_id = "hr") {
    std::string organization = MakeOrganization();
    auto plan = CreatePlan(organization, SeedPlan(), plan_id);
    EXPECT_TRUE(plan.ok()) << plan.status();
    return plan.ok() ? plan->name() : "";
  }

  static v1::Initiative SimpleInitiative(const std::string& area, int number,
                                         const std::string& title) {
    v1::Initiative initiative;
    initiative.set_area(area);
    initiative.set_number(number);
    initiative.set_title(title);
    initiative.set_kind(v1::INITIATIVE_KIND_CONTINUING);
    return initiative;
  }

  absl::StatusOr<v1::Initiative> CreateInitiative(const std::string& plan,
                                                  const v1::Initiative& initiative,
                                                  const std::string& id = "") {
    v1::CreateInitiativeRequest request;
    request.set_parent(plan);
    *request.mutable_initiative() = initiative;
    request.set_initiative_id(id);
    auto created = initiatives_->Create(request);
    if (!created.ok()) return created.status();
    return created->initiative();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Organizations> organizations_;
  std::unique_ptr<Plans> plans_;
  std::unique_ptr<Initiatives> initiatives_;
  // Runs the re-ratings a write leaves to do after its commit (Outcomes::Upsert).
  std::unique_ptr<BoundedExecutor> rerating_;
  std::unique_ptr<Outcomes> outcomes_;
};

}  // namespace torikumi::domain::testing
