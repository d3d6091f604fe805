#include "bench/load/closed_loop.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace torikumi::bench {
namespace {

// One call in flight: its context, buffers and start time. Reused call after call.
struct Slot {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Time started;
};

// What one client thread measured.
struct ThreadResult {
  std::vector<absl::Duration> latencies;
  int64_t errors = 0;
  std::string first_error;
  int64_t response_bytes = 0;
};

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// Drives `slots` calls in flight on its own channel and completion queue until `end`;
// calls that finish before `measure_from` are not counted.
void RunThread(const std::string& target, const LoadOptions& options,
               const std::vector<grpc::ByteBuffer>& requests, int slots, int thread_index,
               absl::Time measure_from, absl::Time end, ThreadResult* out) {
  // A channel argument unique to the thread, so threads do not share one connection.
  grpc::ChannelArguments arguments;
  arguments.SetInt("torikumi.bench.thread", thread_index);
  // A whole plan's ratings come back in one Evaluate answer.
  arguments.SetMaxReceiveMessageSize(256 << 20);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments);
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  std::vector<Slot> calls(slots);
  size_t next_request = thread_index;
  auto start = [&](Slot& slot) {
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    slot.started = absl::Now();
    const grpc::ByteBuffer& request = requests[next_request++ % requests.size()];
    slot.reader = stub.PrepareUnaryCall(slot.context.get(), options.method, request, &queue);
    slot.reader->StartCall();
    slot.reader->Finish(&slot.response, &slot.status, &slot);
  };
  for (Slot& slot : calls) start(slot);
  int running = slots;
  void* tag = nullptr;
  bool ok = false;
  while (running > 0 && queue.Next(&tag, &ok)) {
    Slot& slot = *static_cast<Slot*>(tag);
    const absl::Time now = absl::Now();
    if (slot.started >= measure_from) {
      if (slot.status.ok()) {
        out->latencies.push_back(now - slot.started);
        out->response_bytes = static_cast<int64_t>(slot.response.Length());
      } else if (out->errors++ == 0) {
        out->first_error =
            absl::StrCat("code ", slot.status.error_code(), ": ", slot.status.error_message());
      }
    }
    if (now < end) {
      start(slot);
    } else {
      --running;
    }
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
}

}  // namespace

absl::Duration Percentile(std::vector<absl::Duration>& samples, double p) {
  if (samples.empty()) return absl::ZeroDuration();
  const size_t at = std::min(samples.size() - 1, static_cast<size_t>(samples.size() * p / 100));
  std::nth_element(samples.begin(), samples.begin() + at, samples.end());
  return samples[at];
}

LoadResult RunClosedLoop(const std::string& target, const LoadOptions& options) {
  std::vector<grpc::ByteBuffer> requests;
  for (const std::string& bytes : options.requests) requests.push_back(ToBuffer(bytes));
  const int threads = std::max(1, std::min(options.threads, options.in_flight));
  const absl::Time measure_from = absl::Now() + options.warmup;
  const absl::Time end = measure_from + options.duration;
  std::vector<ThreadResult> results(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    // The calls in flight shared out, the first threads taking one more when uneven.
    const int slots = options.in_flight / threads + (t < options.in_flight % threads ? 1 : 0);
    workers.emplace_back(RunThread, target, std::cref(options), std::cref(requests), slots, t,
                         measure_from, end, &results[t]);
  }
  for (std::thread& worker : workers) worker.join();

  LoadResult result;
  std::vector<absl::Duration> latencies;
  for (ThreadResult& r : results) {
    latencies.insert(latencies.end(), r.latencies.begin(), r.latencies.end());
    result.errors += r.errors;
    if (result.first_error.empty()) result.first_error = r.first_error;
    result.response_bytes = std::max(result.response_bytes, r.response_bytes);
  }
  result.calls = static_cast<int64_t>(latencies.size());
  result.calls_per_second = result.calls / absl::ToDoubleSeconds(options.duration);
  result.p50 = Percentile(latencies, 50);
  result.p99 = Percentile(latencies, 99);
  return result;
}

}  // namespace torikumi::bench
