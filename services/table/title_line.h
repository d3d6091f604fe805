// The title line above each area: 人材育成推進プラン（平成30年度～令和4年度）の取組状況 —
// the plan's title, its period in era notation, and a caption after it.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::table {

struct TitleLine {
  std::string title;        // 人材育成推進プラン (verbatim)
  v1::Period period;        // 2018..2022
  std::string period_text;  // 平成30年度～令和4年度 (verbatim), inside the brackets
  std::string caption;      // の取組状況 (verbatim), the text after the period
};

// nullopt unless the text holds a parenthesised period of two fiscal years joined by
// ～ ~ 〜 - – or から, in order (first <= last).
std::optional<TitleLine> ParseTitleLine(absl::string_view raw);

// The caption the writers print after the period.
inline constexpr absl::string_view kDefaultCaption = "の取組状況";

// "人材育成推進プラン（平成30年度～令和4年度）の取組状況". A non-empty `period_text` is
// printed in place of the era notation when it reads as `period`.
std::string FormatTitleLine(absl::string_view title, const v1::Period& period,
                            absl::string_view caption = kDefaultCaption,
                            absl::string_view period_text = "");

}  // namespace torikumi::table
