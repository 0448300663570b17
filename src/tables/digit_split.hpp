// tables/digit_split.hpp — readings of digit runs that lost their cell separators.
//
// Crawled pages may run the cells of a row together: 行政许可3960181 is 396 / 0 / 181, and a part-4 row can be
// 17 digits for 15 cells. A reading cuts each run into cells (a number never starts with 0 unless it is 0;
// known separators stay cuts) so that the row gets exactly its number of cells. Readings are enumerated
// with a step budget; relations of the row (a 总计 column, a group total) can be required to hold.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace xxgk::tables {

struct SplitPiece {
  std::string digits;  //!< digits, optionally with one '.' (never cut inside a decimal)
  bool splittable = true;  //!< false for a token that must stay one cell (it has a unit, a sign…)
};

struct SplitLimits {
  size_t max_cell_digits = 7;      //!< a count cell longer than this is not a plausible reading
  size_t max_amount_digits = 14;   //!< for columns that hold amounts
  size_t max_steps = 200'000;      //!< enumeration budget
  size_t max_readings = 4096;      //!< more readings than this count as "too many"
};

struct SplitResult {
  std::vector<std::vector<std::string>> readings;  //!< each: one string per cell
  bool exhausted = false;  //!< the budget ran out: the readings are not all of them
};

//! Readings of `pieces` as `cells` cells. `amount[i]` allows cell i to hold a decimal and longer numbers.
//! `accept`, when given, is asked about each complete reading.
SplitResult split_digits(const std::vector<SplitPiece>& pieces, size_t cells, const std::vector<bool>& amount,
                         const SplitLimits& limits,
                         const std::function<bool(const std::vector<std::string>&)>& accept = {});

}  // namespace xxgk::tables
