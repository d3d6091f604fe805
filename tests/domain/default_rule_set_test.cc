// The shipped default rule set: created in the organization from its file when missing,
// named by every plan that names none (a plan that names one keeps it), and a second run
// changes nothing; a missing organization is skipped, an unreadable file fails.
#include "services/domain/default_rule_set.h"

#include "tests/domain/ratings_fixture.h"

namespace torikumi::domain::testing {
namespace {

class DomainDefaultRuleSetTest : public DomainRatingsTest {
 protected:
  absl::Status Ensure(const std::string& path, const std::string& organization = "city") {
    return EnsureDefaultRuleSet(*store_, *rule_sets_, *plans_, path, organization);
  }
  const std::string shipped_ = std::string(TORIKUMI_RULESETS_DIR) + "/abc-implementation.textproto";
  const std::string name_ = "organizations/city/ruleSets/abc-implementation";
};

TEST_F(DomainDefaultRuleSetTest, CreatedOnceAndNamedByThePlansThatNameNone) {
  const std::string seed = ImportSeed();
  auto other = CreatePlan("organizations/city", SeedPlan(), "other");
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(CreateRuleSet("mine", "rules { id: \"a\" grade: \"A\" }", seed).ok());
  UseRuleSet(other->name(), "organizations/city/ruleSets/mine");

  ASSERT_TRUE(Ensure(shipped_).ok());
  auto created = store_->GetRuleSet(name_, 0);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version(), 1);
  EXPECT_EQ(created->evaluator(), "rules");
  EXPECT_EQ(store_->GetPlan(seed)->rule_set(), name_);
  EXPECT_EQ(store_->GetPlan(other->name())->rule_set(), "organizations/city/ruleSets/mine");

  // Again: no second version, nothing changed.
  ASSERT_TRUE(Ensure(shipped_).ok());
  EXPECT_EQ(store_->GetRuleSet(name_, 0)->version(), 1);
  EXPECT_EQ(store_->GetPlan(seed)->rule_set(), name_);
}

TEST_F(DomainDefaultRuleSetTest, MissingOrganizationIsSkippedAndAnUnreadableFileFails) {
  EXPECT_TRUE(Ensure(shipped_, "nowhere").ok());
  EXPECT_EQ(
      store_->GetRuleSet("organizations/nowhere/ruleSets/abc-implementation", 0).status().code(),
      absl::StatusCode::kNotFound);
  ImportSeed();
  absl::Status missing = Ensure((dir_ / "missing.textproto").string());
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
  EXPECT_TRUE(absl::StrContains(missing.message(), "missing.textproto")) << missing;
}

}  // namespace
}  // namespace torikumi::domain::testing
