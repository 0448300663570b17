#include "tables/grid_reader.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace xxgk::tables {
namespace {

// Header text may carry a few more characters than the label it names ("本年收费金额（单位：万元）").
constexpr size_t kHeaderSlackBytes = 8 * 3;

struct CellAt {
  size_t grid;
  int32_t cell;
};

std::optional<CellAt> cell_at_source(const Document& doc, size_t source_pos) {
  if (!doc.grids) return std::nullopt;
  for (size_t g = 0; g < doc.grids->size(); ++g) {
    const Grid& grid = (*doc.grids)[g];
    if (source_pos < grid.begin || source_pos > grid.end) continue;
    int32_t c = grid.cell_at(static_cast<uint32_t>(source_pos));
    if (c >= 0) return CellAt{g, c};
  }
  return std::nullopt;
}

std::optional<CellAt> cell_at_match(const Document& doc, size_t match_pos) {
  return cell_at_source(doc, doc.source_of_match(match_pos));
}

// Where cell `cell` of grid `grid` stands in the matching and the compact form: from the memo when there is one,
// else by a search of each map.
GridMemo::CellSpan span_of(const Document& doc, GridMemo* memo, size_t grid, int32_t cell) {
  if (memo) return memo->span(doc, grid, cell);
  const GridCell& c = (*doc.grids)[grid].cells[static_cast<size_t>(cell)];
  const size_t b = doc.match_of_source(c.begin), e = std::max(b, doc.match_of_source(c.end));
  return {static_cast<uint32_t>(b), static_cast<uint32_t>(e), static_cast<uint32_t>(doc.compact_of_match(b)),
          static_cast<uint32_t>(doc.compact_of_match(e))};
}

std::pair<size_t, size_t> match_range(const Document& doc, GridMemo* memo, size_t grid, int32_t cell) {
  const GridMemo::CellSpan s = span_of(doc, memo, grid, cell);
  return {s.match_begin, s.match_end};
}

std::string_view compact_text(const Document& doc, GridMemo* memo, size_t grid, int32_t cell) {
  const GridMemo::CellSpan s = span_of(doc, memo, grid, cell);
  return std::string_view(doc.compact.text)
      .substr(s.compact_begin, s.compact_end > s.compact_begin ? s.compact_end - s.compact_begin : 0);
}

ValueRun cell_values(const Document& doc, GridMemo* memo, size_t grid, int32_t cell, const TokenVocabulary& vocabulary) {
  auto [b, e] = match_range(doc, memo, grid, cell);
  return read_values(doc, b, e, vocabulary);
}

bool has_number(const ValueRun& run) {
  return std::any_of(run.values.begin(), run.values.end(), [](const RawValue& v) { return v.kind == RawValue::Kind::number; });
}

// Cells that start in `row`, in grid order.
std::vector<int32_t> cells_starting_in(const Grid& g, uint32_t row) {
  std::vector<int32_t> out;
  for (uint32_t x = 0; x < g.columns; ++x) {
    int32_t c = g.slot(row, x);
    if (c >= 0 && g.cells[static_cast<size_t>(c)].row == row && (out.empty() || out.back() != c)) out.push_back(c);
  }
  return out;
}

// 2: the cell is the key; 1: the cell holds the key with a few characters more; 0: neither.
int header_match(std::string_view cell, std::string_view key) {
  if (key.empty() || cell.empty()) return 0;
  if (cell == key) return 2;
  if (cell.size() <= key.size() + kHeaderSlackBytes && cell.find(key) != std::string_view::npos) return 1;
  return 0;
}

int best_match(std::string_view cell, const std::vector<std::string>& keys) {
  int best = 0;
  for (const std::string& k : keys) best = std::max(best, header_match(cell, k));
  return best;
}

struct ColumnKeys {
  std::vector<std::string> leaf;               //!< the column's own header and its alternates
  std::vector<std::vector<std::string>> path;  //!< the headers above it, outermost first
};

std::string without_layout(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!Normalizer::is_layout(c)) out.push_back(c);
  return out;
}

// Keys of every header of `table` (block, table and column headers), for telling header rows apart; sorted.
std::vector<std::string> all_header_keys(const UnionTable& table) {
  std::set<std::string> keys;
  for (const UnionBlock& b : table.blocks)
    for (const HeaderUse& h : b.headers)
      if (h.label) keys.insert(h.label->key);
  return {keys.begin(), keys.end()};
}

// Whether `cell` is one of the sorted `keys` word for word: best_match(cell, keys) == 2. PERF: a binary search, not
// a comparison and a substring search per key.
bool is_header_key(std::string_view cell, const std::vector<std::string>& keys) {
  return !cell.empty() && std::binary_search(keys.begin(), keys.end(), cell, std::less<>());
}

std::vector<ColumnKeys> column_keys(const UnionTable& table, const std::vector<const grammar::Column*>& columns) {
  std::vector<ColumnKeys> out;
  for (const grammar::Column* c : columns) {
    ColumnKeys k;
    for (const grammar::Label& l : c->headers) k.leaf.push_back(l.key);
    for (size_t i = 0; i + 1 < c->path.size(); ++i) {
      std::vector<std::string> alternatives{without_layout(c->path[i])};
      for (const UnionBlock& b : table.blocks)
        for (const HeaderUse& h : b.headers)
          if (h.label && h.label->text == c->path[i]) alternatives.push_back(h.label->key);
      k.path.push_back(std::move(alternatives));
    }
    out.push_back(std::move(k));
  }
  return out;
}

// A header row: no numbers, and at least two cells that are headers of the table word for word. WHY word for
// word: a row label such as （六）其他处理 holds the header 其他.
bool is_header_row(const Document& doc, size_t grid, uint32_t row, const std::vector<std::string>& header_keys,
                   const TokenVocabulary& vocabulary, GridMemo& memo) {
  std::vector<int32_t> cells = cells_starting_in((*doc.grids)[grid], row);
  if (cells.size() < 2) return false;
  size_t headers = 0;
  for (int32_t c : cells) {
    if (has_number(cell_values(doc, &memo, grid, c, vocabulary))) return false;
    headers += is_header_key(compact_text(doc, &memo, grid, c), header_keys);
  }
  return headers >= 2;
}

// The header rows that stand over `row` of grid `grid`: the nearest run of header rows above it.
std::optional<std::pair<uint32_t, uint32_t>> header_run(const Document& doc, size_t grid, uint32_t row,
                                                        const TokenVocabulary& vocabulary, GridMemo& memo) {
  auto header = [&](uint32_t r) {
    auto [it, added] = memo.header_rows.try_emplace({grid, r}, false);
    if (added) it->second = is_header_row(doc, grid, r, memo.header_keys, vocabulary, memo);
    return it->second;
  };
  for (uint32_t r = row; r-- > 0;) {
    if (!header(r)) continue;
    uint32_t top = r;
    while (top > 0 && header(top - 1)) --top;
    return std::make_pair(top, r + 1);
  }
  return std::nullopt;
}

}  // namespace

size_t LowerBoundCursor::operator()(uint32_t value) {
  const auto first = sorted_.begin();
  if (value < value_) {
    // Below the last value: the answer is at most the last answer.
    answer_ = static_cast<size_t>(std::lower_bound(first, first + static_cast<std::ptrdiff_t>(answer_), value) - first);
  } else {
    // At or above it: gallop from the last answer to a bound, then search between.
    size_t low = answer_, high = answer_, step = 1;
    while (high < sorted_.size() && sorted_[high] < value) {
      low = high + 1;
      high += step;
      step *= 2;
    }
    high = std::min(high, sorted_.size());
    answer_ = static_cast<size_t>(std::lower_bound(first + static_cast<std::ptrdiff_t>(low),
                                                   first + static_cast<std::ptrdiff_t>(high), value) - first);
  }
  value_ = value;
  return answer_;
}

const GridMemo::CellSpan& GridMemo::span(const Document& doc, size_t grid, int32_t cell) {
  if (cell_spans.size() < doc.grids->size()) cell_spans.resize(doc.grids->size());
  std::vector<CellSpan>& spans = cell_spans[grid];
  const Grid& g = (*doc.grids)[grid];
  if (spans.size() != g.cells.size()) {  // the grid's first use: every cell, in text order
    spans.resize(g.cells.size());
    LowerBoundCursor match(doc.match.parent), compact(doc.compact.parent);
    for (size_t c = 0; c < g.cells.size(); ++c) {
      const uint32_t b = static_cast<uint32_t>(match(g.cells[c].begin));
      const uint32_t e = std::max(b, static_cast<uint32_t>(match(g.cells[c].end)));
      spans[c] = {b, e, static_cast<uint32_t>(compact(b)), static_cast<uint32_t>(compact(e))};
    }
  }
  return spans[static_cast<size_t>(cell)];
}

std::optional<GridRow> grid_row_of_label(const Document& doc, size_t label_end) {
  if (!doc.grids || label_end == 0) return std::nullopt;
  auto at = cell_at_match(doc, label_end - 1);
  if (!at) return std::nullopt;
  const GridCell& c = (*doc.grids)[at->grid].cells[static_cast<size_t>(at->cell)];
  return GridRow{at->grid, c.row, c.column + c.colspan};
}

std::optional<GridRow> grid_row_after_headers(const Document& doc, size_t header_pos, const TokenVocabulary& vocabulary) {
  if (!doc.grids) return std::nullopt;
  auto at = cell_at_match(doc, header_pos);
  if (!at) return std::nullopt;
  const Grid& g = (*doc.grids)[at->grid];
  const GridCell& h = g.cells[static_cast<size_t>(at->cell)];
  for (uint32_t r = h.row + h.rowspan; r < g.rows; ++r)
    for (int32_t c : cells_starting_in(g, r))
      if (has_number(cell_values(doc, nullptr, at->grid, c, vocabulary))) return GridRow{at->grid, r, 0};
  return std::nullopt;
}

namespace {

using ValueCell = GridColumns::KnownCell;  // what the cell holds: PERF: read once; the callers needed it again

// The value cells of a row, in grid order: right of its labels, started in the row (or reaching down from
// above with numbers: a merged value), up to the first text cell.
std::vector<ValueCell> value_cells(const Document& doc, const GridRow& row, const TokenVocabulary& vocabulary,
                                   GridMemo* memo) {
  const Grid& g = (*doc.grids)[row.grid];
  std::vector<ValueCell> out;
  int32_t previous = -1;
  // Without a memo the row's cells are placed by a cursor: they stand in text order, one search finds the first.
  LowerBoundCursor match(doc.match.parent);
  for (uint32_t x = row.first_value_column; x < g.columns; ++x) {
    int32_t c = g.slot(row.row, x);
    if (c < 0 || c == previous) continue;
    previous = c;
    const GridCell& cell = g.cells[static_cast<size_t>(c)];
    if (cell.column < row.first_value_column) continue;  // a label cell reaching into the value columns
    size_t b = 0, e = 0;
    if (memo) {
      std::tie(b, e) = match_range(doc, memo, row.grid, c);
    } else {
      b = match(cell.begin);
      e = std::max(b, match(cell.end));
    }
    ValueRun values = read_values(doc, b, e, vocabulary);
    // A header cell whose rowspan overruns the header rows is not the row's.
    if (cell.row < row.row && !has_number(values)) continue;
    // A text cell in the value columns is the label of another row (（一）予以公开 after 三、本年度办理结果):
    // the values are that row's, as in the text.
    if (values.values.empty() && values.stopped_by_text) break;
    out.push_back({c, b, e, std::move(values)});
  }
  return out;
}

}  // namespace

ValueRun grid_row_values(const Document& doc, const GridRow& row, const TokenVocabulary& vocabulary, GridMemo* memo) {
  ValueRun run;
  for (auto& [c, b, e, values] : value_cells(doc, row, vocabulary, memo)) {
    if (values.values.empty()) {
      RawValue v;
      v.kind = RawValue::Kind::empty;
      v.token.begin = static_cast<uint32_t>(b);
      v.token.end = static_cast<uint32_t>(e);
      run.values.push_back(v);
      continue;
    }
    for (RawValue& v : values.values) run.values.push_back(std::move(v));
  }
  run.had_bars = true;
  return run;
}

namespace {

// For every grid column of `hg`, the template column that the header cells over it in the header rows `run`
// name, and the text of the lowest of them.
GridMemo::Naming name_columns(const Document& doc, size_t header_grid, std::pair<uint32_t, uint32_t> run,
                              const UnionTable& table, const std::vector<const grammar::Column*>& columns,
                              GridMemo& memo) {
  const Grid& hg = (*doc.grids)[header_grid];
  const std::vector<ColumnKeys> keys = column_keys(table, columns);
  constexpr int kUnmapped = -1, kAmbiguous = -2;
  GridMemo::Naming out;
  std::vector<int>& column_of = out.column_of;
  std::vector<std::string>& header_text = out.header_text;
  column_of.assign(hg.columns, kUnmapped);
  header_text.resize(hg.columns);
  for (uint32_t x = 0; x < hg.columns; ++x) {
    std::vector<std::string_view> over;
    int32_t previous = -1;
    for (uint32_t r = run.first; r < run.second; ++r) {
      int32_t c = hg.slot(r, x);
      if (c < 0 || c == previous) continue;
      previous = c;
      over.push_back(compact_text(doc, &memo, header_grid, c));
    }
    if (over.empty()) continue;
    header_text[x] = std::string(over.back());
    int best = 0, best_column = kUnmapped;
    for (size_t j = 0; j < keys.size(); ++j) {
      int leaf = best_match(over.back(), keys[j].leaf);
      if (leaf == 0) continue;
      int score = leaf * 10;
      for (const auto& element : keys[j].path)
        for (size_t i = 0; i + 1 < over.size(); ++i)
          if (best_match(over[i], element) > 0) {
            ++score;
            break;
          }
      if (score > best) {
        best = score;
        best_column = static_cast<int>(j);
      } else if (score == best) {
        best_column = kAmbiguous;
      }
    }
    column_of[x] = best_column;
  }
  return out;
}

}  // namespace

std::optional<GridColumns> map_grid_columns(const Document& doc, const GridRow& row, const UnionTable& table,
                                            const std::vector<const grammar::Column*>& columns,
                                            const TokenVocabulary& vocabulary, GridMemo& memo) {
  if (!doc.grids || columns.empty()) return std::nullopt;
  if (!memo.keyed) {
    memo.header_keys = all_header_keys(table);
    memo.keyed = true;
  }
  // The header rows: above the row in its grid, or for a table split in two, at the end of the grid before.
  const Grid* hg = &(*doc.grids)[row.grid];
  auto run = header_run(doc, row.grid, row.row, vocabulary, memo);
  if (!run && row.grid > 0) {
    const Grid& previous = (*doc.grids)[row.grid - 1];
    if (previous.columns == hg->columns) {
      run = header_run(doc, row.grid - 1, previous.rows, vocabulary, memo);
      if (run) hg = &previous;
    }
  }
  if (!run) return std::nullopt;

  // For every grid column, the header cells over it, top to bottom, and the template column they name (once per
  // header run and column list: see GridMemo::namings).
  constexpr int kUnmapped = -1;
  const size_t header_grid = static_cast<size_t>(hg - doc.grids->data());
  auto [named, added] = memo.namings.try_emplace({header_grid, run->first, run->second, columns});
  if (added) named->second = name_columns(doc, header_grid, *run, table, columns, memo);
  const std::vector<int>& column_of = named->second.column_of;
  const std::vector<std::string>& header_text = named->second.header_text;
  // Every template column must be named by some grid column.
  for (size_t j = 0; j < columns.size(); ++j)
    if (std::find(column_of.begin(), column_of.end(), static_cast<int>(j)) == column_of.end()) return std::nullopt;
  const Grid& g = (*doc.grids)[row.grid];
  GridColumns out;
  out.columns.resize(columns.size());
  out.grid = &g;
  std::vector<ValueCell> cells = value_cells(doc, row, vocabulary, &memo);
  std::set<std::string> extra;
  auto keep_values = [&] { out.cell_values = std::move(cells); };  // the last use of `cells`

  if (hg != &g) {
    // The continuation of a table split in two: its columns need not line up with the first part's (the
    // rowspans of group labels stay behind), so the row's value cells take the headers' columns in order.
    std::vector<int> in_order;
    for (uint32_t x = 0; x < hg->columns; ++x)
      if (column_of[x] >= 0 && (in_order.empty() || in_order.back() != column_of[x])) in_order.push_back(column_of[x]);
    if (in_order.size() != cells.size()) return std::nullopt;
    for (size_t i = 0; i < cells.size(); ++i) out.columns[static_cast<size_t>(in_order[i])].cells.push_back(cells[i].cell);
    keep_values();
    return out;
  }

  // The row's cells, each assigned to the template column it overlaps most.
  for (const auto& [c, b, e, values] : cells) {
    const GridCell& cell = g.cells[static_cast<size_t>(c)];
    std::map<int, uint32_t> overlap;
    for (uint32_t dx = 0; dx < cell.colspan && cell.column + dx < g.columns; ++dx) ++overlap[column_of[cell.column + dx]];
    int winner = kUnmapped;
    uint32_t most = 0;
    bool tie = false;
    for (const auto& [j, n] : overlap) {
      if (j < 0) continue;
      if (n > most) {
        most = n;
        winner = j;
        tie = false;
      } else if (n == most) {
        tie = true;
      }
    }
    if (winner >= 0 && !tie) {
      out.columns[static_cast<size_t>(winner)].cells.push_back(c);
      continue;
    }
    const bool numbers = has_number(values);
    if (tie && numbers) {
      for (const auto& [j, n] : overlap)
        if (j >= 0 && n == most) out.columns[static_cast<size_t>(j)].straddling.push_back(c);
    } else if (numbers && overlap.count(kUnmapped) && !header_text[cell.column].empty() &&
               !is_header_key(header_text[cell.column], memo.header_keys)) {
      // Numbers under a header the table does not know (小计): an extra column.
      extra.insert(header_text[cell.column]);
    }
  }
  out.extra_headers.assign(extra.begin(), extra.end());
  keep_values();
  return out;
}

std::vector<GridValue> read_grid_columns(const Document& doc, const GridColumns& mapped,
                                         const std::vector<const grammar::Column*>& columns,
                                         const TokenVocabulary& vocabulary) {
  std::vector<GridValue> out(mapped.columns.size());
  const size_t grid = static_cast<size_t>(mapped.grid - doc.grids->data());
  // A cell as map_grid_columns found and read it, or found and read afresh when it did not keep it.
  // PERF: the kept cells are not copied (a run holds strings).
  std::vector<std::unique_ptr<GridColumns::KnownCell>> afresh;
  auto known = [&](int32_t c) -> const GridColumns::KnownCell& {
    auto kept = std::find_if(mapped.cell_values.begin(), mapped.cell_values.end(),
                             [c](const GridColumns::KnownCell& k) { return k.cell == c; });
    if (kept != mapped.cell_values.end()) return *kept;
    auto [b, e] = match_range(doc, nullptr, grid, c);
    afresh.push_back(std::make_unique<GridColumns::KnownCell>(
        GridColumns::KnownCell{c, b, e, read_values(doc, b, e, vocabulary)}));
    return *afresh.back();
  };
  for (size_t j = 0; j < mapped.columns.size(); ++j) {
    const GridColumns::Placed& placed = mapped.columns[j];
    GridValue& v = out[j];
    std::vector<const GridColumns::KnownCell*> filled;
    std::string texts;
    for (int32_t c : placed.cells) {
      const GridColumns::KnownCell& cell = known(c);
      if (!cell.values.values.empty()) {
        filled.push_back(&cell);
      } else if (cell.values.stopped_by_text) {
        if (!texts.empty()) texts.push_back(' ');
        texts.append(doc.match.text, cell.match_begin, cell.match_end - cell.match_begin);
      }
    }
    v.match_pos = placed.cells.empty() ? 0 : known(placed.cells.front()).match_begin;
    auto uncertain = [&](std::string raw, Phrase why) {
      v.kind = GridValue::Kind::uncertain;
      v.raw = std::move(raw);
      v.why = std::move(why);
    };
    auto text_of = [&](const GridColumns::KnownCell& cell) {
      return std::string(doc.match.text.substr(cell.match_begin, cell.match_end - cell.match_begin));
    };
    const std::string header = columns[j]->headers.front().text;
    if (filled.empty() && !placed.straddling.empty()) {
      const GridColumns::KnownCell& cell = known(placed.straddling.front());
      v.match_pos = cell.match_begin;
      uncertain(text_of(cell), Phrase{"doubt.cell-straddles", {{"header", header}}});
    } else if (filled.size() > 1) {
      std::string raw;
      for (const GridColumns::KnownCell* cell : filled) {
        if (!raw.empty()) raw.push_back(' ');
        raw += cell->values.raw();
      }
      v.match_pos = filled.front()->values.values.front().token.begin;
      uncertain(raw, Phrase{"doubt.cells-under-header", {{"cells", filled.size()}, {"header", header}}});
    } else if (filled.size() == 1) {
      const ValueRun& run = filled.front()->values;
      v.match_pos = run.values.front().token.begin;
      if (run.values.size() == 1 && !run.stopped_by_text) {
        v.kind = GridValue::Kind::value;
        v.value = run.values.front();
      } else {
        uncertain(text_of(*filled.front()), Phrase{"doubt.several-values", {{"header", header}}});
      }
    } else if (!texts.empty()) {
      uncertain(texts, Phrase{"doubt.text-not-number", {{"header", header}}});
    }
    // Otherwise blank: no cell, or empty cells only.
  }
  return out;
}

std::optional<GridRef> grid_ref(const Document& doc, size_t match_pos) {
  auto at = cell_at_match(doc, match_pos);
  if (!at) return std::nullopt;
  const Grid& g = (*doc.grids)[at->grid];
  const GridCell& c = g.cells[static_cast<size_t>(at->cell)];
  return GridRef{g.table, c.row + 1, c.column + 1};
}

}  // namespace xxgk::tables
