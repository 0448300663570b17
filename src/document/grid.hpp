// document/grid.hpp — a <table> as a grid of slots, every slot pointing back to the cell it came from.
//
// Plain data shared by the HTML stage (which builds grids while rendering a page) and the table stage (which
// maps grid columns onto template columns). Offsets are into the rendered text: each grid row is one line,
// cells separated by " | ", and a cell's range runs from just after the bar before it to the bar after it,
// so that every offset on the line belongs to exactly one cell.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace xxgk {

struct GridCell {
  uint32_t row = 0, column = 0;       //!< top-left slot, 0-based
  uint32_t rowspan = 1, colspan = 1;  //!< as laid out (clamped to the table)
  uint32_t begin = 0, end = 0;        //!< rendered text of the cell, between its bars
  uint32_t origin = 0;                //!< offset of the <td>/<th> tag in the decoded HTML
};

struct Grid {
  uint32_t table = 0;  //!< 1-based position of the <table> among all tables of the page
  uint32_t rows = 0, columns = 0;
  std::vector<GridCell> cells;  //!< document order, which is also the order of `begin`
  std::vector<int32_t> slots;   //!< rows × columns: index into `cells`, -1 for a hole
  uint32_t begin = 0, end = 0;  //!< rendered range of the whole table

  int32_t slot(uint32_t row, uint32_t column) const {
    return row < rows && column < columns ? slots[static_cast<size_t>(row) * columns + column] : -1;
  }
  //! Index of the cell whose rendered range holds `offset`, or -1.
  int32_t cell_at(uint32_t offset) const;
};

//! A table's cells before layout: rows of (span attributes, rendered range, origin).
struct GridDraft {
  struct Cell {
    uint32_t rowspan = 1, colspan = 1;  //!< as parsed, 0 rowspan = to the end of the table
    uint32_t begin = 0, end = 0, origin = 0;
  };
  uint32_t table = 0;
  std::vector<std::vector<Cell>> rows;
};

//! Largest colspan honoured (the HTML standard's limit).
constexpr uint32_t kMaxColspan = 1000;
//! Largest number of slots a grid may have; a table beyond it is laid out with spans cut to fit.
constexpr size_t kMaxSlots = size_t{1} << 21;

//! Lays out `draft` with the HTML table model: each cell takes the first free slot of its row, spans claim
//! the slots below and to the right. Spans are clamped so that the grid never exceeds kMaxSlots.
Grid lay_out(const GridDraft& draft);

//! A span attribute read leniently, as browsers do: leading digits count ("2;" is 2), anything else gives
//! `fallback`; values above `max` are `max`.
uint32_t parse_span(const char* value, uint32_t fallback, uint32_t max);

}  // namespace xxgk
