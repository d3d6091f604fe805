#include "services/server/rating_services.h"

#include "services/domain/evaluator_reload.h"

namespace torikumi::server {

absl::StatusOr<v1::ReloadEvaluatorsResponse> RatingServices::Reload() {
  return domain::ReloadAndRerate(host, ratings, jobs);
}

}  // namespace torikumi::server
