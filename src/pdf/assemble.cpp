#include "pdf/assemble.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include "normalize/normalizer.hpp"
#include "util/utf8.hpp"

namespace xxgk::pdf {
namespace {

// Rulings closer than this (points) are one edge: browsers draw a cell's border apart from its neighbour's.
constexpr float kEdgeTolerance = 2.5f;
// A boundary between two slots is ruled when rules cover this share of it.
constexpr float kRuledShare = 0.6f;
// Largest table (row edges × column edges) read as a table.
constexpr size_t kMaxSlots = 20'000;
// Lines in this share of the page height at its top or bottom may be running headers or footers.
constexpr float kFurnitureBand = 0.1f;

float height(const Box& b) { return b.y1 - b.y0; }
float center_x(const Box& b) { return (b.x0 + b.x1) / 2; }
float center_y(const Box& b) { return (b.y0 + b.y1) / 2; }
Box unite(const Box& a, const Box& b) {
  if (a.empty()) return b;
  return Box{std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

char32_t first_char(std::string_view s) {
  size_t pos = 0;
  return s.empty() || !utf8::valid(s.substr(0, utf8::sequence_length(static_cast<unsigned char>(s[0])))) ? U'\0'
                                                                                                          : utf8::next(s, pos);
}
char32_t last_char(std::string_view s) {
  if (s.empty()) return U'\0';
  size_t pos = utf8::start_of(s, s.size() - 1);
  return utf8::next(s, pos);
}
// Chinese text and its punctuation are written without spaces between words or wrapped lines.
bool is_wide(char32_t c) { return utf8::is_han(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) || c == 0x2014 || c == 0x2026 || c == 0x201C || c == 0x201D; }

// Two pieces of text side by side: a space between them unless Chinese meets Chinese closely.
// In a table cell Chinese is often spread over the cell's width (distributed alignment): no spaces there.
void join(std::string& out, std::string_view next, float gap, float font_size, bool in_cell) {
  if (!out.empty() && !next.empty()) {
    const bool wide = is_wide(last_char(out)) || is_wide(first_char(next));
    if (wide ? !in_cell && gap > 0.3f * font_size : gap > 0.15f * font_size) out.push_back(' ');
  }
  out.append(next);
}

// Wrapped lines of one paragraph or cell: joined without a space where Chinese meets Chinese.
void join_wrapped(std::string& out, std::string_view next) {
  if (!out.empty() && !next.empty() && !(is_wide(last_char(out)) || is_wide(first_char(next)))) out.push_back(' ');
  out.append(next);
}

struct Line {
  std::vector<const Word*> words;  // left to right
  Box box;
  float font_size = 0;
  std::string text;
};

// Groups words into lines by their vertical extent: a word belongs to a line when most of its height overlaps
// the line's. Lines come out from top to bottom, their words from left to right.
std::vector<Line> build_lines(std::vector<const Word*> words, bool in_cell) {
  std::sort(words.begin(), words.end(), [](const Word* a, const Word* b) {
    return center_y(a->box) != center_y(b->box) ? center_y(a->box) < center_y(b->box) : a->box.x0 < b->box.x0;
  });
  std::vector<Line> lines;
  for (const Word* w : words) {
    Line* home = nullptr;
    // The word's line is among the last few (lines are built top down; a line is at most a few words tall).
    for (size_t i = lines.size(); i-- > 0 && i + 4 >= lines.size();) {
      Line& l = lines[i];
      const float overlap = std::min(l.box.y1, w->box.y1) - std::max(l.box.y0, w->box.y0);
      if (overlap > 0.5f * std::min(height(l.box), height(w->box))) {
        home = &l;
        break;
      }
    }
    if (!home) {
      lines.emplace_back();
      home = &lines.back();
    }
    home->words.push_back(w);
    home->box = unite(home->box, w->box);
  }
  for (Line& l : lines) {
    std::sort(l.words.begin(), l.words.end(), [](const Word* a, const Word* b) { return a->box.x0 < b->box.x0; });
    float size = 0;
    const Word* previous = nullptr;
    for (const Word* w : l.words) {
      size = std::max(size, w->font_size);
      join(l.text, w->text, previous ? w->box.x0 - previous->box.x1 : 0, std::max(w->font_size, 1.0f), in_cell);
      previous = w;
    }
    l.font_size = size > 0 ? size : height(l.box);
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.box.y0 < b.box.y0; });
  return lines;
}

// ---- Tables from ruling lines ----

struct Segment {
  float at = 0;          // y of a horizontal segment, x of a vertical one
  float from = 0, to = 0;  // its extent along the other axis
};

// Collinear segments that touch or overlap are one.
std::vector<Segment> merge_segments(std::vector<Segment> segments) {
  std::sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) {
    return a.at != b.at ? a.at < b.at : a.from < b.from;
  });
  std::vector<Segment> out;
  for (const Segment& s : segments) {
    bool merged = false;
    for (size_t i = out.size(); i-- > 0 && s.at - out[i].at <= kEdgeTolerance;) {
      Segment& o = out[i];
      if (s.from <= o.to + kEdgeTolerance && s.to >= o.from - kEdgeTolerance) {
        o.at = (o.at + s.at) / 2;
        o.from = std::min(o.from, s.from);
        o.to = std::max(o.to, s.to);
        merged = true;
        break;
      }
    }
    if (!merged) out.push_back(s);
  }
  return out;
}

// Sorted values, those within kEdgeTolerance of each other made one.
std::vector<float> cluster(std::vector<float> values) {
  std::sort(values.begin(), values.end());
  std::vector<float> out;
  std::vector<float> group;
  for (float v : values) {
    if (!group.empty() && v - group.back() > kEdgeTolerance) {
      out.push_back(std::accumulate(group.begin(), group.end(), 0.0f) / static_cast<float>(group.size()));
      group.clear();
    }
    group.push_back(v);
  }
  if (!group.empty()) out.push_back(std::accumulate(group.begin(), group.end(), 0.0f) / static_cast<float>(group.size()));
  return out;
}

struct TableCell {
  uint32_t row = 0, column = 0, rowspan = 1, colspan = 1;
  Box box;
  std::vector<const Word*> words;
  std::string text;
};

struct Table {
  Box area;
  std::vector<int32_t> owner;  // slot (row × columns + column) → index into `cells`
  std::vector<float> xs, ys;  // column and row edges
  // The vertical rules run on past the last (first) horizontal one: the page cut the table there, and its
  // last (first) row goes on on the next (went on from the previous) page.
  bool open_bottom = false, open_top = false;
  std::vector<TableCell> cells;  // by row, then column
  uint32_t rows() const { return static_cast<uint32_t>(ys.size() - 1); }
  uint32_t columns() const { return static_cast<uint32_t>(xs.size() - 1); }
};

struct UnionFind {
  std::vector<size_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), size_t{0}); }
  size_t find(size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(size_t a, size_t b) { parent[find(a)] = find(b); }
};

// How much of [from, to] the segments at `at` cover.
float covered(const std::vector<const Segment*>& segments, float at, float from, float to) {
  std::vector<std::pair<float, float>> pieces;
  for (const Segment* s : segments)
    if (std::abs(s->at - at) <= kEdgeTolerance && s->to > from && s->from < to)
      pieces.emplace_back(std::max(s->from, from), std::min(s->to, to));
  std::sort(pieces.begin(), pieces.end());
  float total = 0, reach = from;
  for (auto [a, b] : pieces) {
    a = std::max(a, reach);
    if (b > a) {
      total += b - a;
      reach = b;
    }
  }
  return to > from ? total / (to - from) : 0;
}

// Tables of a page: groups of crossing horizontal and vertical rules with at least two rows and two columns.
std::vector<Table> find_tables(const RawPage& page) {
  std::vector<Segment> horizontal, vertical;
  // An underline (a link, an emphasis) is a rule just below a word, from its first letter to its last: not a
  // table's ruling (a cell's border runs from rule to rule, past the cell's padding).
  // PERF: words by their bottom edge, so that each rule looks only at the words just above it.
  std::vector<const Word*> by_bottom;
  by_bottom.reserve(page.words.size());
  for (const Word& w : page.words) by_bottom.push_back(&w);
  std::sort(by_bottom.begin(), by_bottom.end(), [](const Word* a, const Word* b) { return a->box.y1 < b->box.y1; });
  auto underlines_text = [&](const Box& rule) {
    auto it = std::lower_bound(by_bottom.begin(), by_bottom.end(), rule.y0 - 3,
                               [](const Word* w, float y) { return w->box.y1 < y; });
    for (; it != by_bottom.end(); ++it) {
      const Word& w = **it;
      if (rule.y0 < w.box.y1 - 0.3f * height(w.box)) {
        if (w.box.y1 > rule.y0 + 100) break;  // far below: no word this tall
        continue;
      }
      if (std::abs(rule.x0 - w.box.x0) <= 1 && std::abs(rule.x1 - w.box.x1) <= 1) return true;
    }
    return false;
  };
  for (const Rule& r : page.rules) {
    if (r.horizontal() && underlines_text(r.box)) continue;
    if (r.horizontal()) horizontal.push_back({center_y(r.box), r.box.x0, r.box.x1});
    else vertical.push_back({center_x(r.box), r.box.y0, r.box.y1});
  }
  horizontal = merge_segments(std::move(horizontal));
  vertical = merge_segments(std::move(vertical));
  if (horizontal.size() < 2 || vertical.size() < 3) return {};
  // Connected groups of crossing segments.
  const size_t nh = horizontal.size();
  UnionFind groups(nh + vertical.size());
  for (size_t h = 0; h < nh; ++h)
    for (size_t v = 0; v < vertical.size(); ++v) {
      const Segment& a = horizontal[h];
      const Segment& b = vertical[v];
      if (b.at >= a.from - kEdgeTolerance && b.at <= a.to + kEdgeTolerance && a.at >= b.from - kEdgeTolerance &&
          a.at <= b.to + kEdgeTolerance)
        groups.unite(h, nh + v);
    }
  std::map<size_t, std::pair<std::vector<const Segment*>, std::vector<const Segment*>>> by_group;
  for (size_t h = 0; h < nh; ++h) by_group[groups.find(h)].first.push_back(&horizontal[h]);
  for (size_t v = 0; v < vertical.size(); ++v) by_group[groups.find(nh + v)].second.push_back(&vertical[v]);

  std::vector<Table> tables;
  for (auto& [id, group] : by_group) {
    auto& [hs, vs] = group;
    if (hs.size() < 2 || vs.size() < 2) continue;
    std::vector<float> ys_raw, xs_raw;
    for (const Segment* s : hs) ys_raw.push_back(s->at);
    for (const Segment* s : vs) xs_raw.push_back(s->at);
    Table t;
    float top = 1e9f, bottom = -1e9f, first_rule = 1e9f, last_rule = -1e9f;
    for (const Segment* s : vs) top = std::min(top, s->from), bottom = std::max(bottom, s->to);
    for (const Segment* s : hs) first_rule = std::min(first_rule, s->at), last_rule = std::max(last_rule, s->at);
    t.open_top = top < first_rule - 2 * kEdgeTolerance;
    t.open_bottom = bottom > last_rule + 2 * kEdgeTolerance;
    if (t.open_top) ys_raw.push_back(top);
    if (t.open_bottom) ys_raw.push_back(bottom);
    t.ys = cluster(ys_raw);
    t.xs = cluster(xs_raw);
    // One column is a frame around text, not a table; one row of cells may be the end of a table that the page
    // break cut off.
    if (t.ys.size() < 2 || t.xs.size() < 3) continue;
    const uint32_t rows = t.rows(), columns = t.columns();
    // Real tables have a few hundred slots; a page ruled into a fine mesh is a drawing.
    if (static_cast<size_t>(rows) * columns > kMaxSlots) continue;
    t.area = Box{t.xs.front(), t.ys.front(), t.xs.back(), t.ys.back()};
    // Slots not separated by a rule are one cell.
    UnionFind slots(static_cast<size_t>(rows) * columns);
    auto slot = [&](uint32_t r, uint32_t c) { return static_cast<size_t>(r) * columns + c; };
    for (uint32_t r = 0; r < rows; ++r)
      for (uint32_t c = 0; c < columns; ++c) {
        if (c + 1 < columns && covered(vs, t.xs[c + 1], t.ys[r], t.ys[r + 1]) < kRuledShare) slots.unite(slot(r, c), slot(r, c + 1));
        if (r + 1 < rows && covered(hs, t.ys[r + 1], t.xs[c], t.xs[c + 1]) < kRuledShare) slots.unite(slot(r, c), slot(r + 1, c));
      }
    // Each group of slots becomes a cell of its bounding rectangle; a group that is not a rectangle (rules
    // missing inside a table) is split into its slots.
    std::map<size_t, std::vector<size_t>> members;
    for (size_t s = 0; s < slots.parent.size(); ++s) members[slots.find(s)].push_back(s);
    std::vector<int32_t> owner(slots.parent.size(), -1);
    auto add_cell = [&](uint32_t r0, uint32_t c0, uint32_t r1, uint32_t c1) {
      TableCell cell;
      cell.row = r0;
      cell.column = c0;
      cell.rowspan = r1 - r0 + 1;
      cell.colspan = c1 - c0 + 1;
      cell.box = Box{t.xs[c0], t.ys[r0], t.xs[c1 + 1], t.ys[r1 + 1]};
      for (uint32_t r = r0; r <= r1; ++r)
        for (uint32_t c = c0; c <= c1; ++c) owner[slot(r, c)] = static_cast<int32_t>(t.cells.size());
      t.cells.push_back(std::move(cell));
    };
    for (auto& [root, list] : members) {
      uint32_t r0 = rows, c0 = columns, r1 = 0, c1 = 0;
      for (size_t s : list) {
        const auto r = static_cast<uint32_t>(s / columns), c = static_cast<uint32_t>(s % columns);
        r0 = std::min(r0, r), r1 = std::max(r1, r), c0 = std::min(c0, c), c1 = std::max(c1, c);
      }
      if (static_cast<size_t>(r1 - r0 + 1) * (c1 - c0 + 1) == list.size()) {
        add_cell(r0, c0, r1, c1);
      } else {
        for (size_t s : list) {
          const auto r = static_cast<uint32_t>(s / columns), c = static_cast<uint32_t>(s % columns);
          add_cell(r, c, r, c);
        }
      }
    }
    std::sort(t.cells.begin(), t.cells.end(), [](const TableCell& a, const TableCell& b) {
      return a.row != b.row ? a.row < b.row : a.column < b.column;
    });
    t.owner.assign(owner.size(), -1);
    for (size_t i = 0; i < t.cells.size(); ++i) {
      const TableCell& c = t.cells[i];
      for (uint32_t r = c.row; r < c.row + c.rowspan; ++r)
        for (uint32_t x = c.column; x < c.column + c.colspan; ++x) t.owner[slot(r, x)] = static_cast<int32_t>(i);
    }
    tables.push_back(std::move(t));
  }
  std::sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) { return a.area.y0 < b.area.y0; });
  return tables;
}

// The cell of `t` whose box holds the centre of `w`, or null.
TableCell* cell_of(Table& t, const Word& w) {
  const float x = center_x(w.box), y = center_y(w.box);
  if (x < t.area.x0 || x > t.area.x1 || y < t.area.y0 || y > t.area.y1) return nullptr;
  // The slot by binary search over the edges.
  const auto column = static_cast<size_t>(std::upper_bound(t.xs.begin(), t.xs.end(), x) - t.xs.begin());
  const auto row = static_cast<size_t>(std::upper_bound(t.ys.begin(), t.ys.end(), y) - t.ys.begin());
  const size_t c = std::clamp<size_t>(column, 1, t.columns()) - 1, r = std::clamp<size_t>(row, 1, t.rows()) - 1;
  const int32_t index = t.owner[r * t.columns() + c];
  return index >= 0 ? &t.cells[static_cast<size_t>(index)] : nullptr;
}

void fill_cell_text(TableCell& cell) {
  for (const Line& l : build_lines(cell.words, true)) join_wrapped(cell.text, l.text);
}

// ---- Pages ----

// One thing on a page, in reading order: a line of prose or a table.
struct Item {
  Box box;
  std::optional<Line> line;
  std::optional<Table> table;
  bool furniture = false;
  bool written = false;  // a table continued from the page before, written with it
};

struct PageItems {
  std::vector<Item> items;
  float height = 0;
};

PageItems read_page(const RawPage& page) {
  PageItems out;
  out.height = page.height;
  std::vector<Table> tables = find_tables(page);
  std::vector<const Word*> prose;
  for (const Word& w : page.words) {
    TableCell* home = nullptr;
    for (Table& t : tables)
      if ((home = cell_of(t, w))) break;
    if (home) home->words.push_back(&w);
    else prose.push_back(&w);
  }
  for (Table& t : tables) {
    bool any = false;
    for (TableCell& c : t.cells) {
      fill_cell_text(c);
      any |= !c.text.empty();
    }
    if (!any) continue;  // a drawing of lines without text
    Item item;
    item.box = t.area;
    item.table = std::move(t);
    out.items.push_back(std::move(item));
  }
  for (Line& l : build_lines(std::move(prose), false)) {
    Item item;
    item.box = l.box;
    item.line = std::move(l);
    out.items.push_back(std::move(item));
  }
  std::stable_sort(out.items.begin(), out.items.end(), [](const Item& a, const Item& b) { return a.box.y0 < b.box.y0; });
  return out;
}

// Marks running headers, footers and page numbers: lines in the top or bottom band of a page that the
// furniture pattern matches, or whose text (digits aside) stands in that band on most pages.
size_t mark_furniture(std::vector<PageItems>& pages, const grammar::GrammarSet& grammars) {
  auto in_band = [](const Item& item, float page_height) {
    return item.line && page_height > 0 &&
           (item.box.y1 <= page_height * kFurnitureBand || item.box.y0 >= page_height * (1 - kFurnitureBand));
  };
  std::map<std::string, size_t> pages_with;
  for (const PageItems& p : pages) {
    std::map<std::string, bool> seen;
    for (const Item& item : p.items)
      if (in_band(item, p.height)) seen[Normalizer::repetition_key(item.line->text)] = true;
    for (const auto& [key, yes] : seen) ++pages_with[key];
  }
  const size_t repeated = std::max<size_t>(2, (pages.size() + 1) / 2);
  size_t marked = 0;
  for (PageItems& p : pages)
    for (Item& item : p.items) {
      if (!in_band(item, p.height)) continue;
      bool furniture = pages.size() >= 2 && pages_with[Normalizer::repetition_key(item.line->text)] >= repeated;
      if (!furniture && grammars.common.furniture && utf8::valid(item.line->text)) {
        Regex::Match m;
        furniture = grammars.common.furniture->search(grammars.normalizer().normalize_label(item.line->text), 0, m);
      }
      if (furniture) {
        item.furniture = true;
        ++marked;
      }
    }
  return marked;
}

// The right edge of the page's text: the furthest line end (justified lines all end there).
float right_margin(const PageItems& p) {
  float right = 0;
  for (const Item& item : p.items)
    if (item.line && !item.furniture) right = std::max(right, item.box.x1);
  return right;
}
float left_margin(const PageItems& p) {
  float left = 1e9f;
  for (const Item& item : p.items)
    if (item.line && !item.furniture) left = std::min(left, item.box.x0);
  return left;
}

// A line of Chinese ends a sentence here; a paragraph that ends a sentence at the margin may still end.
bool ends_sentence(std::string_view text) {
  const char32_t c = last_char(text);
  return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'：' || c == U':' || c == U';';
}

// Tables on consecutive pages with the same column edges are one table; the next page's copy of the header
// rows is dropped.
// The column edge of `xs` nearest to `x`.
uint32_t nearest_edge(const std::vector<float>& xs, float x) {
  uint32_t best = 0;
  for (uint32_t i = 1; i < xs.size(); ++i)
    if (std::abs(xs[i] - x) < std::abs(xs[best] - x)) best = i;
  return best;
}
bool has_edge(const std::vector<float>& xs, float x) { return std::abs(xs[nearest_edge(xs, x)] - x) <= 2 * kEdgeTolerance; }

// The continuation's column edges are edges of the first part (a page of rows may lack a column rule where all
// its cells span it), and the outer edges are the same.
bool same_columns(const Table& a, const Table& b) {
  if (std::abs(a.xs.front() - b.xs.front()) > 2 * kEdgeTolerance || std::abs(a.xs.back() - b.xs.back()) > 2 * kEdgeTolerance)
    return false;
  return std::all_of(b.xs.begin(), b.xs.end(), [&](float x) { return has_edge(a.xs, x); });
}

// A table continued on the next page: its rows appended below, the repeated header rows left out.
struct PlacedTable {
  struct Part {
    const Table* table;
    uint32_t page;
    uint32_t skip_rows;  // header rows repeated from the first part
  };
  std::vector<Part> parts;
};

std::vector<std::string> row_texts(const Table& t, uint32_t row) {
  std::vector<std::string> out;
  for (const TableCell& c : t.cells)
    if (c.row == row) out.push_back(c.text);
  return out;
}

uint32_t repeated_header_rows(const Table& first, const Table& next) {
  uint32_t n = 0;
  while (n < first.rows() && n < next.rows() && n < 6 && row_texts(first, n) == row_texts(next, n)) ++n;
  return n < next.rows() ? n : 0;
}

bool is_number(std::string_view text) {
  size_t digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != '.' && c != ',' && c != ' ' && c != '-') return false;
  }
  return digits > 0;
}

// Whether the last row of `above` and the first row of `below` are the halves of one row that a page break cut
// (a word processor draws the cut as a rule): the numbers stand in one half, the other half is empty below them.
bool halves_of_one_row(const Table& above, const Table& below) {
  auto row_cells = [](const Table& t, uint32_t row) {
    std::vector<const TableCell*> out;
    for (const TableCell& c : t.cells)
      if (c.row == row) out.push_back(&c);
    return out;
  };
  const auto a = row_cells(above, above.rows() - 1), b = row_cells(below, 0);
  auto text_at = [](const std::vector<const TableCell*>& cells, float x) -> const std::string* {
    for (const TableCell* c : cells)
      if (x > c->box.x0 && x < c->box.x1) return &c->text;
    return nullptr;
  };
  auto numbers_only_in = [&](const std::vector<const TableCell*>& with, const std::vector<const TableCell*>& without) {
    size_t numbers = 0;
    for (const TableCell* c : with) {
      if (!is_number(c->text)) continue;
      ++numbers;
      const std::string* other = text_at(without, center_x(c->box));
      if (!other || !other->empty()) return false;
    }
    return numbers > 0;
  };
  return numbers_only_in(a, b) || numbers_only_in(b, a);
}

class Writer {
 public:
  explicit Writer(RenderedDocument& out) : out_(out) {}

  void add(std::string_view s) { out_.text.append(s); }
  uint32_t here() const { return static_cast<uint32_t>(out_.text.size()); }
  void start_page(uint32_t page) {
    while (out_.layout.page_starts.size() < page) out_.layout.page_starts.push_back(here());
  }
  // The next line of `page` as it shows (a prose line or a table row).
  uint32_t next_line(uint32_t page) { return ++lines_on_page_[page]; }
  void place(uint32_t begin, uint32_t page, uint32_t line, const Box& box) {
    if (here() >= begin) out_.layout.spans.push_back(PlacedSpan{begin, here(), page, line, box});
  }

  // One line per row, cells between bars as html::render writes them; the grid in the first part's columns.
  void table(const PlacedTable& placed) {
    struct Placed {
      TableCell cell;
      uint32_t page;
    };
    const std::vector<float>& xs = placed.parts.front().table->xs;
    std::vector<Placed> cells;
    uint32_t row_base = 0;
    const Table* previous = nullptr;
    for (const PlacedTable::Part& part : placed.parts) {
      const Table& t = *part.table;
      uint32_t first_row = part.skip_rows;
      // A row the page break cut in two: its lower half (this part's first row) goes into the cells above.
      const bool split_row = previous && part.skip_rows == 0 && row_base > 0 &&
                             ((previous->open_bottom && t.open_top) || halves_of_one_row(*previous, t));
      for (const TableCell& c : t.cells) {
        if (c.row < first_row) continue;
        TableCell cell = c;
        cell.column = nearest_edge(xs, c.box.x0);
        cell.colspan = std::max<uint32_t>(1, nearest_edge(xs, c.box.x1) - cell.column);
        if (split_row && c.row == 0) {
          Placed* above = nullptr;
          for (Placed& p : cells)
            if (p.cell.row <= row_base - 1 && row_base - 1 < p.cell.row + p.cell.rowspan && p.cell.column <= cell.column &&
                cell.column < p.cell.column + p.cell.colspan)
              above = &p;
          if (above) {
            join_wrapped(above->cell.text, cell.text);
            above->cell.rowspan += cell.rowspan - 1;
            continue;
          }
        }
        cell.row = row_base + c.row - first_row - (split_row ? 1 : 0);
        cells.push_back({std::move(cell), part.page});
      }
      row_base += t.rows() - first_row - (split_row ? 1 : 0);
      previous = &t;
    }
    std::stable_sort(cells.begin(), cells.end(), [](const Placed& a, const Placed& b) {
      return a.cell.row != b.cell.row ? a.cell.row < b.cell.row : a.cell.column < b.cell.column;
    });
    Grid grid;
    grid.table = static_cast<uint32_t>(out_.grids.size() + 1);
    grid.begin = here();
    grid.columns = static_cast<uint32_t>(xs.size() - 1);
    grid.rows = row_base;
    uint32_t current_page = 0;
    for (size_t i = 0; i < cells.size();) {
      const uint32_t row = cells[i].cell.row;
      const uint32_t row_line = next_line(cells[i].page);
      bool first_cell = true;
      for (; i < cells.size() && cells[i].cell.row == row; ++i) {
        const Placed& p = cells[i];
        if (p.page != current_page) start_page(current_page = p.page);
        if (!first_cell) add(" |");
        GridCell cell;
        cell.begin = here();
        if (!first_cell) add(" ");
        add(p.cell.text);
        cell.end = here();
        cell.row = p.cell.row;
        cell.column = p.cell.column;
        cell.rowspan = std::max<uint32_t>(1, std::min(p.cell.rowspan, grid.rows - p.cell.row));
        cell.colspan = std::max<uint32_t>(1, std::min(p.cell.colspan, grid.columns - std::min(grid.columns - 1, p.cell.column)));
        cell.origin = cell.begin;
        grid.cells.push_back(cell);
        place(cell.begin, p.page, row_line, p.cell.box);
        first_cell = false;
      }
      add("\n");
    }
    grid.end = here();
    grid.slots.assign(static_cast<size_t>(grid.rows) * grid.columns, -1);
    for (size_t i = 0; i < grid.cells.size(); ++i) {
      const GridCell& c = grid.cells[i];
      for (uint32_t r = c.row; r < std::min(grid.rows, c.row + c.rowspan); ++r)
        for (uint32_t x = c.column; x < std::min(grid.columns, c.column + c.colspan); ++x) {
          int32_t& slot = grid.slots[static_cast<size_t>(r) * grid.columns + x];
          if (slot == -1) slot = static_cast<int32_t>(i);
        }
    }
    out_.grids.push_back(std::move(grid));
  }

 private:
  RenderedDocument& out_;
  std::map<uint32_t, uint32_t> lines_on_page_;
};

}  // namespace

RenderedDocument assemble(const RawDocument& document, const grammar::GrammarSet& grammars) {
  RenderedDocument out;
  out.pages = static_cast<uint32_t>(document.pages.size());
  out.title = document.title;
  std::vector<PageItems> pages;
  pages.reserve(document.pages.size());
  for (const RawPage& p : document.pages) pages.push_back(read_page(p));
  out.furniture_dropped = mark_furniture(pages, grammars);

  Writer writer(out);
  if (!out.title.empty() && utf8::valid(out.title)) {
    writer.add("页面标题: ");
    writer.add(out.title);
    writer.add("\n==========\n");
  }
  // The paragraph being written: where its current line began and whether it may go on.
  bool open_paragraph = false;
  float previous_bottom = 0;
  uint32_t previous_page = 0;
  for (uint32_t p = 0; p < pages.size(); ++p) {
    PageItems& page = pages[p];
    const float right = right_margin(page), left = left_margin(page);
    const uint32_t page_number = p + 1;
    bool page_started = false;
    for (size_t i = 0; i < page.items.size(); ++i) {
      Item& item = page.items[i];
      if (item.furniture || item.written) continue;
      if (item.table) {
        if (open_paragraph) writer.add("\n");
        open_paragraph = false;
        if (!page_started) writer.start_page(page_number), page_started = true;
        // The table and its continuations at the top of the following pages.
        PlacedTable placed;
        placed.parts.push_back({&*item.table, page_number, 0});
        size_t last_item = i;
        uint32_t last_page = p;
        while (true) {
          // Is the table the last thing on its page, and does the next page begin with the same columns?
          bool last_on_page = true;
          for (size_t k = last_item + 1; k < pages[last_page].items.size(); ++k)
            last_on_page &= pages[last_page].items[k].furniture || pages[last_page].items[k].written;
          if (!last_on_page || last_page + 1 >= pages.size()) break;
          PageItems& next = pages[last_page + 1];
          size_t first = 0;
          while (first < next.items.size() && next.items[first].furniture) ++first;
          if (first >= next.items.size() || !next.items[first].table ||
              !same_columns(*placed.parts.back().table, *next.items[first].table))
            break;
          const Table& continued = *next.items[first].table;
          placed.parts.push_back({&continued, last_page + 2, repeated_header_rows(*item.table, continued)});
          next.items[first].written = true;
          last_item = first;
          ++last_page;
        }
        writer.table(placed);
        continue;
      }
      const Line& line = *item.line;
      if (!page_started) writer.start_page(page_number), page_started = true;
      // A wrapped line starts at the left margin, close below the line before (or at the top of the next page).
      const bool indented = line.box.x0 > left + 0.8f * line.font_size;
      const bool close = previous_page != page_number || line.box.y0 - previous_bottom < 1.2f * line.font_size;
      if (open_paragraph && !indented && close) {
        if (!(is_wide(last_char(out.text)) || is_wide(first_char(line.text)))) writer.add(" ");
      } else if (open_paragraph) {
        writer.add("\n");
      }
      const uint32_t begin = writer.here();
      writer.add(line.text);
      writer.place(begin, page_number, writer.next_line(page_number), line.box);
      previous_bottom = line.box.y1;
      previous_page = page_number;
      // The paragraph goes on when this line runs to the right margin and does not end a sentence there.
      const bool full = right > 0 && line.box.x1 >= right - 2.5f * line.font_size && line.text.size() > 12;
      open_paragraph = full && !ends_sentence(line.text);
      if (!open_paragraph) writer.add("\n");
    }
    if (!page_started) writer.start_page(page_number);
  }
  if (open_paragraph) writer.add("\n");
  return out;
}

}  // namespace xxgk::pdf
