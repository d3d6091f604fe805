// Which webhook targets are refused: the address ranges, a URL's host as the HTTP client reads
// it, the operator's two ways to allow, and resolution at delivery on a real resolver
// ("localhost" is in every /etc/hosts; numeric hosts resolve to themselves).
#include "services/common/webhook_target.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace torikumi {
namespace {

using ::testing::HasSubstr;

TEST(CommonWebhookTargetTest, NonPublicRangesAreRefused) {
  EXPECT_EQ(RefusedRange("127.0.0.1"), "a loopback address");
  EXPECT_EQ(RefusedRange("127.255.0.9"), "a loopback address");
  EXPECT_EQ(RefusedRange("::1"), "a loopback address");
  EXPECT_THAT(RefusedRange("169.254.169.254"), HasSubstr("link-local"));
  EXPECT_THAT(RefusedRange("fe80::1"), HasSubstr("link-local"));
  EXPECT_EQ(RefusedRange("10.0.0.7"), "a private address");
  EXPECT_EQ(RefusedRange("172.16.0.1"), "a private address");
  EXPECT_EQ(RefusedRange("172.31.255.255"), "a private address");
  EXPECT_EQ(RefusedRange("192.168.1.1"), "a private address");
  EXPECT_THAT(RefusedRange("fd00:ec2::254"), HasSubstr("unique-local"));
  EXPECT_THAT(RefusedRange("100.100.100.200"), HasSubstr("carrier-grade NAT"));
  EXPECT_THAT(RefusedRange("0.0.0.0"), HasSubstr("unspecified"));
  EXPECT_THAT(RefusedRange("::"), HasSubstr("unspecified"));
  EXPECT_THAT(RefusedRange("224.0.0.1"), HasSubstr("multicast"));
  EXPECT_THAT(RefusedRange("255.255.255.255"), HasSubstr("broadcast"));
  // IPv6 forms of an IPv4 address are judged by that address.
  EXPECT_EQ(RefusedRange("::ffff:127.0.0.1"), "a loopback address");
  EXPECT_EQ(RefusedRange("::ffff:10.1.2.3"), "a private address");
  EXPECT_EQ(RefusedRange("64:ff9b::a9fe:a9fe"),
            "a link-local address (where cloud metadata services answer)");
  EXPECT_EQ(RefusedRange("::ffff:0:10.0.0.1"), "a private address");  // IPv4-translated
  EXPECT_THAT(RefusedRange("64:ff9b:1::a00:1"), HasSubstr("local-use NAT64"));
  EXPECT_EQ(RefusedRange("::127.0.0.1"), "a loopback address");  // IPv4-compatible
  EXPECT_EQ(RefusedRange("::7f00:2"), "a loopback address");
  EXPECT_EQ(RefusedRange("2002:a00:1::1"), "a private address");  // 6to4 of 10.0.0.1
  EXPECT_EQ(RefusedRange("2002:7f00:1::"), "a loopback address");
  EXPECT_THAT(RefusedRange("198.18.0.1"), HasSubstr("benchmarking"));
  EXPECT_THAT(RefusedRange("198.19.255.254"), HasSubstr("benchmarking"));
  EXPECT_THAT(RefusedRange("192.0.0.170"), HasSubstr("IETF protocol assignment"));
}

TEST(CommonWebhookTargetTest, PublicAddressesAndNamesAreNotRefusedByRange) {
  EXPECT_EQ(RefusedRange("93.184.216.34"), "");
  EXPECT_EQ(RefusedRange("172.32.0.1"), "");   // just past 172.16/12
  EXPECT_EQ(RefusedRange("100.128.0.1"), "");  // just past 100.64/10
  EXPECT_EQ(RefusedRange("2001:db8::1"), "");
  EXPECT_EQ(RefusedRange("::ffff:93.184.216.34"), "");
  EXPECT_EQ(RefusedRange("::93.184.216.34"), "");
  EXPECT_EQ(RefusedRange("2002:5db8:d822::1"), "");  // 6to4 of 93.184.216.34
  EXPECT_EQ(RefusedRange("198.20.0.1"), "");         // just past 198.18/15
  EXPECT_EQ(RefusedRange("192.0.1.1"), "");          // just past 192.0.0/24
  EXPECT_EQ(RefusedRange("hr.example"), "");         // a name: checked when resolved
}

TEST(CommonWebhookTargetTest, UrlHostIsWhatTheClientConnectsTo) {
  EXPECT_EQ(UrlHost("http://hr.example/hooks"), "hr.example");
  EXPECT_EQ(UrlHost("https://hr.example:8443/hooks?a=b"), "hr.example");
  EXPECT_EQ(UrlHost("http://[::1]:8080/hook"), "::1");
  EXPECT_EQ(UrlHost("http://127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(UrlHost("http://10.0.0.1#x"), "10.0.0.1");
}

TEST(CommonWebhookTargetTest, CreateRefusesWhatItCanKnowAndSaysHowToAllow) {
  const WebhookTargetPolicy closed;
  EXPECT_THAT(RefusedUrl("http://127.0.0.1:9/hook", closed),
              HasSubstr("'http://127.0.0.1:9/hook' reaches '127.0.0.1', a loopback address"));
  EXPECT_THAT(RefusedUrl("http://127.0.0.1:9/hook", closed),
              HasSubstr("--webhook_allow_private_targets"));
  EXPECT_THAT(RefusedUrl("http://LOCALHOST./x", closed), HasSubstr("loopback"));
  EXPECT_THAT(RefusedUrl("http://hooks.localhost/x", closed), HasSubstr("loopback"));
  EXPECT_THAT(RefusedUrl("http://169.254.169.254/latest/meta-data", closed),
              HasSubstr("link-local"));
  EXPECT_EQ(RefusedUrl("https://hr.example/hooks", closed), "");
  EXPECT_EQ(RefusedUrl("https://93.184.216.34/hooks", closed), "");

  EXPECT_EQ(RefusedUrl("http://127.0.0.1:9/hook", {.allow_private = true}), "");
  const WebhookTargetPolicy listed{.allowed_hosts = {"Hr.City.Local", "10.0.0.7"}};
  EXPECT_EQ(RefusedUrl("http://10.0.0.7/hook", listed), "");
  EXPECT_THAT(RefusedUrl("http://10.0.0.8/hook", listed), HasSubstr("a private address"));
}

// The resolver reads "127.1", "0x7f.1" and "2130706433" as 127.0.0.1: refused at create too.
TEST(CommonWebhookTargetTest, OtherFormsOfAnIpv4AddressAreJudgedByTheAddress) {
  const WebhookTargetPolicy closed;
  EXPECT_EQ(RefusedRange("127.1"), "a loopback address");
  EXPECT_EQ(RefusedRange("0x7f.1"), "a loopback address");
  EXPECT_EQ(RefusedRange("2130706433"), "a loopback address");
  EXPECT_EQ(RefusedRange("012.0.0.1"), "a private address");  // octal 10.0.0.1
  EXPECT_THAT(RefusedUrl("http://2130706433:8080/hook", closed), HasSubstr("loopback"));
}

TEST(CommonWebhookTargetTest, APortOutsideOneTo65535IsNamed) {
  EXPECT_EQ(BadUrlPort("https://hr.example/hooks"), "");
  EXPECT_EQ(BadUrlPort("https://hr.example:8443/hooks?a=b:c"), "");
  EXPECT_EQ(BadUrlPort("http://[::1]:8080/hook"), "");
  EXPECT_EQ(BadUrlPort("http://[2001:db8::1]/hook"), "");
  EXPECT_THAT(BadUrlPort("http://hr.example:99999999999/x"),
              HasSubstr("has the port '99999999999': a port is a number from 1 to 65535"));
  EXPECT_THAT(BadUrlPort("http://hr.example:65536/x"), HasSubstr("'65536'"));
  EXPECT_THAT(BadUrlPort("http://hr.example:0/x"), HasSubstr("'0'"));
  EXPECT_THAT(BadUrlPort("http://hr.example:/x"), HasSubstr("''"));
  EXPECT_THAT(BadUrlPort("http://hr.example:80a/x"), HasSubstr("'80a'"));
  EXPECT_THAT(BadUrlPort("http://[::1]:-1/x"), HasSubstr("'-1'"));
}

TEST(CommonWebhookTargetTest, DeliveryResolvesAndRefusesLoopbackNames) {
  absl::StatusOr<std::vector<std::string>> refused = ResolveTarget("localhost", {});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("refused: host 'localhost' resolves to"));
  EXPECT_THAT(refused.status().message(), HasSubstr("a loopback address"));

  absl::StatusOr<std::vector<std::string>> allowed =
      ResolveTarget("localhost", {.allowed_hosts = {"localhost"}});
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  ASSERT_FALSE(allowed->empty());
  for (const std::string& address : *allowed)
    EXPECT_EQ(RefusedRange(address), "a loopback address");

  absl::StatusOr<std::vector<std::string>> numeric = ResolveTarget("93.184.216.34", {});
  ASSERT_TRUE(numeric.ok()) << numeric.status();
  EXPECT_EQ(*numeric, std::vector<std::string>{"93.184.216.34"});

  EXPECT_EQ(ResolveTarget("no-such-host.invalid", {}).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace torikumi
