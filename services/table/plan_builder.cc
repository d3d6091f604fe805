#include "services/table/plan_builder.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

using google::protobuf::util::MessageDifferencer;

bool SameSchedule(const ImportedInitiative& a, const std::vector<v1::ScheduleEntry>& b) {
  if (a.initiative.schedule_size() != static_cast<int>(b.size())) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (!MessageDifferencer::Equals(a.initiative.schedule(static_cast<int>(i)), b[i])) {
      return false;
    }
  }
  return true;
}

std::string KeyText(const InitiativeKey& key) { return absl::StrCat(key.area, " ", key.number); }

}  // namespace

std::string TitleKey(absl::string_view title) {
  std::string norm = Nfkc(title);
  return absl::StrReplaceAll(norm, {{" ", ""}});
}

void PlanBuilder::StartArea(std::string name) {
  for (size_t i = 0; i < areas_.size(); ++i) {
    if (areas_[i].name == name) {
      current_ = i;  // the same area again (a second page of it): keep adding to it
      return;
    }
  }
  Area area;
  area.name = std::move(name);
  areas_.push_back(std::move(area));
  current_ = areas_.size() - 1;
}

void PlanBuilder::AddRow(const ParsedRow& row) {
  Area& area = areas_[current_];
  const std::string old_theme = area.theme;
  const std::string old_subtheme = area.subtheme;
  const size_t slots = row.labels.size();
  const Cell* theme_cell = slots >= 2 ? row.labels[slots - 2] : nullptr;
  const Cell* subtheme_cell = slots >= 1 ? row.labels[slots - 1] : nullptr;
  if (theme_cell != nullptr && !theme_cell->empty()) {
    area.theme = theme_cell->raw;
    area.subtheme.clear();  // a new theme starts its own subthemes
  }
  if (subtheme_cell != nullptr && !subtheme_cell->empty()) area.subtheme = subtheme_cell->raw;

  // Which title owns the row's 区分, schedule, outcomes and rating.
  size_t owner = 0;
  if (row.titles.size() > 1) {
    const int expected = area.max_number + 1;
    owner = row.titles.size() - 1;
    bool in_sequence = false;
    for (size_t k = 0; k < row.titles.size(); ++k) {
      if (row.titles[k].number == expected) {
        owner = k;
        in_sequence = true;
        break;
      }
    }
    std::vector<std::string> numbers;
    for (const RowTitle& t : row.titles) numbers.push_back(absl::StrCat(t.number));
    const RowTitle& chosen = row.titles[owner];
    std::string why = in_sequence ? absl::StrCat("the next number after ", area.max_number)
                                  : std::string(
                                        "the title nearest the data, as no title continues the "
                                        "numbering");
    std::string others;
    for (size_t k = 0; k < row.titles.size(); ++k) {
      if (k == owner) continue;
      absl::StrAppend(&others, others.empty() ? "" : ", ", row.titles[k].number);
    }
    findings_->Add(chosen.cell->line, chosen.cell->column, chosen.cell->raw,
                   absl::StrCat("two numbered titles in one row (", absl::StrJoin(numbers, ", "),
                                "); the row's 区分, schedule, outcomes and rating were given to ",
                                chosen.number, " (", why, "); ", others, " has only its title"),
                   Severity::kGuess);
  }
  for (size_t k = 0; k < row.titles.size(); ++k) {
    const RowTitle& title = row.titles[k];
    // A title numbered before the first one in the row belongs to the group above: it
    // keeps the labels carried down from there, not this row's new ones.
    bool keeps_old_labels = k > 0 && title.number != 0 && title.number < row.titles[0].number;
    if (keeps_old_labels) {
      findings_->Add(title.cell->line, title.cell->column, title.cell->raw,
                     absl::StrCat(title.number, " comes before ", row.titles[0].number,
                                  " in the same row; it keeps the 中項目/小項目 from the rows "
                                  "above"),
                     Severity::kGuess);
    }
    Place(&area, title, row.line, keeps_old_labels ? old_theme : area.theme,
          keeps_old_labels ? old_subtheme : area.subtheme, k == owner ? &row : nullptr);
  }
}

void PlanBuilder::Place(Area* area, const RowTitle& title, int line, const std::string& theme,
                        const std::string& subtheme, const ParsedRow* data) {
  int number = title.number;
  if (number == 0) {
    number = area->max_number + 1;
    findings_->Add(title.cell->line, title.cell->column, title.cell->raw,
                   absl::StrCat("the title has no number; numbered ", number,
                                " (after the highest number so far)"),
                   Severity::kGuess);
  }
  auto existing = std::find_if(area->entries.begin(), area->entries.end(), [&](const Entry& e) {
    return e.item.initiative.number() == number;
  });
  if (existing != area->entries.end()) {
    if (TitleKey(existing->item.initiative.title()) == TitleKey(title.title)) {
      findings_->Add(title.cell->line, title.cell->column, title.cell->raw,
                     absl::StrCat("number ", number,
                                  " appears again with the same title (first "
                                  "at line ",
                                  existing->title_line, "); the rows were merged"),
                     Severity::kRepair);
      existing->relisted = existing->relisted || title.relisted;
      if (data != nullptr) MergeInto(&*existing, *data, line);
      return;
    }
    int renumbered = area->max_number + 1;
    findings_->Add(
        title.cell->line, title.cell->column, title.cell->raw,
        absl::StrCat("number ", number, " is already used in 【", area->name, "】 by '",
                     Quote(existing->item.initiative.title()), "' (line ", existing->title_line,
                     "); this initiative was numbered ", renumbered),
        Severity::kGuess);
    number = renumbered;
  }
  Entry entry;
  v1::Initiative& initiative = entry.item.initiative;
  initiative.set_area(area->name);
  initiative.set_theme(theme);
  initiative.set_subtheme(subtheme);
  initiative.set_number(number);
  initiative.set_title(title.title);
  entry.item.source_line = line;
  entry.relisted = title.relisted;
  entry.title_line = title.cell->line;
  entry.title_column = title.cell->column;
  entry.title_text = title.cell->raw;
  if (data != nullptr) MergeInto(&entry, *data, line);
  area->entries.push_back(std::move(entry));
  area->max_number = std::max(area->max_number, number);
}

void PlanBuilder::MergeInto(Entry* entry, const ParsedRow& data, int line) {
  v1::Initiative& initiative = entry->item.initiative;
  auto conflict = [&](absl::string_view what) {
    findings_->Add(line, 0, entry->title_text,
                   absl::StrCat("not placed: the repeated row's ", what,
                                " differs from the "
                                "first row's; the first was kept"),
                   Severity::kError);
  };
  if (data.kind != v1::INITIATIVE_KIND_UNSPECIFIED) {
    if (initiative.kind() == v1::INITIATIVE_KIND_UNSPECIFIED) {
      initiative.set_kind(data.kind);
    } else if (initiative.kind() != data.kind) {
      conflict("区分");
    }
  }
  if (!data.schedule.empty()) {
    if (initiative.schedule_size() == 0) {
      for (const v1::ScheduleEntry& s : data.schedule) *initiative.add_schedule() = s;
    } else if (!SameSchedule(entry->item, data.schedule)) {
      conflict("schedule");
    }
  }
  for (const v1::Outcome& outcome : data.outcomes) {
    auto same_year = std::find_if(
        entry->item.outcomes.begin(), entry->item.outcomes.end(),
        [&](const v1::Outcome& o) { return o.fiscal_year() == outcome.fiscal_year(); });
    if (same_year == entry->item.outcomes.end()) {
      entry->item.outcomes.push_back(outcome);
    } else if (same_year->text() != outcome.text()) {
      conflict(outcome.fiscal_year() == 0 ? std::string("whole-period outcome")
                                          : absl::StrCat("outcome for FY", outcome.fiscal_year()));
    }
  }
  if (!data.grade.empty()) {
    if (initiative.human_rating().grade().empty()) {
      initiative.mutable_human_rating()->set_grade(data.grade);
    } else if (initiative.human_rating().grade() != data.grade) {
      conflict("rating");
    }
  }
  entry->has_data = true;
}

std::vector<ImportedInitiative> PlanBuilder::Finish(std::vector<std::string>* areas) {
  // （再掲）: the original is the initiative elsewhere in the plan with the same title,
  // preferably in another area, and not itself a re-list.
  for (Area& area : areas_) {
    for (Entry& entry : area.entries) {
      if (!entry.relisted) continue;
      const std::string key = TitleKey(entry.item.initiative.title());
      std::vector<InitiativeKey> same_area;
      std::vector<InitiativeKey> other_areas;
      for (const Area& other : areas_) {
        for (const Entry& candidate : other.entries) {
          if (&candidate == &entry || candidate.relisted) continue;
          if (TitleKey(candidate.item.initiative.title()) != key) continue;
          InitiativeKey k{other.name, candidate.item.initiative.number()};
          (other.name == area.name ? same_area : other_areas).push_back(k);
        }
      }
      std::vector<InitiativeKey>& found = other_areas.empty() ? same_area : other_areas;
      if (found.empty()) {
        findings_->Add(entry.title_line, entry.title_column, entry.title_text,
                       "marked （再掲） but no other initiative in the plan has this title; "
                       "left unlinked",
                       Severity::kGuess);
        continue;
      }
      entry.item.relists = found.front();
      if (found.size() > 1) {
        std::vector<std::string> names;
        for (const InitiativeKey& k : found) names.push_back(KeyText(k));
        findings_->Add(entry.title_line, entry.title_column, entry.title_text,
                       absl::StrCat("（再掲） matches several initiatives (",
                                    absl::StrJoin(names, ", "), "); linked to the first"),
                       Severity::kGuess);
      } else {
        findings_->Add(entry.title_line, entry.title_column, entry.title_text,
                       absl::StrCat("（再掲） linked to its original, 【", found.front().area,
                                    "】 ", found.front().number),
                       Severity::kInfo);
      }
    }
  }
  std::vector<ImportedInitiative> out;
  for (Area& area : areas_) {
    if (area.entries.empty() && area.name.empty()) continue;
    areas->push_back(area.name);
    std::stable_sort(area.entries.begin(), area.entries.end(), [](const Entry& a, const Entry& b) {
      return a.item.initiative.number() < b.item.initiative.number();
    });
    for (Entry& entry : area.entries) out.push_back(std::move(entry.item));
  }
  return out;
}

}  // namespace torikumi::table
