#include "services/common/metrics.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace torikumi::metrics {
namespace {

TEST(CommonMetricsTest, CountersRenderInTheTextFormatWithEscapedLabels) {
  Family& calls = Counter("test_calls_total", "Calls of the test.");
  calls.Add({{"method", "a/B"}, {"code", "OK"}});
  calls.Add({{"method", "a/B"}, {"code", "OK"}}, 2);
  calls.Add({{"method", "say \"hi\"\\"}, {"code", "OK"}});
  EXPECT_EQ(calls.Value({{"method", "a/B"}, {"code", "OK"}}), 3);
  const std::string text = Render();
  EXPECT_TRUE(absl::StrContains(text,
                                "# HELP test_calls_total Calls of the test.\n"
                                "# TYPE test_calls_total counter\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "test_calls_total{method=\"a/B\",code=\"OK\"} 3\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, R"(test_calls_total{method="say \"hi\"\\",code="OK"} 1)"))
      << text;
}

TEST(CommonMetricsTest, HistogramsHaveCumulativeBucketsSumAndCount) {
  Family& seconds = Histogram("test_seconds", "Durations of the test.");
  seconds.Observe({{"kind", "x"}}, 0.003);
  seconds.Observe({{"kind", "x"}}, 0.2);
  seconds.Observe({{"kind", "x"}}, 100);
  const std::string text = Render();
  EXPECT_TRUE(absl::StrContains(text, "# TYPE test_seconds histogram\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "test_seconds_bucket{kind=\"x\",le=\"0.001\"} 0\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "test_seconds_bucket{kind=\"x\",le=\"0.005\"} 1\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "test_seconds_bucket{kind=\"x\",le=\"0.25\"} 2\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "test_seconds_bucket{kind=\"x\",le=\"60\"} 2\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "test_seconds_bucket{kind=\"x\",le=\"+Inf\"} 3\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "test_seconds_sum{kind=\"x\"} 100.203\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "test_seconds_count{kind=\"x\"} 3\n")) << text;
}

TEST(CommonMetricsTest, GaugesAreSetAndTheSameNameIsTheSameFamily) {
  Gauge("test_open", "Open things.").Set({}, 7);
  EXPECT_EQ(&Gauge("test_open", "ignored"), &Gauge("test_open", "Open things."));
  EXPECT_EQ(Gauge("test_open", "").Value({}), 7);
  EXPECT_TRUE(absl::StrContains(Render(), "\ntest_open 7\n"));
}

}  // namespace
}  // namespace torikumi::metrics
