// Reading a small file whole (certificates, keys), with an error that names the path and
// the operating system's reason.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi {

// The bytes of the file at `path`. NOT_FOUND / PERMISSION_DENIED / FAILED_PRECONDITION
// "cannot read <path>: <reason>" when it cannot be read (missing, unreadable, a folder);
// FAILED_PRECONDITION when it holds more than `max_bytes`.
absl::StatusOr<std::string> ReadSmallFile(absl::string_view path, size_t max_bytes = 1u << 20);

}  // namespace torikumi
