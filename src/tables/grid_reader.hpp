// tables/grid_reader.hpp — table rows read from the grids of an HTML page.
//
// The text path reads a row's values in the order they follow its label. A real table says more: which
// header stands above each cell. Here a row's value cells are mapped onto the template's columns through the
// header cells above them — by the header path (行政诉讼 / 复议后起诉 / 结果维持) and by column overlap, not by
// start column, so that reordered columns, merged header rows, a header spanning two data cells and an extra
// 小计 column land right. When the headers do not name every column the caller falls back to reading the
// values in grid order, as the text path does.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "document/phrase.hpp"
#include "document/document.hpp"
#include "normalize/tokenizer.hpp"
#include "tables/templates.hpp"
#include "tables/value_reader.hpp"

namespace xxgk::tables {

struct GridRow {
  size_t grid = 0;                //!< index into Document::grids
  uint32_t row = 0;               //!< grid row of the values
  uint32_t first_value_column = 0;  //!< grid columns left of it hold the row's labels
};

//! Positions of a non-decreasing array at or above each value asked (std::lower_bound's answer), found from the
//! answer before. PERF: a grid's cells are asked for in text order, so each answer lies just after the one before;
//! a binary search over the whole map (four bytes per byte of the text) per cell missed the cache at most of its
//! steps. Values asked out of order are answered as well, by a search below the last answer.
class LowerBoundCursor {
 public:
  explicit LowerBoundCursor(const std::vector<uint32_t>& sorted) : sorted_(sorted) {}
  size_t operator()(uint32_t value);

 private:
  const std::vector<uint32_t>& sorted_;
  size_t answer_ = 0;  //!< lower bound of `value_`
  uint32_t value_ = 0;
};

struct GridMemo;

//! The grid row whose label ends at match offset `label_end` (inside a grid cell), if any.
std::optional<GridRow> grid_row_of_label(const Document& doc, size_t label_end);
//! The first row with a number below the header cell at match offset `header_pos`, if any.
std::optional<GridRow> grid_row_after_headers(const Document& doc, size_t header_pos, const TokenVocabulary& vocabulary);
//! The values of the row's value cells, in grid order (an empty cell is one empty value). `memo`, when given,
//! belongs to `doc` (see GridMemo::cell_spans).
ValueRun grid_row_values(const Document& doc, const GridRow& row, const TokenVocabulary& vocabulary,
                         GridMemo* memo = nullptr);

//! What the headers above a grid row say about it.
struct GridColumns {
  struct Placed {
    std::vector<int32_t> cells;       //!< cells of the row under this column's header (indices into the grid)
    std::vector<int32_t> straddling;  //!< cells with numbers that straddle this header and another one
  };
  std::vector<Placed> columns;  //!< per template column
  const Grid* grid = nullptr;
  //! Headers of grid columns the template does not have that hold numbers in this row (小计…).
  std::vector<std::string> extra_headers;
  //! The row's value cells with where they stand in the matching form and what was read from them. PERF:
  //! read_grid_columns takes them from here instead of finding and reading the cells again.
  struct KnownCell {
    int32_t cell = -1;  //!< index into the grid
    size_t match_begin = 0, match_end = 0;
    ValueRun values;
  };
  std::vector<KnownCell> cell_values;
};

//! What map_grid_columns works out for one table and would otherwise work out again for each of its rows: the
//! table's header keys, and which grid rows are header rows (each row looks up through the rows above it).
struct GridMemo {
  bool keyed = false;
  std::vector<std::string> header_keys;  //!< sorted (looked up by binary search)
  std::map<std::pair<size_t, uint32_t>, bool> header_rows;  //!< (grid, row) → a header row
  //! What the header cells of a run of header rows name, for one list of template columns.
  struct Naming {
    std::vector<int> column_of;            //!< per grid column: the template column its headers name, or < 0
    std::vector<std::string> header_text;  //!< per grid column: the text of its lowest header cell (compact form)
  };
  //! (grid, first header row, end of the header rows, template columns) → their naming. WHY: every row under the
  //! same headers maps its cells through the same naming, which matching each header cell against every column's
  //! keys made the dearest part of reading a grid row.
  std::map<std::tuple<size_t, uint32_t, uint32_t, std::vector<const grammar::Column*>>, Naming> namings;

  //! Where a cell's text stands in the matching form and in the compact form ([begin, end), end >= begin).
  struct CellSpan {
    uint32_t match_begin = 0, match_end = 0, compact_begin = 0, compact_end = 0;
  };
  //! Per grid of the document, the span of each of its cells (as Document::match_of_source and compact_of_match
  //! place its rendered range), all found on the grid's first use. PERF: the cells of a header row and of a
  //! value row were placed by two binary searches over each map every time they were read.
  std::vector<std::vector<CellSpan>> cell_spans;
  const CellSpan& span(const Document& doc, size_t grid, int32_t cell);
};

//! Maps the value cells of `row` onto `columns` through the header rows above it (in this grid, or for a table
//! split in two, in the grid before it). Nullopt when the headers do not name every template column. `memo`
//! belongs to `table` and `doc`.
std::optional<GridColumns> map_grid_columns(const Document& doc, const GridRow& row, const UnionTable& table,
                                            const std::vector<const grammar::Column*>& columns,
                                            const TokenVocabulary& vocabulary, GridMemo& memo);

//! What one template column's cells hold in the row.
struct GridValue {
  enum class Kind { value, blank, uncertain } kind = Kind::blank;
  RawValue value;         //!< Kind::value: a number or a placeholder
  size_t match_pos = 0;   //!< where the cell's text starts (matching form)
  std::string raw;        //!< Kind::uncertain: what the cells hold
  Phrase why;    //!< Kind::uncertain
};
std::vector<GridValue> read_grid_columns(const Document& doc, const GridColumns& mapped,
                                         const std::vector<const grammar::Column*>& columns,
                                         const TokenVocabulary& vocabulary);

//! The grid cell of an HTML page that match offset `match_pos` stands in, if any.
std::optional<GridRef> grid_ref(const Document& doc, size_t match_pos);

}  // namespace xxgk::tables
