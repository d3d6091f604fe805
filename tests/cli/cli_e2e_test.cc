// Whole CLI commands against a real torikumi server: an in-process server on 127.0.0.1:0
// over a SQLite file in a temp folder, called through RunCli exactly as `torikumi` runs them.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_server_fixture.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/outcome_service.pb.h"
#include "torikumi/v1/plan_service.pb.h"

namespace torikumi::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using Result = CliResult;

// Parses the --json output of a command back into its response message.
template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

class CliEndToEndTest : public CliServerTest {
 protected:
  void SetUp() override {
    StartServer();
    // Every test starts from one organization and the seed's plan, made through the CLI.
    Result org = Cli({"orgs", "create", "--id", "city", "--display-name", "〇〇市"});
    ASSERT_EQ(org.exit_code, kExitOk) << org.err;
    Result plan =
        Cli({"plans", "create", "--org", "city", "--id", "hr", "--title", "人材育成推進プラン",
             "--period", "H30-R4", "--areas", "職員研修,組織文化,働きやすい環境", "--scale",
             "A=実施できた,B=概ね実施できた:一部実施できなかった,C=実施できなかった"});
    ASSERT_EQ(plan.exit_code, kExitOk) << plan.err;
  }

  // Creates initiative `id` of plan city/hr in 職員研修.
  void CreateInitiative(const std::string& id, int number, const std::string& title,
                        const std::string& kind, const std::string& schedule) {
    Result r = Cli({"initiatives", "create", "--plan", "city/hr", "--id", id, "--area", "職員研修",
                    "--number", std::to_string(number), "--title", title, "--theme",
                    "自己啓発（自学）", "--kind", kind, "--schedule", schedule});
    ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  }
};

TEST_F(CliEndToEndTest, PlansListAndGetShowWhatCreateStored) {
  Result table = Cli({"plans", "list", "--org", "city"});
  ASSERT_EQ(table.exit_code, kExitOk) << table.err;
  EXPECT_THAT(table.out, HasSubstr("organizations/city/plans/hr"));
  EXPECT_THAT(table.out, HasSubstr("人材育成推進プラン"));
  EXPECT_THAT(table.out, HasSubstr("H30-R4"));
  EXPECT_THAT(table.out, HasSubstr("1 plan(s)"));

  Result json = Cli({"--json", "plans", "get", "organizations/city/plans/hr"});
  ASSERT_EQ(json.exit_code, kExitOk) << json.err;
  auto plan = FromJson<v1::GetPlanResponse>(json.out).plan();
  EXPECT_EQ(plan.period().first_fiscal_year(), 2018);
  EXPECT_EQ(plan.period().last_fiscal_year(), 2022);
  EXPECT_THAT(plan.areas(), ::testing::ElementsAre("職員研修", "組織文化", "働きやすい環境"));
  ASSERT_EQ(plan.rating_scale().grades_size(), 3);
  EXPECT_EQ(plan.rating_scale().grades(1).meaning(), "一部実施できなかった");

  Result filtered = Cli({"plans", "list", "--title-contains", "行政改革", "--json"});
  ASSERT_EQ(filtered.exit_code, kExitOk) << filtered.err;
  EXPECT_EQ(FromJson<v1::ListPlansResponse>(filtered.out).plans_size(), 0);
}

TEST_F(CliEndToEndTest, InitiativesCreateGetListUpdate) {
  CreateInitiative("i1", 1, "通信教育講座を受講する職員への経費の一部支援", "continuing",
                   "H30=実施,R1=⇒,R2=⇒,R3=⇒,R4=⇒");
  CreateInitiative("i3", 3, "業務に関する難関資格取得後の経費の一部支援", "new",
                   "H30=検討,R1=実施,R2=⇒");

  Result get = Cli({"initiatives", "get", "city/hr/i3", "--json"});
  ASSERT_EQ(get.exit_code, kExitOk) << get.err;
  auto initiative = FromJson<v1::GetInitiativeResponse>(get.out).initiative();
  EXPECT_EQ(initiative.kind(), v1::INITIATIVE_KIND_NEW);
  ASSERT_EQ(initiative.schedule_size(), 3);
  EXPECT_EQ(initiative.schedule(2).fiscal_year(), 2020);
  EXPECT_EQ(initiative.schedule(2).phase(), v1::PHASE_IMPLEMENT);
  EXPECT_TRUE(initiative.schedule(2).continuation());

  Result human = Cli({"initiatives", "get", "city/hr/i3"});
  ASSERT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_THAT(human.out, HasSubstr("H30=検討, R1=実施, R2=⇒"));
  EXPECT_THAT(human.out, HasSubstr("新規"));

  // One page of one, with the total and a way to go on.
  Result page = Cli({"initiatives", "list", "--plan", "city/hr", "--page-size", "1"});
  ASSERT_EQ(page.exit_code, kExitOk) << page.err;
  EXPECT_THAT(page.out, HasSubstr("1 of 2 initiative(s) in organizations/city/plans/hr"));
  EXPECT_THAT(page.out, HasSubstr("more: --page-token "));

  Result all =
      Cli({"initiatives", "list", "--plan", "city/hr", "--page-size", "1", "--all", "--json"});
  ASSERT_EQ(all.exit_code, kExitOk) << all.err;
  auto listed = FromJson<v1::ListInitiativesResponse>(all.out);
  ASSERT_EQ(listed.initiatives_size(), 2);
  EXPECT_EQ(listed.total_size(), 2);
  EXPECT_EQ(listed.initiatives(0).number(), 1);
  EXPECT_EQ(listed.initiatives(1).number(), 3);
  EXPECT_THAT(listed.next_page_token(), IsEmpty());

  Result only_new = Cli({"initiatives", "list", "--plan", "city/hr", "--kind", "new", "--json"});
  ASSERT_EQ(only_new.exit_code, kExitOk) << only_new.err;
  auto new_ones = FromJson<v1::ListInitiativesResponse>(only_new.out);
  ASSERT_EQ(new_ones.initiatives_size(), 1);
  EXPECT_EQ(new_ones.initiatives(0).name(), "organizations/city/plans/hr/initiatives/i3");

  // Update changes the title only; the old etag is then stale.
  std::string old_etag = initiative.etag();
  Result update = Cli({"initiatives", "update", "city/hr/i3", "--title", "難関資格取得の支援",
                       "--etag", old_etag, "--json"});
  ASSERT_EQ(update.exit_code, kExitOk) << update.err;
  auto updated = FromJson<v1::UpdateInitiativeResponse>(update.out).initiative();
  EXPECT_EQ(updated.title(), "難関資格取得の支援");
  EXPECT_EQ(updated.number(), 3);
  EXPECT_EQ(updated.schedule_size(), 3);

  Result stale = Cli({"initiatives", "update", "city/hr/i3", "--number", "4", "--etag", old_etag});
  EXPECT_EQ(stale.exit_code, kExitFailure);
  EXPECT_THAT(stale.err, HasSubstr("error: ABORTED: "));
}

TEST_F(CliEndToEndTest, OutcomesAndRatings) {
  CreateInitiative("i6", 6, "庁内及びふくしま自治研修センターでの階層別研修の実施", "continuing",
                   "H30=実施,R1=⇒,R2=⇒,R3=⇒,R4=⇒");

  Result first = Cli({"outcomes", "set", "city/hr/i6", "--year", "H30", "--text",
                      "・庁内 468人 ・自治研 122人", "--status", "implemented", "--metric",
                      "庁内=468人,自治研=122人"});
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  EXPECT_THAT(first.out, HasSubstr("created"));
  Result again = Cli({"outcomes", "set", "city/hr/i6", "--year", "R4", "--text", "・庁内 ※実施中",
                      "--status", "in-progress", "--as-of", "2022-08-31"});
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  Result replaced = Cli({"outcomes", "set", "city/hr/i6", "--year", "2022", "--text",
                         "・庁内 ※実施中 ・自治研 ※実施中", "--status", "in-progress", "--as-of",
                         "2022-08-31", "--json"});
  ASSERT_EQ(replaced.exit_code, kExitOk) << replaced.err;
  auto upserted = FromJson<v1::UpsertOutcomeResponse>(replaced.out);
  EXPECT_FALSE(upserted.created());
  EXPECT_EQ(upserted.outcome().as_of().month(), 8);

  Result list = Cli({"outcomes", "list", "city/hr/-"});
  ASSERT_EQ(list.exit_code, kExitOk) << list.err;
  EXPECT_THAT(list.out, HasSubstr("INITIATIVE"));
  EXPECT_THAT(list.out, HasSubstr("庁内=468人, 自治研=122人"));
  EXPECT_THAT(list.out, HasSubstr("2022-08-31"));
  EXPECT_THAT(list.out, HasSubstr("2 outcome(s)"));

  Result one_year = Cli({"outcomes", "list", "city/hr/i6", "--year", "R4", "--json"});
  ASSERT_EQ(one_year.exit_code, kExitOk) << one_year.err;
  auto r4 = FromJson<v1::ListOutcomesResponse>(one_year.out);
  ASSERT_EQ(r4.outcomes_size(), 1);
  EXPECT_EQ(r4.outcomes(0).status(), v1::OUTCOME_STATUS_IN_PROGRESS);

  Result rate =
      Cli({"rate", "city/hr/i6", "--grade", "A", "--rater", "人事課", "--reason", "全年度で実施"});
  ASSERT_EQ(rate.exit_code, kExitOk) << rate.err;
  EXPECT_THAT(rate.out, HasSubstr("A by 人事課"));
  Result rated = Cli({"initiatives", "list", "--plan", "city/hr", "--grade", "A", "--json"});
  ASSERT_EQ(rated.exit_code, kExitOk) << rated.err;
  auto rated_list = FromJson<v1::ListInitiativesResponse>(rated.out);
  ASSERT_EQ(rated_list.initiatives_size(), 1);
  EXPECT_EQ(rated_list.initiatives(0).human_rating().reason(), "全年度で実施");

  Result bad_grade = Cli({"rate", "city/hr/i6", "--grade", "Z", "--rater", "人事課"});
  EXPECT_EQ(bad_grade.exit_code, kExitFailure);
  EXPECT_THAT(bad_grade.err, HasSubstr("error: INVALID_ARGUMENT: "));
}

TEST_F(CliEndToEndTest, ServerErrorsPrintCodeAndFields) {
  Result bad_area = Cli({"initiatives", "create", "--plan", "city/hr", "--area", "存在しない分野",
                         "--number", "1", "--title", "t"});
  EXPECT_EQ(bad_area.exit_code, kExitFailure);
  EXPECT_THAT(bad_area.err, HasSubstr("error: INVALID_ARGUMENT: "));
  EXPECT_THAT(bad_area.err, HasSubstr("\n  field initiative.area: "));
  EXPECT_THAT(bad_area.err, HasSubstr("存在しない分野"));
  EXPECT_THAT(bad_area.out, IsEmpty());

  Result missing = Cli({"plans", "get", "city/nope"});
  EXPECT_EQ(missing.exit_code, kExitFailure);
  EXPECT_THAT(missing.err, HasSubstr("error: NOT_FOUND: "));

  Result twice = Cli({"orgs", "create", "--id", "city", "--display-name", "〇〇市"});
  EXPECT_EQ(twice.exit_code, kExitFailure);
  EXPECT_THAT(twice.err, HasSubstr("error: ALREADY_EXISTS: "));

  CreateInitiative("i1", 1, "通信教育講座", "continuing", "H30=実施");
  Result in_use = Cli({"plans", "delete", "city/hr"});
  EXPECT_EQ(in_use.exit_code, kExitFailure);
  EXPECT_THAT(in_use.err, HasSubstr("error: FAILED_PRECONDITION: "));

  Result forced = Cli({"plans", "delete", "city/hr", "--force"});
  ASSERT_EQ(forced.exit_code, kExitOk) << forced.err;
  EXPECT_THAT(forced.out, HasSubstr("deleted organizations/city/plans/hr"));
  Result gone = Cli({"plans", "list", "--org", "city", "--json"});
  ASSERT_EQ(gone.exit_code, kExitOk) << gone.err;
  EXPECT_EQ(FromJson<v1::ListPlansResponse>(gone.out).plans_size(), 0);
  EXPECT_THAT(gone.err, Not(HasSubstr("error")));
}

}  // namespace
}  // namespace torikumi::cli
