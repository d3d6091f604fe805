// What an evaluator worker process gives up before it loads its plugin: file descriptors
// it inherited, address space beyond a limit, CPU time beyond a limit per call, and (with
// libseccomp) the system calls that open network connections, write files, start
// programs or signal other processes. README ("Plugin isolation") says what each stops.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace torikumi::evaluators::worker {

// The exit code of a worker whose plugin ran out of its memory limit (operator new found
// no memory): the host names the memory limit when it sees it.
inline constexpr int kExitMemoryLimit = 87;

// Closes every descriptor above `last_kept`.
absl::Status CloseDescriptorsAbove(int last_kept);

// Caps the address space (soft and hard, so the plugin cannot raise it) and makes an
// allocation that fails for lack of memory end the process with kExitMemoryLimit.
absl::Status LimitMemory(uint64_t bytes);

// Lets the next call use at most `limit` more CPU time (rounded up to whole seconds):
// past it the kernel sends SIGXCPU, which ends the worker.
absl::Status LimitCpuForNextCall(absl::Duration limit);

// Installs the system-call filter; UNIMPLEMENTED if built without libseccomp.
absl::Status InstallSyscallFilter();

}  // namespace torikumi::evaluators::worker
