// `torikumi import` and `torikumi export` against a real in-process server (127.0.0.1:0,
// SQLite in a temp folder), run through RunCli as the binary runs them, on the seed table.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/cli/cli_server_fixture.h"
#include "torikumi/v1/initiative_service.pb.h"
#include "torikumi/v1/table.pb.h"
#include "torikumi/v1/table_service.pb.h"

namespace torikumi::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using Result = CliResult;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class CliTableTest : public CliServerTest {
 protected:
  void SetUp() override {
    StartServer();
    Result org = Cli({"orgs", "create", "--id", "city", "--display-name", "〇〇市"});
    ASSERT_EQ(org.exit_code, kExitOk) << org.err;
  }
};

TEST_F(CliTableTest, ImportPrintsTheSummaryAndTheFindings) {
  Result r = Cli({"import", TORIKUMI_SEED_TSV, "--org", "city", "--plan-id", "hr"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("organizations/city/plans/hr (new)"));
  EXPECT_THAT(r.out, HasSubstr("UTF-8"));
  EXPECT_THAT(r.out, HasSubstr("66 created, 0 updated"));
  EXPECT_THAT(r.out, HasSubstr("ratings:      64"));
  // The findings table: line, column, severity, text, action.
  EXPECT_THAT(r.out, HasSubstr("LINE  COL  SEVERITY"));
  EXPECT_THAT(r.out, HasSubstr("extra ⇒ dropped"));
  EXPECT_THAT(r.out, HasSubstr("repair"));

  Result listed = Cli({"--json", "initiatives", "list", "--plan", "city/hr"});
  ASSERT_EQ(listed.exit_code, kExitOk) << listed.err;
  v1::ListInitiativesResponse initiatives;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.out, &initiatives).ok());
  EXPECT_EQ(initiatives.total_size(), 66);

  // Again into the same plan: updated in place.
  Result again = Cli({"--json", "import", TORIKUMI_SEED_TSV, "--plan", "city/hr"});
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  v1::ImportTableResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(again.out, &response).ok()) << again.out;
  EXPECT_EQ(response.plan(), "organizations/city/plans/hr");
  EXPECT_FALSE(response.plan_created());
  EXPECT_EQ(response.initiatives_updated(), 66);
  EXPECT_EQ(response.initiatives_created(), 0);
}

TEST_F(CliTableTest, DryRunStrictAndUsageErrors) {
  Result dry = Cli(
      {"import", TORIKUMI_SEED_TSV, "--org", "city", "--plan-id", "hr", "--dry-run", "--strict"});
  ASSERT_EQ(dry.exit_code, kExitOk) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("dry run: nothing was stored"));
  EXPECT_THAT(dry.out, HasSubstr("the import would be refused: strict:"));
  Result strict = Cli({"import", TORIKUMI_SEED_TSV, "--org", "city", "--strict"});
  EXPECT_EQ(strict.exit_code, kExitFailure);
  EXPECT_THAT(strict.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(strict.err, HasSubstr("field table:11:"));
  Result none = Cli({"plans", "list", "--org", "city"});
  EXPECT_THAT(none.out, HasSubstr("0 plan(s)"));

  Result no_org = Cli({"import", TORIKUMI_SEED_TSV});
  EXPECT_EQ(no_org.exit_code, kExitUsage);
  EXPECT_THAT(no_org.err, HasSubstr("--org"));
  Result both = Cli({"import", TORIKUMI_SEED_TSV, "--plan", "city/hr", "--plan-id", "x"});
  EXPECT_EQ(both.exit_code, kExitUsage);
  Result encoding = Cli({"import", TORIKUMI_SEED_TSV, "--org", "city", "--encoding", "latin1"});
  EXPECT_EQ(encoding.exit_code, kExitUsage);
  EXPECT_THAT(encoding.err, HasSubstr("--encoding"));
  Result missing = Cli({"import", dir_ + "/no-such.tsv", "--org", "city"});
  EXPECT_EQ(missing.exit_code, kExitFailure);
  EXPECT_THAT(missing.err, HasSubstr("cannot read"));
  Result format = Cli({"export", "--plan", "city/hr", "--format", "pdf"});
  EXPECT_EQ(format.exit_code, kExitUsage);
  EXPECT_THAT(format.err, HasSubstr("--format"));
}

TEST_F(CliTableTest, ExportToStdoutAndFilesAndBackIn) {
  ASSERT_EQ(Cli({"import", TORIKUMI_SEED_TSV, "--org", "city", "--plan-id", "hr"}).exit_code,
            kExitOk);

  Result tsv = Cli({"export", "--plan", "city/hr", "--format", "tsv"});
  ASSERT_EQ(tsv.exit_code, kExitOk) << tsv.err;
  EXPECT_TRUE(absl::StartsWith(tsv.out, "人材育成推進プラン（平成30年度～令和4年度）の取組状況\n"))
      << tsv.out.substr(0, 200);
  EXPECT_THAT(tsv.out, HasSubstr("\n【組織文化】\n"));

  // -o writes the file; CP932 CSV comes back in as a new plan with the same content.
  const std::string csv_path = dir_ + "/hr.csv";
  Result csv = Cli(
      {"export", "--plan", "city/hr", "--format", "csv", "--encoding", "cp932", "-o", csv_path});
  ASSERT_EQ(csv.exit_code, kExitOk) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("wrote " + csv_path));
  EXPECT_THAT(csv.out, HasSubstr("charset=shift_jis"));
  Result copy =
      Cli({"import", csv_path, "--org", "city", "--plan-id", "copy", "--encoding", "cp932"});
  ASSERT_EQ(copy.exit_code, kExitOk) << copy.err;
  EXPECT_THAT(copy.out, HasSubstr("CP932"));
  EXPECT_THAT(copy.out, HasSubstr("66 created"));

  Result original_json = Cli({"export", "--plan", "city/hr", "--format", "json"});
  Result copy_json = Cli({"export", "--plan", "city/copy", "--format", "json"});
  ASSERT_EQ(original_json.exit_code, kExitOk) << original_json.err;
  ASSERT_EQ(copy_json.exit_code, kExitOk) << copy_json.err;
  v1::TableDocument original, copied;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(original_json.out, &original).ok());
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(copy_json.out, &copied).ok());
  ASSERT_EQ(original.initiatives_size(), 66);
  ASSERT_EQ(copied.initiatives_size(), 66);
  for (int i = 0; i < 66; ++i) {
    EXPECT_EQ(original.initiatives(i).initiative().title(),
              copied.initiatives(i).initiative().title());
    EXPECT_EQ(original.initiatives(i).outcomes_size(), copied.initiatives(i).outcomes_size());
  }

  // XLSX to a file is a zip; JSON metadata with --json.
  const std::string xlsx_path = dir_ + "/hr.xlsx";
  Result xlsx =
      Cli({"--json", "export", "--plan", "city/hr", "--format", "xlsx", "--output", xlsx_path});
  ASSERT_EQ(xlsx.exit_code, kExitOk) << xlsx.err;
  EXPECT_THAT(xlsx.out, HasSubstr("\"fileName\": \"hr.xlsx\""));
  EXPECT_TRUE(absl::StartsWith(ReadAll(xlsx_path), std::string("PK\x03\x04", 4)));

  // A failed export writes no file.
  const std::string none_path = dir_ + "/none.tsv";
  Result missing = Cli({"export", "--plan", "city/none", "--format", "tsv", "-o", none_path});
  EXPECT_EQ(missing.exit_code, kExitFailure);
  EXPECT_THAT(missing.err, HasSubstr("NOT_FOUND"));
  EXPECT_FALSE(std::filesystem::exists(none_path));
  EXPECT_THAT(Cli({"export", "--help"}).out, HasSubstr("-o, --output FILE"));
}

}  // namespace
}  // namespace torikumi::cli
