#include "services/common/table_words.h"

#include "absl/strings/match.h"

namespace torikumi {
namespace {

template <typename Enum, size_t N>
const TableWord<Enum>* EntryOf(const TableWord<Enum> (&table)[N], Enum value) {
  for (const TableWord<Enum>& entry : table) {
    if (entry.value == value) return &entry;
  }
  return nullptr;
}

template <typename Enum, size_t N>
absl::string_view WordOf(const TableWord<Enum> (&table)[N], Enum value) {
  const TableWord<Enum>* entry = EntryOf(table, value);
  return entry == nullptr ? "" : entry->word;
}

template <typename Enum, size_t N>
absl::string_view NameOf(const TableWord<Enum> (&table)[N], Enum value) {
  const TableWord<Enum>* entry = EntryOf(table, value);
  return entry == nullptr ? "" : entry->name;
}

// The value whose table word is `text`; with `or_name`, also the one whose English name is
// `text` in any case.
template <typename Enum, size_t N>
std::optional<Enum> ValueOf(const TableWord<Enum> (&table)[N], absl::string_view text,
                            bool or_name) {
  for (const TableWord<Enum>& entry : table) {
    if ((!entry.word.empty() && text == entry.word) ||
        (or_name && absl::EqualsIgnoreCase(text, entry.name))) {
      return entry.value;
    }
  }
  return std::nullopt;
}

}  // namespace

absl::string_view PhaseWord(v1::Phase phase) { return WordOf(kPhaseWords, phase); }

std::optional<v1::Phase> PhaseFromWord(absl::string_view word) {
  return ValueOf(kPhaseWords, word, /*or_name=*/false);
}

std::optional<v1::Phase> PhaseFromWordOrName(absl::string_view text) {
  return ValueOf(kPhaseWords, text, /*or_name=*/true);
}

bool IsContinuationMark(absl::string_view text) {
  for (absl::string_view mark : kContinuationMarks) {
    if (text == mark) return true;
  }
  return false;
}

absl::string_view KindWord(v1::InitiativeKind kind) { return WordOf(kKindWords, kind); }

std::optional<v1::InitiativeKind> KindFromWord(absl::string_view word) {
  return ValueOf(kKindWords, word, /*or_name=*/false);
}

std::optional<v1::InitiativeKind> KindFromWordOrName(absl::string_view text) {
  return ValueOf(kKindWords, text, /*or_name=*/true);
}

absl::string_view StatusWord(v1::OutcomeStatus status) { return WordOf(kStatusWords, status); }

absl::string_view StatusName(v1::OutcomeStatus status) { return NameOf(kStatusWords, status); }

std::optional<v1::OutcomeStatus> StatusFromWordOrName(absl::string_view text) {
  return ValueOf(kStatusWords, text, /*or_name=*/true);
}

}  // namespace torikumi
