// Process-wide metrics in the Prometheus text format: counters, gauges and histograms with
// labels. Every layer may record (the store its transaction times, the evaluator host its
// plugin calls, the server its calls); the server exposes Render() on --metrics_listen.
//
//   metrics::Counter("torikumi_grpc_calls_total", "Calls ...").Add({{"method", m}});
//   metrics::Histogram("torikumi_store_transaction_seconds", "...").Observe({{"kind", "write"}},
//   s);
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"

namespace torikumi::metrics {

// Label name → value, in the order given (the series key keeps that order).
using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Kind { kCounter, kGauge, kHistogram };

// One metric name with its series, one per distinct label set.
class Family {
 public:
  Family(std::string name, std::string help, Kind kind);
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  // Counters and gauges.
  void Add(const Labels& labels, double amount = 1);
  // Gauges.
  void Set(const Labels& labels, double value);
  // Histograms (seconds).
  void Observe(const Labels& labels, double value);
  void ObserveDuration(const Labels& labels, absl::Duration duration) {
    Observe(labels, absl::ToDoubleSeconds(duration));
  }
  // The value of a counter or gauge series, 0 when it has none yet (for tests).
  double Value(const Labels& labels) const;
  // This family in the text exposition format, HELP and TYPE lines first.
  void Render(std::string* out) const;

 private:
  struct Series {
    double value = 0;               // counter, gauge; histogram: the sum
    std::vector<uint64_t> buckets;  // histogram: counts per upper bound (not cumulative)
    uint64_t count = 0;             // histogram
  };
  Series& SeriesFor(const Labels& labels) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  const std::string help_;
  const Kind kind_;
  mutable Mutex mu_;
  std::map<std::string, Series> series_ ABSL_GUARDED_BY(mu_);  // key: rendered labels
};

// The family of that name, created on first use. The same name must always come with the
// same kind; the help of the first call is kept.
Family& Counter(absl::string_view name, absl::string_view help);
Family& Gauge(absl::string_view name, absl::string_view help);
Family& Histogram(absl::string_view name, absl::string_view help);

// Observes, in a histogram family, the time from its construction to the end of its scope.
class ScopedTimer {
 public:
  ScopedTimer(Family& histogram, Labels labels)
      : histogram_(histogram), labels_(std::move(labels)), start_(absl::Now()) {}
  ~ScopedTimer() { histogram_.ObserveDuration(labels_, absl::Now() - start_); }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  Family& histogram_;
  const Labels labels_;
  const absl::Time start_;
};

// Every family, sorted by name, in the Prometheus text format (version 0.0.4).
std::string Render();

// The upper bounds (seconds) of every histogram: 1 ms to 60 s.
const std::vector<double>& HistogramBounds();

}  // namespace torikumi::metrics
