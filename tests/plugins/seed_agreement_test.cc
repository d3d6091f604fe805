// The acceptance figures of the evaluator plugins: the seed table and the development set
// (testdata/), read with the table reader and evaluated through the real rules.so with the
// one shipped abc-implementation rule set, agree with the human ratings on at least 60 of
// 64 and 33 of 36 initiatives, and every computed rating has a reason that names the year
// and the clause that decided it.
#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"
#include "rules_evaluator.h"
#include "services/evaluators/evaluator_host.h"
#include "services/table/table_reader.h"

namespace torikumi::evaluators {
namespace {

using plugin_test::BuiltPlugin;
using plugin_test::TempDir;

struct TableRequest {
  v1::EvaluateRequest request;
  std::map<std::string, std::string> human;  // initiative name → human grade
  std::map<std::string, std::string> label;  // initiative name → "職員研修 3 title"
  std::map<std::string, std::string> key;    // initiative name → "職員研修\t3"
  std::map<std::string, std::string> texts;  // initiative name → all outcome texts
};

void AddSubject(const table::ImportedInitiative& imported, size_t i, TableRequest* out) {
  v1::EvaluateRequest& r = out->request;
  v1::EvaluationSubject* s = r.add_subjects();
  *s->mutable_initiative() = imported.initiative;
  const std::string name = absl::StrCat("organizations/t/plans/p/initiatives/i", i + 1);
  s->mutable_initiative()->set_name(name);
  if (imported.relists.has_value()) {
    s->mutable_initiative()->set_relists("organizations/t/plans/p/initiatives/original");
    s->add_markers("再掲");
  }
  for (const auto& outcome : imported.outcomes) {
    *s->add_outcomes() = outcome;
    out->texts[name] += outcome.text();
    // The as-of date of the table (R4（～8月）) is the latest one its outcomes carry.
    if (outcome.as_of().year() * 10000 + outcome.as_of().month() * 100 + outcome.as_of().day() >
        r.as_of().year() * 10000 + r.as_of().month() * 100 + r.as_of().day()) {
      *r.mutable_as_of() = outcome.as_of();
    }
  }
  if (!imported.initiative.human_rating().grade().empty())
    out->human[name] = imported.initiative.human_rating().grade();
  const v1::Initiative& in = imported.initiative;
  out->label[name] = absl::StrCat(in.area(), " ", in.number(), " ", in.title());
  out->key[name] = absl::StrCat(in.area(), "\t", in.number());
}

TableRequest TableAsRequest(const std::string& path) {
  TableRequest out;
  absl::StatusOr<table::ParsedTable> table = table::ReadTable(plugin_test::ReadFile(path));
  EXPECT_TRUE(table.ok()) << table.status();
  if (!table.ok()) return out;
  *out.request.mutable_rating_scale() = table->plan.rating_scale();
  *out.request.mutable_period() = table->plan.period();
  for (size_t i = 0; i < table->initiatives.size(); ++i) AddSubject(table->initiatives[i], i, &out);
  return out;
}

// expected.tsv: area, number, expected grade (A/B/C/INSUFFICIENT), why.
std::map<std::string, std::string> ExpectedGrades() {
  std::map<std::string, std::string> out;
  const std::string text = plugin_test::ReadFile(TORIKUMI_DEVSET_DIR "/expected.tsv");
  bool header = true;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> cells = absl::StrSplit(line, '\t');
    if (header || cells.size() < 3) {
      header = false;
      continue;
    }
    out[absl::StrCat(cells[0], "\t", cells[1])] =
        cells[2] == "INSUFFICIENT" ? "insufficient data" : cells[2];
  }
  return out;
}

std::string Computed(const v1::InitiativeEvaluation& e) {
  return e.has_insufficient_data() ? "insufficient data" : e.grade();
}

// Evaluates through the real plugin; checks the direct core call answers the same.
v1::EvaluateResponse EvaluateShipped(const v1::EvaluateRequest& request) {
  TempDir dir;
  dir.Add(BuiltPlugin("rules"), "rules.so");
  EvaluatorHost host({.plugins_dir = dir.path()});
  EXPECT_TRUE(host.Reload().ok());
  const std::string body = plugin_test::ReadFile(plugin_test::RuleSetPath("abc-implementation"));
  EXPECT_TRUE(host.ValidateRuleSet("rules", body, request.rating_scale()).ok());
  auto rules = host.Compile("rules", body);
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return {};
  auto response = host.Evaluate(*rules, request);
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return {};
  auto direct = rules::RulesEvaluator::Create(body);
  EXPECT_TRUE(direct.ok()) << direct.status();
  v1::EvaluateResponse direct_response;
  EXPECT_TRUE((*direct)->Evaluate(request, &direct_response).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(direct_response, *response));
  return *std::move(response);
}

// Counts agreement with `expected` (name → grade); disagreements go to *report.
int Agreement(const TableRequest& table, const v1::EvaluateResponse& response,
              const std::map<std::string, std::string>& expected, std::string* report) {
  int agree = 0;
  for (const auto& e : response.evaluations()) {
    EXPECT_FALSE(e.reason().empty()) << table.label.at(e.initiative());
    EXPECT_EQ(e.fired_rules_size(), 1) << table.label.at(e.initiative());
    auto want = expected.find(e.initiative());
    if (want == expected.end()) continue;
    if (Computed(e) == want->second) {
      ++agree;
    } else {
      absl::StrAppend(report, "\n  ", table.label.at(e.initiative()), ": expected ", want->second,
                      ", computed ", Computed(e), " (", e.fired_rules(0), ": ", e.reason(), ")");
    }
  }
  return agree;
}

TEST(PluginSeedAgreementTest, AbcImplementationAgreesWithTheHumanRatings) {
  TableRequest seed = TableAsRequest(TORIKUMI_SEED_TSV);
  ASSERT_EQ(seed.human.size(), 64u);
  EXPECT_EQ(seed.request.as_of().year(), 2022);
  EXPECT_EQ(seed.request.as_of().month(), 8);
  v1::EvaluateResponse response = EvaluateShipped(seed.request);
  ASSERT_EQ(response.evaluations_size(), seed.request.subjects_size());
  std::string disagreements;
  const int agree = Agreement(seed, response, seed.human, &disagreements);
  EXPECT_GE(agree, 60) << "agreement " << agree << "/64; disagreements:" << disagreements;
  // Printed for the record (README): which ratings differ and why.
  std::cout << "abc-implementation vs human ratings: " << agree << "/64 agree" << disagreements
            << "\n";
}

TEST(PluginSeedAgreementTest, AbcImplementationAgreesWithTheDevelopmentSet) {
  TableRequest devset = TableAsRequest(TORIKUMI_DEVSET_DIR "/plan-h31-r5-gyokaku.tsv");
  const std::map<std::string, std::string> by_key = ExpectedGrades();
  ASSERT_EQ(by_key.size(), 36u);
  std::map<std::string, std::string> expected;
  for (const auto& [name, key] : devset.key) {
    auto it = by_key.find(key);
    if (it != by_key.end()) expected[name] = it->second;
  }
  ASSERT_EQ(expected.size(), 36u);
  v1::EvaluateResponse response = EvaluateShipped(devset.request);
  ASSERT_EQ(response.evaluations_size(), 36);
  std::string disagreements;
  const int agree = Agreement(devset, response, expected, &disagreements);
  EXPECT_GE(agree, 33) << "agreement " << agree << "/36; disagreements:" << disagreements;
  std::cout << "abc-implementation vs development set: " << agree << "/36 agree" << disagreements
            << "\n";
}

// A person can check a computed rating against the table: its reason names a year (or
// the plan's period) and quotes a clause or figure of that initiative's outcome text.
TEST(PluginSeedAgreementTest, DevelopmentSetReasonsNameTheDecidingClauseAndYear) {
  TableRequest devset = TableAsRequest(TORIKUMI_DEVSET_DIR "/plan-h31-r5-gyokaku.tsv");
  v1::EvaluateResponse response = EvaluateShipped(devset.request);
  ASSERT_EQ(response.evaluations_size(), 36);
  for (const auto& e : response.evaluations()) {
    if (e.has_insufficient_data()) continue;
    const std::string& label = devset.label.at(e.initiative());
    EXPECT_TRUE(absl::StrContains(e.reason(), "年度")) << label << ": " << e.reason();
    const size_t open = e.reason().find("「");
    const size_t close = e.reason().find("」", open);
    ASSERT_NE(open, std::string::npos) << label << ": no quoted clause in " << e.reason();
    ASSERT_NE(close, std::string::npos) << label << ": " << e.reason();
    std::string quoted = e.reason().substr(open + 3, close - open - 3);
    if (absl::EndsWith(quoted, "…")) quoted.resize(quoted.size() - 3);
    // The clause is quoted as written, so it is found in the outcome text (figures of a
    // per-year cell: in that cell's text, brackets shown full-width).
    std::string text = devset.texts.at(e.initiative());
    EXPECT_TRUE(absl::StrContains(text, quoted) ||
                absl::StrContains(absl::StrReplaceAll(text, {{"(", "（"}, {")", "）"}}), quoted))
        << label << ": 「" << quoted << "」 is not in its outcome text";
    bool names_evidence = false;
    for (const auto& f : e.facts()) names_evidence |= f.name() == "evidence" && !f.value().empty();
    EXPECT_TRUE(names_evidence) << label;
  }
}

}  // namespace
}  // namespace torikumi::evaluators
