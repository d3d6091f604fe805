#include "services/cli/channel_credentials.h"

#include "absl/strings/str_cat.h"
#include "services/common/read_file.h"

namespace torikumi::cli {
namespace {

// The file behind `flag` into *bytes (left empty when `path` is); an error naming the flag.
absl::Status ReadFlagFile(absl::string_view flag, const std::string& path, std::string* bytes) {
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> read = ReadSmallFile(path);
  if (!read.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", read.status().message()));
  }
  *bytes = *std::move(read);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFrom(
    const TlsFiles& files) {
  if (!files.enabled()) return grpc::InsecureChannelCredentials();
  if (files.cert.empty() != files.key.empty()) {
    return absl::InvalidArgumentError(files.cert.empty()
                                          ? "--key needs --cert (the certificate of the key)"
                                          : "--cert needs --key (its private key)");
  }
  grpc::SslCredentialsOptions options;
  if (absl::Status read = ReadFlagFile("ca", files.ca, &options.pem_root_certs); !read.ok())
    return read;
  if (absl::Status read = ReadFlagFile("cert", files.cert, &options.pem_cert_chain); !read.ok())
    return read;
  if (absl::Status read = ReadFlagFile("key", files.key, &options.pem_private_key); !read.ok())
    return read;
  return grpc::SslCredentials(options);
}

}  // namespace torikumi::cli
