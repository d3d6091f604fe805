// What the pages show, fetched through the server's own gRPC methods on the in-process
// channel with the browser's Authorization header, so that a page sees exactly what the
// caller may see over gRPC or HTTP/JSON (never the store directly).
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "services/server/http/grpc_call.h"
#include "torikumi/v1/organization_service.pb.h"
#include "torikumi/v1/rating_round_service.pb.h"
#include "torikumi/v1/rating_service.pb.h"
#include "torikumi/v1/resources.pb.h"
#include "torikumi/v1/table.pb.h"

namespace torikumi::server::web {

using http::CallMetadata;

// One plan with everything its table and pictures need.
struct PlanView {
  v1::Plan plan;
  // The table's rows in its order, with their outcomes (the lossless JSON export).
  std::vector<v1::TableInitiative> rows;
  // Every recorded computed rating per initiative name, newest first.
  absl::flat_hash_map<std::string, std::vector<v1::ComputedRating>> history;
  v1::CompareRatingsResponse compare;
  // Initiatives whose human and computed grades differ (CompareRatings' disagreements).
  absl::flat_hash_set<std::string> disagreements;

  // The latest computed rating of `initiative`, nullptr when none is recorded.
  const v1::ComputedRating* Latest(absl::string_view initiative) const;
};

// The caller's view of the plan `plan_name` (organizations/o/plans/p); the first failing
// call's status otherwise (NOT_FOUND, PERMISSION_DENIED, …).
grpc::Status LoadPlanView(const std::shared_ptr<grpc::Channel>& channel,
                          const CallMetadata& metadata, const std::string& plan_name,
                          PlanView* view);

// Every organization, every page.
grpc::Status ListAllOrganizations(const std::shared_ptr<grpc::Channel>& channel,
                                  const CallMetadata& metadata,
                                  std::vector<v1::Organization>* organizations);

// Every plan of `organization_name`, every page.
grpc::Status ListAllPlans(const std::shared_ptr<grpc::Channel>& channel,
                          const CallMetadata& metadata, const std::string& organization_name,
                          std::vector<v1::Plan>* plans);

// Every initiative of `plan_name`, every page.
grpc::Status ListAllInitiatives(const std::shared_ptr<grpc::Channel>& channel,
                                const CallMetadata& metadata, const std::string& plan_name,
                                std::vector<v1::Initiative>* initiatives);

// Every rating round of `plan_name`, oldest year first, every page.
grpc::Status ListAllRatingRounds(const std::shared_ptr<grpc::Channel>& channel,
                                 const CallMetadata& metadata, const std::string& plan_name,
                                 std::vector<v1::RatingRound>* rounds);

// "A", or データ不足 for a rating that found the evidence insufficient.
std::string ComputedGradeText(const v1::ComputedRating& rating);

}  // namespace torikumi::server::web
