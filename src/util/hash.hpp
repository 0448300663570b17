// util/hash.hpp — SHA-256 (OpenSSL) for source identity and finding fingerprints.
#pragma once

#include <string>
#include <string_view>

namespace xxgk {

//! Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
//! 16 hex digits of FNV-1a 64 of `data`: a stable, cheap fingerprint (not for security).
std::string fingerprint_hex(std::string_view data);

}  // namespace xxgk
