// A closed-loop client over gRPC's generic API: it knows methods by their full name and
// requests as serialized bytes, so it drives any unary method of any server without
// generated stubs. Each slot keeps one call in flight: when its call returns it sends the
// next, until the duration is over.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace torikumi::bench {

struct LoadOptions {
  // "/package.Service/Method".
  std::string method;
  // Serialized requests, sent round robin (one is enough when every call is the same).
  std::vector<std::string> requests;
  int in_flight = 1;
  // Client threads, each with its own completion queue and channel; the calls in flight are
  // shared out among them.
  int threads = 1;
  absl::Duration duration = absl::Seconds(5);
  // Calls made before measuring starts, to warm connections and caches.
  absl::Duration warmup = absl::Milliseconds(500);
};

struct LoadResult {
  int64_t calls = 0;
  int64_t errors = 0;
  // The first error's code and message, for the report.
  std::string first_error;
  double calls_per_second = 0;
  absl::Duration p50;
  absl::Duration p99;
  // Size of the last response received.
  int64_t response_bytes = 0;
};

// Runs the load against `target` ("host:port", plain text).
LoadResult RunClosedLoop(const std::string& target, const LoadOptions& options);

// The p-th percentile (0..100) of `samples`, which it sorts.
absl::Duration Percentile(std::vector<absl::Duration>& samples, double p);

}  // namespace torikumi::bench
