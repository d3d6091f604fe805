// A well-behaved plugin whose evaluate() can be held at a gate until the test opens it,
// for calls that outlast their time limit and reloads during a call. With GATE_BLOCKS=0
// it never waits; with GATE_SLEEP_MS each evaluate() takes that long (a slow evaluator,
// for evaluations that are cancelled half-way). It grades every subject with the first
// grade of the scale.
//
// The test reaches the gate through three extra exported functions (see gate.map), after
// dlopen(RTLD_NOLOAD) of the same file the host loaded.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cpp/evaluator_plugin.h"
#include "grade_all.h"

#ifndef GATE_VERSION
#define GATE_VERSION "1.0.0"
#endif
#ifndef GATE_BLOCKS
#define GATE_BLOCKS 1
#endif

namespace {

std::mutex gate_mu;
std::condition_variable gate_cv;
int entered = 0;
bool open_gate = GATE_BLOCKS == 0;
// Calls the gate lets through while it is closed (torikumi_test_gate_let_through).
int passes = 0;

class GateEvaluator {
 public:
  static constexpr const char* kName = "gate";
  static constexpr const char* kVersion = GATE_VERSION;

  static torikumi::v1::EvaluatorInfo Describe() {
    torikumi::v1::EvaluatorInfo info;
    info.set_description("test plugin: evaluate() waits at a gate the test opens");
    return info;
  }
  static torikumi::v1::ValidateRuleSetResponse Validate(
      const torikumi::v1::ValidateRuleSetRequest&) {
    return {};
  }
  static absl::StatusOr<std::unique_ptr<GateEvaluator>> Create(absl::string_view) {
    return std::make_unique<GateEvaluator>();
  }

  absl::Status Evaluate(const torikumi::v1::EvaluateRequest& request,
                        torikumi::v1::EvaluateResponse* response) const {
    {
      std::unique_lock<std::mutex> lock(gate_mu);
      ++entered;
      gate_cv.notify_all();
      gate_cv.wait(lock, [] { return open_gate || passes > 0; });
      if (!open_gate) --passes;
    }
#ifdef GATE_SLEEP_MS
    std::this_thread::sleep_for(std::chrono::milliseconds(GATE_SLEEP_MS));
#endif
    torikumi::test_plugins::GradeEverySubject(request, "gate", "gate " GATE_VERSION, response);
    return absl::OkStatus();
  }
};

}  // namespace

TORIKUMI_EVALUATOR_PLUGIN(GateEvaluator)

// True once `count` calls have reached the gate; false after timeout_ms.
extern "C" TORIKUMI_EVALUATOR_EXPORT int torikumi_test_gate_wait_entered(int count,
                                                                         int timeout_ms) {
  std::unique_lock<std::mutex> lock(gate_mu);
  return gate_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                          [&] { return entered >= count; })
             ? 1
             : 0;
}

extern "C" TORIKUMI_EVALUATOR_EXPORT void torikumi_test_gate_open(void) {
  std::lock_guard<std::mutex> lock(gate_mu);
  open_gate = true;
  gate_cv.notify_all();
}

// Lets `count` more calls through a closed gate, those waiting first; later ones wait still.
extern "C" TORIKUMI_EVALUATOR_EXPORT void torikumi_test_gate_let_through(int count) {
  std::lock_guard<std::mutex> lock(gate_mu);
  passes += count;
  gate_cv.notify_all();
}
