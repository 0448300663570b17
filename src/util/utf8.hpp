// util/utf8.hpp — small UTF-8 helpers shared by every stage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace xxgk::utf8 {

//! True when `text` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool valid(std::string_view text);

//! Length of the well-formed multi-byte sequence at `p` (whose byte is ≥ 0x80), or 0 when it is not one.
inline size_t multibyte_length(const unsigned char* p, const unsigned char* end) {
  const unsigned char b = *p;
  const auto left = end - p;
  auto tail = [&](int i) { return (p[i] & 0xC0) == 0x80; };
  if (b >= 0xE0 && b <= 0xEF) {  // first: reports are mostly three-byte CJK
    if (left < 3 || !tail(1) || !tail(2)) return 0;
    if ((b == 0xE0 && p[1] < 0xA0) || (b == 0xED && p[1] > 0x9F)) return 0;  // overlong, surrogate
    return 3;
  }
  if (b >= 0xC2 && b <= 0xDF) return left >= 2 && tail(1) ? 2 : 0;
  if (b >= 0xF0 && b <= 0xF4) {
    if (left < 4 || !tail(1) || !tail(2) || !tail(3)) return 0;
    if ((b == 0xF0 && p[1] < 0x90) || (b == 0xF4 && p[1] > 0x8F)) return 0;
    return 4;
  }
  return 0;
}

//! `text` with every byte that is not part of well-formed UTF-8 written as `\xHH` (valid text comes back as it
//! is). For names and labels read from outside (file and member names, WARC headers, a <meta> charset) that go
//! into results: every text of a result is UTF-8, as JSON and the report formats require.
std::string escape_invalid(std::string_view text);

//! Decodes the code point at `pos` (which must start a well-formed sequence) and advances `pos`.
inline char32_t next(std::string_view text, size_t& pos) {
  auto b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) {
    ++pos;
    return b;
  }
  if (b < 0xE0) {
    char32_t c = ((b & 0x1Fu) << 6) | (static_cast<unsigned char>(text[pos + 1]) & 0x3Fu);
    pos += 2;
    return c;
  }
  if (b < 0xF0) {
    char32_t c = ((b & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[pos + 1]) & 0x3Fu) << 6) |
                 (static_cast<unsigned char>(text[pos + 2]) & 0x3Fu);
    pos += 3;
    return c;
  }
  char32_t c = ((b & 0x07u) << 18) | ((static_cast<unsigned char>(text[pos + 1]) & 0x3Fu) << 12) |
               ((static_cast<unsigned char>(text[pos + 2]) & 0x3Fu) << 6) |
               (static_cast<unsigned char>(text[pos + 3]) & 0x3Fu);
  pos += 4;
  return c;
}

//! Length in bytes of the sequence that starts with byte `lead`.
inline size_t sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

//! Offset of the code point that contains byte `pos`.
inline size_t start_of(std::string_view text, size_t pos) {
  while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xC0u) == 0x80u) --pos;
  return pos;
}

void append(std::string& out, char32_t c);

//! Number of code points in `text`.
size_t length(std::string_view text);

inline bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x3134F) || c == 0x3007;
}

}  // namespace xxgk::utf8
