// The evidence extractor on short sentences, with the lexicon of the shipped rule set:
// year scope, negation through conjugation, extent, targets and zero figures. Most
// sentences here are in neither the seed nor the development set, to show that the
// grammar, not a phrase list, does the reading.
#include "claims.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "assessment.h"
#include "gtest/gtest.h"
#include "plugin_test_util.h"
#include "rule_set.h"
#include "tokenizer.h"

namespace torikumi::rules {
namespace {

class PluginClaimsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Violation> violations;
    rules_ = CompiledRuleSet::Compile(
        plugin_test::ReadFile(plugin_test::RuleSetPath("abc-implementation")), v1::RatingScale(),
        &violations);
    ASSERT_NE(rules_, nullptr);
    ASSERT_NE(rules_->lexicon(), nullptr);
    auto tokenizer = Tokenizer::Shared();
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.status();
    tokenizer_ = *tokenizer;
  }

  CellEvidence Read(const std::string& text, int fiscal_year = 0) {
    return ExtractEvidence(*rules_->lexicon(), *tokenizer_, text, fiscal_year);
  }
  // The single claim of a one-clause sentence.
  Claim One(const std::string& text) {
    CellEvidence cell = Read(text);
    EXPECT_EQ(cell.claims.size(), 1u) << text;
    return cell.claims.empty() ? Claim() : cell.claims[0];
  }

  std::unique_ptr<CompiledRuleSet> rules_;
  std::shared_ptr<Tokenizer> tokenizer_;
};

TEST_F(PluginClaimsTest, NegationIsReadFromTheConjugation) {
  for (const char* negated :
       {"説明会を開催しなかった。", "説明会は開催せず。", "説明会を開催できていない。",
        "説明会の開催には至らなかった。", "説明会を開催することができなかった。",
        "窓口の統合は未実施である。", "計画の策定は行われていない。"}) {
    Claim c = One(negated);
    EXPECT_TRUE(c.not_done) << negated;
  }
  for (const char* done : {"説明会を開催した。", "説明会を毎月開催している。",
                           "説明会の開催を行った。", "説明会を開催することができた。"}) {
    Claim c = One(done);
    EXPECT_FALSE(c.not_done) << done;
    EXPECT_EQ(c.phase, Phase::kImplement) << done;
  }
}

TEST_F(PluginClaimsTest, CancellingActionsAreNotDone) {
  EXPECT_TRUE(One("台風の接近により説明会を中止した。").not_done);
  EXPECT_TRUE(One("予算の都合で改修を見送った。").not_done);
  EXPECT_TRUE(One("応募がなく制度の導入を断念した。").not_done);
  EXPECT_TRUE(One("未着手").not_done);  // a per-year cell of a single word
  Claim finished = One("導入済み");
  EXPECT_FALSE(finished.not_done);
  EXPECT_EQ(finished.phase, Phase::kImplement);
  EXPECT_TRUE(Read("研修の受講者数").claims.empty());  // 受講者: a compound noun, no action
  // 未実施 inside a relative clause is not the predicate: the head action decides.
  Claim c = One("これまで未実施だった研修を令和2年度に全職員に実施した。");
  EXPECT_FALSE(c.not_done);
  EXPECT_EQ(c.scope.years, std::set<int>{2020});
}

TEST_F(PluginClaimsTest, YearScopes) {
  CellEvidence cell = Read("令和3年度は台風のため中止したが、その他の年度は予定どおり開催した。");
  ASSERT_EQ(cell.claims.size(), 2u);
  EXPECT_TRUE(cell.claims[0].not_done);
  EXPECT_EQ(cell.claims[0].scope.kind, YearScope::Kind::kYears);
  EXPECT_EQ(cell.claims[0].scope.years, std::set<int>{2021});
  EXPECT_FALSE(cell.claims[1].not_done);
  EXPECT_EQ(cell.claims[1].scope.kind, YearScope::Kind::kOthers);

  Claim from = One("令和4年度から本格運用を開始した。");
  EXPECT_EQ(from.scope.kind, YearScope::Kind::kFrom);
  EXPECT_EQ(from.scope.years, std::set<int>{2022});
  EXPECT_EQ(One("毎年度、点検を実施した。").scope.kind, YearScope::Kind::kEvery);
  EXPECT_EQ(One("令和元年度及び令和3年度は研修を中止した。").scope.years,
            (std::set<int>{2019, 2021}));
  EXPECT_EQ(One("平成30～令和2年度に試行した。").scope.years, (std::set<int>{2018, 2019, 2020}));
  // A date in the first quarter of a calendar year belongs to the fiscal year before it.
  EXPECT_EQ(One("令和4年2月現在も検討中である。").scope.years, std::set<int>{2021});
}

TEST_F(PluginClaimsTest, StillAtAStage) {
  Claim c = One("令和5年10月現在も検討中である。");
  EXPECT_EQ(c.phase, Phase::kConsider);
  EXPECT_TRUE(c.ongoing);
  EXPECT_FALSE(c.not_done);
  EXPECT_TRUE(One("電子申請は試行にとどまっている。").ongoing);
  // Aimed at is not done: the action before 向けて / 予定 is dropped.
  EXPECT_TRUE(Read("新制度の導入を予定している。").claims.empty());
}

TEST_F(PluginClaimsTest, Extent) {
  Claim part = One("対象8校のうち5校で導入した。");
  EXPECT_EQ(part.extent_done, 5);
  EXPECT_EQ(part.extent_total, 8);
  EXPECT_TRUE(part.partial);
  Claim all = One("対象4課のうち4課で導入した。");
  EXPECT_FALSE(all.partial);
  Claim some = One("一部の支所では開催できなかった。");
  EXPECT_TRUE(some.partial);
  EXPECT_TRUE(some.not_done);
}

TEST_F(PluginClaimsTest, TargetsAndZeroFigures) {
  CellEvidence missed = Read("目標120件以上に対し実績98件", 2021);
  ASSERT_EQ(missed.targets.size(), 1u);
  EXPECT_EQ(missed.targets[0].target, 120);
  EXPECT_EQ(missed.targets[0].actual, 98);
  EXPECT_FALSE(missed.targets[0].Met());
  CellEvidence upper = Read("残業時間 目標 3,000時間以内に対し実績 2,850時間", 2021);
  ASSERT_EQ(upper.targets.size(), 1u);
  EXPECT_TRUE(upper.targets[0].upper_bound);
  EXPECT_TRUE(upper.targets[0].Met());
  CellEvidence zero = Read("相談会 0回(12月末現在)", 2022);
  EXPECT_EQ(zero.figures, std::vector<double>{0});  // 12月 is a date, not a figure
  EXPECT_TRUE(zero.targets.empty());
}

TEST_F(PluginClaimsTest, AchievedAgainstPlannedPerYear) {
  PlanYears plan{2019, 2023, 0, {}};
  for (int y = 2019; y <= 2023; ++y) plan.schedule[y] = Phase::kImplement;
  std::vector<CellEvidence> cells = {
      Read("令和3年度は機器の故障により休止したが、その他の年度は予定どおり運行した。")};
  Assessment a = Assess(plan, cells);
  EXPECT_EQ(a.years_not_done, 1);
  EXPECT_FALSE(a.nothing_done);
  EXPECT_NE(a.Render(*rules_->lexicon()).find("令和3年度: 休止（未実施）"), std::string::npos)
      << a.Render(*rules_->lexicon());

  std::vector<CellEvidence> zeros;
  for (int y = 2019; y <= 2023; ++y) zeros.push_back(Read("0件", y));
  Assessment none = Assess(plan, zeros);
  EXPECT_EQ(none.years_zero, 5);
  EXPECT_TRUE(none.nothing_done);
}

// What a reading says, field by field, so that two readings can be compared.
std::string Describe(const CellEvidence& cell) {
  std::string out = absl::StrCat("year ", cell.fiscal_year, " text ", cell.text, " figures ",
                                 absl::StrJoin(cell.figures, ","), " participants_only ",
                                 cell.participants_only, " targets ", cell.targets.size());
  for (const TargetFigure& t : cell.targets)
    absl::StrAppend(&out, " [", t.target, " ", t.actual, " ", t.upper_bound, "]");
  for (const Claim& c : cell.claims) {
    absl::StrAppend(&out, "\n", c.clause, " scope ", static_cast<int>(c.scope.kind), ":",
                    absl::StrJoin(c.scope.years, ","), " action ", c.action, " phase ",
                    static_cast<int>(c.phase), " flags ", c.not_done, c.generic, c.ongoing,
                    c.attempted, c.conceded, c.target_missed, c.partial, " extent ", c.extent_done,
                    "/", c.extent_total);
  }
  return out;
}

// One reader for a batch reads each distinct text once, in one lattice: every cell is read
// as ExtractEvidence reads it alone, with its own year, whichever text came before it.
TEST_F(PluginClaimsTest, AReaderOfManyCellsReadsEachAsExtractEvidenceDoes) {
  const std::vector<std::pair<std::string, int>> cells = {
      {"令和3年度は台風のため中止したが、その他の年度は予定どおり開催した。", 2021},
      {"目標120件以上に対し実績98件", 2021},
      {"令和3年度は台風のため中止したが、その他の年度は予定どおり開催した。", 2022},
      {"対象8校のうち5校で導入した。", 2020},
      {"", 2019},
      {"目標120件以上に対し実績98件", 0},
      {"受講者数 320人（目標500人）", 2023},
  };
  EvidenceReader reader(*rules_->lexicon(), *tokenizer_);
  for (const auto& [text, year] : cells) {
    CellEvidence together = reader.Read(text, year);
    EXPECT_EQ(together.fiscal_year, year);
    EXPECT_EQ(Describe(together), Describe(Read(text, year))) << text;
  }
}

// Readings kept by one request serve the next one's reader as if it had read the text itself
// (its own year included), and the cache holds no more texts than its capacity.
TEST_F(PluginClaimsTest, ReadingsKeptFromOneRequestServeTheNextAsIfReadAnew) {
  const std::string a = "対象8校のうち5校で導入した。";
  const std::string b = "目標120件以上に対し実績98件";
  const std::string c = "説明会を開催しなかった。";
  ReadingCache kept(2);
  {
    EvidenceReader first(*rules_->lexicon(), *tokenizer_, &kept);
    first.Read(a, 2020);
    first.Read(b, 2021);
  }
  ASSERT_TRUE(kept.Find(a).has_value());
  ASSERT_TRUE(kept.Find(b).has_value());
  EvidenceReader second(*rules_->lexicon(), *tokenizer_, &kept);
  CellEvidence again = second.Read(a, 2022);
  EXPECT_EQ(again.fiscal_year, 2022);
  EXPECT_EQ(Describe(again), Describe(Read(a, 2022)));
  // A third text does not fit: the cache is emptied before it is kept.
  EXPECT_EQ(Describe(second.Read(c, 2019)), Describe(Read(c, 2019)));
  EXPECT_FALSE(kept.Find(a).has_value());
  EXPECT_FALSE(kept.Find(b).has_value());
  EXPECT_TRUE(kept.Find(c).has_value());
}

// Tokens are views into the text and the dictionary, not into the lattice: a parse in the
// same lattice leaves the tokens of the text before it as they were.
TEST_F(PluginClaimsTest, TokensOutliveTheNextParseInTheirLattice) {
  Tokenizer::Lattice lattice = tokenizer_->NewLattice();
  const std::string first = "説明会を開催しなかった。";
  const std::vector<Token> tokens = tokenizer_->Tokenize(first, lattice);
  ASSERT_FALSE(tokens.empty());
  std::vector<std::string> before;
  for (const Token& t : tokens) before.push_back(absl::StrCat(t.surface, "/", t.base, "/", t.pos));
  EXPECT_FALSE(tokenizer_->Tokenize("令和3年度は研修を中止した。", lattice).empty());
  for (size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(absl::StrCat(tokens[i].surface, "/", tokens[i].base, "/", tokens[i].pos), before[i]);
  }
  EXPECT_EQ(tokens[0].surface.data(), first.data()) << "a surface is a view into the text";
  EXPECT_EQ(tokens[0].pos, "名詞");
}

TEST(PluginTokenizerTest, AMissingDictionaryIsAClearError) {
  absl::StatusOr<std::string> dir = FindDictionary({"/nonexistent/mecab-dic"});
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(dir.status().message().find("/nonexistent/mecab-dic"), std::string::npos);
  EXPECT_NE(dir.status().message().find("mecab-ipadic-utf8"), std::string::npos);
  EXPECT_TRUE(FindDictionary({"/nonexistent/mecab-dic", "/var/lib/mecab/dic/ipadic-utf8"}).ok());
}

// Odd and truncated input is read without a crash and without inventing claims.
TEST_F(PluginClaimsTest, OddInputIsReadSafely) {
  for (const char* text : {"",
                           "。",
                           "、、、",
                           "令和",
                           "令和～",
                           "令和元～",
                           "令和2・",
                           "平成30～令和",
                           "目標",
                           "目標 5",
                           "のうち3",
                           "5のうち",
                           "99999999999999999999999回",
                           "0",
                           "(",
                           ")。",
                           "未",
                           "ない",
                           "中止中止中止",
                           "令和1000～令和2年度に実施した。"}) {
    CellEvidence cell = Read(text, 2020);
    for (const Claim& c : cell.claims) EXPECT_LE(c.scope.years.size(), 50u) << text;
  }
  EXPECT_TRUE(Read("", 2020).claims.empty());
  EXPECT_TRUE(Read("、、、", 0).figures.empty());
}

// Whole outcome texts in styles the seed and the development set do not use, set against
// a schedule: the grade-deciding facts come out as the legend reads them.
TEST_F(PluginClaimsTest, UnseenStylesAgainstTheSchedule) {
  PlanYears plan{2019, 2023, 0, {}};
  plan.schedule = {{2019, Phase::kConsider},
                   {2020, Phase::kImplement},
                   {2021, Phase::kImplement},
                   {2022, Phase::kImplement},
                   {2023, Phase::kImplement}};
  auto assess = [&](const std::string& text) { return Assess(plan, {Read(text)}); };
  // Nothing of the schedule: studied, then given up before starting (C).
  Assessment given_up = assess("導入について検討したが、費用面の課題から実施には至らなかった。");
  EXPECT_TRUE(given_up.nothing_done) << given_up.Render(*rules_->lexicon());
  // Started, then stopped in later years (B): not nothing, some years not done.
  Assessment stopped = assess("令和2年度から開始したが、令和4年度以降は休止している。");
  EXPECT_FALSE(stopped.nothing_done);
  EXPECT_EQ(stopped.years_not_done, 2) << stopped.Render(*rules_->lexicon());
  // Two years postponed, the rest held (B).
  Assessment postponed =
      assess("令和2年度及び令和3年度は開催を見合わせたが、それ以外の年度は開催した。");
  EXPECT_EQ(postponed.years_not_done, 2) << postponed.Render(*rules_->lexicon());
  EXPECT_FALSE(postponed.nothing_done);
  // Still at trial when implementation was due (B, not C).
  Assessment trial =
      assess("令和元年度に検討し、令和2年度から試行を続けているが、本格実施には至っていない。");
  EXPECT_FALSE(trial.nothing_done);
  EXPECT_GE(trial.years_below_plan + trial.parts_not_done, 1) << trial.Render(*rules_->lexicon());
  // Done as scheduled (A): nothing short.
  Assessment done = assess("令和元年度に方針を検討し、令和2年度から毎年度実施している。");
  EXPECT_EQ(done.years_not_done + done.years_partly + done.parts_not_done, 0)
      << done.Render(*rules_->lexicon());
  EXPECT_FALSE(done.nothing_done);
}

// A target in brackets beside the figure it is set for (実績（目標）) is compared with
// that figure, whatever is counted, when the units agree.
TEST_F(PluginClaimsTest, BracketedTargetsAreSetBesideTheirActual) {
  CellEvidence people = Read("講演会の参加者 320人（目標500人）", 2021);
  ASSERT_EQ(people.targets.size(), 1u);
  EXPECT_EQ(people.targets[0].target, 500);
  EXPECT_EQ(people.targets[0].actual, 320);
  EXPECT_FALSE(people.targets[0].Met());
  EXPECT_TRUE(people.figures.empty());  // the actual is no longer a plain figure
  CellEvidence rate = Read("相談窓口の利用率は62.5%(目標60%)であった。", 2022);
  ASSERT_EQ(rate.targets.size(), 1u);
  EXPECT_EQ(rate.targets[0].actual, 62.5);
  EXPECT_TRUE(rate.targets[0].Met());
  CellEvidence bound = Read("待機児童 12人（目標10人以下）", 2022);
  ASSERT_EQ(bound.targets.size(), 1u);
  EXPECT_TRUE(bound.targets[0].upper_bound);
  EXPECT_FALSE(bound.targets[0].Met());
  // A bracket without a target, or a target counting something else, is no comparison.
  CellEvidence previous = Read("回収率 81%（前年度 77%）", 2022);
  EXPECT_TRUE(previous.targets.empty());
  EXPECT_EQ(previous.figures, (std::vector<double>{81, 77}));
  CellEvidence other_unit = Read("講座 12回（目標受講者300人）", 2022);
  EXPECT_TRUE(other_unit.targets.empty());
  EXPECT_EQ(other_unit.figures, std::vector<double>{12});
}

// A clause saying a target was or was not reached is read through the grammar: the verb
// said of the target, negated by a conjugation or a prefix.
TEST_F(PluginClaimsTest, AMissedTargetIsReadFromTheConjugation) {
  for (const char* missed :
       {"利用者数は目標に達しなかった。", "申込件数は目標値に届いていない。",
        "回収率は目標を大きく下回った。", "年間目標は未達成となった。", "登録者数が目標に達せず。",
        "会員数の目標を達成することができなかった。"}) {
    Claim c = One(missed);
    EXPECT_TRUE(c.target_missed) << missed;
    EXPECT_FALSE(c.not_done) << missed;  // a statement about the target, not the work
  }
  for (const char* met :
       {"利用者数は目標を上回った。", "年間目標を達成した。", "申込件数は目標を下回らなかった。"}) {
    CellEvidence cell = Read(met);
    for (const Claim& c : cell.claims) EXPECT_FALSE(c.target_missed) << met;
  }
  EXPECT_FALSE(One("新たな目標を設定した。").target_missed);  // a target, not said missed
}

// Missed targets, bracketed or stated, make those years partly done (B), never not done.
TEST_F(PluginClaimsTest, MissedTargetsAgainstTheSchedule) {
  PlanYears plan{2020, 2022, 0, {}};
  for (int y = 2020; y <= 2022; ++y) plan.schedule[y] = Phase::kImplement;
  Assessment yearly = Assess(
      plan, {Read("受講者 410人（目標400人）", 2020), Read("受講者 380人（目標420人）", 2021),
             Read("講座は開いたが、受講者は目標に届かなかった。", 2022)});
  EXPECT_EQ(yearly.years_target_missed, 2) << yearly.Render(*rules_->lexicon());
  EXPECT_EQ(yearly.years_partly, 2);
  EXPECT_EQ(yearly.years_done, 1);
  EXPECT_FALSE(yearly.nothing_done);
  EXPECT_NE(yearly.Render(*rules_->lexicon()).find("目標未達"), std::string::npos);
  // In a period cell, the year named carries the shortfall.
  Assessment scoped =
      Assess(plan, {Read("毎年度開催したが、令和3年度は参加者数が目標に達しなかった。")});
  EXPECT_EQ(scoped.years_target_missed, 1) << scoped.Render(*rules_->lexicon());
  EXPECT_EQ(scoped.years_not_done, 0);
}

// A not-done statement counts only against a phase the schedule set for those years:
// study-only or consider-only schedules are kept when implementation did not follow.
TEST_F(PluginClaimsTest, NotDoneBeyondThePlanDoesNotCount) {
  PlanYears study{2020, 2023, 0, {}};
  for (int y = 2020; y <= 2023; ++y) study.schedule[y] = Phase::kConsider;
  Assessment period =
      Assess(study, {Read("近隣自治体の事例を調べ、制度の導入について検討した。財源の確保が難しく、"
                          "実施には至っていない。")});
  EXPECT_EQ(period.parts_not_done + period.years_not_done + period.years_partly, 0)
      << period.Render(*rules_->lexicon());
  EXPECT_FALSE(period.nothing_done);
  // A study conceded to it (検討したが、導入には至らなかった) is what was planned.
  Assessment conceded =
      Assess(study, {Read("運用方法を協議したが、本格的な運用までには至らなかった。")});
  EXPECT_FALSE(conceded.nothing_done) << conceded.Render(*rules_->lexicon());
  EXPECT_GE(conceded.done_evidence, 1);
  EXPECT_EQ(conceded.parts_not_done, 0);

  // Per year: the consider year is not judged on implementation; the implement year is.
  PlanYears staged{2020, 2022, 0, {}};
  staged.schedule = {
      {2020, Phase::kConsider}, {2021, Phase::kImplement}, {2022, Phase::kImplement}};
  Assessment kept =
      Assess(staged, {Read("庁内で運用方法を協議した。運用はまだ行っていない。", 2020),
                      Read("運用を開始した。", 2021), Read("運用した。", 2022)});
  EXPECT_EQ(kept.years_not_done + kept.years_partly, 0) << kept.Render(*rules_->lexicon());
  Assessment missed =
      Assess(staged, {Read("運用方法を協議した。", 2020), Read("運用は開始できなかった。", 2021),
                      Read("運用した。", 2022)});
  EXPECT_EQ(missed.years_not_done, 1) << missed.Render(*rules_->lexicon());
  // Alone, with nothing said of the study, it says the work did not go ahead.
  Assessment alone = Assess(study, {Read("人員の確保が難しく、制度の導入は見送った。")});
  EXPECT_TRUE(alone.nothing_done) << alone.Render(*rules_->lexicon());
  // Without a schedule every phase counts.
  Assessment unscheduled =
      Assess(PlanYears{2020, 2022, 0, {}}, {Read("システムの導入には至らなかった。")});
  EXPECT_TRUE(unscheduled.nothing_done) << unscheduled.Render(*rules_->lexicon());
}

TEST_F(PluginClaimsTest, AnAsideOutsideTheInitiativeIsNotEvidence) {
  // The aside names what lies outside (対象外); its 未実施 is not the initiative's.
  CellEvidence cell = Read(
      "市道の舗装補修を全区間で完了した。なお、県道は本事業の対象外であり、一部区間で補修が"
      "実施されていない。");
  ASSERT_EQ(cell.claims.size(), 1u) << cell.claims.back().clause;
  EXPECT_FALSE(cell.claims[0].not_done);
  // The next sentence is evidence again.
  CellEvidence next = Read("私道は補助の対象外である。説明会は開催しなかった。");
  ASSERT_EQ(next.claims.size(), 1u);
  EXPECT_TRUE(next.claims[0].not_done);
}

TEST_F(PluginClaimsTest, AnIntentionIsNotAnAction) {
  for (const char* planned :
       {"相談窓口の新設を予定していたが、", "令和元年度中の条例制定を目指したが、"}) {
    CellEvidence cell = Read(planned);
    for (const Claim& c : cell.claims) EXPECT_TRUE(c.not_done) << planned << c.clause;
  }
}

TEST_F(PluginClaimsTest, NothingOfTheInitiativeWasDone) {
  PlanYears plan{2019, 2023, 0, {}};
  for (int y = 2019; y <= 2023; ++y) plan.schedule[y] = Phase::kImplement;
  auto assess = [&](const PlanYears& p, const std::string& text) {
    return Assess(p, {Read(text)});
  };
  // Planned, then its object never came about: nothing done (C), not a part (B).
  Assessment intended =
      assess(plan,
             "令和元年度からの相談窓口の新設を予定していたが、人員を確保できず、窓口の新設は実現"
             "していない。");
  EXPECT_TRUE(intended.nothing_done) << intended.Render(*rules_->lexicon());
  Assessment aimed = assess(
      plan, "令和元年度中の条例制定を目指したが、関係団体との調整が整わず、制定には至っていない。");
  EXPECT_TRUE(aimed.nothing_done) << aimed.Render(*rules_->lexicon());
  // A study folded into the negation (基礎調査を含め): not a study done.
  PlanYears staged = plan;
  staged.schedule[2019] = staged.schedule[2020] = Phase::kResearch;
  Assessment unstarted =
      assess(staged, "担い手が見つからず、基礎調査を含め、事業に着手できていない。");
  EXPECT_TRUE(unstarted.nothing_done) << unstarted.Render(*rules_->lexicon());
  // Included in what was done, the study still counts as done.
  Assessment included = assess(staged, "基礎調査を含め、事業を予定どおり実施した。");
  EXPECT_FALSE(included.nothing_done);
  EXPECT_GE(included.done_evidence, 1);
}

TEST_F(PluginClaimsTest, AFullWidthPercentageIsOneFigure) {
  CellEvidence cell = Read("参加者数 達成率８０％", 2021);
  EXPECT_EQ(cell.figures, std::vector<double>{80});
}

}  // namespace
}  // namespace torikumi::rules
