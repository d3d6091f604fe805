#include "services/server/store_health.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/store/postgres/postgres_store.h"

namespace torikumi::server {

StoreHealth::StoreHealth(store::Store& store, std::string db_path, absl::Duration interval,
                         std::function<void(bool)> set_serving)
    : store_(store),
      db_path_(std::move(db_path)),
      interval_(interval),
      set_serving_(std::move(set_serving)) {
  struct stat info {};
  // A PostgreSQL URI names no file: stat fails and only the read is checked.
  if (::stat(db_path_.c_str(), &info) == 0) device_ = info.st_dev, inode_ = info.st_ino;
  thread_ = std::thread(&StoreHealth::Loop, this);
}

StoreHealth::~StoreHealth() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    stop_signal_.SignalAll();
  }
  thread_.join();
}

absl::Status StoreHealth::Check() const {
  if (!store::IsPostgresUri(db_path_)) {
    if (absl::Status file = CheckFile(); !file.ok()) return file;
  }
  absl::StatusOr<store::ListResult<v1::Organization>> read = store_.ListOrganizations({0, 1});
  if (!read.ok()) {
    return absl::UnavailableError(
        absl::StrCat("the database does not answer a read: ", read.status().message()));
  }
  return absl::OkStatus();
}

absl::Status StoreHealth::CheckFile() const {
  struct stat info {};
  if (::stat(db_path_.c_str(), &info) != 0) {
    return absl::UnavailableError(
        absl::StrCat("the database file ", db_path_, " is gone: ", std::strerror(errno)));
  }
  if (info.st_dev != device_ || info.st_ino != inode_) {
    return absl::UnavailableError(
        absl::StrCat("the database file ", db_path_, " was replaced by another file"));
  }
  if (::access(db_path_.c_str(), R_OK | W_OK) != 0) {
    return absl::UnavailableError(absl::StrCat(
        "the database file ", db_path_, " cannot be read and written: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

void StoreHealth::Loop() {
  std::optional<bool> serving;
  for (;;) {
    const absl::Status usable = Check();
    metrics::Gauge("torikumi_store_usable", "1 while the database can be used, else 0.")
        .Set({}, usable.ok() ? 1 : 0);
    if (!serving.has_value() || *serving != usable.ok()) {
      if (usable.ok()) {
        if (serving.has_value()) log::Info("the database can be used again; health: SERVING");
      } else {
        log::Error("health: NOT_SERVING: ", usable.message());
      }
      serving = usable.ok();
      set_serving_(*serving);
    }
    MutexLock lock(&mu_);
    const absl::Time next = absl::Now() + interval_;
    while (!stopping_ && !stop_signal_.WaitWithDeadline(&mu_, next)) {
    }
    if (stopping_) return;
  }
}

}  // namespace torikumi::server
