// A pre-flight check of a listen address, so that a taken port fails with the operating
// system's reason ("Address already in use") instead of gRPC's generic failure and its
// internal error dump.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace torikumi::server {

// Binds (and releases) every address "host:port" resolves to, the way gRPC will.
// UNAVAILABLE "cannot listen on <address>: <reason>" when one cannot be bound;
// INVALID_ARGUMENT when the text is not host:port or the host does not resolve.
// Addresses gRPC knows by scheme (unix:, unix-abstract:, vsock:) are left to gRPC: OK.
absl::Status ProbeListenAddress(absl::string_view address);

}  // namespace torikumi::server
