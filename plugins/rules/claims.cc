#include "claims.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace torikumi::rules {
namespace {

using Tokens = std::vector<Token>;

// The digits of a token in ASCII (outcome text may keep full-width digits: ２８手続),
// or "" when it is not all digits.
std::string Digits(absl::string_view s) {
  std::string out;
  while (!s.empty()) {
    if (absl::ascii_isdigit(s[0])) {
      out.push_back(s[0]);
      s.remove_prefix(1);
    } else if (s.size() >= 3 && s.substr(0, 2) == "\xEF\xBC" &&
               static_cast<unsigned char>(s[2]) >= 0x90 &&
               static_cast<unsigned char>(s[2]) <= 0x99) {
      out.push_back(static_cast<char>('0' + (static_cast<unsigned char>(s[2]) - 0x90)));  // ０-９
      s.remove_prefix(3);
    } else {
      return "";
    }
  }
  return out;
}

bool IsSeparator(absl::string_view s, bool* decimal) {
  *decimal = s == "." || s == "．";
  return *decimal || s == "," || s == "，";
}

// Length (in tokens, 1–4) of a lexicon word starting at token i: a base form, or the
// surfaces of consecutive tokens spelled together (その他+の+年度). 0 if none.
int WordAt(const Tokens& t, size_t i, const Lexicon::Words& words) {
  if (words.count(t[i].base) > 0) return 1;
  // Every join below begins as the surface does.
  if (!t[i].surface.empty() && !words.MayStartWith(t[i].surface)) return 0;
  if (words.count(t[i].surface) > 0) return 1;
  std::string joined(t[i].surface);
  for (size_t k = i + 1; k < t.size() && k < i + 4; ++k) {
    joined.append(t[k].surface.data(), t[k].surface.size());
    // No word is longer, so none can match this or any longer join.
    if (joined.size() > words.max_bytes()) return 0;
    if (words.count(joined) > 0) return static_cast<int>(k - i + 1);
  }
  return 0;
}

bool Contains(const Tokens& t, const Lexicon::Words& words) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (WordAt(t, i, words) > 0) return true;
  }
  return false;
}

// A number written in digits at token i (MeCab splits 51,360 into 51 , 360). Sets *end
// to the token after it.
bool NumberAt(const Tokens& t, size_t i, size_t* end, double* value) {
  std::string digits = Digits(t[i].surface);
  if (digits.empty()) return false;
  size_t j = i + 1;
  // MeCab may split a run of digits (８０％ → ８ ０ ％): a digit token right after another
  // continues the number.
  while (j < t.size() && t[j].offset == t[j - 1].offset + t[j - 1].surface.size() &&
         !Digits(t[j].surface).empty())
    digits += Digits(t[j++].surface);
  bool decimal = false;
  while (j + 1 < t.size() && IsSeparator(t[j].surface, &decimal) &&
         !Digits(t[j + 1].surface).empty()) {
    if (decimal) digits += ".";
    digits += Digits(t[j + 1].surface);
    j += 2;
  }
  *end = j;
  *value = std::strtod(digits.c_str(), nullptr);
  return true;
}

// 令和2年度, 令和元～4年度, 令和2・3年度, 令和5年9月 (→ the fiscal year holding that month).
// At an era token; appends the fiscal years and returns the token after the mention.
size_t YearsAt(const Lexicon& lex, const Tokens& t, size_t i, std::set<int>* years) {
  const Era* era = lex.EraNamed(t[i].surface);
  if (era == nullptr) return i;
  std::vector<int> ns;
  bool range = false;
  size_t j = i + 1;
  for (; j < t.size(); ++j) {
    double v = 0;
    size_t end = j;
    if (t[j].surface == "元") {
      ns.push_back(1);
    } else if (NumberAt(t, j, &end, &v)) {
      ns.push_back(static_cast<int>(v));
      j = end - 1;
    } else if (t[j].surface == "~" || t[j].surface == "～" || t[j].surface == "〜") {
      range = true;
    } else if (t[j].surface != "・" && t[j].surface != "、") {
      break;
    }
  }
  if (range && ns.size() == 1 && j < t.size() && lex.EraNamed(t[j].surface) != nullptr) {
    // 平成30～令和2年度: a range across eras ends at the second mention.
    std::set<int> until;
    const size_t after = YearsAt(lex, t, j, &until);
    if (after == j || until.empty()) return i;
    for (int y = era->first_year + ns[0] - 1; y <= *until.rbegin() && years->size() < 50; ++y)
      years->insert(y);
    return after;
  }
  if (ns.empty() || j >= t.size() || (t[j].base != "年度" && t[j].base != "年")) return i;
  int month = 0;
  double m = 0;
  size_t end = j + 1;
  if (t[j].base == "年" && j + 2 < t.size() && NumberAt(t, j + 1, &end, &m) && end < t.size() &&
      absl::StartsWith(t[end].surface, "月"))
    month = static_cast<int>(m);
  auto fy = [&](int n) { return era->first_year + n - 1 - (month >= 1 && month <= 3 ? 1 : 0); };
  if (range && ns.size() == 2) {
    for (int n = ns[0]; n <= ns[1] && n - ns[0] < 50; ++n) years->insert(fy(n));
  } else {
    for (int n : ns) years->insert(fy(n));
  }
  return j + 1;
}

YearScope ScopeOf(const Lexicon& lex, const Tokens& t) {
  YearScope scope;
  bool from = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const size_t after = YearsAt(lex, t, i, &scope.years);
    if (after == i) continue;
    for (size_t k = after; k < t.size() && k < after + 2; ++k)
      from |= WordAt(t, k, lex.from_year) > 0;
    i = after - 1;
  }
  if (!scope.years.empty()) {
    scope.kind = from ? YearScope::Kind::kFrom : YearScope::Kind::kYears;
    if (from) scope.years = {*scope.years.begin()};
  } else if (Contains(t, lex.other_years)) {
    scope.kind = YearScope::Kind::kOthers;
  } else if (Contains(t, lex.every_year)) {
    scope.kind = YearScope::Kind::kEvery;
  } else if (Contains(t, lex.now)) {
    scope.kind = YearScope::Kind::kNow;
  } else if (Contains(t, lex.before_plan)) {
    scope.kind = YearScope::Kind::kBeforePlan;
  }
  return scope;
}

// A noun or verb that may be an action: not the head of a compound noun with a suffix
// (受講者, 実施率), unless the suffix says "still at" (検討中) or carries the action
// (導入済み).
bool IsActionWord(const Lexicon& lex, const Tokens& t, size_t i) {
  if (t[i].pos != "名詞" && t[i].pos != "動詞") return false;
  if (t[i].pos != "名詞" || i + 1 >= t.size()) return true;
  const Token& next = t[i + 1];
  return next.pos1 != "接尾" || lex.Has(lex.ongoing, next.base) || lex.Has(lex.carriers, next.base);
}

// A verb the lexicon does not list may still be a clause's predicate: an independent
// verb that carries no other action (運行する), or a サ変 noun before する (周知する).
bool IsGenericPredicate(const Lexicon& lex, const Tokens& t, size_t i) {
  const Token& tok = t[i];
  // 予定していた, 目指した, 含め: aimed at or folded into the next clause, never a report.
  if (lex.Has(lex.prospective, tok.base) || lex.Has(lex.inclusive, tok.base)) return false;
  if (tok.pos == "動詞" && tok.pos1 == "自立")
    return !lex.Has(lex.carriers, tok.base) && !lex.Has(lex.ongoing, tok.base) &&
           !lex.Has(lex.attempted, tok.base);
  if (tok.pos1 != "サ変接続") return false;
  // 周知する, or 拡大には至っていない: the noun, particles, then a carrying verb.
  size_t k = i + 1;
  while (k < t.size() && t[k].pos == "助詞" && k < i + 3) ++k;
  return k < t.size() && t[k].pos == "動詞" && lex.Has(lex.carriers, t[k].base);
}

// The head action is the last action word of the clause (Japanese puts the predicate
// last); what follows it — negating auxiliaries, "still at", carriers — qualifies it. A
// prospective word (向けて, 予定, べく) drops the action before it: aimed at, not done;
// so does an inclusive one (調査研究を含め、…): that action shares the next clause's predicate.
// A listed action always wins over an unlisted predicate.
bool ReadHeadAction(const Lexicon& lex, const Tokens& t, Claim* claim) {
  const Action* head = nullptr;
  bool have_head = false, pending_prefix = false;
  for (size_t i = 0; i < t.size(); ++i) {
    const Token& tok = t[i];
    if (tok.pos == "接頭詞" && lex.Has(lex.negating_prefixes, tok.base)) {
      pending_prefix = true;
      continue;
    }
    const Action* action = IsActionWord(lex, t, i) ? lex.ActionOf(tok.base) : nullptr;
    const bool generic = action == nullptr && head == nullptr && IsGenericPredicate(lex, t, i);
    if (action != nullptr || generic) {
      head = action;
      have_head = true;
      *claim = Claim();
      claim->action = std::string(tok.base);
      claim->generic = generic;
      claim->not_done = pending_prefix;
    } else if (lex.Has(lex.prospective, tok.base) || lex.Has(lex.inclusive, tok.base)) {
      head = nullptr;
      have_head = false;
    } else if (have_head && (tok.pos == "助動詞" || tok.pos == "形容詞") &&
               lex.Has(lex.negators, tok.base)) {
      claim->not_done = true;
    } else if (have_head && lex.Has(lex.ongoing, tok.base)) {
      claim->ongoing = true;
    } else if (head != nullptr && lex.Has(lex.attempted, tok.base)) {
      claim->attempted = true;
    }
    pending_prefix = false;
  }
  if (!have_head) return false;
  if (head != nullptr) claim->phase = head->phase;
  if (head != nullptr && head->not_done) claim->not_done = true;
  return true;
}

// 一部 → partial; 「対象6施設のうち4施設」 → 4 of 6.
void ReadExtent(const Lexicon& lex, const Tokens& t, Claim* claim) {
  double last_number = -1;
  for (size_t i = 0; i < t.size(); ++i) {
    size_t end = i;
    double v = 0;
    if (NumberAt(t, i, &end, &v)) {
      last_number = v;
      i = end - 1;
      continue;
    }
    if (WordAt(t, i, lex.partial) > 0) claim->partial = true;
    if (WordAt(t, i, lex.out_of) == 0 || last_number <= 0) continue;
    for (size_t k = i + 1; k < t.size(); ++k) {
      if (NumberAt(t, k, &end, &v)) {
        claim->extent_total = static_cast<int>(last_number);
        claim->extent_done = static_cast<int>(v);
        if (v < last_number) claim->partial = true;
        break;
      }
    }
    break;
  }
}

// A target read from a clause: the figure after the target word, its unit, and the
// figure before the target word (the actual a bracketed target stands beside).
struct TargetReading {
  bool in_target = false, have_target = false, upper = false, have_before = false;
  double target = 0, before = 0;
  std::string target_unit, before_unit;
};

// 320人（目標500人）: a target with no actual after it is the target of the figure just
// before it, when their units agree (or the target gives none). That figure, the clause's
// last plain figure, becomes the actual.
void ApposeTarget(TargetReading* r, CellEvidence* cell) {
  if (r->in_target && r->have_target && r->have_before && !cell->figures.empty() &&
      (r->target_unit.empty() || r->target_unit == r->before_unit)) {
    cell->figures.pop_back();
    cell->targets.push_back({r->target, r->before, r->upper});
  }
  *r = TargetReading();
}

// Figures of a clause: a number with a unit that is not a date, not part of a year.
void ReadFigures(const Lexicon& lex, const Tokens& t, CellEvidence* cell) {
  TargetReading r;
  for (size_t i = 0; i < t.size(); ++i) {
    if (r.have_target && t[i].pos1 == "括弧閉") ApposeTarget(&r, cell);
    if (WordAt(t, i, lex.target) > 0) r.in_target = true;
    if (r.in_target && r.have_target && WordAt(t, i, lex.upper_bound) > 0) r.upper = true;
    size_t end = i;
    double v = 0;
    if (i > 0 && lex.EraNamed(t[i - 1].surface) != nullptr) continue;
    if (!NumberAt(t, i, &end, &v)) continue;
    i = end - 1;
    const std::string unit(end < t.size() ? t[end].base : "");
    if (lex.Has(lex.date_units, unit) ||
        (end < t.size() && lex.Has(lex.date_units, t[end].surface)))
      continue;
    if (!r.in_target) {
      cell->participants_only &= lex.Has(lex.participant_units, unit);
      cell->figures.push_back(v);
      r.have_before = true;
      r.before = v;
      r.before_unit = unit;
    } else if (!r.have_target) {
      r.target = v;
      r.have_target = true;
      r.target_unit = unit;
    } else {
      cell->targets.push_back({r.target, v, r.upper});
      r = TargetReading();
    }
  }
  if (r.have_target) ApposeTarget(&r, cell);
}

// 「目標を下回った」「目標値に届かなかった」「目標は未達成」: the predicate after a target word
// (past particles, suffixes and adverbs) reaches it or falls short of it; a negation
// (a prefix before, an auxiliary after) turns one into the other. True when the clause
// says the target was missed.
bool SaysTargetMissed(const Lexicon& lex, const Tokens& t) {
  for (size_t i = 0; i < t.size(); ++i) {
    const int n = WordAt(t, i, lex.target);
    if (n == 0) continue;
    size_t k = i + n;
    while (k < t.size() && k < i + n + 4 &&
           (t[k].pos == "助詞" || t[k].pos1 == "接尾" || t[k].pos == "副詞" ||
            (t[k].pos == "形容詞" && !lex.Has(lex.negators, t[k].base))))
      ++k;
    bool negated = false;
    if (k < t.size() && t[k].pos == "接頭詞" && lex.Has(lex.negating_prefixes, t[k].base)) {
      negated = true;
      ++k;
    }
    if (k >= t.size()) return false;
    const bool reached = lex.Has(lex.target_reached, t[k].base);
    const bool short_of = lex.Has(lex.target_short, t[k].base);
    if (!reached && !short_of) continue;
    for (size_t j = k + 1; j < t.size() && t[j].pos1 != "読点"; ++j) {
      negated |= (t[j].pos == "助動詞" || t[j].pos == "形容詞") && lex.Has(lex.negators, t[j].base);
    }
    return short_of ? !negated : negated;
  }
  return false;
}

// The text given to MeCab: NFKC turns （）％ into ASCII, which MeCab reads as one noun
// with the symbols beside it (swallowing a following 。, or 45%（ as one token), so they
// are given back their full-width form. *to_text maps each byte offset of the result to
// the offset in `text`.
std::string PrepareForTokenizer(absl::string_view text, std::vector<size_t>* to_text) {
  std::string out;
  to_text->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    const char* wide = text[i] == '('   ? "（"
                       : text[i] == ')' ? "）"
                       : text[i] == '%' ? "％"
                                        : nullptr;
    const absl::string_view piece = wide != nullptr ? absl::string_view(wide) : text.substr(i, 1);
    for (size_t k = 0; k < piece.size(); ++k) to_text->push_back(i);
    out.append(piece.data(), piece.size());
  }
  to_text->push_back(text.size());
  return out;
}

// The clause as written in the outcome text (white space and brackets as they were).
std::string ClauseText(absl::string_view text, const std::vector<size_t>& to_text,
                       const Tokens& t) {
  const size_t begin = to_text[t.front().offset];
  const size_t end = to_text[t.back().offset + t.back().surface.size()];
  return std::string(text.substr(begin, end - begin));
}

// 「検討を行ったが、導入には至らなかった」: a study conceded by a contrast, then a clause
// saying the work was not done in full. The study was effort towards what failed.
void MarkConceded(bool after_contrast, const Claim& claim, std::vector<Claim>* before) {
  if (!after_contrast || before->empty() || !claim.not_done || claim.partial) return;
  Claim& study = before->back();
  if (!study.not_done && !study.generic && study.phase <= Phase::kConsider) study.conceded = true;
}

}  // namespace

std::vector<Tokens> SplitClauses(const Lexicon& lex, const Tokens& tokens) {
  std::vector<Tokens> out(1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& tok = tokens[i];
    if (tok.pos1 == "読点" && out.back().empty() && out.size() > 1) {
      out[out.size() - 2].push_back(tok);  // the comma after …したが belongs to that clause
      continue;
    }
    out.back().push_back(tok);
    const bool period = tok.pos1 == "句点";
    const bool contrast = tok.pos1 == "接続助詞" && lex.Has(lex.clause_breaks, tok.base);
    bool comma_after_predicate = false;
    if (tok.pos1 == "読点" && i > 0) {
      const Token& before = tokens[i - 1];
      comma_after_predicate = before.pos == "動詞" || before.pos == "助動詞" ||
                              (before.pos == "助詞" && before.pos1 == "接続助詞");
    }
    if (period || contrast || comma_after_predicate) out.emplace_back();
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

CellEvidence ExtractEvidence(const Lexicon& lexicon, const Tokenizer& tokenizer,
                             absl::string_view text, int fiscal_year) {
  Tokenizer::Lattice lattice = tokenizer.NewLattice();
  return ExtractEvidence(lexicon, tokenizer, lattice, text, fiscal_year);
}

std::optional<CellEvidence> ReadingCache::Find(const std::string& text) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = cells_.find(text);
  if (found == cells_.end()) return std::nullopt;
  return found->second;
}

void ReadingCache::Keep(const std::string& text, const CellEvidence& cell) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cells_.size() >= capacity_) cells_.clear();
  cells_.emplace(text, cell);
}

CellEvidence EvidenceReader::ReadAnew(const std::string& text, int fiscal_year) {
  if (kept_ != nullptr) {
    if (std::optional<CellEvidence> kept = kept_->Find(text); kept.has_value()) return *kept;
  }
  CellEvidence cell = ExtractEvidence(lexicon_, tokenizer_, lattice_, text, fiscal_year);
  if (kept_ != nullptr) kept_->Keep(text, cell);
  return cell;
}

CellEvidence EvidenceReader::Read(absl::string_view text, int fiscal_year) {
  std::string key(text);
  auto found = read_.find(key);
  if (found == read_.end()) {
    CellEvidence cell = ReadAnew(key, fiscal_year);
    found = read_.emplace(std::move(key), std::move(cell)).first;
  }
  CellEvidence cell = found->second;
  cell.fiscal_year = fiscal_year;
  return cell;
}

CellEvidence ExtractEvidence(const Lexicon& lexicon, const Tokenizer& tokenizer,
                             Tokenizer::Lattice& lattice, absl::string_view text, int fiscal_year) {
  CellEvidence cell;
  cell.fiscal_year = fiscal_year;
  cell.text = std::string(text);
  std::vector<size_t> to_text;
  const std::string prepared = PrepareForTokenizer(text, &to_text);
  cell.participants_only = true;
  bool conceding = false;  // the clause before ended in a contrast (…検討したが、)
  bool aside = false;      // this sentence speaks of something outside the initiative
  for (const Tokens& clause : SplitClauses(lexicon, tokenizer.Tokenize(prepared, lattice))) {
    // なお、…は本取組の対象外であるが、一部で未実施: from the clause naming it to the
    // sentence's end, the text is about what lies outside; neither claims nor figures.
    aside |= Contains(clause, lexicon.out_of_scope);
    if (aside) {
      aside = clause.back().pos1 != "句点";
      conceding = false;
      continue;
    }
    ReadFigures(lexicon, clause, &cell);
    Claim claim;
    const bool after_contrast = conceding;
    const Token& last = clause.size() > 1 && clause.back().pos1 == "読点"
                            ? clause[clause.size() - 2]
                            : clause.back();
    conceding = last.pos1 == "接続助詞" && lexicon.Has(lexicon.clause_breaks, last.base);
    claim.target_missed = SaysTargetMissed(lexicon, clause);
    if (!claim.target_missed && !ReadHeadAction(lexicon, clause, &claim)) continue;
    claim.clause = ClauseText(text, to_text, clause);
    claim.scope = ScopeOf(lexicon, clause);
    if (claim.scope.kind == YearScope::Kind::kBeforePlan) continue;
    if (!claim.target_missed) ReadExtent(lexicon, clause, &claim);
    MarkConceded(after_contrast, claim, &cell.claims);
    cell.claims.push_back(std::move(claim));
  }
  cell.participants_only &= !cell.figures.empty();
  return cell;
}

}  // namespace torikumi::rules
