#include "services/evaluators/worker/sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#ifdef TORIKUMI_HAVE_SECCOMP
#include <seccomp.h>
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// From the sanitizers' allocator interface (sanitizer/allocator_interface.h, which
// Debian's gcc does not install).
extern "C" {
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, size_t),
                                              void (*free_hook)(const volatile void*));
size_t __sanitizer_get_current_allocated_bytes();
}
#endif

namespace torikumi::evaluators::worker {
namespace {

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", strerror(errno)));
}

void OutOfMemory() {
  static const char message[] =
      "torikumi-evaluator-worker: the plugin ran out of its memory limit\n";
  (void)!::write(2, message, sizeof message - 1);
  ::_exit(kExitMemoryLimit);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// AddressSanitizer and ThreadSanitizer reserve terabytes of address space for their shadow
// memory, so RLIMIT_AS would stop the worker at start. In a sanitizer build the limit is kept
// instead by counting what the allocator holds, with the same exit when it is passed.
uint64_t memory_limit_bytes = 0;

void CheckAllocation(const volatile void* /*ptr*/, size_t /*size*/) {
  if (__sanitizer_get_current_allocated_bytes() > memory_limit_bytes) OutOfMemory();
}

// The allocator takes the two hooks together; freeing needs no check.
void IgnoreRelease(const volatile void* /*ptr*/) {}
#endif

}  // namespace

absl::Status CloseDescriptorsAbove(int last_kept) {
  if (::close_range(static_cast<unsigned>(last_kept) + 1, ~0U, 0) == 0) return absl::OkStatus();
  // Kernels before 5.9: the descriptors /proc lists (collected first, since closing
  // changes the directory being read).
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return Errno("cannot list /proc/self/fd");
  std::vector<int> open;
  while (const dirent* entry = ::readdir(dir)) {
    int fd = -1;
    if (absl::SimpleAtoi(entry->d_name, &fd) && fd > last_kept && fd != ::dirfd(dir))
      open.push_back(fd);
  }
  ::closedir(dir);
  for (int fd : open) ::close(fd);
  return absl::OkStatus();
}

absl::Status LimitMemory(uint64_t bytes) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  memory_limit_bytes = bytes;
  __sanitizer_install_malloc_and_free_hooks(CheckAllocation, IgnoreRelease);
#else
  const rlimit limit{bytes, bytes};
  if (::setrlimit(RLIMIT_AS, &limit) != 0) return Errno("setrlimit(RLIMIT_AS)");
#endif
  std::set_new_handler(OutOfMemory);
  return absl::OkStatus();
}

absl::Status LimitCpuForNextCall(absl::Duration limit) {
  rusage used{};
  if (::getrusage(RUSAGE_SELF, &used) != 0) return Errno("getrusage");
  const int64_t spent = used.ru_utime.tv_sec + used.ru_stime.tv_sec + 1;
  const int64_t allowed = absl::ToInt64Seconds(absl::Ceil(limit, absl::Seconds(1)));
  const rlimit cpu{static_cast<rlim_t>(spent + allowed), RLIM_INFINITY};
  if (::setrlimit(RLIMIT_CPU, &cpu) != 0) return Errno("setrlimit(RLIMIT_CPU)");
  return absl::OkStatus();
}

#ifdef TORIKUMI_HAVE_SECCOMP
namespace {

// Denies `syscall` (with EPERM) when its argument `arg` has any of the bits of `mask`.
int DenyWithFlags(scmp_filter_ctx filter, int syscall, unsigned arg, uint64_t mask) {
  return seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), syscall, 1,
                          scmp_arg_cmp{arg, SCMP_CMP_MASKED_EQ, mask, mask});
}

int AddRules(scmp_filter_ctx filter) {
  // No sockets (the channel to the host is inherited, not opened), no changes to files,
  // no other programs, no reaching into other processes.
  const int denied[] = {
      SCMP_SYS(socket),    SCMP_SYS(connect),  SCMP_SYS(bind),    SCMP_SYS(listen),
      SCMP_SYS(accept),    SCMP_SYS(accept4),  SCMP_SYS(creat),   SCMP_SYS(truncate),
      SCMP_SYS(unlink),    SCMP_SYS(unlinkat), SCMP_SYS(rename),  SCMP_SYS(renameat),
      SCMP_SYS(renameat2), SCMP_SYS(mkdir),    SCMP_SYS(mkdirat), SCMP_SYS(rmdir),
      SCMP_SYS(link),      SCMP_SYS(linkat),   SCMP_SYS(symlink), SCMP_SYS(symlinkat),
      SCMP_SYS(chmod),     SCMP_SYS(fchmodat), SCMP_SYS(chown),   SCMP_SYS(fchownat),
      SCMP_SYS(execve),    SCMP_SYS(execveat), SCMP_SYS(ptrace),  SCMP_SYS(process_vm_writev),
      SCMP_SYS(openat2),   SCMP_SYS(mount),
  };
  for (int syscall : denied) {
    if (int rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), syscall, 0); rc != 0) return rc;
  }
  // Files may be opened for reading only.
  for (uint64_t flag :
       {uint64_t{O_WRONLY}, uint64_t{O_RDWR}, uint64_t{O_CREAT}, uint64_t{O_TRUNC}}) {
    if (int rc = DenyWithFlags(filter, SCMP_SYS(open), 1, flag); rc != 0) return rc;
    if (int rc = DenyWithFlags(filter, SCMP_SYS(openat), 2, flag); rc != 0) return rc;
  }
  // Signals only to itself (abort() raises SIGABRT on its own thread).
  const uint64_t self = static_cast<uint64_t>(::getpid());
  if (int rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), 1,
                                SCMP_A0(SCMP_CMP_NE, self));
      rc != 0)
    return rc;
  return seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tgkill), 1,
                          SCMP_A0(SCMP_CMP_NE, self));
}

}  // namespace

absl::Status InstallSyscallFilter() {
  scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
  if (filter == nullptr) return absl::InternalError("seccomp_init failed");
  int rc = AddRules(filter);
  if (rc == 0) rc = seccomp_load(filter);
  seccomp_release(filter);
  if (rc != 0) return absl::InternalError(absl::StrCat("seccomp filter: ", strerror(-rc)));
  return absl::OkStatus();
}
#else
absl::Status InstallSyscallFilter() {
  return absl::UnimplementedError("built without libseccomp: no system-call filter");
}
#endif

}  // namespace torikumi::evaluators::worker
