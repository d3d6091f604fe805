// A table's own layout (v1::TableLayout on the plan): the words of its header, how it labels
// the years, where its title and legend stand and the blank lines between its parts. The
// reader records it (layout_recorder.h); the writers print by it (table_grid.h).
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::table {

// The layout of the seed table, every field set: the title line and legend per area, one
// blank line after the title, the 【area】 line and around the legend, － for a year without
// a phase, the column words 中項目 小項目 具体的な取組 区分 スケジュール 取組状況 評価.
v1::TableLayout DefaultTableLayout();

// `layout` with each unset word filled in from the default; the default itself when the
// layout was never recorded (a plan stored before layouts were kept).
v1::TableLayout EffectiveLayout(const v1::TableLayout& layout);

// The header's label of `fiscal_year` in the schedule (outcome: false) or outcome columns;
// empty when the layout has none.
std::string YearLabel(const v1::TableLayout& layout, int fiscal_year, bool outcome);

}  // namespace torikumi::table
