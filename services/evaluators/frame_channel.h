// The wire between the plugin host and an evaluator worker process (worker/): frames on a
// stream socket, each a 4-byte little-endian length, a 1-byte kind, and that many bytes of
// payload. The payloads are the protobuf bytes that cross the C ABI, unchanged.
//
//   host → worker: kValidate (request bytes), kCreate (8-byte id + body),
//                  kDestroy (8-byte id), kEvaluate (8-byte id + request bytes)
//   worker → host: a hello when it starts (kOk + the plugin's EvaluatorInfo bytes, or an
//                  error kind + why the plugin was refused), then one reply per call:
//                  kOk + the result bytes, or an absl::StatusCode + the message.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace torikumi::evaluators::wire {

enum Kind : uint8_t {
  kOk = 0,  // replies; 1..16 are the absl::StatusCode of a failed call
  kValidate = 100,
  kCreate = 101,
  kDestroy = 102,
  kEvaluate = 103,
};

// The channel's descriptor in the worker (the host puts it there).
inline constexpr int kWorkerChannelFd = 3;
// Largest payload either side accepts: a batch of initiatives is well below it.
inline constexpr uint32_t kMaxPayload = 1u << 30;

struct Frame {
  uint8_t kind = 0;
  std::string payload;
};

// Writes one frame of `kind` whose payload is prefix + body (either may be empty),
// without copying them into one buffer. Waits for the socket until `deadline`
// (InfiniteFuture: blocks). UNAVAILABLE if the peer has gone, DEADLINE_EXCEEDED on time.
absl::Status WriteFrame(int fd, uint8_t kind, absl::string_view prefix, absl::string_view body,
                        absl::Time deadline = absl::InfiniteFuture());

// Reads one frame into *frame (its payload buffer is reused). UNAVAILABLE on end of
// stream or a bad length, DEADLINE_EXCEEDED on time.
absl::Status ReadFrame(int fd, Frame* frame, absl::Time deadline = absl::InfiniteFuture());

// An instance id as the 8 bytes that start kCreate/kDestroy/kEvaluate payloads, and back.
std::string EncodeId(uint64_t id);
bool DecodeId(absl::string_view payload, uint64_t* id, absl::string_view* rest);

}  // namespace torikumi::evaluators::wire
