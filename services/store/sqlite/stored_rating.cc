#include "services/store/sqlite/stored_rating.h"

#include <sqlite3.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/store/sqlite/stored_body.h"
#include "torikumi/storage/v1/stored_rating.pb.h"

namespace torikumi::store::sqlite {
namespace {

using torikumi::storage::v1::StoredRating;

// A fact reference in a reason template: kRef, then the character kFirstIndex + i for
// facts[i]. Values shorter than kMinValue stay in the text (a reference takes two bytes).
constexpr char kRef = '\x01';
constexpr int kFirstIndex = 0x20;
constexpr int kMaxFacts = 0x7f - kFirstIndex;
constexpr size_t kMinValue = 3;

bool IsLowerHexSha256(absl::string_view hash) {
  if (hash.size() != 64) return false;
  for (char c : hash) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

// The index of the longest fact value that `reason` continues with at `at`; -1 for none.
int LongestValueAt(const v1::ComputedRating& rating, absl::string_view reason, size_t at) {
  int best = -1;
  size_t best_size = kMinValue - 1;
  for (int i = 0; i < rating.facts_size() && i < kMaxFacts; ++i) {
    const std::string& value = rating.facts(i).value();
    if (value.size() > best_size && absl::StartsWith(absl::string_view(reason).substr(at), value)) {
      best = i;
      best_size = value.size();
    }
  }
  return best;
}

std::string ReasonTemplate(const v1::ComputedRating& rating) {
  const std::string& reason = rating.reason();
  std::string out;
  out.reserve(reason.size());
  for (size_t at = 0; at < reason.size();) {
    const int fact = LongestValueAt(rating, reason, at);
    if (fact < 0) {
      out += reason[at++];
      continue;
    }
    out += kRef;
    out += static_cast<char>(kFirstIndex + fact);
    at += rating.facts(fact).value().size();
  }
  return out;
}

// The reason `stored` keeps; false when a reference names no fact (a damaged body).
bool RestoreReason(const StoredRating& stored, std::string* reason) {
  if (stored.reason_template().empty()) {
    *reason = stored.reason();
    return true;
  }
  const std::string& text = stored.reason_template();
  reason->clear();
  for (size_t at = 0; at < text.size(); ++at) {
    if (text[at] != kRef) {
      *reason += text[at];
      continue;
    }
    if (++at == text.size()) return false;
    const int fact = static_cast<unsigned char>(text[at]) - kFirstIndex;
    if (fact < 0 || fact >= stored.facts_size()) return false;
    *reason += stored.facts(fact).value();
  }
  return true;
}

}  // namespace

std::string StoredRatingBody(const v1::ComputedRating& rating) {
  StoredRating stored;
  if (rating.has_grade()) stored.set_grade(rating.grade());
  if (rating.has_insufficient_data()) stored.set_insufficient_data(rating.insufficient_data());
  stored.set_evaluator(rating.evaluator());
  stored.set_evaluator_version(rating.evaluator_version());
  stored.set_rule_set_version(rating.rule_set_version());
  *stored.mutable_fired_rules() = rating.fired_rules();
  *stored.mutable_facts() = rating.facts();
  if (absl::StrContains(rating.reason(), kRef)) {
    stored.set_reason(rating.reason());
  } else {
    stored.set_reason_template(ReasonTemplate(rating));
  }
  if (IsLowerHexSha256(rating.input_sha256())) {
    stored.set_input_sha256(absl::HexStringToBytes(rating.input_sha256()));
  } else {
    stored.set_input_sha256_text(rating.input_sha256());
  }
  if (rating.has_compute_time()) *stored.mutable_compute_time() = rating.compute_time();
  stored.set_trigger(rating.trigger());
  stored.set_area(rating.area());
  stored.set_number(rating.number());
  return stored.SerializeAsString();
}

absl::StatusOr<v1::ComputedRating> RestoreRating(absl::string_view body,
                                                 absl::string_view initiative,
                                                 absl::string_view rule_set,
                                                 absl::string_view what) {
  StoredRating stored;
  v1::ComputedRating rating;
  if (!stored.ParseFromArray(body.data(), static_cast<int>(body.size())) ||
      !RestoreReason(stored, rating.mutable_reason())) {
    return absl::InternalError(absl::StrCat("stored computed rating '", what,
                                            "' does not parse; the database is damaged"));
  }
  rating.set_initiative(std::string(initiative));
  if (stored.has_grade()) rating.set_grade(stored.grade());
  if (stored.has_insufficient_data()) rating.set_insufficient_data(stored.insufficient_data());
  rating.set_evaluator(stored.evaluator());
  rating.set_evaluator_version(stored.evaluator_version());
  rating.set_rule_set(std::string(rule_set));
  rating.set_rule_set_version(stored.rule_set_version());
  *rating.mutable_fired_rules() = stored.fired_rules();
  *rating.mutable_facts() = stored.facts();
  rating.set_input_sha256(stored.input_sha256().empty()
                              ? stored.input_sha256_text()
                              : absl::BytesToHexString(stored.input_sha256()));
  if (stored.has_compute_time()) *rating.mutable_compute_time() = stored.compute_time();
  rating.set_trigger(stored.trigger());
  rating.set_area(stored.area());
  rating.set_number(stored.number());
  return rating;
}

namespace {

// rating_body(stored, initiative, rule_set). The initiative must be known: a rating's change
// must not be kept without it (the triggers of migration 15 read it before it is deleted).
void RatingBody(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(context);
  if (sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    return sqlite3_result_error(context, "rating_body: the computed rating's initiative is gone",
                                -1);
  }
  absl::StatusOr<v1::ComputedRating> rating =
      RestoreRating(BlobArg(argv[0]), TextArg(argv[1]), TextArg(argv[2]), TextArg(argv[1]));
  if (!rating.ok()) {
    const std::string message(rating.status().message());
    return sqlite3_result_error(context, message.c_str(), -1);
  }
  ResultBlob(context, rating->SerializeAsString());
}

// The ComputedRating of argv[0] (a body a release stored); false after reporting the error.
bool ParseFull(sqlite3_context* context, sqlite3_value* body, v1::ComputedRating* rating) {
  absl::string_view bytes = BlobArg(body);
  if (rating->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return true;
  sqlite3_result_error(context, "a stored torikumi.v1.ComputedRating does not parse", -1);
  return false;
}

void StoredRatingFunction(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  v1::ComputedRating rating;
  if (ParseFull(context, argv[0], &rating)) ResultBlob(context, StoredRatingBody(rating));
}

// NULL for a rating without a rule set.
void RatingRuleSet(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  v1::ComputedRating rating;
  if (!ParseFull(context, argv[0], &rating)) return;
  if (rating.rule_set().empty()) return sqlite3_result_null(context);
  sqlite3_result_text(context, rating.rule_set().data(), static_cast<int>(rating.rule_set().size()),
                      SQLITE_TRANSIENT);
}

}  // namespace

int RegisterRatingFunctions(sqlite3* db) {
  return RegisterFunctions(db, {{"rating_body", 3, &RatingBody},
                                {"stored_rating", 1, &StoredRatingFunction},
                                {"rating_rule_set", 1, &RatingRuleSet}});
}

}  // namespace torikumi::store::sqlite
