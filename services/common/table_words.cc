#include "services/common/table_words.h"

#include "absl/strings/match.h"

namespace torikumi {
namespace {

// The entry of `table` whose `key` member equals `value`, or null.
template <typename Entry, size_t N, typename Key, typename Value>
const Entry* FindEntry(const Entry (&table)[N], Key Entry::*key, const Value& value) {
  for (const Entry& entry : table) {
    if (entry.*key == value) return &entry;
  }
  return nullptr;
}

// The entry whose table word is `text`, or whose English name is `text` in any case.
template <typename Entry, size_t N>
const Entry* FindWordOrName(const Entry (&table)[N], absl::string_view text) {
  for (const Entry& entry : table) {
    if ((!entry.word.empty() && text == entry.word) || absl::EqualsIgnoreCase(text, entry.name)) {
      return &entry;
    }
  }
  return nullptr;
}

}  // namespace

absl::string_view PhaseWord(v1::Phase phase) {
  const PhaseWords* entry = FindEntry(kPhaseWords, &PhaseWords::phase, phase);
  return entry == nullptr ? "" : entry->word;
}

std::optional<v1::Phase> PhaseFromWord(absl::string_view word) {
  const PhaseWords* entry = FindEntry(kPhaseWords, &PhaseWords::word, word);
  if (entry == nullptr) return std::nullopt;
  return entry->phase;
}

std::optional<v1::Phase> PhaseFromWordOrName(absl::string_view text) {
  const PhaseWords* entry = FindWordOrName(kPhaseWords, text);
  if (entry == nullptr) return std::nullopt;
  return entry->phase;
}

bool IsContinuationMark(absl::string_view text) {
  for (absl::string_view mark : kContinuationMarks) {
    if (text == mark) return true;
  }
  return false;
}

absl::string_view KindWord(v1::InitiativeKind kind) {
  const KindWords* entry = FindEntry(kKindWords, &KindWords::kind, kind);
  return entry == nullptr ? "" : entry->word;
}

std::optional<v1::InitiativeKind> KindFromWord(absl::string_view word) {
  const KindWords* entry = FindEntry(kKindWords, &KindWords::word, word);
  if (entry == nullptr) return std::nullopt;
  return entry->kind;
}

std::optional<v1::InitiativeKind> KindFromWordOrName(absl::string_view text) {
  const KindWords* entry = FindWordOrName(kKindWords, text);
  if (entry == nullptr) return std::nullopt;
  return entry->kind;
}

absl::string_view StatusWord(v1::OutcomeStatus status) {
  const StatusWords* entry = FindEntry(kStatusWords, &StatusWords::status, status);
  return entry == nullptr ? "" : entry->word;
}

absl::string_view StatusName(v1::OutcomeStatus status) {
  const StatusWords* entry = FindEntry(kStatusWords, &StatusWords::status, status);
  return entry == nullptr ? "" : entry->name;
}

std::optional<v1::OutcomeStatus> StatusFromWordOrName(absl::string_view text) {
  const StatusWords* entry = FindWordOrName(kStatusWords, text);
  if (entry == nullptr) return std::nullopt;
  return entry->status;
}

}  // namespace torikumi
