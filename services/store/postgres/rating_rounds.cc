// Rating rounds in the PostgreSQL store: not yet written (the SQLite store has them).
#include "services/store/postgres/postgres_store_impl.h"

namespace torikumi::store::postgres {
namespace {
absl::Status NotYet() {
  return absl::UnimplementedError("rating rounds are not yet stored in PostgreSQL");
}
}  // namespace

absl::StatusOr<v1::RatingRound> PostgresStore::OpenRatingRound(absl::string_view,
                                                               absl::string_view) {
  return NotYet();
}
absl::StatusOr<v1::RatingRound> PostgresStore::GetRatingRound(absl::string_view) {
  return NotYet();
}
absl::StatusOr<ListResult<v1::RatingRound>> PostgresStore::ListRatingRounds(absl::string_view,
                                                                            Page) {
  return NotYet();
}
absl::StatusOr<v1::RatingRound> PostgresStore::ReviewRatingRound(const RoundReview&) {
  return NotYet();
}
absl::StatusOr<v1::RatingRound> PostgresStore::SetRatingRoundState(const RoundTransition&) {
  return NotYet();
}

}  // namespace torikumi::store::postgres
