// TableService end to end in one process: a real server on 127.0.0.1:0 over a real SQLite
// file. The seed table (testdata/seed/hr-plan-progress-h30-r4.tsv) is streamed in small
// chunks and its figures (庁内 468人 …) are read back through the other services; malformed
// uploads store nothing; exports round-trip through a second import.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/server/server.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/table_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kOrg[] = "organizations/city";
constexpr char kPlan[] = "organizations/city/plans/hr";
constexpr char kCopy[] = "organizations/city/plans/copy";
constexpr char kTraining[] = "職員研修";
constexpr char kCulture[] = "組織文化";
constexpr char kEnvironment[] = "働きやすい環境";

std::string SeedBytes() {
  std::string bytes = ReadFile(TORIKUMI_SEED_TSV);
  EXPECT_FALSE(bytes.empty()) << "cannot read the seed " << TORIKUMI_SEED_TSV;
  return bytes;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  google::rpc::Status details;
  std::vector<std::string> fields;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations())
      fields.push_back(violation.field());
  }
  return fields;
}

bool AnyFieldStartsWith(const grpc::Status& status, absl::string_view prefix) {
  for (const std::string& field : ViolatedFields(status)) {
    if (absl::StartsWith(field, prefix)) return true;
  }
  return false;
}

struct ImportCall {
  grpc::Status status;
  v1::ImportTableResponse response;
};

struct ExportCall {
  grpc::Status status;
  std::string bytes;
  std::string content_type;
  std::string file_name;
  int messages = 0;
  // Messages after the first that carried a content type or file name (there should be none).
  int late_headers = 0;
};

// Display-order-independent view of the stored plan: its document as JSON with what differs
// between two imports of the same table taken out (names, ids, etags, times).
void StripIdentity(v1::TableDocument* document) {
  v1::Plan* plan = document->mutable_plan();
  plan->clear_name();
  plan->clear_create_time();
  plan->clear_update_time();
  plan->clear_etag();
  for (v1::TableInitiative& row : *document->mutable_initiatives()) {
    v1::Initiative* initiative = row.mutable_initiative();
    initiative->clear_name();
    initiative->clear_relists();  // a name; the area+number key in row.relists stays
    initiative->clear_create_time();
    initiative->clear_update_time();
    initiative->clear_etag();
    initiative->mutable_human_rating()->clear_rate_time();
    for (v1::Outcome& outcome : *row.mutable_outcomes()) {
      outcome.clear_name();
      outcome.clear_update_time();
      outcome.clear_etag();
    }
  }
}

class ServerTableApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<server::Server>> server =
        server::Server::Open(dir_.File("torikumi.db"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    absl::Status started = server_->Start("127.0.0.1:0");
    ASSERT_TRUE(started.ok()) << started;
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    tables_ = v1::TableService::NewStub(channel_);
    plans_ = v1::PlanService::NewStub(channel_);
    initiatives_ = v1::InitiativeService::NewStub(channel_);
    outcomes_ = v1::OutcomeService::NewStub(channel_);

    auto organizations = v1::OrganizationService::NewStub(channel_);
    v1::CreateOrganizationRequest create;
    create.set_organization_id("city");
    create.mutable_organization()->set_display_name("市役所");
    v1::CreateOrganizationResponse created;
    grpc::Status status = organizations->CreateOrganization(Context().get(), create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    return context;
  }

  static v1::ImportTableOptions NewPlan(absl::string_view plan_id) {
    v1::ImportTableOptions options;
    options.set_parent(kOrg);
    options.set_plan_id(std::string(plan_id));
    return options;
  }

  // Streams `bytes` in chunks of `chunk_size`, the options in the first message (and again in
  // the second when `options_twice`).
  ImportCall Import(const v1::ImportTableOptions& options, absl::string_view bytes,
                    size_t chunk_size = 1000, bool options_twice = false) {
    ImportCall call;
    auto context = Context();
    auto writer = tables_->ImportTable(context.get(), &call.response);
    size_t offset = 0;
    int sent = 0;
    do {
      v1::ImportTableRequest request;
      if (sent == 0 || (sent == 1 && options_twice)) *request.mutable_options() = options;
      const size_t size = std::min(chunk_size, bytes.size() - offset);
      request.set_chunk(std::string(bytes.substr(offset, size)));
      offset += size;
      ++sent;
      if (!writer->Write(request)) break;
    } while (offset < bytes.size() || (options_twice && sent < 2));
    writer->WritesDone();
    call.status = writer->Finish();
    return call;
  }

  ExportCall Export(absl::string_view plan, v1::TableFormat format,
                    v1::TableEncoding encoding = v1::TABLE_ENCODING_UNSPECIFIED) {
    ExportCall call;
    v1::ExportTableRequest request;
    request.set_plan(std::string(plan));
    request.set_format(format);
    request.set_encoding(encoding);
    auto context = Context();
    auto reader = tables_->ExportTable(context.get(), request);
    v1::ExportTableResponse message;
    while (reader->Read(&message)) {
      if (call.messages == 0) {
        call.content_type = message.content_type();
        call.file_name = message.file_name();
      } else if (!message.content_type().empty() || !message.file_name().empty()) {
        ++call.late_headers;
      }
      ++call.messages;
      call.bytes += message.chunk();
    }
    call.status = reader->Finish();
    return call;
  }

  // The stored plan as a document, via the JSON export, without names, ids, etags and times.
  v1::TableDocument ExportedDocument(absl::string_view plan) {
    ExportCall json = Export(plan, v1::TABLE_FORMAT_JSON);
    EXPECT_TRUE(json.status.ok()) << json.status.error_message();
    v1::TableDocument document;
    auto parsed = google::protobuf::util::JsonStringToMessage(json.bytes, &document);
    EXPECT_TRUE(parsed.ok()) << parsed.ToString();
    StripIdentity(&document);
    return document;
  }

  std::vector<v1::Initiative> ListInitiatives(absl::string_view plan) {
    v1::ListInitiativesRequest request;
    request.set_parent(std::string(plan));
    request.set_page_size(1000);
    v1::ListInitiativesResponse response;
    grpc::Status status = initiatives_->ListInitiatives(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.initiatives().begin(), response.initiatives().end()};
  }

  std::vector<v1::Outcome> ListOutcomes(absl::string_view plan) {
    v1::ListOutcomesRequest request;
    request.set_parent(absl::StrCat(plan, "/initiatives/-"));
    request.set_page_size(1000);
    v1::ListOutcomesResponse response;
    grpc::Status status = outcomes_->ListOutcomes(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.outcomes().begin(), response.outcomes().end()};
  }

  int PlanCount() {
    v1::ListPlansRequest request;
    request.set_parent(kOrg);
    v1::ListPlansResponse response;
    grpc::Status status = plans_->ListPlans(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.plans_size();
  }

  // Fails the test unless the import was refused with INVALID_ARGUMENT and nothing was stored.
  void ExpectRefusedAndNothingStored(const ImportCall& call, absl::string_view field_prefix) {
    EXPECT_EQ(call.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << call.status.error_message();
    EXPECT_TRUE(AnyFieldStartsWith(call.status, field_prefix))
        << "no violation on " << field_prefix << ": " << call.status.error_message();
    EXPECT_EQ(PlanCount(), 0);
  }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::TableService::Stub> tables_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::InitiativeService::Stub> initiatives_;
  std::unique_ptr<v1::OutcomeService::Stub> outcomes_;
};

TEST_F(ServerTableApiTest, SeedImportGivesTheFiguresOfTheIssue) {
  // 997-byte chunks split UTF-8 characters and lines; the server must join them first.
  ImportCall call = Import(NewPlan("hr"), SeedBytes(), 997);
  ASSERT_TRUE(call.status.ok()) << call.status.error_message();
  const v1::ImportTableResponse& response = call.response;
  EXPECT_EQ(response.plan(), kPlan);
  EXPECT_FALSE(response.dry_run());
  EXPECT_TRUE(response.plan_created());
  EXPECT_EQ(response.areas(), 3);
  EXPECT_EQ(response.initiatives_created(), 66);
  EXPECT_EQ(response.initiatives_updated(), 0);
  EXPECT_EQ(response.ratings(), 64);
  EXPECT_EQ(response.detected_encoding(), "UTF-8");
  // The seed is messy: findings, each with a line, none of them something left out.
  EXPECT_GT(response.findings_size(), 0);
  for (const v1::TableFinding& finding : response.findings()) {
    EXPECT_GT(finding.line(), 0);
    EXPECT_FALSE(finding.action().empty());
    EXPECT_NE(finding.severity(), v1::FINDING_SEVERITY_ERROR) << finding.action();
  }

  v1::GetPlanRequest get;
  get.set_name(kPlan);
  v1::GetPlanResponse plan;
  grpc::Status status = plans_->GetPlan(Context().get(), get, &plan);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(plan.plan().title(), "人材育成推進プラン");
  EXPECT_EQ(plan.plan().period().first_fiscal_year(), 2018);
  EXPECT_EQ(plan.plan().period().last_fiscal_year(), 2022);
  ASSERT_EQ(plan.plan().areas_size(), 3);
  EXPECT_EQ(plan.plan().areas(0), kTraining);
  EXPECT_EQ(plan.plan().areas(1), kCulture);
  EXPECT_EQ(plan.plan().areas(2), kEnvironment);
  const v1::RatingScale& scale = plan.plan().rating_scale();
  ASSERT_EQ(scale.grades_size(), 3);
  EXPECT_EQ(scale.grades(0).code(), "A");
  EXPECT_EQ(scale.grades(0).label(), "実施できた");
  EXPECT_EQ(scale.grades(1).code(), "B");
  EXPECT_EQ(scale.grades(1).label(), "概ね実施できた");
  EXPECT_EQ(scale.grades(1).meaning(), "一部実施できなかった");
  EXPECT_EQ(scale.grades(2).code(), "C");
  EXPECT_EQ(scale.grades(2).label(), "実施できなかった");

  std::vector<v1::Initiative> initiatives = ListInitiatives(kPlan);
  ASSERT_EQ(initiatives.size(), 66u);
  std::map<std::string, int> per_area, rated_per_area, per_grade;
  std::map<std::pair<std::string, int>, v1::Initiative> by_key;
  auto at = [&](const char* area, int number) -> const v1::Initiative& {
    return by_key[std::make_pair(std::string(area), number)];
  };
  for (const v1::Initiative& initiative : initiatives) {
    ++per_area[initiative.area()];
    by_key[std::make_pair(initiative.area(), initiative.number())] = initiative;
    if (initiative.human_rating().grade().empty()) continue;
    ++rated_per_area[initiative.area()];
    ++per_grade[initiative.human_rating().grade()];
    EXPECT_TRUE(initiative.human_rating().has_rate_time());
  }
  EXPECT_EQ(per_area[kTraining], 19);
  EXPECT_EQ(per_area[kCulture], 26);
  EXPECT_EQ(per_area[kEnvironment], 21);
  EXPECT_EQ(rated_per_area[kTraining], 17);
  EXPECT_EQ(rated_per_area[kCulture], 26);
  EXPECT_EQ(rated_per_area[kEnvironment], 21);
  EXPECT_EQ(per_grade["A"], 50);
  EXPECT_EQ(per_grade["B"], 12);
  EXPECT_EQ(per_grade["C"], 2);
  // Each rating on the initiative of its row (the seed's lines 11, 13 and 26).
  EXPECT_EQ(at(kTraining, 1).human_rating().grade(), "A");
  EXPECT_EQ(at(kTraining, 3).human_rating().grade(), "B");
  EXPECT_EQ(at(kTraining, 18).human_rating().grade(), "C");
  EXPECT_TRUE(at(kTraining, 10).human_rating().grade().empty());
  // （再掲）: a link to the original's resource name.
  EXPECT_EQ(at(kEnvironment, 3).relists(), at(kCulture, 23).name());

  std::vector<v1::Outcome> outcomes = ListOutcomes(kPlan);
  EXPECT_EQ(static_cast<int>(outcomes.size()), response.outcomes_written());
  int r4 = 0;
  const std::string training6 = at(kTraining, 6).name();
  bool found_468 = false;
  for (const v1::Outcome& outcome : outcomes) {
    if (outcome.fiscal_year() == 2022) {
      ++r4;
      EXPECT_EQ(outcome.as_of().year(), 2022) << outcome.name();
      EXPECT_EQ(outcome.as_of().month(), 8) << outcome.name();
      EXPECT_EQ(outcome.as_of().day(), 31) << outcome.name();
    } else if (outcome.fiscal_year() != 0) {
      EXPECT_FALSE(outcome.has_as_of()) << outcome.name();
    }
    if (outcome.name() == absl::StrCat(training6, "/outcomes/fy2018")) {
      EXPECT_EQ(outcome.text(), "・庁内 468人 ・自治研 122人");
      ASSERT_GE(outcome.metrics_size(), 1);
      EXPECT_EQ(outcome.metrics(0).label(), "庁内");
      EXPECT_EQ(outcome.metrics(0).value(), 468);
      EXPECT_EQ(outcome.metrics(0).unit(), "人");
      found_468 = true;
    }
  }
  EXPECT_GT(r4, 10);
  EXPECT_TRUE(found_468) << "no H30 outcome of 職員研修 6";
}

TEST_F(ServerTableApiTest, DryRunStoresNothing) {
  v1::ImportTableOptions options = NewPlan("hr");
  options.set_dry_run(true);
  ImportCall call = Import(options, SeedBytes());
  ASSERT_TRUE(call.status.ok()) << call.status.error_message();
  EXPECT_TRUE(call.response.dry_run());
  EXPECT_EQ(call.response.plan(), kPlan);
  EXPECT_EQ(call.response.initiatives_created(), 66);
  EXPECT_EQ(call.response.ratings(), 64);
  EXPECT_GT(call.response.outcomes_written(), 100);
  EXPECT_GT(call.response.findings_size(), 0);
  EXPECT_EQ(call.response.refusal(), "");
  EXPECT_EQ(PlanCount(), 0);
}

TEST_F(ServerTableApiTest, StrictRefusesARepairedTableAndStoresNothing) {
  v1::ImportTableOptions options = NewPlan("hr");
  options.set_strict(true);
  ImportCall call = Import(options, SeedBytes());
  // Line 11 of the seed has an extra ⇒ that the reader drops; 30 more findings follow.
  ExpectRefusedAndNothingStored(call, "table:11:");
  EXPECT_TRUE(absl::StrContains(call.status.error_message(), "extra ⇒ dropped"))
      << call.status.error_message();
  // The error stays small enough for gRPC's headers: the first few and a count.
  std::vector<std::string> fields = ViolatedFields(call.status);
  EXPECT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields.back(), "table");
  EXPECT_TRUE(absl::StrContains(call.status.error_message(), "more"));

  // As a dry run it reports every finding and why the import would be refused.
  options.set_dry_run(true);
  ImportCall dry = Import(options, SeedBytes());
  ASSERT_TRUE(dry.status.ok()) << dry.status.error_message();
  EXPECT_GT(dry.response.findings_size(), 6);
  EXPECT_TRUE(absl::StartsWith(dry.response.refusal(), "strict:")) << dry.response.refusal();
  EXPECT_EQ(PlanCount(), 0);
}

TEST_F(ServerTableApiTest, MalformedUploadsAreRefusedAndStoreNothing) {
  ExpectRefusedAndNothingStored(Import(NewPlan("empty"), ""), "table");
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise.push_back(static_cast<char>((i * 131 + 7) % 256));
  ExpectRefusedAndNothingStored(Import(NewPlan("noise"), noise), "table");

  // An unknown grade on line 11 (the row of 職員研修 1): the reader leaves it out, so the
  // import refuses the table rather than store a plan without it.
  std::vector<std::string> lines = absl::StrSplit(SeedBytes(), '\n');
  ASSERT_GT(lines.size(), 11u);
  ASSERT_TRUE(absl::EndsWith(lines[10], "\tA")) << lines[10];
  lines[10].back() = 'Z';
  ImportCall unknown_grade = Import(NewPlan("grade"), absl::StrJoin(lines, "\n"));
  ExpectRefusedAndNothingStored(unknown_grade, "table:11:");
  EXPECT_TRUE(absl::StrContains(unknown_grade.status.error_message(), "'Z'"))
      << unknown_grade.status.error_message();
  // A dry run lists the finding and says the import would be refused.
  v1::ImportTableOptions dry = NewPlan("grade");
  dry.set_dry_run(true);
  ImportCall dry_run = Import(dry, absl::StrJoin(lines, "\n"));
  ASSERT_TRUE(dry_run.status.ok()) << dry_run.status.error_message();
  EXPECT_TRUE(absl::StrContains(dry_run.response.refusal(), "1 finding of severity error"))
      << dry_run.response.refusal();
  int errors = 0;
  for (const v1::TableFinding& finding : dry_run.response.findings()) {
    if (finding.severity() != v1::FINDING_SEVERITY_ERROR) continue;
    ++errors;
    EXPECT_EQ(finding.line(), 11);
    EXPECT_EQ(finding.text(), "Z");
  }
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(PlanCount(), 0);

  // A year column that cannot be read: the header row's years replaced by words.
  std::string no_years = absl::StrReplaceAll(
      SeedBytes(),
      {{"H30", "年度"}, {"R1", "年度"}, {"R2", "年度"}, {"R3", "年度"}, {"R4", "年度"}});
  ImportCall unreadable = Import(NewPlan("years"), no_years);
  EXPECT_EQ(unreadable.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << unreadable.status.error_message();
  EXPECT_EQ(PlanCount(), 0);
}

TEST_F(ServerTableApiTest, StreamAndOptionRulesAreEnforced) {
  // Options again in the second message.
  ImportCall twice = Import(NewPlan("hr"), SeedBytes(), 20000, /*options_twice=*/true);
  ExpectRefusedAndNothingStored(twice, "options");
  // No organization, an unknown one, plan_id together with plan.
  ExpectRefusedAndNothingStored(Import(v1::ImportTableOptions(), SeedBytes()), "options.parent");
  v1::ImportTableOptions unknown = NewPlan("hr");
  unknown.set_parent("organizations/nowhere");
  EXPECT_EQ(Import(unknown, SeedBytes()).status.error_code(), grpc::StatusCode::NOT_FOUND);
  v1::ImportTableOptions both = NewPlan("hr");
  both.set_plan(kPlan);
  ExpectRefusedAndNothingStored(Import(both, SeedBytes()), "options.plan_id");
  // A chunk over 1 MiB.
  ExpectRefusedAndNothingStored(Import(NewPlan("big"), std::string((1u << 20) + 1, 'a'), 2u << 20),
                                "chunk");
  // More than 32 MiB in all: refused as soon as the total passes the limit.
  ImportCall huge = Import(NewPlan("huge"), std::string((32u << 20) + 10, '\t'), 1u << 20);
  ExpectRefusedAndNothingStored(huge, "chunk");
  EXPECT_TRUE(absl::StrContains(huge.status.error_message(), "32 MiB"))
      << huge.status.error_message();
}

TEST_F(ServerTableApiTest, ImportingAgainUpdatesInPlace) {
  ImportCall first = Import(NewPlan("hr"), SeedBytes());
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  std::set<std::string> names_before;
  for (const v1::Initiative& initiative : ListInitiatives(kPlan)) {
    names_before.insert(initiative.name());
  }

  v1::ImportTableOptions again;
  again.set_plan(kPlan);
  ImportCall second = Import(again, SeedBytes());
  ASSERT_TRUE(second.status.ok()) << second.status.error_message();
  EXPECT_EQ(second.response.plan(), kPlan);
  EXPECT_FALSE(second.response.plan_created());
  EXPECT_EQ(second.response.initiatives_created(), 0);
  EXPECT_EQ(second.response.initiatives_updated(), 66);
  std::set<std::string> names_after;
  for (const v1::Initiative& initiative : ListInitiatives(kPlan)) {
    names_after.insert(initiative.name());
  }
  EXPECT_EQ(names_after.size(), 66u);
  EXPECT_EQ(names_before, names_after);
  EXPECT_EQ(PlanCount(), 1);
  EXPECT_EQ(ListOutcomes(kPlan).size(), static_cast<size_t>(first.response.outcomes_written()));

  // A new plan under a taken id is refused; it points at options.plan instead.
  ImportCall taken = Import(NewPlan("hr"), SeedBytes());
  EXPECT_EQ(taken.status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(absl::StrContains(taken.status.error_message(), "options.plan"));
}

// Exports the seed plan in one format and encoding, imports that into a new plan and compares
// the JSON exports of both.
class ServerTableRoundTripTest : public ServerTableApiTest {
 protected:
  void RoundTrip(v1::TableFormat format, v1::TableEncoding encoding, absl::string_view content_type,
                 absl::string_view detected) {
    ImportCall seed = Import(NewPlan("hr"), SeedBytes());
    ASSERT_TRUE(seed.status.ok()) << seed.status.error_message();
    ExportCall exported = Export(kPlan, format, encoding);
    ASSERT_TRUE(exported.status.ok()) << exported.status.error_message();
    EXPECT_EQ(exported.content_type, content_type);
    EXPECT_EQ(exported.late_headers, 0);
    EXPECT_TRUE(absl::StartsWith(exported.file_name, "hr.")) << exported.file_name;

    // Imported as CP932 when told so, and detected as CP932 when not.
    v1::ImportTableOptions options = NewPlan("copy");
    options.set_encoding(encoding);
    ImportCall copy = Import(options, exported.bytes, 4093);
    ASSERT_TRUE(copy.status.ok()) << copy.status.error_message();
    EXPECT_EQ(copy.response.detected_encoding(), detected);
    EXPECT_EQ(copy.response.initiatives_created(), 66);
    EXPECT_EQ(copy.response.ratings(), 64);

    v1::TableDocument original = ExportedDocument(kPlan);
    v1::TableDocument copied = ExportedDocument(kCopy);
    EXPECT_EQ(original.initiatives_size(), 66);
    std::string differences;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&differences);
    EXPECT_TRUE(differencer.Compare(original, copied)) << differences;
  }
};

TEST_F(ServerTableRoundTripTest, Tsv) {
  RoundTrip(v1::TABLE_FORMAT_TSV, v1::TABLE_ENCODING_UNSPECIFIED,
            "text/tab-separated-values; charset=utf-8", "UTF-8");
}

TEST_F(ServerTableRoundTripTest, Csv) {
  RoundTrip(v1::TABLE_FORMAT_CSV, v1::TABLE_ENCODING_UNSPECIFIED, "text/csv; charset=utf-8",
            "UTF-8 with BOM");
}

TEST_F(ServerTableRoundTripTest, Cp932Tsv) {
  RoundTrip(v1::TABLE_FORMAT_TSV, v1::TABLE_ENCODING_CP932,
            "text/tab-separated-values; charset=shift_jis", "CP932");
}

TEST_F(ServerTableRoundTripTest, Cp932Csv) {
  RoundTrip(v1::TABLE_FORMAT_CSV, v1::TABLE_ENCODING_CP932, "text/csv; charset=shift_jis", "CP932");
}

TEST_F(ServerTableRoundTripTest, Json) {
  RoundTrip(v1::TABLE_FORMAT_JSON, v1::TABLE_ENCODING_UNSPECIFIED, "application/json", "JSON");
}

TEST_F(ServerTableApiTest, Cp932ExportIsNotUtf8AndAutoDetected) {
  ASSERT_TRUE(Import(NewPlan("hr"), SeedBytes()).status.ok());
  ExportCall cp932 = Export(kPlan, v1::TABLE_FORMAT_TSV, v1::TABLE_ENCODING_CP932);
  ASSERT_TRUE(cp932.status.ok()) << cp932.status.error_message();
  ExportCall utf8 = Export(kPlan, v1::TABLE_FORMAT_TSV);
  ASSERT_TRUE(utf8.status.ok()) << utf8.status.error_message();
  EXPECT_NE(cp932.bytes, utf8.bytes);
  EXPECT_FALSE(absl::StrContains(cp932.bytes, "人材育成推進プラン"));  // not UTF-8 bytes
  ImportCall detected = Import(NewPlan("copy"), cp932.bytes);
  ASSERT_TRUE(detected.status.ok()) << detected.status.error_message();
  EXPECT_EQ(detected.response.detected_encoding(), "CP932");
}

TEST_F(ServerTableApiTest, LargeExportsComeInChunks) {
  ASSERT_TRUE(Import(NewPlan("hr"), SeedBytes()).status.ok());
  ExportCall json = Export(kPlan, v1::TABLE_FORMAT_JSON);
  ASSERT_TRUE(json.status.ok()) << json.status.error_message();
  ASSERT_GT(json.bytes.size(), 64u << 10) << "the JSON export should need several messages";
  EXPECT_EQ(json.messages, static_cast<int>((json.bytes.size() + (64u << 10) - 1) / (64u << 10)));
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_EQ(json.file_name, "hr.json");
  EXPECT_EQ(json.late_headers, 0);
}

TEST_F(ServerTableApiTest, XlsxExportIsAWorkbook) {
  ASSERT_TRUE(Import(NewPlan("hr"), SeedBytes()).status.ok());
  ExportCall xlsx = Export(kPlan, v1::TABLE_FORMAT_XLSX);
  ASSERT_TRUE(xlsx.status.ok()) << xlsx.status.error_message();
  EXPECT_EQ(xlsx.file_name, "hr.xlsx");
  EXPECT_EQ(xlsx.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_TRUE(absl::StartsWith(xlsx.bytes, std::string("PK\x03\x04", 4)));
  const std::string path = dir_.File("hr.xlsx");
  WriteFile(path, xlsx.bytes);
  RunResult sheet = RunProgram({"/usr/bin/unzip", "-p", path, "xl/worksheets/sheet1.xml"}, dir_);
  ASSERT_EQ(sheet.exit_code, 0) << sheet.err;
  EXPECT_TRUE(absl::StrContains(sheet.out, "<sheetData>")) << sheet.out.substr(0, 500);
  EXPECT_TRUE(absl::StrContains(sheet.out, "<mergeCell ")) << "theme cells are merged";
  // Cell text lives in the shared strings, the sheet names in the workbook.
  RunResult strings = RunProgram({"/usr/bin/unzip", "-p", path, "xl/sharedStrings.xml"}, dir_);
  ASSERT_EQ(strings.exit_code, 0) << strings.err;
  EXPECT_TRUE(absl::StrContains(strings.out, "人材育成推進プラン"));
  EXPECT_TRUE(absl::StrContains(strings.out, "通信教育講座を受講する職員への経費の一部支援"));
  RunResult workbook = RunProgram({"/usr/bin/unzip", "-p", path, "xl/workbook.xml"}, dir_);
  ASSERT_EQ(workbook.exit_code, 0) << workbook.err;
  EXPECT_TRUE(absl::StrContains(workbook.out, kCulture));
}

TEST_F(ServerTableApiTest, ExportErrors) {
  ExportCall missing = Export("organizations/city/plans/none", v1::TABLE_FORMAT_TSV);
  EXPECT_EQ(missing.status.error_code(), grpc::StatusCode::NOT_FOUND);
  ExportCall no_format = Export(kPlan, v1::TABLE_FORMAT_UNSPECIFIED);
  EXPECT_EQ(no_format.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(no_format.status), std::vector<std::string>{"format"});
  ExportCall cp932_json = Export(kPlan, v1::TABLE_FORMAT_JSON, v1::TABLE_ENCODING_CP932);
  EXPECT_EQ(cp932_json.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(cp932_json.status), std::vector<std::string>{"encoding"});
  ExportCall bad_name = Export("plans/hr", v1::TABLE_FORMAT_TSV);
  EXPECT_EQ(ViolatedFields(bad_name.status), std::vector<std::string>{"plan"});
  EXPECT_EQ(missing.messages + no_format.messages + cp932_json.messages, 0);
}

}  // namespace
}  // namespace torikumi::server_test
