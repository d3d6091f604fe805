// Webhooks end to end: a real in-process server with the seed imported, a subscription, and a
// cpp-httplib receiver in the test on loopback. A delivery arrives signed so that the receiver
// can verify it with the secret alone; a receiver that fails twice gets it on the third
// attempt, with the failures in the delivery log; a slow receiver does not slow writes. The
// receiver is on loopback, so these servers run with allow_private
// (--webhook_allow_private_targets); without it a loopback, link-local or private target is
// refused when the subscription is created, and again at each delivery, on the address its
// host resolves to then.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/mutex.h"
#include "services/common/webhook_target.h"
#include "services/server/server.h"
#include "tests/server/test_support.h"
#include "torikumi/v1/initiative_service.grpc.pb.h"
#include "torikumi/v1/outcome_service.grpc.pb.h"
#include "torikumi/v1/plan_service.grpc.pb.h"
#include "torikumi/v1/subscription_service.grpc.pb.h"

namespace torikumi {
namespace {

using server_test::TempDir;

constexpr char kOrg[] = "organizations/city";
constexpr char kSecret[] = "correct horse battery staple";

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  return context;
}

// What a receiver computes to check a delivery, written here from the documented recipe
// (not with the server's code): hex HMAC-SHA256(secret, timestamp + "." + body).
std::string ExpectedSignature(const std::string& timestamp, const std::string& body) {
  const std::string message = timestamp + "." + body;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret, sizeof(kSecret) - 1,
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  return "sha256=" +
         absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), length));
}

struct Received {
  std::string event_id;
  std::string timestamp;
  std::string signature;
  std::string body;
};

// An HTTP receiver on 127.0.0.1: answers 500 to the first `failures` requests, and keeps
// every request. A `held` one answers nothing until Release(), keeping each request in flight.
class Receiver {
 public:
  explicit Receiver(int failures, bool held = false) : failures_(failures) {
    if (!held) release_.Notify();
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      in_flight_ += 1;
      release_.WaitForNotification();
      int count;
      {
        MutexLock lock(&mu_);
        received_.push_back({request.get_header_value("X-Torikumi-Event-Id"),
                             request.get_header_value("X-Torikumi-Timestamp"),
                             request.get_header_value("X-Torikumi-Signature"), request.body});
        count = static_cast<int>(received_.size());
      }
      response.status = count <= failures_ ? 500 : 200;
      response.set_content(count <= failures_ ? "try again" : "ok", "text/plain");
      in_flight_ -= 1;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    server_test::PollUntil(server_test::kWaitBound, [this] { return server_.is_running(); });
  }
  ~Receiver() {
    Release();
    server_.stop();
    thread_.join();
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/hook"); }
  int port() const { return port_; }
  std::vector<Received> received() {
    MutexLock lock(&mu_);
    return received_;
  }
  int in_flight() const { return in_flight_; }
  void Release() {
    if (!release_.HasBeenNotified()) release_.Notify();
  }

 private:
  const int failures_;
  absl::Notification release_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> in_flight_{0};
  Mutex mu_;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
};

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer({.allow_private = true}, /*seed=*/true));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  // Opens the server on this test's database with `targets`, importing the seed when `seed`.
  void StartServer(const WebhookTargetPolicy& targets, bool seed) {
    absl::StatusOr<std::unique_ptr<server::Server>> server =
        server::Server::Open(dir_.File("torikumi.db"));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    server::ChangeFeedOptions options;
    options.webhooks.first_retry = absl::Milliseconds(50);
    options.webhooks.rescan = absl::Milliseconds(200);
    // A held receiver's request must not time out and be sent again while a slow (sanitizer)
    // build makes the writes that go on beside it.
    options.webhooks.request_timeout = server_test::kWaitBound;
    options.webhooks.targets = targets;
    ASSERT_TRUE(server_->EnableChangeFeed(options).ok());
    if (seed) ASSERT_TRUE(server_->LoadDemoTable(TORIKUMI_SEED_TSV, "city").ok());
    ASSERT_TRUE(server_->Start("127.0.0.1:0").ok());
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
    subscriptions_ = v1::SubscriptionService::NewStub(channel_);
    outcomes_ = v1::OutcomeService::NewStub(channel_);
    v1::ListPlansRequest plans_request;
    plans_request.set_parent(kOrg);
    v1::ListPlansResponse plans;
    ASSERT_TRUE(
        v1::PlanService::NewStub(channel_)->ListPlans(Context().get(), plans_request, &plans).ok());
    ASSERT_EQ(plans.plans_size(), 1);
    plan_ = plans.plans(0).name();
    v1::ListInitiativesRequest initiatives_request;
    initiatives_request.set_parent(plan_);
    v1::ListInitiativesResponse initiatives;
    ASSERT_TRUE(v1::InitiativeService::NewStub(channel_)
                    ->ListInitiatives(Context().get(), initiatives_request, &initiatives)
                    .ok());
    ASSERT_GT(initiatives.initiatives_size(), 0);
    initiative_ = initiatives.initiatives(0).name();
  }

  // Creates the subscription "hr-tool" (or `id`) to `url`; its status in `status`.
  v1::Subscription Subscribe(const std::string& url, grpc::Status* status,
                             const std::string& id = "hr-tool") {
    v1::CreateSubscriptionRequest request;
    request.set_parent(kOrg);
    request.set_subscription_id(id);
    request.mutable_subscription()->set_url(url);
    request.mutable_subscription()->set_secret(kSecret);
    request.mutable_subscription()->set_plan(plan_);
    request.mutable_subscription()->add_kinds(v1::RESOURCE_KIND_OUTCOME);
    v1::CreateSubscriptionResponse response;
    *status = subscriptions_->CreateSubscription(Context().get(), request, &response);
    return response.subscription();
  }
  v1::Subscription Subscribe(const std::string& url) {
    grpc::Status status;
    v1::Subscription subscription = Subscribe(url, &status);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return subscription;
  }

  // Records this initiative's outcome of `fiscal_year`.
  void RecordOutcome(int fiscal_year) {
    v1::UpsertOutcomeRequest request;
    request.set_parent(initiative_);
    request.mutable_outcome()->set_fiscal_year(fiscal_year);
    request.mutable_outcome()->set_text(absl::StrCat(fiscal_year, "年度に研修を実施した"));
    v1::UpsertOutcomeResponse response;
    grpc::Status status = outcomes_->UpsertOutcome(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    last_created_ = response.created();
  }

  v1::Subscription Get(const std::string& name) {
    v1::GetSubscriptionRequest request;
    request.set_name(name);
    v1::GetSubscriptionResponse response;
    EXPECT_TRUE(subscriptions_->GetSubscription(Context().get(), request, &response).ok());
    return response.subscription();
  }

  TempDir dir_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::SubscriptionService::Stub> subscriptions_;
  std::unique_ptr<v1::OutcomeService::Stub> outcomes_;
  std::string plan_;
  std::string initiative_;
  // Whether the last RecordOutcome created the outcome (the seed has some years already).
  bool last_created_ = false;
};

TEST_F(WebhookTest, DeliveryArrivesSignedAndVerifiable) {
  Receiver receiver(0);
  v1::Subscription subscription = Subscribe(receiver.url());
  EXPECT_TRUE(subscription.secret().empty()) << "the secret must never come back";
  RecordOutcome(2019);
  ASSERT_TRUE(server_test::PollUntil(server_test::kWaitBound,
                                     [&] { return !receiver.received().empty(); }));
  const Received got = receiver.received()[0];
  EXPECT_EQ(got.signature, ExpectedSignature(got.timestamp, got.body));
  EXPECT_NE(got.signature, ExpectedSignature(got.timestamp, got.body + " "));
  v1::ChangeEvent event;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(got.body, &event).ok()) << got.body;
  EXPECT_EQ(event.kind(), v1::RESOURCE_KIND_OUTCOME);
  EXPECT_EQ(event.type(), last_created_ ? v1::CHANGE_TYPE_CREATED : v1::CHANGE_TYPE_UPDATED);
  EXPECT_EQ(event.name(), initiative_ + "/outcomes/fy2019");
  EXPECT_EQ(event.outcome().text(), "2019年度に研修を実施した");
  EXPECT_EQ(got.event_id, event.cursor());
  ASSERT_TRUE(server_test::PollUntil(server_test::kWaitBound, [&] {
    return Get(subscription.name()).delivery().delivered() == 1;
  }));
  v1::Subscription after = Get(subscription.name());
  EXPECT_EQ(after.delivery().last_status(), 200);
  EXPECT_EQ(after.delivery().cursor(), event.cursor());
  EXPECT_TRUE(after.secret().empty());
}

TEST_F(WebhookTest, ThirdAttemptDeliversAfterTwoFailures) {
  Receiver receiver(2);
  v1::Subscription subscription = Subscribe(receiver.url());
  RecordOutcome(2020);
  ASSERT_TRUE(server_test::PollUntil(server_test::kWaitBound, [&] {
    return Get(subscription.name()).delivery().delivered() == 1;
  }));
  const std::vector<Received> got = receiver.received();
  ASSERT_EQ(got.size(), 3u);
  // The same event each time, so the receiver can de-duplicate by its id.
  EXPECT_EQ(got[0].event_id, got[2].event_id);
  EXPECT_EQ(got[1].event_id, got[2].event_id);
  EXPECT_EQ(got[0].body, got[2].body);
  v1::Subscription after = Get(subscription.name());
  EXPECT_EQ(after.delivery().attempts(), 0);
  EXPECT_EQ(after.delivery().last_status(), 200);
  EXPECT_TRUE(after.delivery().last_error().empty());
}

TEST_F(WebhookTest, FailuresAreInTheDeliveryLog) {
  Receiver receiver(1000);
  v1::Subscription subscription = Subscribe(receiver.url());
  RecordOutcome(2021);
  ASSERT_TRUE(server_test::PollUntil(server_test::kWaitBound, [&] {
    return Get(subscription.name()).delivery().attempts() >= 2;
  }));
  v1::Subscription after = Get(subscription.name());
  EXPECT_EQ(after.delivery().last_status(), 500);
  EXPECT_NE(after.delivery().last_error().find("HTTP 500"), std::string::npos)
      << after.delivery().last_error();
  EXPECT_EQ(after.delivery().delivered(), 0);
}

TEST_F(WebhookTest, SlowReceiverDoesNotSlowWrites) {
  Receiver receiver(0, /*held=*/true);
  Subscribe(receiver.url());
  RecordOutcome(2018);
  // The first delivery now waits at the receiver, which does not answer until released; the
  // writes go on beside it and end while it still waits (one that waited for the receiver
  // would end only at its deadline, failing). Nothing here depends on how fast a write is.
  ASSERT_TRUE(
      server_test::PollUntil(server_test::kWaitBound, [&] { return receiver.in_flight() > 0; }));
  for (int year = 2019; year <= 2022; ++year) RecordOutcome(year);
  EXPECT_TRUE(receiver.received().empty()) << "a write waited for the receiver";
  // And every one of them is delivered in the end, in order.
  receiver.Release();
  ASSERT_TRUE(server_test::PollUntil(server_test::kWaitBound,
                                     [&] { return receiver.received().size() == 5; }));
  std::vector<Received> got = receiver.received();
  for (size_t i = 1; i < got.size(); ++i)
    EXPECT_LT(std::stoll(got[i - 1].event_id), std::stoll(got[i].event_id));
}

// Without --webhook_allow_private_targets a URL whose host is a loopback, link-local (cloud
// metadata) or private address, or a localhost name, is refused at create time, naming the
// field; a public name is accepted (it is checked again at each delivery).
TEST_F(WebhookTest, ANonPublicTargetIsRefusedAtCreateWithoutTheFlag) {
  server_->Shutdown(absl::Seconds(5));
  ASSERT_NO_FATAL_FAILURE(StartServer({}, /*seed=*/false));
  Receiver receiver(0);
  for (const std::string& url :
       {receiver.url(), std::string("http://localhost:8080/hook"),
        std::string("http://[::1]:8080/hook"), std::string("http://169.254.169.254/latest"),
        std::string("http://10.1.2.3/hook"), std::string("http://[::ffff:127.0.0.1]/hook"),
        std::string("http://[fe80::1]/hook")}) {
    grpc::Status status;
    Subscribe(url, &status);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << url;
    EXPECT_NE(status.error_message().find("subscription.url: '" + url + "' reaches"),
              std::string::npos)
        << status.error_message();
    EXPECT_NE(status.error_message().find("--webhook_allow_private_targets"), std::string::npos)
        << status.error_message();
  }
  grpc::Status status;
  Subscribe("https://hr.example/hooks/torikumi", &status);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(receiver.received().empty());
}

// A port the HTTP client cannot take is refused at create, naming the field, before any
// delivery could try it; the server goes on serving.
TEST_F(WebhookTest, APortOutsideOneTo65535IsRefusedAtCreate) {
  for (const std::string& url : {std::string("http://hr.example:99999999999/hook"),
                                 std::string("https://hr.example:0/hook")}) {
    grpc::Status status;
    Subscribe(url, &status);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << url;
    EXPECT_NE(status.error_message().find("subscription.url: '" + url + "' has the port"),
              std::string::npos)
        << status.error_message();
  }
  grpc::Status status;
  Subscribe("https://hr.example:8443/hooks/torikumi", &status);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// A subscription made while the operator allowed private targets, to a name that resolves to
// loopback, is refused at delivery once the server runs without the flag: the check is on the
// address the name resolves to at each attempt, and nothing reaches the receiver.
TEST_F(WebhookTest, DeliveryToAHostResolvingToLoopbackIsRefused) {
  Receiver receiver(0);
  const std::string url = absl::StrCat("http://localhost:", receiver.port(), "/hook");
  v1::Subscription subscription = Subscribe(url);
  server_->Shutdown(absl::Seconds(5));
  ASSERT_NO_FATAL_FAILURE(StartServer({}, /*seed=*/false));
  RecordOutcome(2019);
  ASSERT_TRUE(server_test::PollUntil(server_test::kWaitBound, [&] {
    return Get(subscription.name()).delivery().attempts() >= 2;
  }));
  const v1::DeliveryStatus delivery = Get(subscription.name()).delivery();
  EXPECT_EQ(delivery.delivered(), 0);
  EXPECT_EQ(delivery.last_status(), 0);
  EXPECT_NE(delivery.last_error().find("refused: host 'localhost' resolves to"), std::string::npos)
      << delivery.last_error();
  EXPECT_NE(delivery.last_error().find("a loopback address"), std::string::npos)
      << delivery.last_error();
  EXPECT_TRUE(receiver.received().empty()) << "the refused target was contacted";
}

// --webhook_allowed_hosts lets the named host through, whatever it resolves to, and only it.
TEST_F(WebhookTest, AnAllowedHostIsDeliveredTo) {
  server_->Shutdown(absl::Seconds(5));
  ASSERT_NO_FATAL_FAILURE(StartServer({.allowed_hosts = {"localhost"}}, /*seed=*/false));
  Receiver receiver(0);
  grpc::Status refused;
  Subscribe(receiver.url(), &refused, "by-address");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "127.0.0.1 is not listed";
  v1::Subscription subscription =
      Subscribe(absl::StrCat("http://localhost:", receiver.port(), "/hook"));
  RecordOutcome(2020);
  ASSERT_TRUE(server_test::PollUntil(server_test::kWaitBound, [&] {
    return Get(subscription.name()).delivery().delivered() == 1;
  }));
  EXPECT_EQ(receiver.received().size(), 1u);
}

}  // namespace
}  // namespace torikumi
