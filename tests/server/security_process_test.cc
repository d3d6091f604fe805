// The real torikumi-server and torikumi binaries as child processes: TLS and mutual TLS
// with certificates made at test time, the CLI's --ca/--cert/--key and $TORIKUMI_CA…,
// clear exits for unusable certificate files, plain text only on loopback unless
// --insecure, and hostile requests (a deeply nested rule set, an oversized message)
// refused while the server goes on serving. Traffic goes to loopback only.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/server/hostile_inputs.h"
#include "tests/server/test_certificates.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/organization_service.grpc.pb.h"
#include "torikumi/v1/rule_set_service.grpc.pb.h"

namespace torikumi::server_test {
namespace {

// Any organization call: what a TLS refusal must stop and an accepted client must pass.
grpc::Status ListOrganizations(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::OrganizationService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::ListOrganizationsRequest request;
  v1::ListOrganizationsResponse response;
  return stub->ListOrganizations(&context, request, &response);
}

std::shared_ptr<grpc::Channel> PlainChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

std::string Describe(const RunResult& run) {
  return absl::StrCat("exit ", run.exit_code, "\nstdout:\n", run.out, "\nstderr:\n", run.err);
}

class SecurityProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestCertificates> made = MakeTestCertificates(dir_);
    ASSERT_TRUE(made.ok()) << made.status();
    certs_ = *std::move(made);
  }

  // torikumi-server on 127.0.0.1:0 with its own database and `extra` flags.
  ServerProcess Server(const std::vector<std::string>& extra, const std::string& name) {
    std::vector<std::string> flags = {"--listen=127.0.0.1:0", "--db=" + dir_.File(name + ".db")};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return ServerProcess(dir_, TORIKUMI_SERVER_BINARY, flags, name);
  }
  std::vector<std::string> TlsFlags() const {
    return {"--tls_cert=" + certs_.server_cert, "--tls_key=" + certs_.server_key};
  }

  // A server requiring client certificates from the test CA, reached with the client's.
  ServerProcess MutualTlsServer(const std::string& name) {
    std::vector<std::string> flags = TlsFlags();
    flags.push_back("--client_ca=" + certs_.ca);
    ServerProcess server = Server(flags, name);
    server.set_credentials(TlsChannelCredentials(certs_.ca, certs_.client_cert, certs_.client_key));
    return server;
  }

  TempDir dir_;
  TestCertificates certs_;
};

TEST_F(SecurityProcessTest, ATlsServerAnswersTlsClientsAndRefusesPlainText) {
  ServerProcess server = Server(TlsFlags(), "tls");
  server.set_credentials(TlsChannelCredentials(certs_.ca));
  ASSERT_EQ(server.Launch(), "");
  EXPECT_TRUE(absl::StrContains(server.Log(), "(TLS)")) << server.Log();

  grpc::Status tls = ListOrganizations(server.Channel());
  EXPECT_TRUE(tls.ok()) << tls.error_message();
  // The certificate names localhost as well as 127.0.0.1.
  const std::string port = server.address().substr(server.address().rfind(':') + 1);
  grpc::Status by_name =
      ListOrganizations(grpc::CreateChannel("localhost:" + port, TlsChannelCredentials(certs_.ca)));
  EXPECT_TRUE(by_name.ok()) << by_name.error_message();

  grpc::Status plain = ListOrganizations(PlainChannel(server.address()));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE) << plain.error_message();
  // A client that does not trust the server's CA refuses it.
  grpc::Status untrusted = ListOrganizations(
      grpc::CreateChannel(server.address(), TlsChannelCredentials(dir_.File("stranger-ca.pem"))));
  EXPECT_EQ(untrusted.error_code(), grpc::StatusCode::UNAVAILABLE) << untrusted.error_message();
  EXPECT_TRUE(server.Stop());
}

TEST_F(SecurityProcessTest, MutualTlsAdmitsOnlyClientsCertifiedByTheClientCa) {
  ServerProcess server = MutualTlsServer("mtls");
  ASSERT_EQ(server.Launch(), "");
  EXPECT_TRUE(absl::StrContains(server.Log(), "(mutual TLS)")) << server.Log();

  grpc::Status anonymous =
      ListOrganizations(grpc::CreateChannel(server.address(), TlsChannelCredentials(certs_.ca)));
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAVAILABLE) << anonymous.error_message();
  grpc::Status stranger = ListOrganizations(grpc::CreateChannel(
      server.address(),
      TlsChannelCredentials(certs_.ca, certs_.stranger_cert, certs_.stranger_key)));
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::UNAVAILABLE) << stranger.error_message();
  grpc::Status plain = ListOrganizations(PlainChannel(server.address()));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE) << plain.error_message();

  // The refused handshakes left the server serving the client it admits.
  grpc::Status admitted = ListOrganizations(server.Channel());
  EXPECT_TRUE(admitted.ok()) << admitted.error_message();
  EXPECT_TRUE(server.Stop());
}

TEST_F(SecurityProcessTest, TheCliSpeaksTlsByFlagsOrEnvironment) {
  ServerProcess server = MutualTlsServer("cli");
  ASSERT_EQ(server.Launch(), "");
  const std::vector<std::string> cli = {TORIKUMI_CLI_BINARY, "--server", server.address()};
  auto Run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), cli.begin(), cli.end());
    return RunProgram(args, dir_);
  };

  RunResult created =
      Run({"--ca", certs_.ca, "--cert", certs_.client_cert, "--key", certs_.client_key, "orgs",
           "create", "--id", "aizu", "--display-name", "会津市"});
  EXPECT_EQ(created.exit_code, 0) << Describe(created);
  RunResult without_cert = Run({"--ca", certs_.ca, "orgs", "list"});
  EXPECT_EQ(without_cert.exit_code, 1) << Describe(without_cert);
  RunResult plain = Run({"orgs", "list"});
  EXPECT_EQ(plain.exit_code, 1) << Describe(plain);

  setenv("TORIKUMI_CA", certs_.ca.c_str(), 1);
  setenv("TORIKUMI_CERT", certs_.client_cert.c_str(), 1);
  setenv("TORIKUMI_KEY", certs_.client_key.c_str(), 1);
  RunResult by_environment = Run({"orgs", "list"});
  unsetenv("TORIKUMI_CA");
  unsetenv("TORIKUMI_CERT");
  unsetenv("TORIKUMI_KEY");
  EXPECT_EQ(by_environment.exit_code, 0) << Describe(by_environment);
  EXPECT_TRUE(absl::StrContains(by_environment.out, "aizu")) << Describe(by_environment);

  // A file that cannot be read is the caller's mistake, named before any call.
  const std::string missing = dir_.File("no-such-ca.pem");
  RunResult unreadable = Run({"--ca", missing, "orgs", "list"});
  EXPECT_EQ(unreadable.exit_code, 2) << Describe(unreadable);
  EXPECT_TRUE(absl::StrContains(unreadable.err, "--ca: cannot read " + missing))
      << Describe(unreadable);
  RunResult half = Run({"--ca", certs_.ca, "--cert", certs_.client_cert, "orgs", "list"});
  EXPECT_EQ(half.exit_code, 2) << Describe(half);
  EXPECT_TRUE(absl::StrContains(half.err, "--cert needs --key")) << Describe(half);
  EXPECT_TRUE(server.Stop());
}

TEST_F(SecurityProcessTest, UnusableCertificateFilesStopTheServerNamingFlagAndPath) {
  const std::string missing = dir_.File("missing.pem");
  const std::string garbage = dir_.File("garbage.pem");
  WriteFile(garbage, "not a certificate\n");
  struct Case {
    std::vector<std::string> flags;
    std::vector<std::string> said;
  };
  const std::vector<Case> cases = {
      {{"--tls_cert=" + missing, "--tls_key=" + certs_.server_key},
       {"--tls_cert: cannot read " + missing, "No such file"}},
      // A folder opens but cannot be read.
      {{"--tls_cert=" + certs_.server_cert, "--tls_key=" + dir_.path()},
       {"--tls_key: cannot read " + dir_.path(), "Is a directory"}},
      {{"--tls_cert=" + garbage, "--tls_key=" + certs_.server_key},
       {"--tls_cert: " + garbage + " holds no PEM certificate"}},
      {{"--tls_cert=" + certs_.server_cert, "--tls_key=" + certs_.client_key},
       {"--tls_key: " + certs_.client_key + " is not the key of the certificate in " +
        certs_.server_cert}},
      {{"--tls_cert=" + certs_.server_cert, "--tls_key=" + certs_.server_key,
        "--client_ca=" + missing},
       {"--client_ca: cannot read " + missing}},
      {{"--tls_cert=" + certs_.server_cert}, {"--tls_cert needs --tls_key"}},
      {{"--client_ca=" + certs_.ca}, {"need --tls_cert"}},
      {{"--max_message_bytes=1000"}, {"--max_message_bytes must be from"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {TORIKUMI_SERVER_BINARY, "--listen=127.0.0.1:0",
                                     "--db=" + dir_.File("never.db")};
    argv.insert(argv.end(), c.flags.begin(), c.flags.end());
    RunResult run = RunProgram(argv, dir_);
    EXPECT_EQ(run.exit_code, 2) << Describe(run);
    for (const std::string& text : c.said) {
      EXPECT_TRUE(absl::StrContains(run.err, text))
          << "lacks \"" << text << "\"; " << Describe(run);
    }
  }
}

TEST(SecurityExposure, AnAddressOthersCanReachNeedsTlsOrInsecure) {
  TempDir dir;
  // The server refuses before it opens the database or binds anything.
  for (const std::string listen : {"0.0.0.0:0", "[::]:0", ":0", "torikumi.example:0"}) {
    RunResult run = RunProgram(
        {TORIKUMI_SERVER_BINARY, "--listen=" + listen, "--db=" + dir.File("never.db")}, dir);
    EXPECT_EQ(run.exit_code, 2) << listen << ": " << Describe(run);
    for (const std::string& text : {"refusing to listen on " + listen + " without TLS",
                                    std::string("--tls_cert"), std::string("--insecure")}) {
      EXPECT_TRUE(absl::StrContains(run.err, text))
          << listen << " lacks " << text << "; " << Describe(run);
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("never.db")));
}

TEST(SecurityExposure, LoopbackServesPlainTextWithoutAnyFlag) {
  TempDir dir;
  for (const std::string listen : {"127.0.0.1:0", "127.0.0.2:0", "localhost:0"}) {
    ServerProcess server(dir, TORIKUMI_SERVER_BINARY,
                         {"--listen=" + listen, "--db=" + dir.File("loopback.db")});
    ASSERT_EQ(server.Launch(), "") << listen;
    EXPECT_TRUE(absl::StrContains(server.Log(), "(plain text)")) << server.Log();
    grpc::Status listed = ListOrganizations(server.Channel());
    EXPECT_TRUE(listed.ok()) << listen << ": " << listed.error_message();
    EXPECT_TRUE(server.Stop()) << listen;
  }
}

TEST(SecurityExposure, InsecureServesAnExposedAddressInPlainTextAndSaysSo) {
  TempDir dir;
  ServerProcess server(dir, TORIKUMI_SERVER_BINARY,
                       {"--listen=0.0.0.0:0", "--insecure", "--db=" + dir.File("insecure.db")});
  ASSERT_EQ(server.Start(), "");
  const std::string marker = " listening on 0.0.0.0:";
  std::string port;
  ASSERT_TRUE(PollUntil(kWaitBound, [&] {
    const std::string log = server.Log();
    const size_t at = log.find(marker);
    if (at == std::string::npos) return false;
    const size_t begin = at + marker.size();
    port = log.substr(begin, log.find(' ', begin) - begin);
    return true;
  })) << server.Log();
  EXPECT_TRUE(absl::StrContains(server.Log(), "--insecure")) << server.Log();
  // Checked over loopback only.
  EXPECT_TRUE(WaitForServing("127.0.0.1:" + port, kWaitBound)) << server.Log();
  EXPECT_TRUE(server.Stop());
}

TEST(SecurityHostileInput, ADeeplyNestedRuleSetIsRefusedAndTheServerServesOn) {
  TempDir dir;
  ServerProcess server(dir, TORIKUMI_SERVER_BINARY,
                       {"--listen=127.0.0.1:0", "--db=" + dir.File("hostile.db"),
                        "--plugins_dir=" TORIKUMI_BUILT_PLUGINS_DIR,
                        "--demo_table=" TORIKUMI_SEED_TSV, "--demo_org=city"});
  ASSERT_EQ(server.Launch(), "");
  const std::string nested = dir.File("nested.textproto");
  WriteFile(nested, hostile::DeeplyNestedRuleSet());
  const std::vector<std::string> create = {TORIKUMI_CLI_BINARY,
                                           "--server",
                                           server.address(),
                                           "rulesets",
                                           "create",
                                           "--org",
                                           "city",
                                           "--plan",
                                           "city/hr-plan-progress-h30-r4"};
  std::vector<std::string> argv = create;
  argv.insert(argv.end(), {"--id", "deep", "--file", nested});
  RunResult refused = RunProgram(argv, dir);
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
  EXPECT_TRUE(absl::StrContains(refused.err, "INVALID_ARGUMENT")) << Describe(refused);
  EXPECT_TRUE(absl::StrContains(refused.err, "rule_set.body: nesting depth exceeds 64"))
      << Describe(refused);

  ASSERT_TRUE(server.child().Running()) << server.Log();
  argv = create;
  argv.insert(argv.end(), {"--id", "abc", "--file",
                           std::string(TORIKUMI_RULESETS_DIR) + "/abc-implementation.textproto"});
  RunResult created = RunProgram(argv, dir);
  EXPECT_EQ(created.exit_code, 0) << Describe(created);
  EXPECT_TRUE(server.Stop()) << server.Log();
}

TEST(SecurityHostileInput, AMessageOverTheLimitIsRefusedAndTheServerServesOn) {
  TempDir dir;
  ServerProcess server(
      dir, TORIKUMI_SERVER_BINARY,
      {"--listen=127.0.0.1:0", "--db=" + dir.File("big.db"),
       "--plugins_dir=" TORIKUMI_BUILT_PLUGINS_DIR, "--max_message_bytes=2097152"});
  ASSERT_EQ(server.Launch(), "");
  auto stub = v1::RuleSetService::NewStub(server.Channel());
  v1::CreateRuleSetRequest request;
  request.set_parent("organizations/city");
  request.set_rule_set_id("big");
  request.mutable_rule_set()->set_evaluator("rules");
  request.mutable_rule_set()->set_body(std::string(3 << 20, '#'));
  request.mutable_rating_scale()->add_grades()->set_code("A");
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::CreateRuleSetResponse response;
  grpc::Status status = stub->CreateRuleSet(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << "code " << status.error_code() << ": " << status.error_message() << "\n"
      << server.Log();

  EXPECT_TRUE(WaitForServing(server.address(), kWaitBound)) << server.Log();
  grpc::Status listed = ListOrganizations(server.Channel());
  EXPECT_TRUE(listed.ok()) << "code " << listed.error_code() << ": " << listed.error_message();
  EXPECT_TRUE(server.Stop()) << server.Log();
}

}  // namespace
}  // namespace torikumi::server_test
