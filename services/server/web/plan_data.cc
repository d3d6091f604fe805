#include "services/server/web/plan_data.h"

#include "services/server/http/table_transfer.h"
#include "services/table/json_codec.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/plan_service.pb.h"

namespace torikumi::server::web {

namespace {

constexpr int kPageSize = 1000;

// Calls a List method page by page, handing each response to `take`.
template <typename Request, typename Response, typename Take>
grpc::Status ListEveryPage(const std::shared_ptr<grpc::Channel>& channel,
                           const CallMetadata& metadata, const std::string& method, Request request,
                           Take take) {
  request.set_page_size(kPageSize);
  do {
    Response response;
    grpc::Status status = http::CallUnary(channel, method, metadata, request, &response);
    if (!status.ok()) return status;
    take(response);
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return grpc::Status::OK;
}

grpc::Status LoadTable(const std::shared_ptr<grpc::Channel>& channel, const CallMetadata& metadata,
                       const std::string& plan_name, PlanView* view) {
  v1::ExportTableRequest request;
  request.set_plan(plan_name);
  request.set_format(v1::TABLE_FORMAT_JSON);
  http::ExportedFile file;
  grpc::Status status = http::ExportTable(channel, metadata, request, &file);
  if (!status.ok()) return status;
  absl::StatusOr<v1::TableDocument> document = table::DocumentFromJson(file.bytes);
  if (!document.ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "the JSON export does not read back: " + document.status().ToString());
  }
  view->plan = document->plan();
  view->rows.assign(document->initiatives().begin(), document->initiatives().end());
  return grpc::Status::OK;
}

}  // namespace

const v1::ComputedRating* PlanView::Latest(absl::string_view initiative) const {
  auto found = history.find(initiative);
  if (found == history.end() || found->second.empty()) return nullptr;
  return &found->second.front();
}

grpc::Status LoadPlanView(const std::shared_ptr<grpc::Channel>& channel,
                          const CallMetadata& metadata, const std::string& plan_name,
                          PlanView* view) {
  grpc::Status status = LoadTable(channel, metadata, plan_name, view);
  if (!status.ok()) return status;
  v1::ListRatingsRequest ratings_request;
  ratings_request.set_plan(plan_name);
  ratings_request.set_history(true);
  status = ListEveryPage<v1::ListRatingsRequest, v1::ListRatingsResponse>(
      channel, metadata, "/torikumi.v1.RatingService/ListRatings", ratings_request,
      [&](const v1::ListRatingsResponse& page) {
        for (const v1::ComputedRating& rating : page.ratings()) {
          view->history[rating.initiative()].push_back(rating);  // already newest first
        }
      });
  if (!status.ok()) return status;
  v1::CompareRatingsRequest compare_request;
  compare_request.set_plan(plan_name);
  status = http::CallUnary(channel, "/torikumi.v1.RatingService/CompareRatings", metadata,
                           compare_request, &view->compare);
  if (!status.ok()) return status;
  for (const v1::RatingDisagreement& disagreement : view->compare.disagreements()) {
    view->disagreements.insert(disagreement.initiative());
  }
  return grpc::Status::OK;
}

grpc::Status ListAllOrganizations(const std::shared_ptr<grpc::Channel>& channel,
                                  const CallMetadata& metadata,
                                  std::vector<v1::Organization>* organizations) {
  return ListEveryPage<v1::ListOrganizationsRequest, v1::ListOrganizationsResponse>(
      channel, metadata, "/torikumi.v1.OrganizationService/ListOrganizations", {},
      [&](const v1::ListOrganizationsResponse& page) {
        organizations->insert(organizations->end(), page.organizations().begin(),
                              page.organizations().end());
      });
}

grpc::Status ListAllPlans(const std::shared_ptr<grpc::Channel>& channel,
                          const CallMetadata& metadata, const std::string& organization_name,
                          std::vector<v1::Plan>* plans) {
  v1::ListPlansRequest request;
  request.set_parent(organization_name);
  return ListEveryPage<v1::ListPlansRequest, v1::ListPlansResponse>(
      channel, metadata, "/torikumi.v1.PlanService/ListPlans", request,
      [&](const v1::ListPlansResponse& page) {
        plans->insert(plans->end(), page.plans().begin(), page.plans().end());
      });
}

grpc::Status ListAllInitiatives(const std::shared_ptr<grpc::Channel>& channel,
                                const CallMetadata& metadata, const std::string& plan_name,
                                std::vector<v1::Initiative>* initiatives) {
  v1::ListInitiativesRequest request;
  request.set_parent(plan_name);
  return ListEveryPage<v1::ListInitiativesRequest, v1::ListInitiativesResponse>(
      channel, metadata, "/torikumi.v1.InitiativeService/ListInitiatives", request,
      [&](const v1::ListInitiativesResponse& page) {
        initiatives->insert(initiatives->end(), page.initiatives().begin(),
                            page.initiatives().end());
      });
}

grpc::Status ListAllRatingRounds(const std::shared_ptr<grpc::Channel>& channel,
                                 const CallMetadata& metadata, const std::string& plan_name,
                                 std::vector<v1::RatingRound>* rounds) {
  v1::ListRatingRoundsRequest request;
  request.set_parent(plan_name);
  return ListEveryPage<v1::ListRatingRoundsRequest, v1::ListRatingRoundsResponse>(
      channel, metadata, "/torikumi.v1.RatingRoundService/ListRatingRounds", request,
      [&](const v1::ListRatingRoundsResponse& page) {
        rounds->insert(rounds->end(), page.rating_rounds().begin(), page.rating_rounds().end());
      });
}

std::string ComputedGradeText(const v1::ComputedRating& rating) {
  return rating.has_insufficient_data() ? "データ不足" : rating.grade();
}

}  // namespace torikumi::server::web
