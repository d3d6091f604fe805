#include "services/table/layout.h"

namespace torikumi::table {
namespace {

// Sets `*word` to `fallback` when it is empty.
void FillIn(std::string* word, const std::string& fallback) {
  if (word->empty()) *word = fallback;
}

}  // namespace

v1::TableLayout DefaultTableLayout() {
  v1::TableLayout layout;
  layout.set_caption("の取組状況");
  layout.set_theme_heading("中項目");
  layout.set_subtheme_heading("小項目");
  layout.set_title_heading("具体的な取組");
  layout.set_kind_heading("区分");
  layout.set_schedule_heading("スケジュール");
  layout.set_outcome_heading("取組状況");
  layout.set_rating_heading("評価");
  layout.set_title_placement(v1::TABLE_PLACEMENT_PER_AREA);
  layout.set_legend_placement(v1::TABLE_PLACEMENT_PER_AREA);
  layout.set_blank_lines_after_title(1);
  layout.set_blank_lines_after_area(1);
  layout.set_blank_lines_before_legend(1);
  layout.set_blank_lines_after_legend(1);
  layout.set_recorded(true);
  return layout;
}

v1::TableLayout EffectiveLayout(const v1::TableLayout& layout) {
  const v1::TableLayout defaults = DefaultTableLayout();
  if (!layout.recorded()) return defaults;
  v1::TableLayout out = layout;
  FillIn(out.mutable_caption(), defaults.caption());
  FillIn(out.mutable_theme_heading(), defaults.theme_heading());
  FillIn(out.mutable_subtheme_heading(), defaults.subtheme_heading());
  FillIn(out.mutable_title_heading(), defaults.title_heading());
  FillIn(out.mutable_kind_heading(), defaults.kind_heading());
  FillIn(out.mutable_schedule_heading(), defaults.schedule_heading());
  FillIn(out.mutable_outcome_heading(), defaults.outcome_heading());
  FillIn(out.mutable_rating_heading(), defaults.rating_heading());
  if (out.title_placement() == v1::TABLE_PLACEMENT_UNSPECIFIED) {
    out.set_title_placement(defaults.title_placement());
  }
  if (out.legend_placement() == v1::TABLE_PLACEMENT_UNSPECIFIED) {
    out.set_legend_placement(defaults.legend_placement());
  }
  return out;
}

std::string YearLabel(const v1::TableLayout& layout, int fiscal_year, bool outcome) {
  for (const v1::TableYearLabel& label : layout.year_labels()) {
    if (label.fiscal_year() != fiscal_year) continue;
    return outcome ? label.outcome_label() : label.schedule_label();
  }
  return "";
}

}  // namespace torikumi::table
