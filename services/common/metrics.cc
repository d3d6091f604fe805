#include "services/common/metrics.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace torikumi::metrics {
namespace {

// `{a="x",b="y"}`, or "" without labels; values escaped as the format requires.
std::string LabelText(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    absl::StrAppend(
        &out, i == 0 ? "" : ",", labels[i].first, "=\"",
        absl::StrReplaceAll(labels[i].second, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}}),
        "\"");
  }
  return out + "}";
}

// `key` (a LabelText) with one more label appended.
std::string WithLabel(const std::string& key, absl::string_view name, absl::string_view value) {
  std::string extra = absl::StrCat(name, "=\"", value, "\"");
  if (key.empty()) return absl::StrCat("{", extra, "}");
  return absl::StrCat(key.substr(0, key.size() - 1), ",", extra, "}");
}

const char* TypeName(Kind kind) {
  switch (kind) {
    case Kind::kCounter:
      return "counter";
    case Kind::kGauge:
      return "gauge";
    case Kind::kHistogram:
      return "histogram";
  }
  return "untyped";
}

class Registry {
 public:
  Family& Get(absl::string_view name, absl::string_view help, Kind kind) {
    MutexLock lock(&mu_);
    std::unique_ptr<Family>& family = families_[std::string(name)];
    if (family == nullptr)
      family = std::make_unique<Family>(std::string(name), std::string(help), kind);
    return *family;
  }
  std::string Render() {
    MutexLock lock(&mu_);
    std::string out;
    for (const auto& [name, family] : families_) family->Render(&out);
    return out;
  }

 private:
  Mutex mu_;
  std::map<std::string, std::unique_ptr<Family>> families_ ABSL_GUARDED_BY(mu_);
};

Registry& Default() {
  static Registry* registry = new Registry();  // never destroyed: threads may record at exit
  return *registry;
}

}  // namespace

const std::vector<double>& HistogramBounds() {
  static const std::vector<double> bounds = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                             0.5,   1,     2.5,  5,     10,   30,  60};
  return bounds;
}

Family::Family(std::string name, std::string help, Kind kind)
    : name_(std::move(name)), help_(std::move(help)), kind_(kind) {}

Family::Series& Family::SeriesFor(const Labels& labels) {
  Series& series = series_[LabelText(labels)];
  if (kind_ == Kind::kHistogram && series.buckets.empty())
    series.buckets.assign(HistogramBounds().size(), 0);
  return series;
}

void Family::Add(const Labels& labels, double amount) {
  MutexLock lock(&mu_);
  SeriesFor(labels).value += amount;
}

void Family::Set(const Labels& labels, double value) {
  MutexLock lock(&mu_);
  SeriesFor(labels).value = value;
}

void Family::Observe(const Labels& labels, double value) {
  MutexLock lock(&mu_);
  Series& series = SeriesFor(labels);
  series.value += value;
  ++series.count;
  const std::vector<double>& bounds = HistogramBounds();
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (value <= bounds[i]) {
      ++series.buckets[i];
      break;
    }
  }
}

double Family::Value(const Labels& labels) const {
  MutexLock lock(&mu_);
  auto found = series_.find(LabelText(labels));
  return found == series_.end() ? 0 : found->second.value;
}

void Family::Render(std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", help_, "\n# TYPE ", name_, " ", TypeName(kind_),
                  "\n");
  MutexLock lock(&mu_);
  for (const auto& [key, series] : series_) {
    if (kind_ != Kind::kHistogram) {
      absl::StrAppend(out, name_, key, " ", series.value, "\n");
      continue;
    }
    uint64_t cumulative = 0;
    const std::vector<double>& bounds = HistogramBounds();
    for (size_t i = 0; i < bounds.size(); ++i) {
      cumulative += series.buckets[i];
      absl::StrAppend(out, name_, "_bucket", WithLabel(key, "le", absl::StrCat(bounds[i])), " ",
                      cumulative, "\n");
    }
    absl::StrAppend(out, name_, "_bucket", WithLabel(key, "le", "+Inf"), " ", series.count, "\n");
    absl::StrAppend(out, name_, "_sum", key, " ", series.value, "\n");
    absl::StrAppend(out, name_, "_count", key, " ", series.count, "\n");
  }
}

Family& Counter(absl::string_view name, absl::string_view help) {
  return Default().Get(name, help, Kind::kCounter);
}
Family& Gauge(absl::string_view name, absl::string_view help) {
  return Default().Get(name, help, Kind::kGauge);
}
Family& Histogram(absl::string_view name, absl::string_view help) {
  return Default().Get(name, help, Kind::kHistogram);
}

std::string Render() { return Default().Render(); }

}  // namespace torikumi::metrics
