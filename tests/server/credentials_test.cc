// Which listen addresses count as loopback, and when the server may listen without TLS
// (services/server/credentials.h). The real binary's refusals are in
// security_process_test.cc.
#include "services/server/credentials.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace torikumi::server {
namespace {

TEST(ServerCredentials, LoopbackAddressesAreOnlyThoseNoOtherMachineReaches) {
  for (const char* loopback : {"127.0.0.1:50051", "127.0.0.2:0", "127.255.255.254:1", "[::1]:50051",
                               "localhost:50051", "LocalHost:0", "[::ffff:127.0.0.1]:5",
                               "unix:/run/torikumi.sock", "unix-abstract:torikumi"}) {
    EXPECT_TRUE(IsLoopbackAddress(loopback)) << loopback;
  }
  for (const char* exposed :
       {"0.0.0.0:50051", "[::]:50051", ":50051", "192.168.1.10:50051", "128.0.0.1:1",
        "[::ffff:10.0.0.1]:5", "[fe80::1]:5", "torikumi.example:50051", "localhost.example:1"}) {
    EXPECT_FALSE(IsLoopbackAddress(exposed)) << exposed;
  }
}

TEST(ServerCredentials, AnExposedAddressNeedsTlsOrInsecure) {
  EXPECT_TRUE(CheckExposure("127.0.0.1:50051", false, false).ok());
  EXPECT_TRUE(CheckExposure("0.0.0.0:50051", true, false).ok());
  EXPECT_TRUE(CheckExposure("0.0.0.0:50051", false, true).ok());
  absl::Status refused = CheckExposure("0.0.0.0:50051", false, false);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.message(), "0.0.0.0:50051")) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "--tls_cert")) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "--insecure")) << refused;
}

TEST(ServerCredentials, NoFilesMeansPlainTextAndAKeyAloneIsRefused) {
  auto plain = ServerCredentialsFrom({});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_NE(*plain, nullptr);
  auto key_alone =
      ServerCredentialsFrom({.cert = "", .key = "/etc/torikumi/server.key", .client_ca = ""});
  EXPECT_EQ(key_alone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(key_alone.status().message(), "--tls_cert")) << key_alone.status();
}

}  // namespace
}  // namespace torikumi::server
