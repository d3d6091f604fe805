// Certificates made at test time with the openssl program: a CA, a server certificate for
// 127.0.0.1 and localhost, a client certificate from the same CA and one from a stranger
// CA. Nothing is checked in; each test gets fresh keys in its own folder.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tests/server/test_support.h"

namespace grpc {
class ChannelCredentials;
}

namespace torikumi::server_test {

// Paths of PEM files.
struct TestCertificates {
  std::string ca;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;  // signed by `ca`
  std::string client_key;
  std::string stranger_cert;  // signed by another CA
  std::string stranger_key;
};

// Makes them in `dir`; the error carries openssl's output.
absl::StatusOr<TestCertificates> MakeTestCertificates(const TempDir& dir);

// TLS channel credentials trusting the CA file `ca`, presenting `cert`/`key` when given.
std::shared_ptr<grpc::ChannelCredentials> TlsChannelCredentials(const std::string& ca,
                                                                const std::string& cert = "",
                                                                const std::string& key = "");

}  // namespace torikumi::server_test
