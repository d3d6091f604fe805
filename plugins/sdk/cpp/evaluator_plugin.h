// Turns a C++ evaluator class into the C function table of torikumi_evaluator.h.
//
// The class provides:
//   static constexpr const char* kName;      // e.g. "rules"
//   static constexpr const char* kVersion;   // e.g. "1.0.0"
//   static torikumi::v1::EvaluatorInfo Describe();
//   static torikumi::v1::ValidateRuleSetResponse Validate(
//       const torikumi::v1::ValidateRuleSetRequest& request);
//   static absl::StatusOr<std::unique_ptr<Class>> Create(absl::string_view body);
//   absl::Status Evaluate(const torikumi::v1::EvaluateRequest& request,
//                         torikumi::v1::EvaluateResponse* response) const;   // thread-safe
//
// and exactly one source file of the plugin says TORIKUMI_EVALUATOR_PLUGIN(Class).
// The adapter parses and serializes the bytes, allocates what crosses back with malloc
// (released by free_buffer), turns absl::Status into code + message, and catches every
// exception so none crosses the C boundary.
//
// Include this only in the plugin's entry-point file: it defines the exported symbol.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/message_lite.h"
#include "torikumi/v1/evaluation.pb.h"
#include "torikumi_evaluator.h"

namespace torikumi::plugin_sdk {

// A malloc'ed NUL-terminated copy for *error_message; NULL if out of memory.
inline char* CopyMessage(absl::string_view text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

inline TorikumiCode Fail(TorikumiCode code, absl::string_view message, char** error_message) {
  if (error_message != nullptr) *error_message = CopyMessage(message);
  return code;
}

inline TorikumiCode FromStatus(const absl::Status& status, char** error_message) {
  if (status.ok()) return TORIKUMI_CODE_OK;
  return Fail(static_cast<TorikumiCode>(status.code()), status.message(), error_message);
}

// Serializes into a malloc'ed buffer the host releases with free_buffer.
inline TorikumiCode WriteMessage(const google::protobuf::MessageLite& message, TorikumiBuffer* out,
                                 char** error_message) {
  if (out == nullptr)
    return Fail(TORIKUMI_CODE_INVALID_ARGUMENT, "no output buffer", error_message);
  const size_t size = message.ByteSizeLong();
  // malloc(0) may return NULL; an empty message is a valid empty buffer.
  uint8_t* data = static_cast<uint8_t*>(std::malloc(size > 0 ? size : 1));
  if (data == nullptr)
    return Fail(TORIKUMI_CODE_RESOURCE_EXHAUSTED, "out of memory", error_message);
  if (size > 0 && !message.SerializeWithCachedSizesToArray(data)) {
    std::free(data);
    return Fail(TORIKUMI_CODE_INTERNAL, "could not serialize the result", error_message);
  }
  out->data = data;
  out->size = size;
  return TORIKUMI_CODE_OK;
}

// Runs body(), turning any exception into an INTERNAL error.
template <typename Body>
TorikumiCode Guard(char** error_message, Body body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(TORIKUMI_CODE_RESOURCE_EXHAUSTED, "out of memory", error_message);
  } catch (const std::exception& e) {
    return Fail(TORIKUMI_CODE_INTERNAL, std::string("evaluator threw: ") + e.what(), error_message);
  } catch (...) {
    return Fail(TORIKUMI_CODE_INTERNAL, "evaluator threw an unknown exception", error_message);
  }
}

// A block of memory for the arena of an evaluate() call. It grows to the largest batch
// it served (up to kMaxScratchBytes) and is kept for later calls (see ScratchPool).
class ScratchBlock {
 public:
  void Reserve(size_t bytes) {
    bytes = std::min(bytes, kMaxScratchBytes);
    if (bytes <= size_) return;
    block_.reset(new (std::nothrow) char[bytes]);
    size_ = block_ == nullptr ? 0 : bytes;  // without it, the arena just allocates
  }
  char* data() { return block_.get(); }
  size_t size() const { return size_; }

  // Bigger batches use the scratch for their first bytes and allocate the rest.
  static constexpr size_t kMaxScratchBytes = size_t{64} << 20;

 private:
  std::unique_ptr<char[]> block_;
  size_t size_ = 0;
};

// The plugin's scratch blocks: each call borrows one and gives it back, and up to
// kMaxKept wait for the next calls (the host runs calls on a few worker threads, so a
// few are in use at once). Freed when the plugin is unloaded.
//
// Not thread_local: a thread_local object with a destructor pins the library that
// defines it until every thread that touched it has exited (glibc defers dlclose), and
// the host's worker threads live as long as the process, so every reloaded-away version
// of the plugin would stay in memory.
class ScratchPool {
 public:
  std::unique_ptr<ScratchBlock> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (kept_.empty()) return std::make_unique<ScratchBlock>();
    std::unique_ptr<ScratchBlock> block = std::move(kept_.back());
    kept_.pop_back();
    return block;
  }
  void Give(std::unique_ptr<ScratchBlock> block) {
    std::lock_guard<std::mutex> lock(mu_);
    if (kept_.size() < kMaxKept) kept_.push_back(std::move(block));
  }

  static constexpr size_t kMaxKept = 4;

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<ScratchBlock>> kept_;
};

inline ScratchPool& Scratch() {
  static ScratchPool pool;
  return pool;
}

// A block borrowed from the pool for one call's scope.
class BorrowedScratch {
 public:
  BorrowedScratch() : block_(Scratch().Take()) {}
  ~BorrowedScratch() { Scratch().Give(std::move(block_)); }
  BorrowedScratch(const BorrowedScratch&) = delete;
  BorrowedScratch& operator=(const BorrowedScratch&) = delete;
  ScratchBlock& operator*() { return *block_; }
  ScratchBlock* operator->() { return block_.get(); }

 private:
  std::unique_ptr<ScratchBlock> block_;
};

// Arena bytes a batch takes per byte of its request: the parsed request (about twice its
// wire size) and the result it builds (about half again); measured on seed-like batches.
inline constexpr size_t kScratchPerRequestByte = 4;

template <typename Evaluator>
struct Adapter {
  static TorikumiCode Describe(TorikumiBuffer* info, char** error_message) {
    return Guard(error_message,
                 [&] { return WriteMessage(Evaluator::Describe(), info, error_message); });
  }

  static TorikumiCode Validate(const uint8_t* request, size_t request_size,
                               TorikumiBuffer* response, char** error_message) {
    return Guard(error_message, [&] {
      torikumi::v1::ValidateRuleSetRequest parsed;
      if (!parsed.ParseFromArray(request, static_cast<int>(request_size))) {
        return Fail(TORIKUMI_CODE_INVALID_ARGUMENT,
                    "request bytes do not parse as torikumi.v1.ValidateRuleSetRequest",
                    error_message);
      }
      return WriteMessage(Evaluator::Validate(parsed), response, error_message);
    });
  }

  static TorikumiCode Create(const char* body, size_t body_size, TorikumiEvaluator** evaluator,
                             char** error_message) {
    return Guard(error_message, [&] {
      if (evaluator == nullptr) {
        return Fail(TORIKUMI_CODE_INVALID_ARGUMENT, "no place for the evaluator", error_message);
      }
      absl::StatusOr<std::unique_ptr<Evaluator>> created = Evaluator::Create(
          absl::string_view(body == nullptr ? "" : body, body == nullptr ? 0 : body_size));
      if (!created.ok()) return FromStatus(created.status(), error_message);
      *evaluator = reinterpret_cast<TorikumiEvaluator*>(created->release());
      return TORIKUMI_CODE_OK;
    });
  }

  static void Destroy(TorikumiEvaluator* evaluator) {
    // Destructors do not throw; nothing to guard.
    delete reinterpret_cast<Evaluator*>(evaluator);
  }

  static TorikumiCode Evaluate(const TorikumiEvaluator* evaluator, const uint8_t* request,
                               size_t request_size, TorikumiBuffer* response,
                               char** error_message) {
    return Guard(error_message, [&] {
      if (evaluator == nullptr) {
        return Fail(TORIKUMI_CODE_INVALID_ARGUMENT, "no evaluator instance", error_message);
      }
      // One arena for the batch: a request holds many small messages and strings, and
      // allocating and freeing them one by one would cost more than evaluating them.
      google::protobuf::ArenaOptions options;
      // It starts in a scratch block kept from call to call: a batch needs a few times
      // its request size, and a fresh block that size per call (malloc'ed from, and given
      // back to, the kernel) cost as much as the evaluation itself. Declared before the
      // arena, so the arena is gone before the block goes back.
      BorrowedScratch scratch;
      scratch->Reserve(kScratchPerRequestByte * request_size);
      options.initial_block = scratch->data();
      options.initial_block_size = scratch->size();
      // Past the scratch: blocks in proportion to the batch, not many 8 KB ones.
      options.start_block_size = std::max<size_t>(4096, request_size);
      options.max_block_size = std::max<size_t>(65536, 4 * request_size);
      google::protobuf::Arena arena(options);
      auto* parsed = google::protobuf::Arena::CreateMessage<torikumi::v1::EvaluateRequest>(&arena);
      if (!parsed->ParseFromArray(request, static_cast<int>(request_size))) {
        return Fail(TORIKUMI_CODE_INVALID_ARGUMENT,
                    "request bytes do not parse as torikumi.v1.EvaluateRequest", error_message);
      }
      auto* result = google::protobuf::Arena::CreateMessage<torikumi::v1::EvaluateResponse>(&arena);
      absl::Status status =
          reinterpret_cast<const Evaluator*>(evaluator)->Evaluate(*parsed, result);
      if (!status.ok()) return FromStatus(status, error_message);
      return WriteMessage(*result, response, error_message);
    });
  }

  static void FreeBuffer(void* buffer) { std::free(buffer); }

  static const TorikumiEvaluatorApi* Api() {
    static const TorikumiEvaluatorApi api = {
        TORIKUMI_EVALUATOR_ABI_MAJOR,
        TORIKUMI_EVALUATOR_ABI_MINOR,
        Evaluator::kName,
        Evaluator::kVersion,
        &Describe,
        &Validate,
        &Create,
        &Destroy,
        &Evaluate,
        &FreeBuffer,
    };
    return &api;
  }
};

}  // namespace torikumi::plugin_sdk

// Defines the plugin's entry point for the C++ evaluator class `Class`.
#define TORIKUMI_EVALUATOR_PLUGIN(Class)                                                          \
  extern "C" TORIKUMI_EVALUATOR_EXPORT const TorikumiEvaluatorApi* torikumi_evaluator_api(void) { \
    return ::torikumi::plugin_sdk::Adapter<Class>::Api();                                         \
  }
