#include "services/table/metrics.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "services/common/table_words.h"
#include "services/table/text_util.h"

namespace torikumi::table {
namespace {

// Longest first, so 所属 is not read as something shorter.
constexpr absl::string_view kUnits[] = {"所属", "人", "件", "回", "名", "%"};
constexpr absl::string_view kBullets[] = {"・", "○", "〇", "●", "◆", "◇", "■",
                                          "□",  "▶", "-",  "*", "※", "→"};
// Inside one item, a label starts after the last of these.
constexpr absl::string_view kLabelBreaks[] = {"、", "。", ",",  ":",  ";", "(", ")",
                                              "「", "」", "【", "】", "=", "/"};

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }

// Reads "1,234.5" at `pos`; sets *end past it.
bool ReadNumber(absl::string_view s, size_t pos, double* value, size_t* end) {
  std::string digits;
  size_t p = pos;
  while (p < s.size()) {
    if (IsDigit(s[p])) {
      digits.push_back(s[p]);
      ++p;
    } else if (s[p] == ',' && !digits.empty() && p + 3 < s.size() && IsDigit(s[p + 1]) &&
               IsDigit(s[p + 2]) && IsDigit(s[p + 3]) &&
               (p + 4 >= s.size() || !IsDigit(s[p + 4]))) {
      ++p;  // a thousands separator
    } else if (s[p] == '.' && p + 1 < s.size() && IsDigit(s[p + 1]) &&
               digits.find('.') == std::string::npos) {
      digits.push_back('.');
      ++p;
    } else {
      break;
    }
  }
  if (digits.empty() || digits.size() > 15) return false;
  *end = p;
  return absl::SimpleAtod(digits, value);
}

absl::string_view UnitAt(absl::string_view s, size_t pos) {
  for (absl::string_view unit : kUnits) {
    if (absl::StartsWith(s.substr(pos), unit)) return unit;
  }
  return {};
}

std::string StripBullets(absl::string_view text) {
  text = TrimSpaces(text);
  bool changed = true;
  while (changed && !text.empty()) {
    changed = false;
    for (absl::string_view b : kBullets) {
      if (absl::StartsWith(text, b)) {
        text = TrimSpaces(text.substr(b.size()));
        changed = true;
      }
    }
  }
  return std::string(text);
}

// The label written right before a number inside the same item ("努力賞" in 努力賞7件).
absl::string_view InItemPrefix(absl::string_view before) {
  size_t start = 0;
  for (absl::string_view brk : kLabelBreaks) {
    size_t at = before.rfind(brk);
    if (at != absl::string_view::npos) start = std::max(start, at + brk.size());
  }
  return before.substr(start);
}

// The label an item gives the figure that starts the next item: its last segment
// ("達成率" in "1,234人、達成率"), unless that holds a figure, a ※ marker or nothing.
std::string LabelFromItem(absl::string_view norm_item) {
  absl::string_view tail = InItemPrefix(norm_item);
  if (tail.empty() || absl::StartsWith(tail, "※") || IsDashOnly(tail)) return "";
  for (char c : tail) {
    if (IsDigit(c)) return "";
  }
  return StripBullets(tail);
}

// The item text with every number replaced by '#', to recognise repeated groups.
std::string Shape(absl::string_view norm_item) {
  std::string out;
  for (size_t i = 0; i < norm_item.size(); ++i) {
    if (IsDigit(norm_item[i])) {
      while (i + 1 < norm_item.size() &&
             (IsDigit(norm_item[i + 1]) || norm_item[i + 1] == ',' || norm_item[i + 1] == '.')) {
        ++i;
      }
      out.push_back('#');
    } else {
      out.push_back(norm_item[i]);
    }
  }
  return out;
}

bool IsMarkerOnly(absl::string_view norm_item) {
  return norm_item == kInProgressMarker || norm_item == kScheduledMarker;
}

}  // namespace

std::vector<v1::Metric> ExtractMetrics(absl::string_view text) {
  std::vector<v1::Metric> metrics;
  std::string norm = Nfkc(text);
  std::vector<Item> items = SplitItems(norm);
  for (size_t i = 0; i < items.size(); ++i) {
    absl::string_view item = items[i].text;
    size_t pos = 0;
    while (pos < item.size()) {
      bool starts_number =
          IsDigit(item[pos]) &&
          (pos == 0 || (!IsDigit(item[pos - 1]) && item[pos - 1] != '.' && item[pos - 1] != ','));
      if (!starts_number) {
        ++pos;
        continue;
      }
      double value = 0;
      size_t end = pos;
      if (!ReadNumber(item, pos, &value, &end)) {
        pos = std::max(end, pos + 1);
        continue;
      }
      absl::string_view unit = UnitAt(item, end);
      if (unit.empty()) {
        pos = end;
        continue;
      }
      absl::string_view before = item.substr(0, pos);
      size_t after_unit = end + unit.size();
      // 計20件中: the whole the previous figure is part of.
      if (absl::EndsWith(before, "計") && absl::StartsWith(item.substr(after_unit), "中")) {
        if (!metrics.empty()) metrics.back().set_out_of(value);
        pos = after_unit;
        continue;
      }
      if (absl::EndsWith(before, "第")) {  // 第3回: an ordinal, not a count
        pos = after_unit;
        continue;
      }
      v1::Metric metric;
      metric.set_value(value);
      metric.set_unit(std::string(unit));
      std::string label = StripBullets(InItemPrefix(before));
      if (label.empty() && pos == 0 && i > 0) label = LabelFromItem(items[i - 1].text);
      metric.set_label(std::move(label));
      metrics.push_back(std::move(metric));
      pos = after_unit;
    }
  }
  return metrics;
}

v1::OutcomeStatus StatusFromMarkers(absl::string_view text) {
  std::string norm = Nfkc(text);
  if (absl::StrContains(norm, kInProgressMarker)) return v1::OUTCOME_STATUS_IN_PROGRESS;
  if (absl::StrContains(norm, kScheduledMarker)) return v1::OUTCOME_STATUS_SCHEDULED;
  return v1::OUTCOME_STATUS_UNSPECIFIED;
}

std::optional<std::vector<std::string>> SplitPerYear(absl::string_view text, int years) {
  if (years < 2) return std::nullopt;
  std::vector<Item> items = SplitItems(text);
  if (items.size() < static_cast<size_t>(years)) return std::nullopt;
  std::vector<std::string> norms;
  for (const Item& item : items) norms.push_back(Nfkc(item.text));
  const std::string first_shape = Shape(norms[0]);
  std::vector<size_t> starts;  // item index where each group begins
  for (size_t i = 0; i < items.size(); ++i) {
    if (Shape(norms[i]) == first_shape) starts.push_back(i);
  }
  if (starts.size() + 1 == static_cast<size_t>(years) && IsMarkerOnly(norms.back()) &&
      starts.back() + 1 < items.size()) {
    starts.push_back(items.size() - 1);  // the lone ※ marker is the last year
  }
  if (starts.size() != static_cast<size_t>(years)) return std::nullopt;

  std::vector<std::string> pieces;
  for (size_t g = 0; g < starts.size(); ++g) {
    size_t begin = items[starts[g]].offset;
    size_t end = g + 1 < starts.size() ? items[starts[g + 1]].offset : text.size();
    absl::string_view piece = TrimSpaces(text.substr(begin, end - begin));
    bool marker_only = g + 1 == starts.size() && IsMarkerOnly(Nfkc(piece));
    bool has_figure = !ExtractMetrics(piece).empty();
    if (!has_figure && !marker_only) {
      // A group without figures: only a dash ("-") may stand for "none this year".
      bool has_dash = false;
      size_t last = g + 1 < starts.size() ? starts[g + 1] : items.size();
      for (size_t i = starts[g]; i < last; ++i) has_dash = has_dash || IsDashOnly(norms[i]);
      if (!has_dash) return std::nullopt;
    }
    pieces.emplace_back(piece);
  }
  return pieces;
}

}  // namespace torikumi::table
