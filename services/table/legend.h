// The rating legend under a table (※評価 A：実施できた、B：概ね実施できた（一部実施できな
// かった）、C：実施できなかった) and the grade codes plans use without one (A–C, S–D, ◎○△×, 1–5).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::table {

// The scale a legend line defines, best grade first as written; nullopt when the text is
// not a legend (it needs 評価 or 凡例, or a leading ※, and at least two "code：label" pairs).
// `text` is NFKC-normalised. A label's trailing parenthesis becomes the grade's meaning:
// "概ね実施できた(一部実施できなかった)" → label 概ね実施できた, meaning 一部実施できなかった.
std::optional<v1::RatingScale> ParseLegend(absl::string_view text);

// "※評価 A：実施できた、B：概ね実施できた（一部実施できなかった）、C：…" — the form the
// writers print and ParseLegend reads back.
std::string FormatLegend(const v1::RatingScale& scale);

// True when `code` (NFKC) is a grade of a commonly used scale: S A B C D E, ◎ ○ △ × ▲ ●,
// or 1–5. Used to spot a rating cell when the table has no legend.
bool IsCommonGradeCode(absl::string_view code);

// A scale made from grade codes seen in a table without a legend, ordered as the common
// scales order them (S before A; ◎ ○ △ ×; 5 before 1), labels empty.
v1::RatingScale ScaleFromCodes(const std::vector<std::string>& codes);

// True when `code` is one of the scale's grades.
bool ScaleHasCode(const v1::RatingScale& scale, absl::string_view code);

}  // namespace torikumi::table
