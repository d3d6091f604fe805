// How the CLI secures its connection: TLS when --ca, --cert or --key (or $TORIKUMI_CA,
// $TORIKUMI_CERT, $TORIKUMI_KEY) is given, plain text otherwise.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"

namespace torikumi::cli {

// Paths of PEM files; all empty means plain text.
struct TlsFiles {
  std::string ca;    // CA certificate(s) the server's certificate must chain to (empty: the
                     // system's roots)
  std::string cert;  // the client's certificate, for servers that require one (mutual TLS)
  std::string key;   // its private key
  bool enabled() const { return !ca.empty() || !cert.empty() || !key.empty(); }
};

// Insecure credentials when no file is given, else TLS credentials from the files.
// INVALID_ARGUMENT "--ca: cannot read <path>: <reason>" when a file cannot be read, and
// when only one of --cert and --key is given.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFrom(
    const TlsFiles& files);

}  // namespace torikumi::cli
