// Which causes of a plugin worker's death a test may expect to the letter. Under
// AddressSanitizer or ThreadSanitizer a worker's segfault and exit go through the sanitizer's
// own handlers (its report, then an abort or another exit code), so the cause it dies of is
// not the plugin's own; the call's code and the recovery are what those builds check.
#pragma once

#include "absl/strings/string_view.h"

namespace torikumi::fault_causes {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kCrashCausesAreExact = false;
#else
inline constexpr bool kCrashCausesAreExact = true;
#endif

// Whether the cause of the fault plugin's `fault` (segfault, abort, exit3, oom, hang) is exact.
inline bool CauseIsExact(absl::string_view fault) {
  return kCrashCausesAreExact || (fault != "segfault" && fault != "exit3");
}

}  // namespace torikumi::fault_causes
