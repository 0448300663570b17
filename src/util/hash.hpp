// util/hash.hpp — SHA-256 (OpenSSL) for source identity and finding fingerprints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace xxgk {

//! Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
//! 16 hex digits of FNV-1a 64 of `data`: a stable, cheap fingerprint (not for security).
std::string fingerprint_hex(std::string_view data);

//! FNV-1a 64, fed a byte at a time (for a fingerprint of bytes picked while they are read).
struct Fnv1a {
  uint64_t hash = 1469598103934665603ull;
  void add(unsigned char c) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
};

//! `v` as 16 lower-case hex digits.
std::string hex64(uint64_t v);

}  // namespace xxgk
