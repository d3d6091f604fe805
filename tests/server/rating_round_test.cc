// The year-end rating round over gRPC on the seed: a real in-process server with this
// build's plugins; the seed table imported, rated with the shipped abc-implementation rule
// set, the FY2022 round opened, the 60 computed grades that agree with the seed's human ones
// accepted and the 4 that do not overridden with the human grade and its reason, progress
// followed by area, the round closed. Then every way of writing a grade of the plan is
// refused naming the round; reopening needs a reason; the export carries the round's grades.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "services/server/server.h"
#include "tests/server/rating_jobs_support.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/rating_round_service.grpc.pb.h"
#include "torikumi/v1/rating_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"
#include "torikumi/v1/table.pb.h"
#include "torikumi/v1/table_service.grpc.pb.h"

namespace torikumi {
namespace {

using server_test::TempDir;

constexpr absl::string_view kOrg = "organizations/city";
constexpr absl::string_view kPlan = "organizations/city/plans/hr";
constexpr absl::string_view kRound = "organizations/city/plans/hr/ratingRounds/2022";

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return context;
}

// A refusal with this code whose message holds `part`.
::testing::AssertionResult Refused(const grpc::Status& status, grpc::StatusCode code,
                                   absl::string_view part) {
  if (status.error_code() == code && absl::StrContains(status.error_message(), part)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "code " << status.error_code() << ": " << status.error_message();
}

class ServerRatingRoundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<server::Server>> server =
        server::Server::Open(dir_.File("torikumi.db"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->EnableRatings(TORIKUMI_BUILT_PLUGINS_DIR).ok());
    absl::Status started = server_->Start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started;
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    rounds_ = v1::RatingRoundService::NewStub(channel_);
    initiatives_ = v1::InitiativeService::NewStub(channel_);
    tables_ = v1::TableService::NewStub(channel_);
    ImportSeedAndRate();
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  // Streams the seed table into organizations/city: a new plan "hr", or the existing one.
  grpc::Status ImportSeed(bool into_existing) {
    v1::ImportTableResponse response;
    auto context = Context();
    auto writer = tables_->ImportTable(context.get(), &response);
    v1::ImportTableRequest request;
    request.mutable_options()->set_parent(std::string(kOrg));
    if (into_existing) {
      request.mutable_options()->set_plan(std::string(kPlan));
    } else {
      request.mutable_options()->set_plan_id("hr");
    }
    request.set_chunk(server_test::ReadFile(TORIKUMI_SEED_TSV));
    writer->Write(request);
    writer->WritesDone();
    return writer->Finish();
  }

  void ImportSeedAndRate() {
    auto organizations = v1::OrganizationService::NewStub(channel_);
    v1::CreateOrganizationRequest create;
    create.set_organization_id("city");
    create.mutable_organization()->set_display_name("市");
    v1::CreateOrganizationResponse created;
    ASSERT_TRUE(organizations->CreateOrganization(Context().get(), create, &created).ok());
    grpc::Status imported = ImportSeed(/*into_existing=*/false);
    ASSERT_TRUE(imported.ok()) << imported.error_message();

    v1::CreateRuleSetRequest rule_set;
    rule_set.set_parent(std::string(kOrg));
    rule_set.set_rule_set_id("abc-implementation");
    rule_set.set_plan(std::string(kPlan));
    rule_set.mutable_rule_set()->set_evaluator("rules");
    rule_set.mutable_rule_set()->set_body(
        server_test::ReadFile(TORIKUMI_RULESETS_DIR "/abc-implementation.textproto"));
    v1::CreateRuleSetResponse rule_set_created;
    auto rule_sets = v1::RuleSetService::NewStub(channel_);
    grpc::Status status = rule_sets->CreateRuleSet(Context().get(), rule_set, &rule_set_created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    auto plans = v1::PlanService::NewStub(channel_);
    v1::UpdatePlanRequest update;
    update.mutable_plan()->set_name(std::string(kPlan));
    update.mutable_plan()->set_rule_set(rule_set_created.rule_set().name());
    update.mutable_update_mask()->add_paths("rule_set");
    v1::UpdatePlanResponse updated;
    ASSERT_TRUE(plans->UpdatePlan(Context().get(), update, &updated).ok());
    auto ratings = v1::RatingService::NewStub(channel_);
    ASSERT_EQ(server_test::WaitForJob(*ratings, updated.rating_job()).state(),
              v1::Job::STATE_SUCCEEDED);
  }

  // The human rating of every initiative of the plan, by name.
  std::map<std::string, v1::HumanRating> HumanRatings() {
    v1::ListInitiativesRequest request;
    request.set_parent(std::string(kPlan));
    request.set_page_size(1000);
    v1::ListInitiativesResponse response;
    EXPECT_TRUE(initiatives_->ListInitiatives(Context().get(), request, &response).ok());
    std::map<std::string, v1::HumanRating> ratings;
    for (const v1::Initiative& initiative : response.initiatives()) {
      if (initiative.has_human_rating()) ratings[initiative.name()] = initiative.human_rating();
    }
    return ratings;
  }

  v1::RatingRound Open() {
    v1::OpenRatingRoundRequest request;
    request.set_parent(std::string(kPlan));
    request.set_fiscal_year(2022);
    v1::OpenRatingRoundResponse response;
    grpc::Status status = rounds_->OpenRatingRound(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.rating_round();
  }

  grpc::Status Accept(const std::string& initiative) {
    v1::AcceptRatingRequest request;
    request.set_name(std::string(kRound));
    request.set_initiative(initiative);
    v1::AcceptRatingResponse response;
    return rounds_->AcceptRating(Context().get(), request, &response);
  }

  grpc::Status Override(const std::string& initiative, const std::string& grade,
                        const std::string& reason) {
    v1::OverrideRatingRequest request;
    request.set_name(std::string(kRound));
    request.set_initiative(initiative);
    request.set_grade(grade);
    request.set_reason(reason);
    v1::OverrideRatingResponse response;
    return rounds_->OverrideRating(Context().get(), request, &response);
  }

  grpc::Status Close(v1::RatingRound* closed = nullptr) {
    v1::CloseRatingRoundRequest request;
    request.set_name(std::string(kRound));
    v1::CloseRatingRoundResponse response;
    grpc::Status status = rounds_->CloseRatingRound(Context().get(), request, &response);
    if (closed != nullptr) *closed = response.rating_round();
    return status;
  }

  grpc::Status Reopen(const std::string& reason) {
    v1::ReopenRatingRoundRequest request;
    request.set_name(std::string(kRound));
    request.set_reason(reason);
    v1::ReopenRatingRoundResponse response;
    return rounds_->ReopenRatingRound(Context().get(), request, &response);
  }

  v1::NextRatingRoundEntryResponse Next(const std::string& area = "") {
    v1::NextRatingRoundEntryRequest request;
    request.set_name(std::string(kRound));
    request.set_area(area);
    v1::NextRatingRoundEntryResponse response;
    grpc::Status status = rounds_->NextRatingRoundEntry(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Reviews every entry as the seed's rater did: accepts an agreeing computed grade, and
  // overrides a disagreeing one with the human grade and its reason. Returns the counts.
  // Only the entries of `area` when it is not empty.
  std::pair<int, int> ReviewLikeTheSeed(const v1::RatingRound& round, const std::string& area) {
    const std::map<std::string, v1::HumanRating> human = HumanRatings();
    int accepted = 0;
    int overridden = 0;
    for (const v1::RatingRoundEntry& entry : round.entries()) {
      if (!area.empty() && entry.area() != area) continue;
      if (human.count(entry.initiative()) == 0) {
        ADD_FAILURE() << "the seed gives no grade to " << entry.initiative();
        continue;
      }
      const v1::HumanRating& rating = human.at(entry.initiative());
      if (entry.proposed_grade() == rating.grade()) {
        grpc::Status status = Accept(entry.initiative());
        EXPECT_TRUE(status.ok()) << status.error_message();
        ++accepted;
      } else {
        const std::string reason = rating.reason().empty() ? "人事課の評価による" : rating.reason();
        grpc::Status status = Override(entry.initiative(), rating.grade(), reason);
        EXPECT_TRUE(status.ok()) << status.error_message();
        ++overridden;
      }
    }
    return {accepted, overridden};
  }

  // The plan's exported table (JSON) as a document.
  v1::TableDocument Export() {
    v1::ExportTableRequest request;
    request.set_plan(std::string(kPlan));
    request.set_format(v1::TABLE_FORMAT_JSON);
    auto context = Context();
    auto reader = tables_->ExportTable(context.get(), request);
    std::string bytes;
    v1::ExportTableResponse message;
    while (reader->Read(&message)) bytes += message.chunk();
    EXPECT_TRUE(reader->Finish().ok());
    v1::TableDocument document;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(bytes, &document).ok());
    return document;
  }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RatingRoundService::Stub> rounds_;
  std::unique_ptr<v1::InitiativeService::Stub> initiatives_;
  std::unique_ptr<v1::TableService::Stub> tables_;
};

TEST_F(ServerRatingRoundTest, AWholeRoundOnTheSeed) {
  const v1::RatingRound opened = Open();
  EXPECT_EQ(opened.state(), v1::RatingRound::STATE_OPEN);
  ASSERT_EQ(opened.entries_size(), 64);
  EXPECT_EQ(opened.progress().total(), 64);
  ASSERT_EQ(opened.area_progress_size(), 3);
  v1::NextRatingRoundEntryResponse first = Next();
  EXPECT_EQ(first.entry().initiative(), opened.entries(0).initiative());
  EXPECT_EQ(first.progress().reviewed(), 0);

  // The first area, then its progress beside the others'.
  const std::string area = opened.area_progress(0).area();
  const auto [accepted_first, overridden_first] = ReviewLikeTheSeed(opened, area);
  v1::NextRatingRoundEntryResponse area_done = Next(area);
  EXPECT_FALSE(area_done.has_entry());
  EXPECT_EQ(area_done.progress().reviewed(), opened.area_progress(0).total());
  v1::NextRatingRoundEntryResponse rest = Next();
  EXPECT_NE(rest.entry().area(), area);
  EXPECT_EQ(rest.progress().reviewed(), accepted_first + overridden_first);
  EXPECT_TRUE(Refused(Close(), grpc::StatusCode::FAILED_PRECONDITION, "of 64"));

  int accepted = accepted_first;
  int overridden = overridden_first;
  for (int a = 1; a < 3; ++a) {
    const auto [more_accepted, more_overridden] =
        ReviewLikeTheSeed(opened, opened.area_progress(a).area());
    accepted += more_accepted;
    overridden += more_overridden;
  }
  EXPECT_EQ(accepted, 60);
  EXPECT_EQ(overridden, 4);

  v1::RatingRound closed;
  grpc::Status status = Close(&closed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(closed.state(), v1::RatingRound::STATE_CLOSED);
  EXPECT_EQ(closed.progress().reviewed(), 64);
  EXPECT_EQ(closed.progress().accepted(), 60);
  EXPECT_EQ(closed.progress().overridden(), 4);
  int by_area = 0;
  for (const v1::RatingRoundProgress& p : closed.area_progress()) {
    EXPECT_EQ(p.reviewed(), p.total()) << p.area();
    by_area += p.reviewed();
  }
  EXPECT_EQ(by_area, 64);

  // An accepted grade links to the computed rating it came from.
  const v1::RatingRoundEntry entry = closed.entries(0);
  const v1::HumanRating human = HumanRatings().at(entry.initiative());
  EXPECT_EQ(human.grade(), entry.grade());
  EXPECT_EQ(human.rating_round(), kRound);
  EXPECT_EQ(human.rater(), "local");
  if (entry.decision() == v1::RatingRoundEntry::DECISION_ACCEPTED) {
    EXPECT_EQ(human.computed_rating(), entry.computed_rating());
  }

  // Closed: every write of a grade is refused, naming the round.
  v1::RateInitiativeRequest rate;
  rate.set_name(entry.initiative());
  rate.set_grade(entry.grade() == "A" ? "B" : "A");
  rate.set_rater("人事課");
  v1::RateInitiativeResponse rated;
  EXPECT_TRUE(Refused(initiatives_->RateInitiative(Context().get(), rate, &rated),
                      grpc::StatusCode::FAILED_PRECONDITION, kRound));
  EXPECT_TRUE(Refused(Accept(entry.initiative()), grpc::StatusCode::FAILED_PRECONDITION, "closed"));

  // Reopened with a reason, one grade changed on appeal, closed again.
  EXPECT_TRUE(Refused(Reopen(""), grpc::StatusCode::INVALID_ARGUMENT, "reason"));
  status = Reopen("異議申立てによる再審査");
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string appealed = entry.grade() == "A" ? "B" : "A";
  status = Override(entry.initiative(), appealed, "再審査の結果");
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(Close(&closed).ok());

  // Importing the seed again would put the old grade back: refused as a whole.
  EXPECT_TRUE(
      Refused(ImportSeed(/*into_existing=*/true), grpc::StatusCode::FAILED_PRECONDITION, kRound));

  // The published table carries the round's grades.
  std::map<std::string, v1::HumanRating> exported;
  const v1::TableDocument document = Export();
  for (const v1::TableInitiative& row : document.initiatives()) {
    exported[row.initiative().name()] = row.initiative().human_rating();
  }
  for (const v1::RatingRoundEntry& e : closed.entries()) {
    EXPECT_EQ(exported[e.initiative()].grade(), e.grade()) << e.initiative();
    EXPECT_EQ(exported[e.initiative()].rating_round(), kRound) << e.initiative();
  }
  EXPECT_EQ(exported[entry.initiative()].grade(), appealed);
}

TEST_F(ServerRatingRoundTest, BadInputIsRefusedNamingTheField) {
  const v1::RatingRound opened = Open();
  ASSERT_GT(opened.entries_size(), 0);
  const std::string initiative = opened.entries(0).initiative();

  EXPECT_TRUE(Refused(Override(initiative, "B", ""), grpc::StatusCode::INVALID_ARGUMENT, "reason"));
  EXPECT_TRUE(
      Refused(Override(initiative, "", "why"), grpc::StatusCode::INVALID_ARGUMENT, "grade"));
  EXPECT_TRUE(
      Refused(Override(initiative, "S", "why"), grpc::StatusCode::INVALID_ARGUMENT, "grade"));
  EXPECT_TRUE(Refused(Accept(absl::StrCat(kPlan, "/initiatives/nope")), grpc::StatusCode::NOT_FOUND,
                      "nope"));
  EXPECT_TRUE(Refused(Accept("organizations/city/plans/other/initiatives/i1"),
                      grpc::StatusCode::INVALID_ARGUMENT, "initiative"));

  v1::OpenRatingRoundRequest wrong_year;
  wrong_year.set_parent(std::string(kPlan));
  wrong_year.set_fiscal_year(2030);
  v1::OpenRatingRoundResponse unused;
  EXPECT_TRUE(Refused(rounds_->OpenRatingRound(Context().get(), wrong_year, &unused),
                      grpc::StatusCode::INVALID_ARGUMENT, "fiscal_year"));
  wrong_year.set_fiscal_year(2022);
  EXPECT_TRUE(Refused(rounds_->OpenRatingRound(Context().get(), wrong_year, &unused),
                      grpc::StatusCode::ALREADY_EXISTS, kRound));

  v1::AcceptRatingRequest other_year;
  other_year.set_name(absl::StrCat(kPlan, "/ratingRounds/2021"));
  other_year.set_initiative(initiative);
  v1::AcceptRatingResponse accepted;
  EXPECT_TRUE(Refused(rounds_->AcceptRating(Context().get(), other_year, &accepted),
                      grpc::StatusCode::NOT_FOUND, "2021"));
  other_year.set_name(absl::StrCat(kPlan, "/ratingRounds/R4"));
  EXPECT_TRUE(Refused(rounds_->AcceptRating(Context().get(), other_year, &accepted),
                      grpc::StatusCode::INVALID_ARGUMENT, "name"));
  EXPECT_TRUE(Refused(Reopen("why"), grpc::StatusCode::FAILED_PRECONDITION, "not closed"));

  // Nothing of the refused calls was written.
  v1::GetRatingRoundRequest get;
  get.set_name(std::string(kRound));
  v1::GetRatingRoundResponse got;
  ASSERT_TRUE(rounds_->GetRatingRound(Context().get(), get, &got).ok());
  EXPECT_EQ(got.rating_round().progress().reviewed(), 0);
  EXPECT_EQ(got.rating_round().etag(), opened.etag());
}

}  // namespace
}  // namespace torikumi
