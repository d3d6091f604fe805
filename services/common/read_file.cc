#include "services/common/read_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace torikumi {
namespace {

absl::Status CannotRead(absl::string_view path, int error) {
  const std::string message = absl::StrCat("cannot read ", path, ": ", std::strerror(error));
  if (error == ENOENT) return absl::NotFoundError(message);
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  return absl::FailedPreconditionError(message);
}

}  // namespace

absl::StatusOr<std::string> ReadSmallFile(absl::string_view path, size_t max_bytes) {
  const std::string path_text(path);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path_text.c_str(), "rb"),
                                                       &std::fclose);
  if (file == nullptr) return CannotRead(path, errno);
  std::string bytes;
  char buffer[8192];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) {
    bytes.append(buffer, got);
    if (bytes.size() > max_bytes) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read ", path, ": it is over ", max_bytes, " bytes"));
    }
  }
  // A folder opens but fails to read (EISDIR).
  if (std::ferror(file.get())) return CannotRead(path, errno);
  return bytes;
}

}  // namespace torikumi
