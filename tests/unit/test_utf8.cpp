#include <doctest/doctest.h>

#include "util/dates.hpp"
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
