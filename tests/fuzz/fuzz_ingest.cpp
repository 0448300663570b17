// Fuzz target: bytes → UTF-8 (BOM, UTF-8 validation, declared charsets, <meta>, ICU detection, GB18030).
// The first byte picks the transport charset the caller declares.
#include <array>

#include "fuzz_common.hpp"
#include "ingest/ingest.hpp"
#include "ingest/sniff.hpp"
#include "util/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static constexpr std::array<const char*, 8> declared = {"", "gbk", "utf-8", "gb2312", "big5", "utf-16le",
                                                          "x-no-such-charset", "iso-8859-1"};
  if (size == 0) return 0;
  const auto bytes = xxgk::fuzz::bytes_of(data + 1, size - 1);
  auto outcome = xxgk::ingest::decode(bytes, declared[data[0] % declared.size()], 1u << 20);
  if (auto* decoded = std::get_if<xxgk::ingest::Decoded>(&outcome)) {
    // The decoded text must be valid UTF-8 whatever came in: every later stage relies on it.
    if (!xxgk::utf8::valid(decoded->text)) std::abort();
  }
  (void)xxgk::ingest::looks_like_html(bytes);
  (void)xxgk::ingest::prescan_charset(bytes);
  return 0;
}
