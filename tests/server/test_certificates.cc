#include "tests/server/test_certificates.h"

#include <grpcpp/security/credentials.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace torikumi::server_test {
namespace {

absl::Status Openssl(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), TORIKUMI_OPENSSL);
  RunResult run = RunProgram(args, dir);
  if (run.exit_code == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat(absl::StrJoin(args, " "), " failed (", run.exit_code, "):\n", run.err));
}

// A self-signed CA certificate and key: <name>.pem, <name>.key.
absl::Status MakeCa(const TempDir& dir, const std::string& name) {
  return Openssl(dir, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                       "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout",
                       dir.File(name + ".key"), "-out", dir.File(name + ".pem")});
}

// A leaf certificate <name>.pem (and <name>.key) for `subject`, signed by the CA <ca>, with
// the extensions `extensions` (openssl x509 -extfile syntax).
absl::Status MakeLeaf(const TempDir& dir, const std::string& name, const std::string& ca,
                      const std::string& subject, const std::string& extensions) {
  const std::string csr = dir.File(name + ".csr");
  const std::string ext = dir.File(name + ".ext");
  WriteFile(ext, extensions);
  if (absl::Status made = Openssl(
          dir, {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-subj", subject, "-keyout", dir.File(name + ".key"), "-out", csr});
      !made.ok()) {
    return made;
  }
  return Openssl(dir, {"x509", "-req", "-in", csr, "-CA", dir.File(ca + ".pem"), "-CAkey",
                       dir.File(ca + ".key"), "-CAcreateserial", "-days", "2", "-extfile", ext,
                       "-out", dir.File(name + ".pem")});
}

}  // namespace

absl::StatusOr<TestCertificates> MakeTestCertificates(const TempDir& dir) {
  const std::string leaf = "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n";
  for (const absl::Status& made : {
           MakeCa(dir, "ca"),
           MakeCa(dir, "stranger-ca"),
           MakeLeaf(dir, "server", "ca", "/CN=localhost",
                    leaf + "extendedKeyUsage=serverAuth\n"
                           "subjectAltName=IP:127.0.0.1,DNS:localhost\n"),
           MakeLeaf(dir, "client", "ca", "/CN=training-system",
                    leaf + "extendedKeyUsage=clientAuth\n"),
           MakeLeaf(dir, "stranger", "stranger-ca", "/CN=training-system",
                    leaf + "extendedKeyUsage=clientAuth\n"),
       }) {
    if (!made.ok()) return made;
  }
  return TestCertificates{.ca = dir.File("ca.pem"),
                          .server_cert = dir.File("server.pem"),
                          .server_key = dir.File("server.key"),
                          .client_cert = dir.File("client.pem"),
                          .client_key = dir.File("client.key"),
                          .stranger_cert = dir.File("stranger.pem"),
                          .stranger_key = dir.File("stranger.key")};
}

std::shared_ptr<grpc::ChannelCredentials> TlsChannelCredentials(const std::string& ca,
                                                                const std::string& cert,
                                                                const std::string& key) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFile(ca);
  if (!cert.empty()) options.pem_cert_chain = ReadFile(cert);
  if (!key.empty()) options.pem_private_key = ReadFile(key);
  return grpc::SslCredentials(options);
}

}  // namespace torikumi::server_test
