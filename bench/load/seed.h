// The data the load driver runs against: one organization with a `rules` rule set and
// `plans` plans of `initiatives_per_plan` initiatives, each with one outcome per fiscal
// year of a five-year period, written straight into a new database through the store (one
// ImportPlan per plan) before the server opens it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "torikumi/v1/evaluation.pb.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::bench {

inline constexpr char kSeedOrganization[] = "organizations/bench";
inline constexpr int kFirstYear = 2018;
inline constexpr int kLastYear = 2022;

struct SeedOptions {
  std::string db_path;
  std::string rule_set_body;
  int plans = 20;
  int initiatives_per_plan = 5000;
};

struct Seeded {
  // The plan names, in order.
  std::vector<std::string> plans;
  // The names of the first plan's initiatives.
  std::vector<std::string> first_plan_initiatives;
  int64_t initiatives = 0;
  // Sum of the serialized initiatives and outcomes as stored: the data itself.
  int64_t data_bytes = 0;
  // What the evaluator sees of the first plan, for the plugin-boundary floor.
  v1::EvaluateRequest first_plan_request;
};

// Substrings of three characters and more that occur in the seeded titles and texts.
const std::vector<std::string>& SearchTerms();

// An outcome of `initiative` for `fiscal_year` with text like the seed table's.
v1::Outcome MakeOutcome(const std::string& initiative, int fiscal_year, int variant);

absl::StatusOr<Seeded> SeedDatabase(const SeedOptions& options);

}  // namespace torikumi::bench
