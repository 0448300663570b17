#include <doctest/doctest.h>

#include <limits>

#include "util/dates.hpp"
#include "util/numbers.hpp"
#include "util/utf8.hpp"

using namespace xxgk;

TEST_CASE("util.utf8.valid") {
  CHECK(utf8::valid("plain ascii"));
  CHECK(utf8::valid("政府信息公开"));
  CHECK(utf8::valid("\xF0\x9F\x98\x80"));      // U+1F600
  CHECK_FALSE(utf8::valid("\xC0\xAF"));        // overlong
  CHECK_FALSE(utf8::valid("\xED\xA0\x80"));    // surrogate
  CHECK_FALSE(utf8::valid("\xE6\x94"));        // truncated
  CHECK_FALSE(utf8::valid("\xB5\xDA"));        // GB18030 bytes of 第
  CHECK_FALSE(utf8::valid("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST_CASE("util.utf8.length_and_boundaries") {
  CHECK(utf8::length("") == 0);
  CHECK(utf8::length("abc") == 3);
  CHECK(utf8::length("一、总体情况 2025") == 11);
  CHECK(utf8::length("12345678一二三四五六七八") == 16);  // crosses the eight-byte fast path
  std::string s = "a政b";
  CHECK(utf8::start_of(s, 2) == 1);
  CHECK(utf8::start_of(s, 3) == 1);
  size_t pos = 1;
  CHECK(utf8::next(s, pos) == U'政');
  CHECK(pos == 4);
}

TEST_CASE("util.dates.numerals") {
  CHECK(parse_numeral("2025") == 2025);
  CHECK(parse_numeral("二〇二五") == 2025);
  CHECK(parse_numeral("二○一二") == 2012);
  CHECK(parse_numeral("十二") == 12);
  CHECK(parse_numeral("二十") == 20);
  CHECK(parse_numeral("二十三") == 23);
  CHECK(parse_numeral("元") == 1);
  CHECK_FALSE(parse_numeral("年").has_value());
  CHECK(make_date("2024", "2", "29").has_value());
  CHECK_FALSE(make_date("2023", "2", "29").has_value());
  CHECK(make_date("二○一二", "二", "二十")->iso() == "2012-02-20");
}

TEST_CASE("util.numbers.conversions_are_range_checked") {
  CHECK(numbers::whole(12.0) == 12);
  CHECK(numbers::whole(-7.0) == -7);
  CHECK_FALSE(numbers::whole(1.5));
  CHECK_FALSE(numbers::whole(1.11111e98));  // a 99-digit cell: no integer can hold it
  CHECK_FALSE(numbers::whole(9223372036854775808.0));
  CHECK_FALSE(numbers::whole(std::numeric_limits<double>::infinity()));
  CHECK_FALSE(numbers::whole(std::numeric_limits<double>::quiet_NaN()));
  CHECK(numbers::text(1.11111e98) == "1.11111e+98");
  CHECK(numbers::text(393) == "393");
  CHECK(numbers::text(1.5) == "1.5");
}

TEST_CASE("util.numbers.sizes_from_input_never_overflow") {
  CHECK(numbers::parse_size("96", 10) == 96u);
  CHECK(numbers::parse_size(" 1a;ext=1\r", 16) == 26u);
  CHECK(numbers::parse_size("ffffffffffffffff", 16) == UINT64_MAX);
  CHECK_FALSE(numbers::parse_size("10000000000000000", 16));  // 2^64
  CHECK_FALSE(numbers::parse_size("99999999999999999999", 10));
  CHECK_FALSE(numbers::parse_size("1025", 10, 1024));
  CHECK_FALSE(numbers::parse_size("-1", 10));
  CHECK_FALSE(numbers::parse_size("", 16));
  CHECK_FALSE(numbers::parse_size("12g", 16));
  CHECK(numbers::fits(10, 5, 15));
  CHECK_FALSE(numbers::fits(10, 6, 15));
  CHECK_FALSE(numbers::fits(10, UINT64_MAX, 15));  // pos + n would wrap
  CHECK_FALSE(numbers::fits(16, 0, 15));
  CHECK(numbers::add_within(3, 4, 7) == 7u);
  CHECK_FALSE(numbers::add_within(UINT64_MAX, 1, UINT64_MAX));
  CHECK(numbers::integer_digits("1,234.50") == 4);
}

TEST_CASE("util.numbers.integral_and_narrow") {
  CHECK(numbers::integral<int>(12.0) == 12);
  CHECK_FALSE(numbers::integral<int>(1e300));
  CHECK_FALSE(numbers::integral<uint32_t>(-1.0));
  CHECK_FALSE(numbers::integral<int>(2.5));
  CHECK(numbers::narrow<uint32_t>(int64_t{7}) == 7u);
  CHECK_FALSE(numbers::narrow<uint32_t>(int64_t{-1}));
  CHECK_FALSE(numbers::narrow<int>(uint64_t{1} << 40));
}

TEST_CASE("util.utf8.escape_invalid") {
  CHECK(utf8::escape_invalid("报告.txt") == "报告.txt");
  // GBK bytes of 报告 (B1 A8 B8 E6), a lone continuation byte, a sequence cut at the end, an overlong '/'.
  CHECK(utf8::escape_invalid("\xB1\xA8\xB8\xE6.txt") == "\\xB1\\xA8\\xB8\\xE6.txt");
  CHECK(utf8::escape_invalid("a\x80z") == "a\\x80z");
  CHECK(utf8::escape_invalid("ok\xE6\x8A") == "ok\\xE6\\x8A");
  CHECK(utf8::escape_invalid("\xC0\xAF") == "\\xC0\\xAF");
  CHECK(utf8::valid(utf8::escape_invalid("\xFF\xFE年\xED\xA0\x80")));
}
