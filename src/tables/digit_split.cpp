#include "tables/digit_split.hpp"

#include <string_view>

namespace xxgk::tables {
namespace {

// Depth-first over cut positions. PERF: cells are views into the pieces while walking; strings are made
// only for complete readings.
struct Search {
  const std::vector<SplitPiece>& pieces;
  size_t cells;
  const std::vector<bool>& amount;
  const SplitLimits& limits;
  const std::function<bool(const std::vector<std::string>&)>& accept;
  std::vector<size_t> chars_after;  // characters left after each piece
  SplitResult result;
  std::vector<std::string_view> current;
  size_t steps = 0;

  bool is_amount(size_t cell) const { return cell < amount.size() && amount[cell]; }

  bool valid_cell(std::string_view s, size_t cell) const {
    size_t dot = s.find('.');
    if (dot != std::string_view::npos && (!is_amount(cell) || dot == 0 || dot + 1 == s.size())) return false;
    if (s.size() > 1 && s[0] == '0' && s[1] != '.') return false;  // no leading zeros
    size_t digits = s.size() - (dot == std::string_view::npos ? 0 : 1);
    return digits <= (is_amount(cell) ? limits.max_amount_digits : limits.max_cell_digits);
  }

  void emit() {
    std::vector<std::string> reading(current.begin(), current.end());
    if (!accept || accept(reading)) result.readings.push_back(std::move(reading));
  }

  void walk(size_t piece, size_t offset) {
    if (result.exhausted) return;
    if (result.readings.size() >= limits.max_readings || ++steps > limits.max_steps) {
      result.exhausted = true;
      return;
    }
    if (piece == pieces.size()) {
      if (current.size() == cells) emit();
      return;
    }
    if (current.size() >= cells) return;
    std::string_view digits = pieces[piece].digits;
    if (!pieces[piece].splittable) {
      current.push_back(digits);
      walk(piece + 1, 0);
      current.pop_back();
      return;
    }
    const size_t left_here = digits.size() - offset;
    for (size_t length = 1; length <= left_here; ++length) {
      std::string_view cell = digits.substr(offset, length);
      // A cut never falls next to the decimal point.
      if (cell.back() == '.' || (offset + length < digits.size() && digits[offset + length] == '.')) continue;
      if (!valid_cell(cell, current.size())) {
        if (cell.size() > 1 && cell[0] == '0' && cell[1] != '.') break;  // longer cells keep the leading zero
        continue;
      }
      const size_t cells_after = cells - current.size() - 1;
      if ((left_here - length) + chars_after[piece] < cells_after) break;  // not one digit per cell left
      current.push_back(cell);
      if (length == left_here)
        walk(piece + 1, 0);
      else
        walk(piece, offset + length);
      current.pop_back();
      if (result.exhausted) return;
    }
  }
};

}  // namespace

SplitResult split_digits(const std::vector<SplitPiece>& pieces, size_t cells, const std::vector<bool>& amount,
                         const SplitLimits& limits, const std::function<bool(const std::vector<std::string>&)>& accept) {
  if (cells == 0 || pieces.empty()) return {};
  Search search{pieces, cells, amount, limits, accept, std::vector<size_t>(pieces.size(), 0), {}, {}, 0};
  for (size_t i = pieces.size(); i-- > 1;)
    search.chars_after[i - 1] = search.chars_after[i] + (pieces[i].splittable ? pieces[i].digits.size() : 1);
  search.current.reserve(cells);
  search.walk(0, 0);
  return std::move(search.result);
}

}  // namespace xxgk::tables
