#include "services/server/webhook_delivery.h"

#include <httplib.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/timestamp.h"
#include "services/domain/change_feed.h"
#include "services/domain/webhook_signature.h"

namespace torikumi::server {
namespace {

struct PostResult {
  int status = 0;  // 0: no answer
  std::string error;
};

// "http://host:port/path?q" → ("http://host:port", "/path?q").
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const size_t path = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path == std::string::npos) return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

// One POST of `body` to `url`, connecting to `address` only (one `host` resolved to).
httplib::Result PostTo(const std::string& url, const std::string& host, const std::string& address,
                       const httplib::Headers& headers, const std::string& body,
                       absl::Duration timeout) {
  auto [base, path] = SplitUrl(url);
  httplib::Client client(base);
  client.set_hostname_addr_map({{host, address}});
  const auto micros = absl::ToInt64Microseconds(timeout);
  client.set_connection_timeout(micros / 1000000, micros % 1000000);
  client.set_read_timeout(micros / 1000000, micros % 1000000);
  client.set_write_timeout(micros / 1000000, micros % 1000000);
  return client.Post(path, headers, body, "application/json");
}

PostResult Post(const v1::Subscription& subscription, const WebhookTargetPolicy& targets,
                const v1::ChangeEvent& event, const std::string& body, absl::Duration timeout) {
  // Resolved and checked at each attempt, and the client connects only to the addresses
  // checked: a name that resolved elsewhere at create time (or a moment ago) cannot reach in.
  if (std::string bad_port = BadUrlPort(subscription.url()); !bad_port.empty())
    return {0, std::move(bad_port)};
  const std::string host = UrlHost(subscription.url());
  absl::StatusOr<std::vector<std::string>> addresses = ResolveTarget(host, targets);
  if (!addresses.ok()) return {0, std::string(addresses.status().message())};
  const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(absl::Now()));
  const httplib::Headers headers = {
      {kEventIdHeader, event.cursor()},
      {kTimestampHeader, timestamp},
      {kSignatureHeader,
       absl::StrCat("sha256=", domain::WebhookSignature(subscription.secret(), timestamp, body))},
      {kSubscriptionHeader, subscription.name()},
  };
  httplib::Result result(nullptr, httplib::Error::Connection);
  // The next address only when this one could not be connected to, as a client would.
  for (const std::string& address : *addresses) {
    result = PostTo(subscription.url(), host, address, headers, body, timeout);
    if (result || result.error() != httplib::Error::Connection) break;
  }
  if (!result) return {0, absl::StrCat("no answer: ", httplib::to_string(result.error()))};
  if (result->status >= 200 && result->status < 300) return {result->status, ""};
  // The answer's body is not kept: the delivery log is readable by the subscription's owner,
  // and a receiver's body is not theirs to read (a URL may point at an internal service).
  return {result->status, absl::StrCat("HTTP ", result->status)};
}

}  // namespace

absl::StatusOr<std::optional<v1::ChangeEvent>> Deliveries::NextEvent() {
  std::vector<v1::ResourceKind> kinds;
  for (int kind : subscription_.kinds()) kinds.push_back(v1::ResourceKind(kind));
  const std::string scope =
      subscription_.plan().empty()
          ? subscription_.name().substr(0, subscription_.name().find("/subscriptions/"))
          : subscription_.plan();
  absl::StatusOr<store::ChangeQuery> query = domain::ChangeScope(scope, kinds, "subscription");
  if (!query.ok()) return query.status();
  absl::StatusOr<int64_t> after =
      domain::ParseCursor(subscription_.delivery().cursor(), "delivery.cursor");
  if (!after.ok()) return after.status();
  query->after = *after;
  query->limit = 1;
  absl::StatusOr<store::ChangePage> page = store_.ListChanges(*query);
  v1::DeliveryStatus& delivery = *subscription_.mutable_delivery();
  if (absl::IsFailedPrecondition(page.status())) {
    absl::StatusOr<int64_t> last = store_.LastChange();
    if (!last.ok()) return last.status();
    delivery.set_last_error(absl::StrCat("changes after ", *after, " up to ", *last,
                                         " were pruned before they could be delivered"));
    delivery.set_cursor(domain::FormatCursor(*last));
    if (absl::Status s = Save(); !s.ok()) return s;
    return std::nullopt;
  }
  if (!page.ok()) return page.status();
  if (!page->events.empty()) return page->events.front();
  if (page->next != *after) {
    delivery.set_cursor(domain::FormatCursor(page->next));
    if (absl::Status s = Save(); !s.ok()) return s;
  }
  return std::nullopt;
}

absl::StatusOr<bool> Deliveries::Attempt(const v1::ChangeEvent& event, absl::Duration timeout) {
  std::string body;
  if (auto s = google::protobuf::util::MessageToJsonString(event, &body); !s.ok()) {
    return absl::InternalError(
        absl::StrCat("event ", event.cursor(), " has no JSON form: ", s.ToString()));
  }
  const PostResult result = Post(subscription_, targets_, event, body, timeout);
  v1::DeliveryStatus& delivery = *subscription_.mutable_delivery();
  *delivery.mutable_last_attempt_time() = NowTimestamp();
  delivery.set_last_status(result.status);
  delivery.set_last_error(result.error);
  const bool accepted = result.error.empty();
  if (accepted) {
    delivery.set_cursor(event.cursor());
    delivery.set_delivered(delivery.delivered() + 1);
    delivery.set_attempts(0);
    *delivery.mutable_last_success_time() = delivery.last_attempt_time();
  } else {
    delivery.set_attempts(delivery.attempts() + 1);
  }
  if (absl::Status s = Save(); !s.ok()) return s;
  return accepted;
}

absl::Status Deliveries::Save() {
  return store_.UpdateDelivery(subscription_.name(), subscription_.delivery());
}

}  // namespace torikumi::server
