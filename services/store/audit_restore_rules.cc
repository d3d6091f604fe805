// The checks of audit events moved from another database (Store::RestoreAuditEvents) that
// every backend makes before writing them.
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/store/store_rules.h"

namespace torikumi::store::rules {

absl::StatusOr<std::vector<int64_t>> RestoredAuditNumbers(const std::vector<v1::AuditEvent>& events,
                                                          int64_t last_given) {
  constexpr absl::string_view kPrefix = "auditEvents/";
  std::vector<int64_t> numbers;
  int64_t previous = last_given;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string& name = events[i].name();
    int64_t number = 0;
    if (!absl::StartsWith(name, kPrefix) ||
        !absl::SimpleAtoi(absl::string_view(name).substr(kPrefix.size()), &number) || number <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("events[", i, "].name: '", name, "' is not auditEvents/{number}"));
    }
    if (number <= previous) {
      return absl::InvalidArgumentError(
          absl::StrCat("events[", i, "].name: ", name, " is not after auditEvents/", previous,
                       ": restored events come oldest first, after every event the log holds"));
    }
    numbers.push_back(number);
    previous = number;
  }
  return numbers;
}

}  // namespace torikumi::store::rules
