// The change side of the server: the change feed (WatchChanges, served by one hub thread),
// webhook subscriptions with their dispatcher, and the pruning of the feed. Owned by Server
// once EnableChangeFeed was called.
#pragma once

#include "absl/time/time.h"
#include "services/domain/change_feed.h"
#include "services/domain/subscriptions.h"
#include "services/server/change_handler.h"
#include "services/server/pruner.h"
#include "services/server/watch_hub.h"
#include "services/server/webhook_dispatcher.h"
#include "services/store/store.h"

namespace torikumi::server {

struct ChangeFeedOptions {
  // Changes older than this are pruned; a cursor from before then must list again.
  absl::Duration retention = absl::Hours(24 * 7);
  absl::Duration prune_every = absl::Minutes(10);
  // How often an open watch's token and role are checked again (a revoked token's watch
  // ends within this).
  absl::Duration watch_recheck = absl::Seconds(10);
  WebhookOptions webhooks;
};

// Declared in this order so that the handlers and threads go before what they use.
struct ChangeServices {
  ChangeServices(const auth::Gate& gate, store::Store& store, const ChangeFeedOptions& options)
      : feed(store),
        subscriptions(store, options.webhooks.targets),
        hub(feed, store.change_notifier(), options.watch_recheck),
        dispatcher(store, options.webhooks),
        pruner(
            "change feed", [this, retention = options.retention] { return feed.Prune(retention); },
            options.prune_every),
        change_handler(gate, hub),
        subscription_handler(gate, subscriptions) {}

  domain::ChangeFeed feed;
  domain::Subscriptions subscriptions;
  WatchHub hub;
  WebhookDispatcher dispatcher;
  Pruner pruner;
  ChangeHandler change_handler;
  SubscriptionHandler subscription_handler;
};

}  // namespace torikumi::server
