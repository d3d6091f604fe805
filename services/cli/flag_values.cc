#include "services/cli/flag_values.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "services/common/fiscal_year.h"
#include "services/common/table_words.h"
#include "services/common/text.h"

namespace torikumi::cli {
namespace {

constexpr absl::string_view kIdeographicSpace = "\u3000";

// Strips ASCII whitespace and the ideographic space (全角スペース) from both ends.
absl::string_view Trim(absl::string_view text) {
  while (true) {
    absl::string_view before = text;
    text = absl::StripAsciiWhitespace(text);
    absl::ConsumePrefix(&text, kIdeographicSpace);
    absl::ConsumeSuffix(&text, kIdeographicSpace);
    if (text == before) return text;
  }
}

// Splits a list written with ",", "，" or "、" into trimmed items. An empty text is an empty
// list (so `--schedule=` clears a schedule); an empty item is an error because it is almost
// always a typo (",,").
absl::StatusOr<std::vector<std::string>> SplitList(absl::string_view text) {
  if (Trim(text).empty()) return std::vector<std::string>{};
  std::string unified = absl::StrReplaceAll(text, {{"、", ","}, {"，", ","}});
  std::vector<std::string> items;
  int position = 0;
  for (absl::string_view item : absl::StrSplit(unified, ',')) {
    ++position;
    item = Trim(item);
    if (item.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("item ", position, " of \"", text, "\" is empty"));
    }
    items.emplace_back(item);
  }
  return items;
}

// Splits "KEY=VALUE" at the first '='; the key is trimmed, the value too.
bool SplitPair(absl::string_view item, absl::string_view* key, absl::string_view* value) {
  size_t eq = item.find('=');
  if (eq == absl::string_view::npos) return false;
  *key = Trim(item.substr(0, eq));
  *value = Trim(item.substr(eq + 1));
  return true;
}

// Reads a leading decimal number ("468", "1.5") from `text` and advances past it.
bool ConsumeNumber(absl::string_view* text, double* value) {
  size_t end = 0;
  while (end < text->size() && absl::ascii_isdigit((*text)[end])) ++end;
  if (end == 0) return false;
  if (end + 1 < text->size() && (*text)[end] == '.' && absl::ascii_isdigit((*text)[end + 1])) {
    ++end;
    while (end < text->size() && absl::ascii_isdigit((*text)[end])) ++end;
  }
  if (!absl::SimpleAtod(text->substr(0, end), value)) return false;
  text->remove_prefix(end);
  return true;
}

absl::StatusOr<v1::Metric> ParseMetric(absl::string_view item) {
  v1::Metric metric;
  absl::string_view label;
  absl::string_view raw_value = item;
  if (SplitPair(item, &label, &raw_value)) metric.set_label(std::string(label));

  // NFKC turns full-width digits and brackets into ASCII: "７件（計２０件中）" → "7件(計20件中)".
  auto normalized = NormalizeNfkc(raw_value);
  if (!normalized.ok()) return normalized.status();
  absl::string_view rest = Trim(*normalized);

  double value = 0;
  if (!ConsumeNumber(&rest, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", item, "\": the value does not start with a number"));
  }
  metric.set_value(value);

  // OUT_OF: "/20" (optionally followed by the unit again) or "(計20件中)".
  absl::string_view unit = rest;
  absl::string_view out_of_text;
  bool has_out_of = false;
  if (size_t slash = rest.find('/'); slash != absl::string_view::npos) {
    unit = rest.substr(0, slash);
    out_of_text = rest.substr(slash + 1);
    has_out_of = true;
  } else if (size_t open = rest.find("(計");
             open != absl::string_view::npos && absl::EndsWith(rest, "中)")) {
    unit = rest.substr(0, open);
    out_of_text = rest.substr(open + absl::string_view("(計").size());
    out_of_text.remove_suffix(absl::string_view("中)").size());
    has_out_of = true;
  }
  metric.set_unit(std::string(Trim(unit)));
  if (has_out_of) {
    absl::string_view out_of_rest = Trim(out_of_text);
    double out_of = 0;
    if (!ConsumeNumber(&out_of_rest, &out_of)) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", item, "\": the total after the value is not a number"));
    }
    metric.set_out_of(out_of);
  }
  return metric;
}

absl::StatusOr<v1::Phase> ParsePhase(absl::string_view text) {
  if (std::optional<v1::Phase> phase = PhaseFromWordOrName(text)) return *phase;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown phase \"", text, "\" (use 研究, 検討, 試行, 実施 or ⇒)"));
}

// ⇒ (or another arrow the table uses), or "same": the phase of the year before.
bool IsSameAsBefore(absl::string_view text) {
  return IsContinuationMark(text) || absl::EqualsIgnoreCase(text, "same");
}

}  // namespace

absl::StatusOr<v1::Period> ParsePeriodFlag(absl::string_view text) {
  absl::string_view trimmed = Trim(text);
  // The first separator found splits the period; "-" comes last so that era names with a
  // wave dash ("平成30年度～令和4年度") are split at the dash, not inside a year.
  static constexpr absl::string_view kSeparators[] = {"～", "〜", "~", "–", "—", "-"};
  absl::string_view first_text = trimmed;
  absl::string_view last_text = trimmed;
  for (absl::string_view sep : kSeparators) {
    size_t at = trimmed.find(sep);
    if (at == absl::string_view::npos) continue;
    first_text = Trim(trimmed.substr(0, at));
    last_text = Trim(trimmed.substr(at + sep.size()));
    break;
  }
  auto first = ParseFiscalYear(first_text);
  if (!first.ok()) return first.status();
  auto last = ParseFiscalYear(last_text);
  if (!last.ok()) return last.status();
  if (*last < *first) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" ends before it starts"));
  }
  v1::Period period;
  period.set_first_fiscal_year(*first);
  period.set_last_fiscal_year(*last);
  return period;
}

absl::StatusOr<std::vector<std::string>> ParseAreasFlag(absl::string_view text) {
  auto items = SplitList(text);
  if (!items.ok()) return items.status();
  std::vector<std::string> areas;
  for (const std::string& item : *items) {
    absl::string_view area = item;
    if (absl::ConsumePrefix(&area, "【")) absl::ConsumeSuffix(&area, "】");
    area = Trim(area);
    if (area.empty())
      return absl::InvalidArgumentError(absl::StrCat("empty area in \"", text, "\""));
    if (std::find(areas.begin(), areas.end(), area) != areas.end()) {
      return absl::InvalidArgumentError(absl::StrCat("area \"", area, "\" is listed twice"));
    }
    areas.emplace_back(area);
  }
  return areas;
}

absl::StatusOr<v1::RatingScale> ParseScaleFlag(absl::string_view text) {
  auto items = SplitList(text);
  if (!items.ok()) return items.status();
  v1::RatingScale scale;
  std::set<std::string> codes;
  for (const std::string& item : *items) {
    absl::string_view code, rest;
    if (!SplitPair(item, &code, &rest) || code.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", item, "\" is not CODE=LABEL (e.g. A=実施できた)"));
    }
    if (!codes.insert(std::string(code)).second) {
      return absl::InvalidArgumentError(absl::StrCat("grade \"", code, "\" is listed twice"));
    }
    v1::Grade* grade = scale.add_grades();
    grade->set_code(std::string(code));
    if (size_t colon = rest.find(':'); colon != absl::string_view::npos) {
      grade->set_label(std::string(Trim(rest.substr(0, colon))));
      grade->set_meaning(std::string(Trim(rest.substr(colon + 1))));
    } else {
      grade->set_label(std::string(rest));
    }
  }
  return scale;
}

absl::StatusOr<std::vector<v1::ScheduleEntry>> ParseScheduleFlag(absl::string_view text) {
  auto items = SplitList(text);
  if (!items.ok()) return items.status();

  struct Cell {
    int year;
    std::string phase_text;
  };
  std::vector<Cell> cells;
  for (const std::string& item : *items) {
    absl::string_view year_text, phase_text;
    if (!SplitPair(item, &year_text, &phase_text)) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", item, "\" is not YEAR=PHASE (e.g. R1=実施)"));
    }
    auto year = ParseFiscalYear(year_text);
    if (!year.ok()) return year.status();
    for (const Cell& cell : cells) {
      if (cell.year == *year) {
        return absl::InvalidArgumentError(
            absl::StrCat("fiscal year ", FormatFiscalYearShort(*year), " is listed twice"));
      }
    }
    cells.push_back({*year, std::string(phase_text)});
  }
  std::sort(cells.begin(), cells.end(),
            [](const Cell& a, const Cell& b) { return a.year < b.year; });

  std::vector<v1::ScheduleEntry> entries;
  for (const Cell& cell : cells) {
    v1::ScheduleEntry entry;
    entry.set_fiscal_year(cell.year);
    if (IsSameAsBefore(cell.phase_text)) {
      // ⇒ means "as the year before", so the year before must be in the schedule.
      if (entries.empty() || entries.back().fiscal_year() != cell.year - 1) {
        return absl::InvalidArgumentError(
            absl::StrCat(FormatFiscalYearShort(cell.year), "=", cell.phase_text, " continues ",
                         FormatFiscalYearShort(cell.year - 1), ", which has no phase"));
      }
      entry.set_phase(entries.back().phase());
      entry.set_continuation(true);
    } else {
      auto phase = ParsePhase(cell.phase_text);
      if (!phase.ok()) return phase.status();
      entry.set_phase(*phase);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<v1::Metric>> ParseMetricsFlag(absl::string_view text) {
  auto items = SplitList(text);
  if (!items.ok()) return items.status();
  std::vector<v1::Metric> metrics;
  for (const std::string& item : *items) {
    auto metric = ParseMetric(item);
    if (!metric.ok()) return metric.status();
    metrics.push_back(std::move(*metric));
  }
  return metrics;
}

absl::StatusOr<v1::Date> ParseDateFlag(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(Trim(text), absl::ByAnyChar("-/"));
  int y = 0, m = 0, d = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &y) || !absl::SimpleAtoi(parts[1], &m) ||
      !absl::SimpleAtoi(parts[2], &d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a date (write YYYY-MM-DD, e.g. 2022-08-31)"));
  }
  // CivilDay normalises out-of-range fields (2月30日 → 3月2日); a change means no such day.
  absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a calendar date"));
  }
  v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

absl::StatusOr<v1::InitiativeKind> ParseKindFlag(absl::string_view text) {
  if (std::optional<v1::InitiativeKind> kind = KindFromWordOrName(Trim(text))) return *kind;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown kind \"", text, "\" (use new or continuing)"));
}

absl::StatusOr<v1::OutcomeStatus> ParseStatusFlag(absl::string_view text) {
  absl::string_view t = Trim(text);
  if (std::optional<v1::OutcomeStatus> status = StatusFromWordOrName(t)) return *status;
  // The enum's own name for the one status whose short name differs from it.
  if (absl::EqualsIgnoreCase(t, "partly-implemented")) {
    return v1::OUTCOME_STATUS_PARTLY_IMPLEMENTED;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown status \"", text,
      "\" (use implemented, partly, not-implemented, in-progress, scheduled or unknown)"));
}

absl::StatusOr<int> ParseYearFlag(absl::string_view text, bool allow_period) {
  if (allow_period && (absl::EqualsIgnoreCase(Trim(text), "period") || Trim(text) == "全期間")) {
    return 0;
  }
  return ParseFiscalYear(text);
}

absl::StatusOr<int> ParseIntFlag(absl::string_view text) {
  int value = 0;
  if (!absl::SimpleAtoi(Trim(text), &value)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a whole number"));
  }
  return value;
}

}  // namespace torikumi::cli
