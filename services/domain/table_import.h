// Importing a published 取組状況 table (ImportTable): reads the bytes with the table reader
// (services/table), holds what it read to the same rules as the single-resource methods
// (normalisation, validation.h), and writes the plan with its initiatives and outcomes in one
// store transaction (Store::ImportPlan), updating an existing plan in place.
//
// What the findings mean for the import:
//   info, repair, guess   reported; the import goes ahead (with options.strict it is refused)
//   error                 something was left out, so the import is refused: INVALID_ARGUMENT
//                         with a violation per finding ("table:LINE:COLUMN"), nothing stored
// A dry run never fails on findings: it returns all of them and says in `refusal` why the
// import would be refused. Errors name at most the first few violations (gRPC carries them
// in headers of limited size) and how many more there are.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/rating_triggers.h"
#include "services/store/store.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::domain {

// The most initiatives one import may carry: a real plan has about a hundred, and a larger
// import would hold the store's write lock for long.
inline constexpr int kMaxImportedInitiatives = 5000;

class TableImporter {
 public:
  explicit TableImporter(store::Store& store) : store_(store) {}

  // `bytes` is the whole file. Errors: INVALID_ARGUMENT for bad options (naming
  // "options.<field>"), for input the reader refuses (naming "table" or "table:LINE:COLUMN")
  // and for content that breaks a rule of the plan (naming "plan.…" or "initiatives[i].…"
  // with the table line); NOT_FOUND for a missing organization or plan; ALREADY_EXISTS for a
  // plan_id in use; FAILED_PRECONDITION when an update would strand what the plan already has
  // (an initiative in an area the table drops, an outcome outside the new period).
  absl::StatusOr<v1::ImportTableResponse> Import(const v1::ImportTableOptions& options,
                                                 absl::string_view bytes);

  // Told after every write that changes what a computed rating depends on; none by default.
  void set_rating_triggers(RatingTriggers* triggers) { triggers_ = triggers; }

 private:
  // Import before its error is condensed to a size gRPC can carry.
  absl::StatusOr<v1::ImportTableResponse> ImportUncondensed(const v1::ImportTableOptions& options,
                                                            absl::string_view bytes);

  store::Store& store_;
  RatingTriggers* triggers_ = nullptr;
};

}  // namespace torikumi::domain
