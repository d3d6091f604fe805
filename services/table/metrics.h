// What outcome text says beyond its words: figures (・庁内 468人 → label 庁内, 468, 人;
// 努力賞7件（計20件中） → 努力賞, 7, 件, out of 20), status markers (※実施中, ※今後実施予定),
// and cells that hold one group of figures per year.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::table {

// Figures with a unit (人 件 所属 回 名 %), in order. The label is the text just before the
// number, or the space-separated item before it when the number starts an item; bullets
// (・ ○ ● ◆ ■ -) are dropped from labels. 「計N件中」 becomes the previous figure's out_of.
// Ordinals (第3回) are not figures. The text itself is not changed.
std::vector<v1::Metric> ExtractMetrics(absl::string_view text);

// ※実施中 → IN_PROGRESS (also when some parts are only scheduled), ※今後実施予定 →
// SCHEDULED, otherwise UNSPECIFIED: the text alone does not say more.
v1::OutcomeStatus StatusFromMarkers(absl::string_view text);

// For a cell that covers the whole period but repeats one group of figures once per
// year — 「5所属 140人 6所属 117人 4所属 136人 3所属 60人 2所属 42人※実施中」 — the
// verbatim piece for each year. A group starts wherever the first item's shape (its text
// with numbers masked) appears again; a lone trailing ※ marker may stand for the last
// year. nullopt unless there are exactly `years` groups and each holds a figure or a dash.
std::optional<std::vector<std::string>> SplitPerYear(absl::string_view text, int years);

}  // namespace torikumi::table
