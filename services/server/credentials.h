// How the server's listening port is secured: TLS from certificate files, mutual TLS when
// a client CA is given, and the rule that only a loopback address may go without TLS.
#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace torikumi::server {

// The --tls_cert, --tls_key and --client_ca flags: paths of PEM files, empty when not given.
struct TlsFiles {
  std::string cert;       // the server's certificate chain
  std::string key;        // its private key
  std::string client_ca;  // when set: clients must present a certificate this CA signed
  bool enabled() const { return !cert.empty(); }
};

// Insecure credentials when no file is given, else TLS (with verified client certificates
// when client_ca is set). INVALID_ARGUMENT naming the flag and the path when a file is
// missing, unreadable or not what it should be, when only one of cert and key is given, or
// when client_ca comes without them.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFrom(
    const TlsFiles& files);

// True when "host:port" can only be reached from this machine: 127.0.0.0/8, ::1,
// "localhost", or a unix socket.
bool IsLoopbackAddress(absl::string_view listen_address);

// OK on a loopback address, with TLS, or when `insecure` (--insecure) is set; otherwise
// FAILED_PRECONDITION saying why and naming --tls_cert and --insecure.
absl::Status CheckExposure(absl::string_view listen_address, bool tls, bool insecure);

}  // namespace torikumi::server
