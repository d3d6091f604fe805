#include "services/server/rating_services.h"

namespace torikumi::server {

absl::StatusOr<v1::ReloadEvaluatorsResponse> RatingServices::Reload() {
  return ReloadAndRerate(host, ratings, jobs);
}

}  // namespace torikumi::server
