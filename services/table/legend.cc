#include "services/table/legend.h"

#include <algorithm>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

// Common grades in the order their scales rank them, best first.
constexpr absl::string_view kCommonGradeOrder[] = {"S", "A", "B", "C", "D", "E", "◎", "○", "〇",
                                                   "△", "▲", "×", "●", "5", "4", "3", "2", "1"};

// What may separate one "code：label" pair from the next (NFKC has made ，；： ASCII).
constexpr absl::string_view kSeparators[] = {" ", "、", ",", ";", "/", "|", "。"};

bool StartsWithSeparator(absl::string_view text, size_t* length) {
  for (absl::string_view sep : kSeparators) {
    if (absl::StartsWith(text, sep)) {
      *length = sep.size();
      return true;
    }
  }
  return false;
}

bool EndsWithSeparator(absl::string_view text, size_t* length) {
  for (absl::string_view sep : kSeparators) {
    if (absl::EndsWith(text, sep)) {
      *length = sep.size();
      return true;
    }
  }
  return false;
}

// A code: one or two code points that are neither separators nor punctuation of the pair.
bool IsCodeCodePoint(absl::string_view cp) {
  size_t unused = 0;
  if (StartsWithSeparator(cp, &unused)) return false;
  return cp != ":" && cp != "=" && cp != "(" && cp != ")" && cp != "※";
}

struct Pair {
  size_t code_begin;
  size_t label_begin;
  std::string code;
};

// Reads "code:" at `pos`; on success fills `pair`.
bool ReadCode(absl::string_view text, size_t pos, Pair* pair) {
  size_t p = pos;
  for (int n = 0; n < 2 && p < text.size(); ++n) {
    absl::string_view cp = FirstCodePoint(text.substr(p));
    if (!IsCodeCodePoint(cp)) break;
    p += cp.size();
    if (p < text.size() && (text[p] == ':' || text[p] == '=')) {
      std::string code(text.substr(pos, p - pos));
      if (code == "評価" || code == "凡例") return false;
      *pair = {pos, p + 1, code};
      return true;
    }
  }
  return false;
}

std::vector<Pair> FindPairs(absl::string_view text) {
  std::vector<Pair> pairs;
  size_t pos = 0;
  bool at_boundary = true;
  while (pos < text.size()) {
    Pair pair;
    if (at_boundary && ReadCode(text, pos, &pair)) {
      pairs.push_back(pair);
      pos = pair.label_begin;
      at_boundary = false;
      continue;
    }
    size_t sep = 0;
    if (StartsWithSeparator(text.substr(pos), &sep)) {
      pos += sep;
      at_boundary = true;
      continue;
    }
    // A colon also ends a heading such as 評価: before the first pair.
    at_boundary = text[pos] == ':';
    pos += FirstCodePoint(text.substr(pos)).size();
  }
  return pairs;
}

v1::Grade MakeGrade(std::string code, absl::string_view text) {
  v1::Grade grade;
  grade.set_code(std::move(code));
  absl::string_view label = TrimSpaces(text);
  size_t sep = 0;
  while (!label.empty() && EndsWithSeparator(label, &sep)) {
    label = TrimSpaces(label.substr(0, label.size() - sep));
  }
  if (absl::EndsWith(label, ")")) {
    size_t open = label.rfind('(');
    if (open != absl::string_view::npos && open > 0) {
      grade.set_meaning(std::string(TrimSpaces(label.substr(open + 1, label.size() - open - 2))));
      label = TrimSpaces(label.substr(0, open));
    }
  }
  grade.set_label(std::string(label));
  return grade;
}

}  // namespace

std::optional<v1::RatingScale> ParseLegend(absl::string_view text) {
  text = TrimSpaces(text);
  std::vector<Pair> pairs = FindPairs(text);
  if (pairs.size() < 2) return std::nullopt;
  absl::string_view heading = text.substr(0, pairs.front().code_begin);
  bool headed = absl::StrContains(heading, "評価") || absl::StrContains(heading, "凡例") ||
                absl::StartsWith(text, "※");
  if (!headed) return std::nullopt;
  v1::RatingScale scale;
  for (size_t i = 0; i < pairs.size(); ++i) {
    size_t end = i + 1 < pairs.size() ? pairs[i + 1].code_begin : text.size();
    absl::string_view label = text.substr(pairs[i].label_begin, end - pairs[i].label_begin);
    if (ScaleHasCode(scale, pairs[i].code)) return std::nullopt;  // not a legend: repeated code
    *scale.add_grades() = MakeGrade(pairs[i].code, label);
  }
  return scale;
}

std::string FormatLegend(const v1::RatingScale& scale) {
  std::vector<std::string> parts;
  for (const v1::Grade& g : scale.grades()) {
    std::string part = absl::StrCat(g.code(), "：", g.label());
    if (!g.meaning().empty()) absl::StrAppend(&part, "（", g.meaning(), "）");
    parts.push_back(std::move(part));
  }
  return absl::StrCat("※評価 ", absl::StrJoin(parts, "、"));
}

bool IsCommonGradeCode(absl::string_view code) {
  for (absl::string_view c : kCommonGradeOrder) {
    if (code == c) return true;
  }
  return false;
}

v1::RatingScale ScaleFromCodes(const std::vector<std::string>& codes) {
  std::vector<std::string> sorted;
  for (const std::string& code : codes) {
    if (std::find(sorted.begin(), sorted.end(), code) == sorted.end()) sorted.push_back(code);
  }
  auto rank = [](absl::string_view code) {
    for (size_t i = 0; i < std::size(kCommonGradeOrder); ++i) {
      if (code == kCommonGradeOrder[i]) return static_cast<int>(i);
    }
    return static_cast<int>(std::size(kCommonGradeOrder));
  };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  v1::RatingScale scale;
  for (const std::string& code : sorted) scale.add_grades()->set_code(code);
  return scale;
}

bool ScaleHasCode(const v1::RatingScale& scale, absl::string_view code) {
  for (const v1::Grade& g : scale.grades()) {
    if (g.code() == code) return true;
  }
  return false;
}

}  // namespace torikumi::table
