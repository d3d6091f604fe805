#include "services/evaluators/content_hash.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace torikumi::evaluators {

absl::StatusOr<std::string> FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::FailedPreconditionError(absl::StrCat("cannot open the file: ", strerror(errno)));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return absl::InternalError("cannot start a SHA-256 digest");
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    EVP_DigestUpdate(ctx.get(), buffer, static_cast<size_t>(in.gcount()));
    if (in.eof()) break;
  }
  if (in.bad()) return absl::FailedPreconditionError("cannot read the file");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), size));
}

absl::StatusOr<std::string> PluginFileKey(const std::string& path) {
  struct stat file {};
  if (::stat(path.c_str(), &file) != 0)
    return absl::FailedPreconditionError(absl::StrCat("cannot open the file: ", strerror(errno)));
  absl::StatusOr<std::string> sha256 = FileSha256(path);
  if (!sha256.ok()) return sha256.status();
  return absl::StrCat(*sha256, " ", file.st_dev, ":", file.st_ino);
}

}  // namespace torikumi::evaluators
