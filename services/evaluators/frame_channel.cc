#include "services/evaluators/frame_channel.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace torikumi::evaluators::wire {
namespace {

// Waits until `fd` is ready for `events` or the deadline passes.
absl::Status WaitFor(int fd, short events, absl::Time deadline) {
  while (true) {
    int timeout_ms = -1;
    if (deadline != absl::InfiniteFuture()) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) return absl::DeadlineExceededError("time limit reached");
      timeout_ms =
          static_cast<int>(absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1))));
    }
    pollfd p{fd, events, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready > 0) return absl::OkStatus();
    if (ready < 0 && errno != EINTR)
      return absl::UnavailableError(absl::StrCat("poll: ", strerror(errno)));
  }
}

absl::Status Gone(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat("the channel closed (", what, ")"));
}

}  // namespace

absl::Status WriteFrame(int fd, uint8_t kind, absl::string_view prefix, absl::string_view body,
                        absl::Time deadline) {
  const uint64_t size = prefix.size() + body.size();
  if (size > kMaxPayload) return absl::InvalidArgumentError("frame payload too large");
  unsigned char header[5] = {
      static_cast<unsigned char>(size), static_cast<unsigned char>(size >> 8),
      static_cast<unsigned char>(size >> 16), static_cast<unsigned char>(size >> 24), kind};
  iovec parts[3] = {{header, sizeof header},
                    {const_cast<char*>(prefix.data()), prefix.size()},
                    {const_cast<char*>(body.data()), body.size()}};
  iovec* next = parts;
  int left = 3;
  while (left > 0) {
    msghdr message{};
    message.msg_iov = next;
    message.msg_iovlen = static_cast<size_t>(left);
    const ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (absl::Status s = WaitFor(fd, POLLOUT, deadline); !s.ok()) return s;
        continue;
      }
      return Gone(strerror(errno));
    }
    size_t written = static_cast<size_t>(n);
    while (left > 0 && written >= next->iov_len) {
      written -= next->iov_len;
      ++next;
      --left;
    }
    if (left > 0) {
      next->iov_base = static_cast<char*>(next->iov_base) + written;
      next->iov_len -= written;
    }
  }
  return absl::OkStatus();
}

namespace {

absl::Status ReadExactly(int fd, char* out, size_t size, absl::Time deadline) {
  while (size > 0) {
    const ssize_t n = ::recv(fd, out, size, MSG_DONTWAIT);
    if (n == 0) return Gone("end of stream");
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (absl::Status s = WaitFor(fd, POLLIN, deadline); !s.ok()) return s;
        continue;
      }
      return Gone(strerror(errno));
    }
    out += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadFrame(int fd, Frame* frame, absl::Time deadline) {
  unsigned char header[5];
  if (absl::Status s = ReadExactly(fd, reinterpret_cast<char*>(header), sizeof header, deadline);
      !s.ok())
    return s;
  const uint32_t size =
      header[0] | (header[1] << 8) | (header[2] << 16) | (static_cast<uint32_t>(header[3]) << 24);
  if (size > kMaxPayload) return absl::UnavailableError("the peer sent a frame too large");
  frame->kind = header[4];
  frame->payload.resize(size);
  return ReadExactly(fd, frame->payload.data(), size, deadline);
}

std::string EncodeId(uint64_t id) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(id >> (8 * i));
  return out;
}

bool DecodeId(absl::string_view payload, uint64_t* id, absl::string_view* rest) {
  if (payload.size() < 8) return false;
  *id = 0;
  for (int i = 0; i < 8; ++i)
    *id |= static_cast<uint64_t>(static_cast<unsigned char>(payload[i])) << (8 * i);
  *rest = payload.substr(8);
  return true;
}

}  // namespace torikumi::evaluators::wire
