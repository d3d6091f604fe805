// SHA-256 through OpenSSL's libcrypto (already linked for TLS and rating inputs).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace torikumi::domain {

// Lower-case hex of the SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace torikumi::domain
