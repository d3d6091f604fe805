// The SQLite store's stored form of a computed rating (services/store/sqlite/stored_rating.h):
// smaller than the ComputedRating, and given back exactly.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/store/sqlite/stored_rating.h"
#include "torikumi/storage/v1/stored_rating.pb.h"

namespace torikumi::store::sqlite {
namespace {

constexpr absl::string_view kInitiative =
    "organizations/city/plans/hr-plan/initiatives/11111111-2222-3333-4444-555555555555";
constexpr absl::string_view kRuleSet = "organizations/city/ruleSets/abc-implementation";

v1::ComputedRating Decided() {
  v1::ComputedRating rating;
  rating.set_initiative(std::string(kInitiative));
  rating.set_grade("A");
  rating.set_evaluator("rules");
  rating.set_evaluator_version("1.0.0");
  rating.set_rule_set(std::string(kRuleSet));
  rating.set_rule_set_version(2);
  rating.add_fired_rules("all-done");
  v1::UsedFact* fact = rating.add_facts();
  fact->set_name("fy2019.status");
  fact->set_value("計画どおり実施した（研修を年４回開催）");
  rating.set_reason("2019年度: 計画どおり実施した（研修を年４回開催）→ A");
  rating.set_input_sha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  rating.mutable_compute_time()->set_seconds(1764633600);
  rating.mutable_compute_time()->set_nanos(1);
  rating.set_trigger("import");
  return rating;
}

TEST(StoreSqliteStoredRating, LeavesOutWhatTheRowGivesAndTheQuotedEvidence) {
  const v1::ComputedRating rating = Decided();
  const std::string stored = StoredRatingBody(rating);
  // The names (the row gives them), the quoted fact value and half the hash are gone.
  const size_t left_out =
      kInitiative.size() + kRuleSet.size() + rating.facts(0).value().size() + 32;
  EXPECT_LE(stored.size() + left_out, rating.ByteSizeLong());
  EXPECT_FALSE(absl::StrContains(stored, kRuleSet));

  absl::StatusOr<v1::ComputedRating> restored = RestoreRating(stored, kInitiative, kRuleSet, "x");
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->SerializeAsString(), rating.SerializeAsString());
}

TEST(StoreSqliteStoredRating, AReferenceToAMissingFactIsADamagedBody) {
  torikumi::storage::v1::StoredRating stored;
  stored.set_reason_template("see \x01\x25");  // facts[5], of none
  absl::StatusOr<v1::ComputedRating> restored =
      RestoreRating(stored.SerializeAsString(), kInitiative, kRuleSet, "ratings/7");
  EXPECT_EQ(restored.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(absl::StrContains(restored.status().message(), "ratings/7"));
}

}  // namespace
}  // namespace torikumi::store::sqlite
