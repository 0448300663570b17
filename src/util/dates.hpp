// util/dates.hpp — numbers written in Arabic or Chinese numerals, and calendar dates.
#pragma once

#include <optional>
#include <string_view>

#include "xxgk/xxgk.hpp"

namespace xxgk {

//! 2025, "二〇二五", "二○一二", "十二", "二十", "元" (as in 元月) → value; nullopt when not a numeral.
std::optional<int> parse_numeral(std::string_view text);

bool valid_date(int year, int month, int day);
//! A valid date from year/month/day numerals, or nullopt.
std::optional<Date> make_date(std::string_view year, std::string_view month, std::string_view day);

}  // namespace xxgk
