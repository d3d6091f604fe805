// What identifies a plugin file across reloads: the SHA-256 of its bytes. Device and inode
// do not: a file replaced in place may get the inode number of the one it replaced.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace torikumi::evaluators {

// The SHA-256 of the file at `path`, in lower-case hex.
absl::StatusOr<std::string> FileSha256(const std::string& path);

// The key a reload compares: the SHA-256 with the device and inode. Unchanged bytes under a
// new inode (a reinstall by rename) still load anew, so nothing stays mapped from a deleted
// file; changed bytes under a reused inode are never taken for the old file.
absl::StatusOr<std::string> PluginFileKey(const std::string& path);

}  // namespace torikumi::evaluators
