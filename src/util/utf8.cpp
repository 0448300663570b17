#include "util/utf8.hpp"

namespace xxgk::utf8 {

bool valid(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // PERF: skip ASCII eight bytes at a time; reports are mostly 3-byte CJK, but markup and digits are ASCII.
    while (end - p >= 8) {
      uint64_t word;
      __builtin_memcpy(&word, p, 8);
      if (word & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p >= end) break;
    unsigned char b = *p;
    if (b < 0x80) {
      ++p;
      continue;
    }
    // PERF: most of a report is three-byte CJK; check the common E1–EC/EE–EF case in one go.
    if (b >= 0xE1 && b <= 0xEF && b != 0xED && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
      p += 3;
      continue;
    }
    const size_t n = multibyte_length(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

std::string escape_invalid(std::string_view text) {
  if (valid(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t pos = 0; pos < text.size();) {
    const auto b = static_cast<unsigned char>(text[pos]);
    const size_t n = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (n && n <= text.size() - pos && valid(text.substr(pos, n))) {
      out.append(text, pos, n);
      pos += n;
      continue;
    }
    static const char kHex[] = "0123456789ABCDEF";
    out += "\\x";
    out += kHex[b >> 4];
    out += kHex[b & 15];
    ++pos;
  }
  return out;
}

void append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

size_t length(std::string_view text) {
  // PERF: count lead bytes eight at a time (a lead byte is any byte that is not 10xxxxxx).
  size_t n = 0, i = 0;
  const char* p = text.data();
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    __builtin_memcpy(&word, p + i, 8);
    uint64_t continuation = (word & 0x8080808080808080ull) & ((~word << 1) & 0x8080808080808080ull);
    // Each byte of `continuation >> 7` is 0 or 1: the multiply sums them into the top byte (no popcnt needed).
    n += 8 - static_cast<size_t>(((continuation >> 7) * 0x0101010101010101ull) >> 56);
  }
  for (; i < text.size(); ++i) n += (static_cast<unsigned char>(p[i]) & 0xC0) != 0x80;
  return n;
}

}  // namespace xxgk::utf8
