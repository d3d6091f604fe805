// What every Store backend decides the same way, without a database: etags, the NFKC forms the
// store matches on, page checks, per-item error prefixes, as-of keys, and the scopes of the
// change feed and audit log. The SQLite and PostgreSQL backends both use these, so the two
// behave alike by construction rather than by copy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/resource_name.h"
#include "services/store/store.h"
#include "torikumi/v1/resources.pb.h"

namespace torikumi::store::rules {

// The etag of a row written at `version`: "\"v42\"" (quoted, as HTTP etags are).
std::string EtagOf(int64_t version);

// ABORTED when `expected` is not empty and differs from `stored`; `what` names the resource,
// e.g. "plan 'organizations/o/plans/p'".
absl::Status CheckEtag(absl::string_view what, absl::string_view stored,
                       absl::string_view expected);

// NFKC of `text`; INVALID_ARGUMENT naming `field` when it is not UTF-8.
absl::StatusOr<std::string> Normalized(absl::string_view text, absl::string_view field);

// NFKC of `text`, or the text itself when it is not UTF-8: the form in which the store
// matches areas and themes.
std::string MatchingForm(absl::string_view text);

// INVALID_ARGUMENT for a negative offset or limit. A limit of 0 returns only the total.
absl::Status CheckPage(const Page& page);

// `status` with "initiatives[index]: " before its message; payloads (field violations) kept.
absl::Status ForItem(const absl::Status& status, size_t index);

// A date as the integer year*10000 + month*100 + day (0 for an unset date), which orders as
// the dates do; and back.
int64_t AsOfKey(const v1::Date& date);
v1::Date DateOfKey(int64_t key);

// NOT_FOUND for a request_id whose resource has been deleted since.
absl::Status RequestTargetGone(absl::string_view request_id, absl::string_view name);

// "organizations/{o}" and, for names below a plan, "organizations/{o}/plans/{p}": where a
// change is filed in the feed.
struct ChangeScope {
  std::string organization;
  std::string plan;
};
ChangeScope ScopeOf(absl::string_view name);

// One resource a write transaction changed, for the audit log.
struct AuditChange {
  std::string resource;
  std::string etag_before;  // "" when it was created
  std::string etag_after;   // "" when it was deleted
};
// Leaves out what changed only because an ancestor was created or deleted with it, and
// resources created and deleted within the transaction.
std::vector<AuditChange> TopLevelChanges(const std::vector<AuditChange>& changes);
// "organizations/{o}" of a resource below (or being) an organization; "" otherwise.
std::string OrganizationOf(absl::string_view resource);

// Store::RestoreAuditEvents before its insert: the number of each event's name
// ("auditEvents/{n}"), each greater than the previous one and than `last_given` (the highest
// number the log has given); INVALID_ARGUMENT naming "events[i]" otherwise.
absl::StatusOr<std::vector<int64_t>> RestoredAuditNumbers(const std::vector<v1::AuditEvent>& events,
                                                          int64_t last_given);

// What a backend does, inside a write's transaction, to record a RatingAfterWrite: its
// ReadPlanInputs as the transaction sees the database, the latest version of a rule set (0
// when none) and the insert of a computed rating with its change.
struct RatingAfterWriteSteps {
  absl::FunctionRef<absl::StatusOr<PlanInputs>(const std::string& plan,
                                               const std::string& initiative)>
      read_inputs;
  absl::FunctionRef<absl::StatusOr<int32_t>(const std::string& rule_set)> latest_version;
  absl::FunctionRef<absl::Status(const v1::ComputedRating& rating)> insert;
};
// Records `rating` when its inputs still hold (rating->recorded says whether it did);
// nothing when `rating` is null, nor when the write removed what it rated.
absl::Status RecordRatingAfterWrite(RatingAfterWrite* rating, const RatingAfterWriteSteps& steps);

// Store::RecordRatings before its transaction: INVALID_ARGUMENT naming
// "ratings[i].initiative" for the first rating whose initiative is not an initiative's name.
absl::Status CheckRatingNames(const std::vector<v1::ComputedRating>& ratings);

// The copies of an initiative's fields that a store indexes, besides those it copies as is.
// `field` names the initiative in errors: "initiative" or "initiatives[3]".
struct IndexedInitiative {
  std::string plan;
  // NFKC of title, theme and subtheme, one per line.
  std::string search_text;
  // NFKC of area and theme, which filters and the one-number-per-area rule match on.
  std::string area_key;
  std::string theme_key;
  // The fiscal years of schedule entries that carry a phase, ascending, each once.
  std::vector<int> years;
};
absl::StatusOr<IndexedInitiative> IndexInitiative(const v1::Initiative& initiative,
                                                  absl::string_view field);

// The checks of an outcome that need no database: the name, its fiscal year, the text's NFKC.
struct CheckedOutcome {
  OutcomeName name;
  std::string search_text;
};
absl::StatusOr<CheckedOutcome> CheckOutcome(const v1::Outcome& outcome);

// An initiative's place in its plan as imports match it: the NFKC area and the number.
using ImportKey = std::pair<std::string, int32_t>;
ImportKey KeyOf(const v1::Initiative& initiative);
std::string KeyText(const ImportKey& key);
// What can be checked of an import without the database: the plan name, no key twice, no
// item re-listing itself, no fiscal year twice in one item's outcomes.
absl::Status CheckImport(const PlanImport& import);

// The organization of "organizations/{o}/ruleSets/{r}"; INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::string> RuleSetOrganization(absl::string_view name, absl::string_view field);
// "organizations/{o}" of an organization's token; "" for a server admin token.
std::string TokenOrganization(absl::string_view name);

}  // namespace torikumi::store::rules
