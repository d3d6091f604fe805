// A table imported into a real SQLite store and exported again comes back as it was
// published: names as written (ＯＪＴ, 令和５年度), the table's own header words and year labels,
// its title and legend where they stood. Searches still match either width.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/domain/table_export.h"
#include "services/domain/table_import.h"
#include "services/table/layout.h"
#include "services/table/table_reader.h"
#include "tests/domain/domain_fixture.h"

namespace torikumi::domain::testing {
namespace {

// Lines without trailing tabs; the empty lines at the end dropped.
std::vector<std::string> LinesOf(absl::string_view text) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    while (absl::ConsumeSuffix(&line, "\t")) {
    }
    lines.emplace_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

class DomainTableVerbatimTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    importer_ = std::make_unique<TableImporter>(*store_);
    exporter_ = std::make_unique<TableExporter>(*store_);
    organization_ = MakeOrganization();
  }
  void TearDown() override {
    importer_.reset();
    exporter_.reset();
    DomainTest::TearDown();
  }

  // Imports `bytes` as plan `id`; returns the plan's name.
  std::string Import(const std::string& id, const std::string& bytes) {
    v1::ImportTableOptions options;
    options.set_parent(organization_);
    options.set_plan_id(id);
    auto imported = importer_->Import(options, bytes);
    EXPECT_TRUE(imported.ok()) << imported.status();
    return imported.ok() ? imported->plan() : "";
  }

  std::string ExportTsv(const std::string& plan) {
    v1::ExportTableRequest request;
    request.set_plan(plan);
    request.set_format(v1::TABLE_FORMAT_TSV);
    auto exported = exporter_->Export(request);
    EXPECT_TRUE(exported.ok()) << exported.status();
    return exported.ok() ? exported->bytes : "";
  }

  // The titles of the plan's initiatives whose text contains `query`.
  std::vector<std::string> Search(const std::string& plan, const std::string& query) {
    v1::ListInitiativesRequest request;
    request.set_parent(plan);
    request.mutable_filter()->set_text_contains(query);
    auto listed = initiatives_->List(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> titles;
    if (listed.ok()) {
      for (const v1::Initiative& i : listed->initiatives()) titles.push_back(i.title());
    }
    return titles;
  }

  std::unique_ptr<TableImporter> importer_;
  std::unique_ptr<TableExporter> exporter_;
  std::string organization_;
};

TEST_F(DomainTableVerbatimTest, DevsetComesBackLineForLine) {
  const std::string original = ReadTestFile(TORIKUMI_DEVSET_TSV);
  const std::string plan = Import("gyokaku", original);
  EXPECT_EQ(LinesOf(ExportTsv(plan)), LinesOf(original));
}

TEST_F(DomainTableVerbatimTest, FullWidthTableComesBackLineForLine) {
  const std::string original = ReadTestFile(TORIKUMI_OTHER_CITY_TSV);
  const std::string plan = Import("ikusei", original);
  EXPECT_EQ(LinesOf(ExportTsv(plan)), LinesOf(original));
  // The API returns what was written.
  auto stored = plans_->Get([&] {
    v1::GetPlanRequest request;
    request.set_name(plan);
    return request;
  }());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->plan().title(), "職員育成計画");
  EXPECT_EQ(stored->plan().table_layout().outcome_heading(), "実施状況");
  EXPECT_EQ(stored->plan().table_layout().period_text(), "令和元年度～令和５年度");
  std::vector<std::string> titles = Search(plan, "");
  ASSERT_EQ(titles.size(), 3u);
  EXPECT_EQ(titles[0], "ＯＪＴリーダー研修の実施");
}

// The seed's original has shifted and merged cells: not line for line, but every title,
// theme, subtheme and outcome comes back exactly as the seed wrote it.
TEST_F(DomainTableVerbatimTest, SeedTextsComeBackAsWritten) {
  const std::string original = ReadTestFile(TORIKUMI_SEED_TSV);
  absl::StatusOr<table::ParsedTable> read = table::ReadTable(original);
  ASSERT_TRUE(read.ok()) << read.status();
  const std::string plan = Import("hr", original);
  absl::StatusOr<table::ParsedTable> again = table::ReadTable(ExportTsv(plan));
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->initiatives.size(), read->initiatives.size());
  for (size_t i = 0; i < read->initiatives.size(); ++i) {
    const v1::Initiative& want = read->initiatives[i].initiative;
    const v1::Initiative& got = again->initiatives[i].initiative;
    EXPECT_EQ(got.title(), want.title());
    EXPECT_EQ(got.theme(), want.theme());
    EXPECT_EQ(got.subtheme(), want.subtheme());
    EXPECT_NE(original.find(got.title()), std::string::npos) << got.title();
    ASSERT_EQ(again->initiatives[i].outcomes.size(), read->initiatives[i].outcomes.size());
    for (size_t k = 0; k < read->initiatives[i].outcomes.size(); ++k) {
      EXPECT_EQ(again->initiatives[i].outcomes[k].text(), read->initiatives[i].outcomes[k].text());
    }
  }
}

TEST_F(DomainTableVerbatimTest, SearchMatchesEitherWidth) {
  const std::string plan = Import("ikusei", ReadTestFile(TORIKUMI_OTHER_CITY_TSV));
  EXPECT_EQ(Search(plan, "OJTリーダー"), std::vector<std::string>{"ＯＪＴリーダー研修の実施"});
  v1::Initiative ascii = SimpleInitiative("研修", 3, "OJT手引きの改訂");
  ASSERT_TRUE(CreateInitiative(plan, ascii).ok());
  EXPECT_EQ(Search(plan, "ＯＪＴ手引"), std::vector<std::string>{"OJT手引きの改訂"});
  // Both titles, and 2 for its theme ＯＪＴの充実.
  EXPECT_EQ(Search(plan, "ＯＪＴ").size(), 3u);
  EXPECT_EQ(Search(plan, "OJT").size(), 3u);
}

// An area is one area however it is spelled: ＯＪＴ研修 given for a plan's OJT研修 takes the
// plan's spelling, and its number is taken in either spelling.
TEST_F(DomainTableVerbatimTest, AnAreaMatchesByItsNormalisedForm) {
  v1::Plan plan = SeedPlan();
  plan.add_areas("OJT研修");
  auto created = CreatePlan(organization_, plan, "hr");
  ASSERT_TRUE(created.ok()) << created.status();
  auto first =
      CreateInitiative(created->name(), SimpleInitiative("ＯＪＴ研修", 1, "ＯＪＴの手引き"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->area(), "OJT研修");
  EXPECT_EQ(first->title(), "ＯＪＴの手引き");
  auto again = CreateInitiative(created->name(), SimpleInitiative("OJT研修", 1, "別の取組"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  v1::Plan twice = SeedPlan();
  twice.add_areas("OJT研修");
  twice.add_areas("ＯＪＴ研修");
  EXPECT_TRUE(IsViolation(CreatePlan(organization_, twice, "twice").status(), "plan.areas[4]",
                          "ＯＪＴ研修"));
}

// A plan created through the API prints in today's layout.
TEST_F(DomainTableVerbatimTest, APlanCreatedThroughTheApiGetsTheDefaultLayout) {
  auto created = CreatePlan(organization_, SeedPlan(), "hr");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->table_layout().recorded());
  EXPECT_EQ(created->table_layout().outcome_heading(), "取組状況");
  EXPECT_EQ(created->table_layout().title_placement(), v1::TABLE_PLACEMENT_PER_AREA);
}

}  // namespace
}  // namespace torikumi::domain::testing
