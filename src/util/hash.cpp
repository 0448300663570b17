#include "util/hash.hpp"

#include <openssl/evp.h>

#include <cstdint>

namespace xxgk {

namespace {

// PERF: fetching the algorithm costs more than hashing a report; do it once.
const EVP_MD* sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string fingerprint_hex(std::string_view data) {
  Fnv1a h;
  for (unsigned char c : data) h.add(c);
  return hex64(h.hash);
}

std::string hex64(uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (size_t i = 16; i-- > 0; v >>= 4) out[i] = kHex[v & 15];
  return out;
}

}  // namespace xxgk
