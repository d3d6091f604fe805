// Keeps the gRPC health service honest about the database: a thread checks, every
// `interval`, that a SQLite database file is still where it was opened (the same file,
// readable and writable) and that the store (SQLite or PostgreSQL) answers a read; while it does
// not, every service reports NOT_SERVING, so a load balancer or an orchestrator stops sending
// calls, and SERVING again once it does.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/store/store.h"

namespace torikumi::server {

class StoreHealth {
 public:
  // `set_serving(true/false)` is called at each change (and once at the first check).
  StoreHealth(store::Store& store, std::string db_path, absl::Duration interval,
              std::function<void(bool)> set_serving);
  // Stops the checks and joins the thread.
  ~StoreHealth();
  StoreHealth(const StoreHealth&) = delete;
  StoreHealth& operator=(const StoreHealth&) = delete;

  // One check: OK, or why the database cannot be used now.
  absl::Status Check() const;

 private:
  // The SQLite file: still the one opened, readable and writable.
  absl::Status CheckFile() const;
  void Loop();

  store::Store& store_;
  const std::string db_path_;
  const absl::Duration interval_;
  const std::function<void(bool)> set_serving_;
  // The file's identity when the checks began: a file put in its place is not the database.
  dev_t device_ = 0;
  ino_t inode_ = 0;
  Mutex mu_;
  CondVar stop_signal_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace torikumi::server
