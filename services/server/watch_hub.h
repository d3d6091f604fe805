// Serves every open WatchChanges stream from one thread, so a watch holds no gRPC thread
// while it waits. The store's ChangeNotifier wakes the hub after each commit that recorded
// changes; the hub then reads the next page of each idle watch and starts its write. Only the
// hub finishes a watch (after its last write completed), so a reactor outlives every use.
// Every `recheck` the hub also asks again whether each watch's caller may still watch, and
// ends a watch whose token was revoked or expired (UNAUTHENTICATED) or whose role no longer
// allows it (PERMISSION_DENIED).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "services/common/mutex.h"
#include "services/domain/change_feed.h"
#include "services/store/changes.h"
#include "torikumi/v1/change_service.pb.h"

namespace torikumi::server {

class WatchReactor;  // watch_hub.cc

// Whether the caller who opened a watch may still watch it: OK, or the status to end it with.
using WatchAdmission = std::function<absl::Status()>;

class WatchHub {
 public:
  WatchHub(domain::ChangeFeed& feed, store::ChangeNotifier& notifier, absl::Duration recheck);
  // Finishes what is still open (see StopAll) and joins the thread.
  ~WatchHub();
  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // The reactor of one WatchChanges call: it has already failed when the request is bad.
  // `admission` is asked again every `recheck` while the watch is open.
  grpc::ServerWriteReactor<v1::WatchChangesResponse>* Watch(const v1::WatchChangesRequest& request,
                                                            WatchAdmission admission);
  // A watch that ends at once with `refused` (say, the caller may not watch that parent).
  grpc::ServerWriteReactor<v1::WatchChangesResponse>* Refuse(const absl::Status& refused);
  // Ends every open watch with UNAVAILABLE (the server is going away) and refuses new ones.
  // Does not wait: the server's own shutdown waits for the calls to end.
  void StopAll();
  // Tells the hub a watch has something to do (a write ended, a call was cancelled).
  void Wake();

 private:
  void Run();
  // One watch's turn on the hub thread: finish it, or send its next page, or nothing.
  void Serve(WatchReactor* watch);
  // Ends `watch` with `status` (it must not be writing).
  void End(WatchReactor* watch, const absl::Status& status);
  void Remove(WatchReactor* watch);

  domain::ChangeFeed& feed_;
  store::ChangeNotifier& notifier_;
  const absl::Duration recheck_;
  int listener_id_ = 0;
  Mutex mu_;
  CondVar wake_;
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<WatchReactor*> watches_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace torikumi::server
