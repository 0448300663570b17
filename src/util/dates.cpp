#include "util/dates.hpp"

#include <cstdio>

#include "util/utf8.hpp"

namespace xxgk {

std::optional<int> parse_numeral(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool arabic = true;
  for (char c : text)
    if (c < '0' || c > '9') arabic = false;
  if (arabic) {
    if (text.size() > 9) return std::nullopt;
    int value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return value;
  }
  // Chinese numerals: digit strings (二〇二五) or positional (二十三).
  auto digit = [](char32_t c) -> int {
    switch (c) {
      case U'〇': case U'○': case U'零': case U'O': return 0;
      case U'一': case U'元': return 1;
      case U'二': case U'两': return 2;
      case U'三': return 3;
      case U'四': return 4;
      case U'五': return 5;
      case U'六': return 6;
      case U'七': return 7;
      case U'八': return 8;
      case U'九': return 9;
      case U'十': return 10;
      default: return -1;
    }
  };
  std::u32string cps;
  for (size_t pos = 0; pos < text.size();) {
    char32_t c = utf8::next(text, pos);
    if (digit(c) < 0) return std::nullopt;
    cps.push_back(c);
  }
  if (cps.find(U'十') == std::u32string::npos) {
    int value = 0;
    for (char32_t c : cps) value = value * 10 + digit(c);
    return value;
  }
  // 十, 十二, 二十, 二十三
  int value = 0, current = 0;
  for (char32_t c : cps) {
    int d = digit(c);
    if (d == 10) {
      value += (current == 0 ? 1 : current) * 10;
      current = 0;
    } else {
      current = d;
    }
  }
  return value + current;
}

bool valid_date(int year, int month, int day) {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int days = kDays[month - 1];
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) days = 29;
  return day <= days;
}

std::optional<Date> make_date(std::string_view year, std::string_view month, std::string_view day) {
  auto y = parse_numeral(year), m = parse_numeral(month), d = parse_numeral(day);
  if (!y || !m || !d || !valid_date(*y, *m, *d)) return std::nullopt;
  return Date{*y, *m, *d};
}

std::string Date::iso() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

}  // namespace xxgk
