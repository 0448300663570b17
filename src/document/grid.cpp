#include "document/grid.hpp"

#include <algorithm>

namespace xxgk {

int32_t Grid::cell_at(uint32_t offset) const {
  if (cells.empty() || offset < begin || offset > end) return -1;
  // Cells are in rendering order: the last one that begins at or before the offset holds it.
  auto it = std::upper_bound(cells.begin(), cells.end(), offset,
                             [](uint32_t o, const GridCell& c) { return o < c.begin; });
  if (it == cells.begin()) return -1;
  --it;
  return offset <= it->end ? static_cast<int32_t>(it - cells.begin()) : -1;
}

uint32_t parse_span(const char* value, uint32_t fallback, uint32_t max) {
  if (!value) return fallback;
  const char* p = value;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') ++p;
  if (*p == '+') ++p;
  if (*p < '0' || *p > '9') return fallback;
  uint64_t n = 0;
  for (; *p >= '0' && *p <= '9'; ++p) {
    n = n * 10 + static_cast<uint64_t>(*p - '0');
    if (n > max) return max;
  }
  return static_cast<uint32_t>(n);
}

Grid lay_out(const GridDraft& draft) {
  Grid grid;
  grid.table = draft.table;
  grid.rows = static_cast<uint32_t>(draft.rows.size());
  if (grid.rows == 0) return grid;

  // Width first: the widest row, counting colspans, with slots kept by rowspans from above.
  // WHY two passes: the slot array is allocated once, at its final size, and spans are clamped before any
  // memory is committed, so that "colspan=1000" on ten thousand rows cannot explode.
  size_t width = 0;
  for (const auto& row : draft.rows) {
    size_t w = 0;
    for (const auto& c : row) w += std::clamp<uint32_t>(c.colspan, 1, kMaxColspan);
    width = std::max(width, w);
  }
  width = std::max<size_t>(width, 1);
  const size_t max_width = std::max<size_t>(1, kMaxSlots / grid.rows);
  // Rowspans can push cells further right than any row's own width; leave room for a few.
  width = std::min(width + 8, max_width);
  grid.columns = static_cast<uint32_t>(width);
  grid.slots.assign(static_cast<size_t>(grid.rows) * width, -1);

  uint32_t used_columns = 0;
  for (uint32_t r = 0; r < grid.rows; ++r) {
    uint32_t x = 0;
    for (const auto& c : draft.rows[r]) {
      while (x < width && grid.slots[static_cast<size_t>(r) * width + x] != -1) ++x;
      if (x >= width) break;  // no room left: the rest of the row is dropped from the grid (text is kept)
      uint32_t colspan = std::clamp<uint32_t>(c.colspan, 1, kMaxColspan);
      colspan = std::min<uint32_t>(colspan, static_cast<uint32_t>(width) - x);
      uint32_t rowspan = c.rowspan == 0 ? grid.rows - r : c.rowspan;
      rowspan = std::clamp<uint32_t>(rowspan, 1, grid.rows - r);
      GridCell cell{r, x, rowspan, colspan, c.begin, c.end, c.origin};
      const auto index = static_cast<int32_t>(grid.cells.size());
      for (uint32_t dr = 0; dr < rowspan; ++dr)
        for (uint32_t dc = 0; dc < colspan; ++dc) {
          int32_t& slot = grid.slots[static_cast<size_t>(r + dr) * width + x + dc];
          if (slot == -1) slot = index;  // overlapping spans: the first cell keeps the slot
        }
      grid.cells.push_back(cell);
      x += colspan;
      used_columns = std::max(used_columns, x);
    }
  }
  // Trim the unused right-hand columns.
  if (used_columns < width) {
    std::vector<int32_t> trimmed(static_cast<size_t>(grid.rows) * used_columns);
    for (uint32_t r = 0; r < grid.rows; ++r)
      std::copy_n(grid.slots.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(r) * width), used_columns,
                  trimmed.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(r) * used_columns));
    grid.slots = std::move(trimmed);
    grid.columns = used_columns;
  }
  // Cells were laid out row by row; rendering order is the same (document order).
  if (!grid.cells.empty()) {
    grid.begin = grid.cells.front().begin;
    grid.end = grid.cells.back().end;
  }
  return grid;
}

}  // namespace xxgk
