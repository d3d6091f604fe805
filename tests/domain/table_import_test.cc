// TableImporter and TableExporter over a real SQLite store: what the domain decides beyond
// the reader — option checks, ratings kept on re-import, updates that would strand what a
// plan already has, JSON from another plan imported by area and number — and tables that
// come back as they were published, names as written and found in either width.
#include "services/domain/table_import.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "services/domain/table_export.h"
#include "services/table/table_reader.h"
#include "services/table/table_writer.h"
#include "tests/domain/domain_fixture.h"

namespace torikumi::domain::testing {
namespace {

// A small table as a document: two areas, three initiatives, 組織文化 1 re-listing 職員研修 2.
v1::TableDocument SmallTable(const std::string& grade_of_first = "A") {
  v1::TableDocument document;
  v1::Plan* plan = document.mutable_plan();
  plan->set_title("人材育成推進プラン");
  plan->mutable_period()->set_first_fiscal_year(2018);
  plan->mutable_period()->set_last_fiscal_year(2022);
  plan->add_areas("職員研修");
  plan->add_areas("組織文化");
  for (const auto& [code, label] : {std::pair{"A", "実施できた"}, std::pair{"B", "概ね実施できた"},
                                    std::pair{"C", "実施できなかった"}}) {
    v1::Grade* grade = plan->mutable_rating_scale()->add_grades();
    grade->set_code(code);
    grade->set_label(label);
  }
  auto add = [&](const std::string& area, int number, const std::string& title,
                 const std::string& grade) -> v1::TableInitiative* {
    v1::TableInitiative* row = document.add_initiatives();
    v1::Initiative* initiative = row->mutable_initiative();
    initiative->set_area(area);
    initiative->set_theme("自己啓発");
    initiative->set_subtheme("支援制度");
    initiative->set_number(number);
    initiative->set_title(title);
    initiative->set_kind(v1::INITIATIVE_KIND_CONTINUING);
    for (int year = 2018; year <= 2022; ++year) {
      v1::ScheduleEntry* entry = initiative->add_schedule();
      entry->set_fiscal_year(year);
      entry->set_phase(v1::PHASE_IMPLEMENT);
      entry->set_continuation(year > 2018);
    }
    if (!grade.empty()) initiative->mutable_human_rating()->set_grade(grade);
    for (int year = 2018; year <= 2022; ++year) {
      v1::Outcome* outcome = row->add_outcomes();
      outcome->set_fiscal_year(year);
      outcome->set_text(absl::StrCat("支援人数 ", year - 2017, "人"));
    }
    return row;
  };
  add("職員研修", 1, "通信教育講座の支援", grade_of_first);
  add("職員研修", 2, "自主研修活動の支援", "B");
  v1::TableInitiative* relist = add("組織文化", 1, "自主研修活動の支援", "A");
  relist->mutable_relists()->set_area("職員研修");
  relist->mutable_relists()->set_number(2);
  return document;
}

std::string Tsv(const v1::TableDocument& document) {
  absl::StatusOr<std::string> tsv = table::WriteTsv(document);
  EXPECT_TRUE(tsv.ok()) << tsv.status();
  return tsv.ok() ? *tsv : "";
}

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

class DomainTableImportTest : public DomainTest {
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

  absl::StatusOr<v1::ImportTableResponse> ImportNew(const std::string& id,
                                                    const std::string& bytes) {
    v1::ImportTableOptions options;
    options.set_parent(organization_);
    options.set_plan_id(id);
    return importer_->Import(options, bytes);
  }

  absl::StatusOr<v1::ImportTableResponse> ImportInto(const std::string& plan,
                                                     const std::string& bytes) {
    v1::ImportTableOptions options;
    options.set_plan(plan);
    return importer_->Import(options, bytes);
  }

  v1::Initiative At(const std::string& plan, const std::string& area, int number) {
    v1::ListInitiativesRequest request;
    request.set_parent(plan);
    request.mutable_filter()->set_area(area);
    auto listed = initiatives_->List(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (listed.ok()) {
      for (const v1::Initiative& initiative : listed->initiatives()) {
        if (initiative.number() == number) return initiative;
      }
    }
    ADD_FAILURE() << "no " << area << " " << number << " in " << plan;
    return v1::Initiative();
  }

  // Imports `bytes` as the new plan `id`; returns the plan's name.
  std::string Imported(const std::string& id, const std::string& bytes) {
    auto imported = ImportNew(id, bytes);
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

TEST_F(DomainTableImportTest, OptionsAreChecked) {
  v1::ImportTableOptions options;
  EXPECT_TRUE(IsViolation(importer_->Import(options, "x").status(), "options.parent", "required"));
  options.set_parent("cities/x");
  EXPECT_TRUE(IsViolation(importer_->Import(options, "x").status(), "options.parent", "cities/x"));
  options.set_parent(organization_);
  options.set_plan_id("Bad_Id");
  EXPECT_TRUE(IsViolation(importer_->Import(options, "x").status(), "options.plan_id", "Bad_Id"));
  options.set_plan_id("hr");
  options.set_plan("organizations/city/plans/hr");
  EXPECT_TRUE(IsViolation(importer_->Import(options, "x").status(), "options.plan_id"));
  options.clear_plan_id();
  options.set_parent("organizations/other");
  EXPECT_TRUE(IsViolation(importer_->Import(options, "x").status(), "options.parent", "other"));
  options.clear_parent();
  options.set_encoding(static_cast<v1::TableEncoding>(9));
  EXPECT_TRUE(IsViolation(importer_->Import(options, "x").status(), "options.encoding", "9"));
  // An existing organization and plan are needed.
  v1::ImportTableOptions missing;
  missing.set_parent("organizations/nowhere");
  EXPECT_EQ(importer_->Import(missing, Tsv(SmallTable())).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ImportInto("organizations/city/plans/none", Tsv(SmallTable())).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(DomainTableImportTest, ReimportKeepsARatingWhoseGradeIsUnchanged) {
  ASSERT_TRUE(ImportNew("hr", Tsv(SmallTable())).ok());
  const std::string plan = absl::StrCat(organization_, "/plans/hr");
  v1::Initiative first = At(plan, "職員研修", 1);
  EXPECT_EQ(first.human_rating().grade(), "A");
  EXPECT_TRUE(first.human_rating().has_rate_time());

  // Someone records who rated it and why.
  v1::RateInitiativeRequest rate;
  rate.set_name(first.name());
  rate.set_grade("A");
  rate.set_rater("山田");
  rate.set_reason("全員が受講した");
  ASSERT_TRUE(initiatives_->Rate(rate).ok());

  // The same grade again: the rating with rater and reason stays.
  auto same = ImportInto(plan, Tsv(SmallTable("A")));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->initiatives_updated(), 3);
  EXPECT_EQ(At(plan, "職員研修", 1).human_rating().rater(), "山田");
  EXPECT_EQ(At(plan, "職員研修", 1).name(), first.name());

  // A new grade from the table replaces it; no grade removes it.
  ASSERT_TRUE(ImportInto(plan, Tsv(SmallTable("C"))).ok());
  v1::Initiative regraded = At(plan, "職員研修", 1);
  EXPECT_EQ(regraded.human_rating().grade(), "C");
  EXPECT_EQ(regraded.human_rating().rater(), "");
  ASSERT_TRUE(ImportInto(plan, Tsv(SmallTable(""))).ok());
  EXPECT_FALSE(At(plan, "職員研修", 1).has_human_rating());
}

TEST_F(DomainTableImportTest, UpdateThatWouldStrandWhatThePlanHasIsRefused) {
  ASSERT_TRUE(ImportNew("hr", Tsv(SmallTable())).ok());
  const std::string plan = absl::StrCat(organization_, "/plans/hr");
  ASSERT_TRUE(CreateInitiative(plan, SimpleInitiative("組織文化", 9, "手で追加"), "by-hand").ok());

  // The new table drops the area 組織文化 and shortens the period to H30–R2.
  v1::TableDocument smaller = SmallTable();
  smaller.mutable_plan()->mutable_areas()->RemoveLast();
  smaller.mutable_plan()->mutable_period()->set_last_fiscal_year(2020);
  smaller.mutable_initiatives()->RemoveLast();
  for (v1::TableInitiative& row : *smaller.mutable_initiatives()) {
    while (row.initiative().schedule_size() > 3)
      row.mutable_initiative()->mutable_schedule()->RemoveLast();
    while (row.outcomes_size() > 3) row.mutable_outcomes()->RemoveLast();
  }
  absl::StatusOr<v1::ImportTableResponse> refused = ImportInto(plan, Tsv(smaller));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "initiatives/by-hand"))
      << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "fiscal year 2021"))
      << refused.status();

  // Nothing changed.
  v1::GetPlanRequest get;
  get.set_name(plan);
  auto stored = plans_->Get(get);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->plan().areas_size(), 2);
  EXPECT_EQ(stored->plan().period().last_fiscal_year(), 2022);
}

TEST_F(DomainTableImportTest, JsonOfAnotherPlanIsImportedByAreaAndNumber) {
  ASSERT_TRUE(ImportNew("hr", Tsv(SmallTable())).ok());
  const std::string plan = absl::StrCat(organization_, "/plans/hr");
  v1::ExportTableRequest request;
  request.set_plan(plan);
  request.set_format(v1::TABLE_FORMAT_JSON);
  absl::StatusOr<ExportedTable> json = exporter_->Export(request);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(json->file_name, "hr.json");
  EXPECT_TRUE(absl::StrContains(json->bytes, plan));  // names of the first plan inside

  auto copy = ImportNew("copy", json->bytes);
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->detected_encoding(), "JSON");
  EXPECT_EQ(copy->initiatives_created(), 3);
  EXPECT_EQ(copy->outcomes_written(), 15);
  const std::string copy_plan = absl::StrCat(organization_, "/plans/copy");
  v1::Initiative relist = At(copy_plan, "組織文化", 1);
  EXPECT_EQ(relist.relists(), At(copy_plan, "職員研修", 2).name());
  EXPECT_TRUE(absl::StartsWith(relist.name(), copy_plan));
  // The copy's rating keeps the original's time: it came with the document.
  EXPECT_EQ(At(copy_plan, "職員研修", 1).human_rating().rate_time().seconds(),
            At(plan, "職員研修", 1).human_rating().rate_time().seconds());
}

TEST_F(DomainTableImportTest, ExportRefusesWhatCp932CannotHold) {
  v1::TableDocument document = SmallTable();
  document.mutable_initiatives(0)->mutable_outcomes(0)->set_text("😀 を配布");
  ASSERT_TRUE(ImportNew("hr", Tsv(document)).ok());
  v1::ExportTableRequest request;
  request.set_plan(absl::StrCat(organization_, "/plans/hr"));
  request.set_format(v1::TABLE_FORMAT_TSV);
  request.set_encoding(v1::TABLE_ENCODING_CP932);
  absl::StatusOr<ExportedTable> exported = exporter_->Export(request);
  EXPECT_EQ(exported.status().code(), absl::StatusCode::kFailedPrecondition) << exported.status();
  EXPECT_TRUE(absl::StrContains(exported.status().message(), "UTF-8 instead"));
  request.set_encoding(v1::TABLE_ENCODING_UTF8);
  exported = exporter_->Export(request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_TRUE(absl::StrContains(exported->bytes, "😀 を配布"));
}

// The development set's 業務改革 3 (table line 7) plans 検討 for R1–R3 and leaves R4 and R5
// empty: it is stored with those three years only, and the import reports nothing about it.
TEST_F(DomainTableImportTest, AScheduleThatEndsEarlyImportsWithoutAFinding) {
  auto imported = ImportNew("gyokaku", ReadTestFile(TORIKUMI_DEVSET_TSV));
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->initiatives_created(), 36);
  for (const v1::TableFinding& finding : imported->findings()) {
    EXPECT_NE(finding.line(), 7) << finding.ShortDebugString();
  }
  v1::Initiative three = At(absl::StrCat(organization_, "/plans/gyokaku"), "業務改革", 3);
  ASSERT_EQ(three.schedule_size(), 3);
  EXPECT_EQ(three.schedule(0).fiscal_year(), 2019);
  EXPECT_EQ(three.schedule(2).fiscal_year(), 2021);
  for (const v1::ScheduleEntry& entry : three.schedule()) {
    EXPECT_EQ(entry.phase(), v1::PHASE_CONSIDER);
  }
}

// A table imported and exported comes back as it was published: names as written (ＯＪＴ,
// 令和５年度), its own header words and year labels, its title and legend where they stood.
TEST_F(DomainTableImportTest, DevsetComesBackLineForLine) {
  const std::string original = ReadTestFile(TORIKUMI_DEVSET_TSV);
  const std::string plan = Imported("gyokaku", original);
  EXPECT_EQ(LinesOf(ExportTsv(plan)), LinesOf(original));
}

TEST_F(DomainTableImportTest, FullWidthTableComesBackLineForLine) {
  const std::string original = ReadTestFile(TORIKUMI_OTHER_CITY_TSV);
  const std::string plan = Imported("ikusei", original);
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
TEST_F(DomainTableImportTest, SeedTextsComeBackAsWritten) {
  const std::string original = ReadTestFile(TORIKUMI_SEED_TSV);
  absl::StatusOr<table::ParsedTable> read = table::ReadTable(original);
  ASSERT_TRUE(read.ok()) << read.status();
  const std::string plan = Imported("hr", original);
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

TEST_F(DomainTableImportTest, SearchMatchesEitherWidth) {
  const std::string plan = Imported("ikusei", ReadTestFile(TORIKUMI_OTHER_CITY_TSV));
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
TEST_F(DomainTableImportTest, AnAreaMatchesByItsNormalisedForm) {
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
TEST_F(DomainTableImportTest, APlanCreatedThroughTheApiGetsTheDefaultLayout) {
  auto created = CreatePlan(organization_, SeedPlan(), "hr");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->table_layout().recorded());
  EXPECT_EQ(created->table_layout().outcome_heading(), "取組状況");
  EXPECT_EQ(created->table_layout().title_placement(), v1::TABLE_PLACEMENT_PER_AREA);
}

}  // namespace
}  // namespace torikumi::domain::testing
