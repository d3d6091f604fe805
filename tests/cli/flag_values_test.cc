#include "services/cli/flag_values.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_assertions.h"

namespace torikumi::cli {
namespace {

using ::testing::HasSubstr;

TEST(CliFlagValuesTest, ScheduleContinuationCarriesThePreviousPhase) {
  auto schedule = ParseScheduleFlag("H30=検討,R1=実施,R2=⇒");
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  ASSERT_EQ(schedule->size(), 3u);
  EXPECT_EQ((*schedule)[0].fiscal_year(), 2018);
  EXPECT_EQ((*schedule)[0].phase(), v1::PHASE_CONSIDER);
  EXPECT_FALSE((*schedule)[0].continuation());
  EXPECT_EQ((*schedule)[1].fiscal_year(), 2019);
  EXPECT_EQ((*schedule)[1].phase(), v1::PHASE_IMPLEMENT);
  EXPECT_FALSE((*schedule)[1].continuation());
  EXPECT_EQ((*schedule)[2].fiscal_year(), 2020);
  EXPECT_EQ((*schedule)[2].phase(), v1::PHASE_IMPLEMENT);
  EXPECT_TRUE((*schedule)[2].continuation());
}

TEST(CliFlagValuesTest, ScheduleIsOrderedByYearAndAcceptsOtherSpellings) {
  // Out of order, Gregorian and era years mixed, English phase names, 、 as separator.
  auto schedule = ParseScheduleFlag("2020=same、R1=trial, 2018=研究");
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  ASSERT_EQ(schedule->size(), 3u);
  EXPECT_EQ((*schedule)[0].fiscal_year(), 2018);
  EXPECT_EQ((*schedule)[0].phase(), v1::PHASE_RESEARCH);
  EXPECT_EQ((*schedule)[1].fiscal_year(), 2019);
  EXPECT_EQ((*schedule)[1].phase(), v1::PHASE_TRIAL);
  EXPECT_EQ((*schedule)[2].fiscal_year(), 2020);
  EXPECT_EQ((*schedule)[2].phase(), v1::PHASE_TRIAL);
  EXPECT_TRUE((*schedule)[2].continuation());
}

TEST(CliFlagValuesTest, ScheduleErrorsQuoteTheCell) {
  auto gap = ParseScheduleFlag("H30=検討,R2=⇒");
  ASSERT_FALSE(gap.ok());
  EXPECT_THAT(gap.status().message(), HasSubstr("R2=⇒ continues R1, which has no phase"));

  auto first = ParseScheduleFlag("H30=⇒");
  ASSERT_FALSE(first.ok());
  EXPECT_THAT(first.status().message(), HasSubstr("continues H29"));

  auto phase = ParseScheduleFlag("H30=やる");
  ASSERT_FALSE(phase.ok());
  EXPECT_THAT(phase.status().message(), HasSubstr("unknown phase \"やる\""));

  auto twice = ParseScheduleFlag("H30=検討,2018=実施");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("H30 is listed twice"));

  auto no_pair = ParseScheduleFlag("H30");
  ASSERT_FALSE(no_pair.ok());
  EXPECT_THAT(no_pair.status().message(), HasSubstr("\"H30\" is not YEAR=PHASE"));

  auto empty_item = ParseScheduleFlag("H30=検討,,R1=実施");
  ASSERT_FALSE(empty_item.ok());
  EXPECT_THAT(empty_item.status().message(), HasSubstr("item 2"));

  auto bad_year = ParseScheduleFlag("X9=検討");
  ASSERT_FALSE(bad_year.ok());
  EXPECT_THAT(bad_year.status().message(), HasSubstr("X9"));
}

TEST(CliFlagValuesTest, EmptyScheduleClears) {
  auto schedule = ParseScheduleFlag("");
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_TRUE(schedule->empty());
}

TEST(CliFlagValuesTest, MetricsReadLabelValueUnitAndTotal) {
  auto metrics = ParseMetricsFlag("庁内=468人,努力賞=7件/20,5所属,受講率=８７.５％");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  ASSERT_EQ(metrics->size(), 4u);
  EXPECT_EQ((*metrics)[0].label(), "庁内");
  EXPECT_EQ((*metrics)[0].value(), 468);
  EXPECT_EQ((*metrics)[0].unit(), "人");
  EXPECT_FALSE((*metrics)[0].has_out_of());

  EXPECT_EQ((*metrics)[1].label(), "努力賞");
  EXPECT_EQ((*metrics)[1].value(), 7);
  EXPECT_EQ((*metrics)[1].unit(), "件");
  ASSERT_TRUE((*metrics)[1].has_out_of());
  EXPECT_EQ((*metrics)[1].out_of(), 20);

  EXPECT_EQ((*metrics)[2].label(), "");
  EXPECT_EQ((*metrics)[2].value(), 5);
  EXPECT_EQ((*metrics)[2].unit(), "所属");

  // Full-width digits are normalised; ％ becomes %.
  EXPECT_EQ((*metrics)[3].label(), "受講率");
  EXPECT_DOUBLE_EQ((*metrics)[3].value(), 87.5);
  EXPECT_EQ((*metrics)[3].unit(), "%");
}

TEST(CliFlagValuesTest, MetricAcceptsTheSeedsOutOfForm) {
  auto metrics = ParseMetricsFlag("努力賞=7件（計20件中）");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  ASSERT_EQ(metrics->size(), 1u);
  EXPECT_EQ((*metrics)[0].value(), 7);
  EXPECT_EQ((*metrics)[0].unit(), "件");
  ASSERT_TRUE((*metrics)[0].has_out_of());
  EXPECT_EQ((*metrics)[0].out_of(), 20);
}

TEST(CliFlagValuesTest, MetricErrorsQuoteTheItem) {
  auto no_number = ParseMetricsFlag("庁内=多数");
  ASSERT_FALSE(no_number.ok());
  EXPECT_THAT(no_number.status().message(), HasSubstr("\"庁内=多数\""));
  EXPECT_THAT(no_number.status().message(), HasSubstr("does not start with a number"));

  auto bad_total = ParseMetricsFlag("努力賞=7件/たくさん");
  ASSERT_FALSE(bad_total.ok());
  EXPECT_THAT(bad_total.status().message(), HasSubstr("total"));
}

TEST(CliFlagValuesTest, PeriodInEraGregorianAndJapaneseForms) {
  for (const char* text : {"H30-R4", "2018-2022", "平成30年度～令和4年度", "FY2018~FY2022"}) {
    auto period = ParsePeriodFlag(text);
    ASSERT_TRUE(period.ok()) << text << ": " << period.status();
    EXPECT_EQ(period->first_fiscal_year(), 2018) << text;
    EXPECT_EQ(period->last_fiscal_year(), 2022) << text;
  }
  auto one_year = ParsePeriodFlag("R4");
  ASSERT_TRUE(one_year.ok()) << one_year.status();
  EXPECT_EQ(one_year->first_fiscal_year(), 2022);
  EXPECT_EQ(one_year->last_fiscal_year(), 2022);
}

TEST(CliFlagValuesTest, PeriodErrors) {
  auto backwards = ParsePeriodFlag("R4-H30");
  ASSERT_FALSE(backwards.ok());
  EXPECT_THAT(backwards.status().message(), HasSubstr("ends before it starts"));

  auto garbage = ParsePeriodFlag("H30-someday");
  ASSERT_FALSE(garbage.ok());
  EXPECT_THAT(garbage.status().message(), HasSubstr("someday"));
}

TEST(CliFlagValuesTest, ScaleKeepsOrderLabelsAndMeanings) {
  auto scale =
      ParseScaleFlag("A=実施できた,B=概ね実施できた:一部実施できなかった,C=実施できなかった");
  ASSERT_TRUE(scale.ok()) << scale.status();
  ASSERT_EQ(scale->grades_size(), 3);
  EXPECT_EQ(scale->grades(0).code(), "A");
  EXPECT_EQ(scale->grades(0).label(), "実施できた");
  EXPECT_EQ(scale->grades(0).meaning(), "");
  EXPECT_EQ(scale->grades(1).code(), "B");
  EXPECT_EQ(scale->grades(1).label(), "概ね実施できた");
  EXPECT_EQ(scale->grades(1).meaning(), "一部実施できなかった");
  EXPECT_EQ(scale->grades(2).code(), "C");

  auto twice = ParseScaleFlag("A=x,A=y");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("grade \"A\" is listed twice"));
  auto no_code = ParseScaleFlag("=良い");
  ASSERT_FALSE(no_code.ok());
  EXPECT_THAT(no_code.status().message(), HasSubstr("is not CODE=LABEL"));
}

TEST(CliFlagValuesTest, AreasDropBracketsAndRejectRepeats) {
  auto areas = ParseAreasFlag("【職員研修】,組織文化、働きやすい環境");
  ASSERT_TRUE(areas.ok()) << areas.status();
  EXPECT_THAT(*areas, ::testing::ElementsAre("職員研修", "組織文化", "働きやすい環境"));

  auto twice = ParseAreasFlag("職員研修,【職員研修】");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("listed twice"));
}

TEST(CliFlagValuesTest, DatesKindsStatusesYears) {
  auto date = ParseDateFlag("2022-08-31");
  ASSERT_TRUE(date.ok()) << date.status();
  EXPECT_EQ(date->year(), 2022);
  EXPECT_EQ(date->month(), 8);
  EXPECT_EQ(date->day(), 31);
  EXPECT_TRUE(ParseDateFlag("2022/8/31").ok());
  auto no_day = ParseDateFlag("2022-02-30");
  ASSERT_FALSE(no_day.ok());
  EXPECT_THAT(no_day.status().message(), HasSubstr("not a calendar date"));
  EXPECT_FALSE(ParseDateFlag("R4-8-31").ok());

  ASSERT_OK_AND_ASSIGN(v1::InitiativeKind new_kind, ParseKindFlag("new"));
  EXPECT_EQ(new_kind, v1::INITIATIVE_KIND_NEW);
  ASSERT_OK_AND_ASSIGN(v1::InitiativeKind continuing, ParseKindFlag("継続"));
  EXPECT_EQ(continuing, v1::INITIATIVE_KIND_CONTINUING);
  EXPECT_THAT(ParseKindFlag("old").status().message(), HasSubstr("unknown kind \"old\""));

  ASSERT_OK_AND_ASSIGN(v1::OutcomeStatus partly, ParseStatusFlag("partly"));
  EXPECT_EQ(partly, v1::OUTCOME_STATUS_PARTLY_IMPLEMENTED);
  ASSERT_OK_AND_ASSIGN(v1::OutcomeStatus in_progress, ParseStatusFlag("in-progress"));
  EXPECT_EQ(in_progress, v1::OUTCOME_STATUS_IN_PROGRESS);
  ASSERT_OK_AND_ASSIGN(v1::OutcomeStatus scheduled, ParseStatusFlag("今後実施予定"));
  EXPECT_EQ(scheduled, v1::OUTCOME_STATUS_SCHEDULED);
  EXPECT_THAT(ParseStatusFlag("done").status().message(), HasSubstr("unknown status \"done\""));

  ASSERT_OK_AND_ASSIGN(int r4, ParseYearFlag("R4", false));
  EXPECT_EQ(r4, 2022);
  ASSERT_OK_AND_ASSIGN(int period, ParseYearFlag("period", true));
  EXPECT_EQ(period, 0);
  EXPECT_FALSE(ParseYearFlag("period", false).ok());

  ASSERT_OK_AND_ASSIGN(int twelve, ParseIntFlag("12"));
  EXPECT_EQ(twelve, 12);
  EXPECT_THAT(ParseIntFlag("twelve").status().message(), HasSubstr("not a whole number"));
}

}  // namespace
}  // namespace torikumi::cli
