// util/numbers.hpp — the one place where numbers read from input become integers, sizes or text.
//
// WHY one place: a value parsed from a page (a table cell of 99 digits) or a size read from a file (a chunk size
// of ffffffffffffffff) is hostile until proven otherwise. Casting a double beyond 2^63 to an integer is undefined
// behaviour, and `pos + n > size` overflows for a size near 2^64. Every such conversion goes through here.
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace xxgk::numbers {

//! `v` as a long long when it is a whole number that one can hold exactly enough (|v| < 2^63), else nothing.
inline std::optional<long long> whole(double v) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (!std::isfinite(v) || v >= kLimit || v < -kLimit || v != std::floor(v)) return std::nullopt;
  return static_cast<long long>(v);
}

//! `v` as an integer of type T when it is whole and within T's range, else nothing.
template <std::integral T>
std::optional<T> integral(double v) {
  const auto n = whole(v);
  if (!n || !std::in_range<T>(*n)) return std::nullopt;
  return static_cast<T>(*n);
}

//! An integer `v` as a T when T can hold it, else nothing (no silent wrap or truncation).
template <std::integral T, std::integral U>
constexpr std::optional<T> narrow(U v) {
  if (!std::in_range<T>(v)) return std::nullopt;
  return static_cast<T>(v);
}

//! A value as text: the integer digits when it is whole, else `%.{precision}g`.
inline std::string text(double v, int precision = 6) {
  if (auto n = whole(v)) return std::to_string(*n);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
  return buffer;
}

//! Does a span of `n` bytes starting at `pos` lie within `size` bytes? Never overflows.
constexpr bool fits(uint64_t pos, uint64_t n, uint64_t size) { return pos <= size && n <= size - pos; }

//! `a + b`, or nothing when it would pass `limit` (or overflow).
constexpr std::optional<uint64_t> add_within(uint64_t a, uint64_t b, uint64_t limit) {
  if (a > limit || b > limit - a) return std::nullopt;
  return a + b;
}

//! An unsigned size written in `base` 10 or 16 (surrounding blanks and, in base 16, a chunk extension after ';'
//! are allowed), or nothing for junk, an empty text or a value beyond `limit`.
inline std::optional<uint64_t> parse_size(std::string_view s, int base, uint64_t limit = UINT64_MAX) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  if (base == 16)
    if (size_t semi = s.find(';'); semi != std::string_view::npos) s = s.substr(0, semi);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
    int digit = c >= '0' && c <= '9' ? c - '0'
                : base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : base == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                     : -1;
    if (digit < 0 || digit >= base) return std::nullopt;
    const auto b = static_cast<uint64_t>(base), d = static_cast<uint64_t>(digit);
    if (value > (limit - d) / b) return std::nullopt;  // value * base + digit > limit
    value = value * b + d;
  }
  return value;
}

//! Digits before the decimal point of a number as written, leading zeros included ("00012.5" → 5).
inline size_t integer_digits(std::string_view digits) {
  size_t n = 0;
  for (char c : digits) {
    if (c == '.') break;
    n += c >= '0' && c <= '9';
  }
  return n;
}

}  // namespace xxgk::numbers
