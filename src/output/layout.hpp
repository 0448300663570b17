// output/layout.hpp — what the HTML report, the workbook and JUnit share: escaping for markup, a rebuilt
// table in the standard layout, and which cells the findings are about.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace xxgk::output {

//! Text for HTML or XML: the five special characters escaped, control characters (bar tab and line breaks,
//! which XML 1.0 forbids even escaped) replaced by U+FFFD.
std::string escape_markup(std::string_view text);

//! A table's columns in template order, each with its header path ("申请人情况 / 自然人").
struct TableLayout {
  std::vector<std::string> columns;
  std::map<std::string, std::string> header;  //!< column id -> header path
  //! The cell of `row` in `column`, or nullptr.
  static const Cell* cell(const Row& row, const std::string& column);
};
TableLayout layout_of(const Table& table);

//! Cells the findings are about, by cell id ("p3/new/natural"): failing, or uncertain (an uncertain finding, or
//! a term whose value could not be read), and the findings that name each.
struct CellMarks {
  std::set<std::string> failing, uncertain;
  std::map<std::string, std::vector<size_t>> findings;  //!< cell id -> indexes into CheckResult::findings
};
CellMarks marks_of(const CheckResult& result);

}  // namespace xxgk::output
