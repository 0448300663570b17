#include "tables/table_builder.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <cmath>
#include <set>

#include "tables/arithmetic.hpp"
#include "tables/digit_split.hpp"
#include "util/numbers.hpp"
#include "util/utf8.hpp"

namespace xxgk::tables {
namespace {

constexpr size_t kMaxCandidatesShown = 10;
constexpr size_t kMaxReadingsKept = 256;
constexpr size_t kHeaderChainGap = 2 * 3;   // bytes of other text allowed between two header cells
constexpr size_t kTruncationSlack = 60;     // bytes of text after the last value that still count as "the end"
constexpr size_t kMaxSkippedText = 120 * 3;
// Characters a label may carry after its format wording in its own cell (的, ：, （件）).
constexpr size_t kMaxLabelTail = 4;

// Between two rows: a short label (no digits, no sentence punctuation) followed by at least two numbers. Prose
// and notes are longer, or end in punctuation, or carry no numbers after them.
std::optional<TableResult::StrayRow> stray_row(const Document& doc, size_t begin, size_t end, const TokenVocabulary& vocabulary) {
  constexpr size_t kMaxStrayLabel = 12;
  const std::string& text = doc.match.text;
  size_t label_begin = std::string::npos, label_end = begin, chars = 0;
  size_t p = begin;
  for (; p < end && p < text.size();) {
    const char c = text[p];
    if (c >= '0' && c <= '9') break;
    const size_t len = utf8::sequence_length(static_cast<unsigned char>(c));
    if (c != ' ' && c != '\t' && c != '\n' && c != '|') {
      std::string_view ch(text.data() + p, len);
      if (ch == "。" || ch == "；" || ch == ";" || ch == "，" || ch == "," || ch == "：" || ch == ":") return std::nullopt;
      if (label_begin == std::string::npos) label_begin = p;
      label_end = p + len;
      if (++chars > kMaxStrayLabel) return std::nullopt;
    }
    p += len;
  }
  if (label_begin == std::string::npos || p >= end) return std::nullopt;
  ValueRun values = read_values(doc, p, end, vocabulary);
  size_t numbers = 0;
  for (const RawValue& v : values.values) numbers += v.kind == RawValue::Kind::number;
  if (numbers < 2) return std::nullopt;
  TableResult::StrayRow row;
  row.label = doc.source_text(doc.compact_of_match(label_begin), doc.compact_of_match(label_end));
  row.values = values.raw();
  row.location = doc.locate_match(label_begin);
  for (const RawValue& v : values.values) row.value_offsets.push_back(v.token.begin);
  return row;
}

// After a label that stops at text: where its cell ends (the next line or cell bar) when the rest of the cell
// is a short tail without digits; npos otherwise.
size_t label_tail_end(const std::string& text, size_t begin, size_t end) {
  size_t chars = 0;
  for (size_t p = begin; p < end && p < text.size();) {
    const char c = text[p];
    if (c == '\n' || c == '|') return p + 1;
    if (c >= '0' && c <= '9') return std::string::npos;
    if (c != ' ' && c != '\t' && ++chars > kMaxLabelTail) return std::string::npos;
    p += utf8::sequence_length(static_cast<unsigned char>(c));
  }
  return std::string::npos;
}
constexpr size_t kMinHeaderCells = 3;  // distinct header cells that make a header row
constexpr size_t kMinHeaderChars = 8;  // distinct header characters that identify a table without row labels
// Orphan numbers that say the table's text is out of order: more than a page number or a stray figure.
constexpr size_t kMinOrphanNumbers = 3;

std::optional<double> parse_value(const std::string& digits, bool negative) {
  if (digits.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(digits.c_str(), &end);
  if (end == digits.c_str()) return std::nullopt;
  return negative ? -v : v;
}

// Relations of the table in `format` that a single row can be checked against.
std::vector<const grammar::Relation*> row_relations(const UnionTable& table, const std::string& format) {
  std::vector<const grammar::Relation*> out;
  auto it = table.in.find(format);
  if (it == table.in.end()) return out;
  for (const grammar::Relation& r : it->second->relations)
    if (r.axis == grammar::Relation::Axis::row) out.push_back(&r);
  return out;
}

// Where values stand on their lines, in display columns (an ASCII byte is one, any other character two). PERF:
// the walk along a line goes on from where the last question stopped when the next value stands further along the
// same line: a flattened page may be one line of 50 KB, and walking it from its start for every value cost values
// × its length. The text must be UTF-8 (the matching form is): a lead byte before a line break would step over it.
class ColumnWalk {
 public:
  explicit ColumnWalk(const std::string& text) : text_(text) {}

  //! The middle of the value.
  double center(const Token& token) {
    return column_at(token.begin) + static_cast<double>(token.end - token.begin) / 2;
  }

 private:
  // Columns from the start of the line of `pos` to the first character boundary at or after it.
  double column_at(size_t pos) {
    if (!walked_ || pos < p_ || std::memchr(text_.data() + p_, '\n', pos - p_) != nullptr) {
      const void* line_break = pos == 0 ? nullptr : memrchr(text_.data(), '\n', pos);
      p_ = line_break ? static_cast<size_t>(static_cast<const char*>(line_break) - text_.data()) + 1 : 0;
      column_ = 0;
      walked_ = true;
    }
    // PERF: counted without a branch per character (a compiler vectorises it): one column per ASCII byte, two per
    // character that a lead byte starts; then on to the character boundary.
    size_t ascii = 0, leads = 0;
    for (size_t i = p_; i < pos; ++i) {
      const auto byte = static_cast<unsigned char>(text_[i]);
      ascii += byte < 0x80;
      leads += byte >= 0xC0;
    }
    if (p_ < pos) {
      column_ += static_cast<double>(ascii + 2 * leads);
      p_ = pos;
      while (p_ < text_.size() && (static_cast<unsigned char>(text_[p_]) & 0xC0u) == 0x80u) ++p_;
    }
    return column_;
  }

  const std::string& text_;
  size_t p_ = 0;
  double column_ = 0;
  bool walked_ = false;
};

// True when every value of `values` is a number on one line.
bool one_line(const std::string& text, const std::vector<RawValue>& values) {
  if (values.empty()) return false;
  const size_t first = values.front().token.begin, last = values.back().token.begin;
  return text.find('\n', first) >= last &&
         std::all_of(values.begin(), values.end(), [](const RawValue& v) { return v.kind == RawValue::Kind::number; });
}

// Columns aligned by spaces (pdftotext -layout, fixed-width text): the display columns of a block's cells, from the
// rows that hold all of them on one line (the median per cell). Empty when fewer than two such rows agree.
std::vector<double> aligned_columns(const std::string& text, const std::vector<const ValueRun*>& runs, size_t cells) {
  std::vector<std::vector<double>> seen(cells);
  size_t rows = 0;
  ColumnWalk walk(text);
  for (const ValueRun* run : runs) {
    if (run->values.size() != cells || run->had_bars || !one_line(text, run->values)) continue;
    ++rows;
    for (size_t c = 0; c < cells; ++c) seen[c].push_back(walk.center(run->values[c].token));
  }
  std::vector<double> centers;
  if (rows < 2) return centers;
  for (auto& column : seen) {
    std::sort(column.begin(), column.end());
    centers.push_back(column[column.size() / 2]);
  }
  for (size_t c = 1; c < cells; ++c)
    if (centers[c] <= centers[c - 1]) return {};
  return centers;
}

// A row with fewer numbers than cells on one aligned line: each number in the column it stands under, the others
// empty — when every number is near one column and no two share one.
std::optional<std::vector<RawValue>> place_by_columns(const std::string& text, const std::vector<RawValue>& values,
                                                      const std::vector<double>& centers) {
  if (centers.empty() || values.empty() || values.size() >= centers.size()) return std::nullopt;
  if (!one_line(text, values)) return std::nullopt;
  double gap = 1e9;
  for (size_t c = 1; c < centers.size(); ++c) gap = std::min(gap, centers[c] - centers[c - 1]);
  std::vector<RawValue> placed(centers.size());
  for (RawValue& cell : placed) {
    cell.kind = RawValue::Kind::empty;
    cell.token = values.front().token;
  }
  long last = -1;
  ColumnWalk walk(text);
  for (const RawValue& v : values) {
    const double x = walk.center(v.token);
    size_t best = 0;
    for (size_t c = 1; c < centers.size(); ++c)
      if (std::fabs(centers[c] - x) < std::fabs(centers[best] - x)) best = c;
    if (std::fabs(centers[best] - x) > 0.4 * gap || static_cast<long>(best) <= last) return std::nullopt;
    placed[best] = v;
    last = static_cast<long>(best);
  }
  return placed;
}

// Match offset where the text ends, trailing spaces left out: a line break or a cell's bar after the last number
// says it was written whole.
size_t text_end(const Document& doc) {
  size_t end = doc.match.text.size();
  while (end > 0 && (doc.match.text[end - 1] == ' ' || doc.match.text[end - 1] == '\t')) --end;
  return end;
}

// A cell's place: its line:column in the input and, for an HTML page, its table grid cell.
void place(const Document& doc, Cell& cell, size_t match_pos) {
  cell.location = doc.locate_match(match_pos);
  cell.grid = grid_ref(doc, match_pos);
}

Cell make_cell(const grammar::Column& column) {
  Cell cell;
  cell.column = column.id;
  cell.column_path = column.path;
  return cell;
}

// Marks a cell's value invalid for its column (decimal in a count, a sign where none is allowed, more digits
// than any count or amount has).
void validate(Cell& cell, const grammar::Column& column) {
  if (!cell.value) return;
  if ((cell.decimal && !column.amount) || (*cell.value < 0 && !column.is_signed) ||
      numbers::integer_digits(cell.raw) > column.max_digits || !std::isfinite(*cell.value)) {
    cell.status = CellStatus::invalid;
    cell.value.reset();
  }
}

// Fills `row.cells` from `row.run` for `columns`.
void assign_cells(const Document& doc, RowResult& row, const std::vector<const grammar::Column*>& columns,
                  const std::vector<const grammar::Relation*>& relations, const std::vector<double>& aligned = {}) {
  const size_t k = columns.size();
  row.cells.clear();
  row.cells.reserve(k);
  for (const grammar::Column* c : columns) row.cells.push_back(make_cell(*c));
  std::vector<RawValue> values = row.run.values;
  while (values.size() > k && !values.empty() && values.back().kind == RawValue::Kind::empty) values.pop_back();
  // One value per line, with empty lines among them (021's blank cells, a cell per line): when the values and the
  // empty lines between them make exactly the row's cells, each empty line is an empty cell.
  if (values.size() < k && values.size() > 1 &&
      std::all_of(values.begin(), values.end(), [](const RawValue& v) { return v.own_line; })) {
    size_t blanks = 0;
    for (size_t i = 1; i < values.size(); ++i) blanks += values[i].blank_lines_before;
    if (values.size() + blanks == k) {
      std::vector<RawValue> expanded;
      for (const RawValue& v : values) {
        for (uint32_t b = 0; b < v.blank_lines_before && !expanded.empty(); ++b) {
          RawValue empty;
          empty.kind = RawValue::Kind::empty;
          empty.token = v.token;
          expanded.push_back(empty);
        }
        expanded.push_back(v);
      }
      values = std::move(expanded);
    }
  }
  // Columns aligned by spaces: the numbers stand under their columns, blanks between them.
  if (auto placed = place_by_columns(doc.match.text, values, aligned)) values = std::move(*placed);
  // The last number of a text that ends right after it may have lost digits to the cut (15 → 1).
  const bool cut_at_end = !values.empty() && values.back().kind == RawValue::Kind::number &&
                          values.back().token.end >= text_end(doc);
  if (values.size() == k) {
    for (size_t i = 0; i < k; ++i) {
      Cell& cell = row.cells[i];
      const RawValue& v = values[i];
      place(doc, cell, v.token.begin);
      if (v.kind == RawValue::Kind::number) {
        cell.raw = v.text;
        cell.value = parse_value(v.digits, v.token.negative || (v.dash_before && columns[i]->is_signed));
        cell.decimal = v.token.decimal;
        cell.unit = v.unit;
        cell.status = CellStatus::ok;
        validate(cell, *columns[i]);
      } else {
        cell.raw = v.text;
        cell.status = CellStatus::empty;
      }
    }
    if (cut_at_end) {
      row.cells.back().status = CellStatus::uncertain;
      row.cells.back().value.reset();
      row.doubt = Phrase{"doubt.cut-number", {{"raw", values.back().text}}};
    }
    return;
  }
  auto mark_uncertain = [&](const Phrase& why) {
    row.doubt = why;
    Location first = values.empty() ? row.location : doc.locate_match(values.front().token.begin);
    for (Cell& cell : row.cells) {
      cell.status = CellStatus::uncertain;
      cell.location = first;
    }
    if (!row.cells.empty()) row.cells.front().raw = row.run.raw();
  };
  if (values.empty()) {
    for (Cell& cell : row.cells) {
      cell.status = CellStatus::empty;
      cell.location = row.location;
    }
    return;
  }
  if (values.size() > k) {
    mark_uncertain({"doubt.values-for-cells", {{"values", values.size()}, {"cells", k}}});
    return;
  }
  if (cut_at_end) {  // a digit run the cut may have shortened has no reading to trust
    mark_uncertain({"doubt.cut-number", {{"raw", values.back().text}}});
    return;
  }
  // Fewer values than cells: cut digit runs, never guess which cell is missing.
  std::vector<SplitPiece> pieces;
  std::vector<bool> amount;
  bool splittable = false;
  for (const RawValue& v : values) {
    if (v.kind != RawValue::Kind::number || v.token.negative || v.token.grouped) {
      pieces.push_back(SplitPiece{v.kind == RawValue::Kind::number ? v.digits : std::string("_"), false});
      continue;
    }
    pieces.push_back(SplitPiece{v.digits, true});
    if (v.digits.size() > 1) splittable = true;
  }
  for (const grammar::Column* c : columns) amount.push_back(c->amount);
  if (!splittable) {
    mark_uncertain({"doubt.values-for-cells", {{"values", values.size()}, {"cells", k}}});
    return;
  }
  // One enumeration; the row's arithmetic then filters the readings.
  SplitResult all = split_digits(pieces, k, amount, SplitLimits{});
  auto format_reading = [](const std::vector<std::string>& reading) {
    std::string s;
    for (const std::string& cell : reading) s += (s.empty() ? "" : "/") + cell;
    return s;
  };
  std::vector<std::string> chosen;
  CellStatus status = CellStatus::split;
  if (all.readings.empty()) {
    mark_uncertain(all.exhausted ? Phrase{"doubt.too-many-cuts", {}}
                                 : Phrase{"doubt.cannot-cut", {{"cells", k}}});
    return;
  }
  if (all.readings.size() == 1 && !all.exhausted) {
    chosen = all.readings.front();
  } else {
    if (!all.exhausted && all.readings.size() <= kMaxReadingsKept)
      for (const auto& reading : all.readings) {
        std::vector<double> parsed;
        for (const std::string& cell : reading) parsed.push_back(std::strtod(cell.c_str(), nullptr));
        row.readings.push_back(std::move(parsed));
      }
    std::vector<const grammar::Relation*> usable;
    for (const grammar::Relation* r : relations)
      if (relation_applies(*r, columns)) usable.push_back(r);
    std::vector<const std::vector<std::string>*> fitting;
    if (!usable.empty() && !all.exhausted)
      for (const auto& reading : all.readings)
        if (std::all_of(usable.begin(), usable.end(), [&](const grammar::Relation* r) { return reading_satisfies(*r, columns, reading); }))
          fitting.push_back(&reading);
    if (fitting.size() == 1) {
      chosen = *fitting.front();
      status = CellStatus::inferred;
      for (const grammar::Relation* r : usable) row.inferred_by.push_back(r->signature);
    } else {
      if (fitting.size() > 1)
        for (size_t i = 0; i < fitting.size() && i < kMaxCandidatesShown; ++i) row.candidates.push_back(format_reading(*fitting[i]));
      else
        for (size_t i = 0; i < all.readings.size() && i < kMaxCandidatesShown; ++i) row.candidates.push_back(format_reading(all.readings[i]));
      Phrase why{"doubt.readings", {{"digits", row.run.raw()}, {"readings", all.readings.size()}}};
      if (all.exhausted) why.id = "doubt.too-many-readings";
      else if (!usable.empty() && fitting.empty()) why.id = "doubt.readings-none-fit";
      else if (!usable.empty()) {
        why.id = "doubt.readings-some-fit";
        why.args.emplace_back("fitting", fitting.size());
      }
      mark_uncertain(why);
      return;
    }
  }
  // Place the chosen reading, cell by cell, with locations inside the runs.
  size_t cell = 0;
  for (size_t p = 0; p < pieces.size() && cell < k; ++p) {
    const RawValue& v = values[p];
    size_t offset = 0;
    while (cell < k) {
      const std::string& text = chosen[cell];
      Cell& out = row.cells[cell];
      place(doc, out, v.token.begin + offset);
      if (v.kind != RawValue::Kind::number) {
        out.raw = v.text;
        out.status = CellStatus::empty;
        ++cell;
        break;
      }
      out.raw = text;
      out.value = parse_value(text, v.token.negative);
      out.decimal = text.find('.') != std::string::npos;
      out.status = pieces[p].splittable && text.size() < v.digits.size() ? status : CellStatus::ok;
      offset += text.size();
      ++cell;
      if (offset >= v.digits.size()) {
        out.unit = v.unit;
        out.raw += v.unit;
        break;
      }
    }
  }
  for (size_t i = 0; i < k; ++i) validate(row.cells[i], *columns[i]);
}

// Fills `row.cells` from the grid cells the headers place under each column.
void assign_grid_cells(const Document& doc, RowResult& row, const std::vector<const grammar::Column*>& columns,
                       const GridColumns& mapped, const TokenVocabulary& vocabulary) {
  row.cells.clear();
  row.by_headers = true;
  std::vector<GridValue> values = read_grid_columns(doc, mapped, columns, vocabulary);
  for (size_t i = 0; i < columns.size(); ++i) {
    Cell cell = make_cell(*columns[i]);
    const GridValue& v = values[i];
    place(doc, cell, v.match_pos);
    switch (v.kind) {
      case GridValue::Kind::value:
        cell.raw = v.value.text;
        if (v.value.kind == RawValue::Kind::number) {
          cell.value = parse_value(v.value.digits, v.value.token.negative || (v.value.dash_before && columns[i]->is_signed));
          cell.decimal = v.value.token.decimal;
          cell.unit = v.value.unit;
          cell.status = CellStatus::ok;
          validate(cell, *columns[i]);
        } else {
          cell.status = CellStatus::empty;
        }
        break;
      case GridValue::Kind::blank:
        cell.status = CellStatus::empty;
        break;
      case GridValue::Kind::uncertain:
        cell.raw = v.raw;
        cell.status = CellStatus::uncertain;
        if (row.doubt.empty()) row.doubt = v.why;
        break;
    }
    row.cells.push_back(std::move(cell));
  }
}

const std::vector<const grammar::Column*>& columns_for(const UnionBlock& block, const std::string& format) {
  static const std::vector<const grammar::Column*> kNone;
  auto it = block.columns.find(format);
  return it == block.columns.end() ? kNone : it->second;
}

// What the table's text says of one template item: its label, the values read for it and where they came from.
// One per item of the union table, filled phase by phase (labels, values block by block, rows).
struct ItemReading {
  const LabelHit* hit = nullptr;          //!< its label, when found
  std::optional<ValueRun> run;            //!< its values, when any were read
  size_t values = 0;                      //!< non-empty values of the run
  std::optional<size_t> label_end;        //!< compact end of a label written with a tail in its own cell
  std::optional<size_t> unlabeled_begin;  //!< match offset where an unlabeled row's values begin
  std::optional<GridRow> grid;            //!< HTML: the table grid row the values came from

  bool found() const { return hit || run; }
  bool has_numbers() const {
    return run && std::any_of(run->values.begin(), run->values.end(), [](const RawValue& v) { return v.kind == RawValue::Kind::number; });
  }
  void take(ValueRun values_read) {
    values = static_cast<size_t>(std::count_if(values_read.values.begin(), values_read.values.end(),
                                               [](const RawValue& v) { return v.kind != RawValue::Kind::empty; }));
    run = std::move(values_read);
  }
};

// Score of format `format` for a block from what was found in it.
int block_evidence(const UnionTable& table, const UnionBlock& block, const std::string& format,
                   const std::vector<const LabelHit*>& hits, const std::vector<HeaderHit>& headers,
                   const std::vector<ItemReading>& items) {
  if (!block.in.count(format)) return -1000;
  int score = 0;
  for (const LabelHit* hit : hits) {
    const UnionItem& item = table.items[hit->item];
    const LabelUse& use = item.labels[hit->label];
    auto it = use.formats.find(format);
    if (it != use.formats.end()) score += it->second == grammar::LabelKind::canonical ? 3 : 1;
    // Value count: does this item take that many values in this format (where formats differ)?
    if (!item.counts_differ) continue;
    const ItemReading& reading = items[hit->item];
    auto expected = item.value_count.find(format);
    if (reading.run && expected != item.value_count.end() && reading.values == expected->second) score += 2;
  }
  for (const HeaderHit& h : headers) {
    auto it = block.headers[h.header].formats.find(format);
    if (it != block.headers[h.header].formats.end())
      score += it->second == grammar::LabelKind::canonical ? 2 : 1;
  }
  return score;
}

// Every value written in the table's text, from its first label or header cell to the end of its region, text
// passed over.
ValueRun region_values(const Document& doc, const TableResult& out, const std::vector<LabelHit>& hits,
                       const std::vector<std::vector<HeaderHit>>& block_headers, const TokenVocabulary& vocabulary,
                       const TokenStream& region_tokens) {
  size_t from = out.region_end;
  for (const LabelHit& h : hits) from = std::min(from, h.begin);
  for (const auto& headers : block_headers)
    for (const HeaderHit& h : headers) from = std::min(from, h.begin);
  if (from >= out.region_end) return {};
  const size_t begin = doc.match_of_compact(from);
  const size_t end = out.region_end >= doc.compact.text.size() ? doc.match.text.size() : doc.match_of_compact(out.region_end);
  return read_values(doc, begin, std::max(begin, end), vocabulary, end, &region_tokens);
}

// Numbers standing on lines of their own in the table's text that no row took: a flattened table whose numbers left
// their labels (a PDF read column by column). Numbers inside sentences are prose, not orphans.
size_t orphan_numbers(const TableResult& out, const ValueRun& all) {
  std::set<size_t> taken;
  for (const RowResult& r : out.rows)
    for (const RawValue& v : r.run.values) taken.insert(v.token.begin);
  return static_cast<size_t>(std::count_if(all.values.begin(), all.values.end(), [&](const RawValue& v) {
    return v.kind == RawValue::Kind::number && v.own_line && !taken.contains(v.token.begin);
  }));
}

// Text read out of order (a PDF read in reading order: a block of labels, then a block of numbers, row after row):
// when the table's numbers, taken in order, fill exactly the cells of its rows in template order and every relation
// of the table then holds, that is how the table reads. Its cells say they were placed by the arithmetic (inferred).
void zip_out_of_order(const Document& doc, TableResult& out, const ValueRun& all) {
  std::vector<RowResult*> rows;
  size_t cells = 0, unread = 0;
  for (RowResult& r : out.rows) {
    if (!r.in_block_format || r.subtotal) continue;
    if (r.grid) return;  // a grid says where every number stands
    rows.push_back(&r);
    cells += r.cells.size();
    unread += std::any_of(r.cells.begin(), r.cells.end(), [](const Cell& c) {
      return c.status == CellStatus::uncertain || c.status == CellStatus::missing || c.status == CellStatus::empty;
    });
  }
  if (rows.size() < 2 || unread == 0) return;
  if (all.values.size() != cells ||
      !std::all_of(all.values.begin(), all.values.end(), [](const RawValue& v) { return v.kind == RawValue::Kind::number; }))
    return;
  TableResult zipped = out;
  zipped.found = true;  // judged as a table: the arithmetic reads found tables only
  size_t next = 0;
  for (RowResult& r : zipped.rows) {
    if (!r.in_block_format || r.subtotal) continue;
    for (Cell& c : r.cells) {
      const RawValue& v = all.values[next++];
      c.raw = v.text;
      c.value = parse_value(v.digits, v.token.negative);
      c.decimal = v.token.decimal;
      c.unit = v.unit;
      c.status = CellStatus::inferred;
      place(doc, c, v.token.begin);
    }
    r.found = true;
    r.doubt = Phrase{};
  }
  const auto instances = relation_instances(zipped);
  if (instances.empty() ||
      !std::all_of(instances.begin(), instances.end(), [](const RelationInstance& in) { return !in.unread && in.holds(); }))
    return;
  for (RowResult& r : zipped.rows) r.inferred_by.clear();  // placed by every relation of the table, not one row's
  // A row of no format that took some of these numbers was header words among them (社会 法律 / 公益 服务).
  std::set<size_t> zipped_at;
  for (const RawValue& v : all.values) zipped_at.insert(v.token.begin);
  for (RowResult& r : zipped.rows)
    if (r.found && !r.in_block_format && !r.run.values.empty() &&
        std::all_of(r.run.values.begin(), r.run.values.end(), [&](const RawValue& v) { return zipped_at.contains(v.token.begin); }))
      r.found = false;
  std::erase_if(zipped.stray_rows, [&](const TableResult::StrayRow& stray) {
    return std::all_of(stray.value_offsets.begin(), stray.value_offsets.end(), [&](size_t at) { return zipped_at.contains(at); });
  });
  zipped.found = out.found;
  out = std::move(zipped);
  out.scrambled = false;
}

}  // namespace

const RowResult* TableResult::row(const std::string& id) const {
  for (const RowResult& r : rows)
    if (r.id == id) return &r;
  return nullptr;
}

const BlockResult* TableResult::block(const std::string& id) const {
  for (const BlockResult& b : blocks)
    if (b.id == id) return &b;
  return nullptr;
}

const Cell* TableResult::cell(const std::string& row_id, const std::string& column) const {
  const RowResult* r = row(row_id);
  if (!r) return nullptr;
  for (const Cell& c : r->cells)
    if (c.column == column) return &c;
  return nullptr;
}

const TableResult* TablesResult::table(const std::string& id) const {
  for (const TableResult& t : tables)
    if (t.table->id == id) return &t;
  return nullptr;
}

TableBuilder::TableBuilder(const grammar::GrammarSet& grammars)
    : grammars_(grammars), templates_(build_templates(grammars)) {
  for (const UnionTable& t : templates_.tables) matchers_.push_back(std::make_unique<LabelMatcher>(t));
}

namespace {

// The reading of one union table, in phases: its region, its labels, its blocks (headers, values, format), its
// rows, then the judgements on the whole (scrambled text, presence, confidence, span). Each phase reads what the
// ones before left in `out` and `items`.
class TableReading {
 public:
  TableReading(const Document& doc, const sections::SectionTree& sections, const UnionTable& table,
               const LabelMatcher& matcher, const grammar::GrammarSet& grammars, const std::vector<std::string>& formats,
               const std::string& expected)
      : doc_(doc), sections_(sections), table_(table), matcher_(matcher), vocabulary_(grammars.common.vocabulary),
        formats_(formats), expected_(expected), compact_(doc.compact.text), items_(table.items.size()) {
    out_.table = &table;
  }

  TableResult run() {
    find_region();
    find_labels();
    block_headers_.resize(table_.blocks.size());
    size_t previous_end = out_.region_begin;
    for (size_t b = 0; b < table_.blocks.size(); ++b) read_block(b, previous_end);
    out_.rows.reserve(table_.items.size());  // a row per item at most: rows are large, and moved on every growth
    for (size_t b = 0; b < table_.blocks.size(); ++b) make_rows(b);
    judge_scrambled();
    judge_presence();
    return std::move(out_);
  }

 private:
  const Document& doc_;
  const sections::SectionTree& sections_;
  const UnionTable& table_;
  const LabelMatcher& matcher_;
  const TokenVocabulary& vocabulary_;
  GridMemo grid_memo_;  // map_grid_columns' answers for this table, shared by its rows
  const std::vector<std::string>& formats_;
  const std::string& expected_;
  std::string_view compact_;
  TableResult out_;
  std::vector<LabelHit> hits_;
  std::vector<ItemReading> items_;
  std::vector<std::vector<HeaderHit>> block_headers_;
  std::vector<std::vector<HeaderHit>> header_occurrences_;  // every block's header cells in the region, found once
  TokenStream region_tokens_;  // the region's tokens, read for its labels and again for all its values

  // Region: the part's text, or the gap where the part should be.
  void find_region() {
    if (auto region = sections_.region(table_.part)) {
      out_.region_begin = sections_.part(table_.part)->end;  // after the heading: its words are not header cells
      out_.region_end = region->second;
      return;
    }
    out_.region_begin = sections_.body_begin;
    out_.region_end = sections_.body_end;
    for (const sections::Heading& h : sections_.parts) {
      if (h.part < table_.part) out_.region_begin = std::max(out_.region_begin, h.begin);
      if (h.part > table_.part) out_.region_end = std::min(out_.region_end, h.begin);
    }
    if (out_.region_end <= out_.region_begin) {
      out_.region_begin = sections_.body_begin;
      out_.region_end = sections_.body_end;
    }
  }

  // Labels are matched with the numbers that stand apart taken out, so that a label wrapped around its row's
  // numbers (PDF extractions), or run into them, reads whole.
  void find_labels() {
    if (LabelView view = label_view(doc_, out_.region_begin, out_.region_end, vocabulary_, &region_tokens_); view.identical) {
      hits_ = matcher_.align(compact_, out_.region_begin, out_.region_end);
    } else {
      hits_ = matcher_.align(view.text, 0, view.text.size());
      for (LabelHit& h : hits_) {
        h.begin = view.to_compact[h.begin];
        h.end = view.to_compact[h.end - 1] + 1;
      }
    }
    for (const LabelHit& h : hits_) items_[h.item].hit = &h;
  }

  size_t next_hit_begin(size_t compact_pos) const {
    size_t next = out_.region_end;
    for (const LabelHit& h : hits_)
      if (h.begin >= compact_pos) next = std::min(next, h.begin);
    return next;
  }

  bool is_caption(size_t item) const {
    return std::any_of(table_.items[item].in.begin(), table_.items[item].in.end(),
                       [](const auto& p) { return p.second->kind == grammar::ItemKind::caption; });
  }

  // A block: its header zone, the values of its labeled and unlabeled rows, and the format its evidence points to.
  void read_block(size_t b, size_t& previous_end) {
    const UnionBlock& block = table_.blocks[b];
    std::vector<const LabelHit*> block_hits;
    for (size_t i : block.items)
      if (items_[i].hit) block_hits.push_back(items_[i].hit);
    size_t zone_begin = previous_end, zone_end = out_.region_end;
    const LabelHit* caption = nullptr;
    for (const LabelHit* h : block_hits) {
      if (table_.items[h->item].kind_in(expected_) == grammar::ItemKind::caption ||
          table_.items[h->item].id.find(".caption") != std::string::npos) {
        caption = h;
        zone_begin = h->end;
      } else {
        zone_end = h->begin;
        break;
      }
    }
    // No row of the block was found: its headers end where the next label (the next block's caption) begins.
    const bool rows_found = std::any_of(block_hits.begin(), block_hits.end(), [&](const LabelHit* h) { return h != caption; });
    if (!rows_found) zone_end = next_hit_begin(zone_begin);
    if (zone_end < zone_begin) zone_end = zone_begin;
    if (zone_begin >= out_.region_begin && zone_end <= out_.region_end) {
      if (header_occurrences_.empty()) header_occurrences_ = matcher_.header_occurrences(compact_, out_.region_begin, out_.region_end);
      block_headers_[b] = LabelMatcher::headers_in(header_occurrences_[b], zone_begin, zone_end);
    } else {
      block_headers_[b] = matcher_.find_headers(compact_, zone_begin, zone_end, b);
    }

    for (const LabelHit* h : block_hits) read_labeled(*h);
    for (size_t i : block.items)
      if (!table_.items[i].labeled() && !block_headers_[b].empty()) read_unlabeled(b, i);

    BlockResult br;
    br.id = block.id;
    br.found = !block_hits.empty() || std::any_of(block.items.begin(), block.items.end(), [&](size_t i) { return items_[i].run.has_value(); });
    br.expected = block.in.count(expected_) ? expected_ : std::string();
    int best = -1000;
    for (const std::string& f : formats_) {  // newest first: ties go to the expected, then newest
      int score = block_evidence(table_, block, f, block_hits, block_headers_[b], items_);
      if (score <= -1000) continue;
      br.evidence[f] = score;
      bool better = score > best || (score == best && f == expected_);
      if (better) {
        best = score;
        br.format = f;
      }
    }
    if (!br.found) br.format = br.expected;  // a block of another revision that is absent is not expected
    for (const auto& [f, score] : br.evidence) br.distinctive |= score != br.evidence.begin()->second;
    br.distinctive |= br.evidence.size() == 1 && br.found && br.format != br.expected;
    for (const HeaderHit& h : block_headers_[b]) {
      HeaderFound hf;
      hf.use = &block.headers[h.header];
      hf.written = doc_.source_text(h.begin, h.end);
      hf.location = doc_.locate_compact(h.begin);
      br.headers.push_back(hf);
    }
    if (!block_hits.empty()) br.location = doc_.locate_compact(block_hits.front()->begin);
    else if (!block_headers_[b].empty()) br.location = doc_.locate_compact(block_headers_[b].front().begin);
    out_.blocks.push_back(std::move(br));
    if (!block_hits.empty()) previous_end = block_hits.back()->end;
  }

  // The values of a labeled row: the cells right of its label in a grid, else the text after it.
  void read_labeled(const LabelHit& h) {
    ItemReading& reading = items_[h.item];
    if (auto row = grid_row_of_label(doc_, doc_.match_of_compact(h.end - 1) + 1)) {
      reading.take(grid_row_values(doc_, *row, vocabulary_, &grid_memo_));
      reading.grid = *row;
      return;
    }
    // From the label's start: a wrapped label holds its numbers between its own words.
    const size_t vb = doc_.match_of_compact(h.begin);
    const size_t ve = doc_.match_of_compact(next_hit_begin(h.end));
    ValueRun run = read_values(doc_, vb, std::max(vb, ve), vocabulary_, doc_.match_end(h.end));
    // A label written with a short tail on its own cell ("（一）予以公开的", "行政许可（件）"), the values in the
    // cells after it: the tail belongs to the label.
    if (run.values.empty() && run.stopped_by_text)
      if (size_t tail_end = label_tail_end(doc_.match.text, run.end, ve); tail_end != std::string::npos) {
        ValueRun after = read_values(doc_, tail_end, ve, vocabulary_);
        if (!after.values.empty()) {
          reading.label_end = doc_.compact_of_match(tail_end);
          run = std::move(after);
        }
      }
    // After the values, before the next label: a row no template knows (小计 0 0 0…)?
    if (run.stopped_by_text && !run.values.empty())
      if (auto stray = stray_row(doc_, run.end, ve, vocabulary_)) out_.stray_rows.push_back(std::move(*stray));
    reading.take(std::move(run));
  }

  // A row without a label (part 4) takes the values after the longest chain of header cells.
  void read_unlabeled(size_t b, size_t i) {
    const UnionBlock& block = table_.blocks[b];
    const auto& hs = block_headers_[b];
    ItemReading& reading = items_[i];
    // Only a header that says which table it is (行政复议, 未经复议直接起诉…), not 总计 alone.
    std::set<std::string_view> distinct_headers;
    size_t distinct_chars = 0;
    for (const HeaderHit& h : hs)
      if (distinct_headers.insert(compact_.substr(h.begin, h.end - h.begin)).second)
        distinct_chars += utf8::length(compact_.substr(h.begin, h.end - h.begin));
    if (distinct_chars < kMinHeaderChars || distinct_headers.size() < kMinHeaderCells) return;
    size_t best_start = 0, best_len = 0;
    for (size_t s = 0; s < hs.size();) {
      size_t e = s + 1;
      while (e < hs.size() && hs[e].begin <= hs[e - 1].end + kHeaderChainGap) ++e;
      if (e - s > best_len) {
        best_len = e - s;
        best_start = s;
      }
      s = e;
    }
    const size_t chain_end = hs[best_start + best_len - 1].end;
    if (auto row = grid_row_after_headers(doc_, doc_.match_of_compact(chain_end - 1), vocabulary_)) {
      ValueRun run = grid_row_values(doc_, *row, vocabulary_, &grid_memo_);
      if (!run.values.empty()) {
        reading.unlabeled_begin = run.values.front().token.begin;
        reading.take(std::move(run));
        reading.grid = *row;
        return;
      }
    }
    size_t vb = doc_.match_end(chain_end);
    const size_t ve = doc_.match_of_compact(next_hit_begin(chain_end));
    // In any shape (a line of 15, three tables of 5 under their own headers, headers stacked over the numbers, a
    // number per line) the row is every number among the block's headers and after them, when that makes exactly
    // its cells and the row's arithmetic holds: reading order is column order in all of them, and where it is not
    // (a PDF read in another order) the sums say so.
    const auto& row_columns = columns_for(block, expected_);
    const size_t cells = row_columns.size();
    const size_t headers_begin = doc_.match_of_compact(hs.front().begin);
    ValueRun all = read_values(doc_, headers_begin, std::max(headers_begin, ve), vocabulary_, ve);
    bool whole = cells > 0 && all.values.size() == cells;
    if (whole) {
      std::vector<std::string> cut;
      for (const RawValue& v : all.values) cut.push_back(v.kind == RawValue::Kind::number ? v.digits : "0");
      for (const grammar::Relation* r : row_relations(table_, expected_))
        whole &= !relation_applies(*r, row_columns) || reading_satisfies(*r, row_columns, cut);
    }
    if (whole) {
      reading.unlabeled_begin = all.values.front().token.begin;
      reading.take(std::move(all));
      return;
    }
    ValueRun run = read_values(doc_, vb, std::max(vb, ve), vocabulary_);
    // Extracted tables may put stray header words between the headers and the numbers: skip a little text to the
    // first run that looks like the row (a few numbers at least).
    const size_t wanted = std::max<size_t>(3, cells / 2);
    for (size_t hops = 0; run.values.size() < wanted && run.stopped_by_text && hops < 8; ++hops) {
      Tokenizer skip(doc_.match.text, run.end, ve, vocabulary_);
      Token token;
      size_t next = ve;
      while (skip.next(token))
        if (token.kind == TokenKind::number) {
          next = token.begin;
          break;
        }
      if (next >= ve || next - run.end > kMaxSkippedText) break;
      vb = next;
      run = read_values(doc_, vb, ve, vocabulary_);
    }
    if (!run.values.empty()) {
      reading.take(std::move(run));
      reading.unlabeled_begin = vb;
    }
  }

  // Rows: those of each block's format, those found, those the expected format requires.
  void make_rows(size_t b) {
    const UnionBlock& block = table_.blocks[b];
    const BlockResult& br = out_.blocks[b];
    if (br.format.empty()) return;
    std::map<size_t, std::vector<double>> aligned_by_width;
    for (size_t i : block.items) {
      const UnionItem& item = table_.items[i];
      const ItemReading& reading = items_[i];
      auto in_format = item.in.find(br.format);
      auto in_expected = item.in.find(expected_);
      bool row_in_format = in_format != item.in.end() && in_format->second->kind == grammar::ItemKind::row;
      bool row_in_expected = in_expected != item.in.end() && in_expected->second->kind == grammar::ItemKind::row &&
                             block.in.count(expected_);
      const bool found = reading.found();
      bool group_here = in_format != item.in.end() && in_format->second->kind == grammar::ItemKind::group;
      bool caption_here = in_format != item.in.end() && in_format->second->kind == grammar::ItemKind::caption;
      if (caption_here) continue;  // numbers after a caption are stray text, not a row
      if (group_here && !(found && reading.has_numbers())) continue;  // captions and groups carry no numbers
      if (!row_in_format && !row_in_expected && !found) continue;
      RowResult row;
      row.id = item.id;
      row.item = &item;
      row.block = block.id;
      row.found = found;
      row.in_expected = row_in_expected;
      row.in_block_format = row_in_format;
      row.subtotal = group_here;
      // Columns: the block's format when it has the row (or the group), else a format that has it.
      std::string format = br.format;
      if (!item.in.count(format) || columns_for(block, format).empty()) {
        for (const auto& [f, it] : item.in)
          if (!columns_for(block, f).empty()) format = f;
      }
      row.format = format;
      if (const LabelHit* h = reading.hit) {
        row.matched = &item.labels[h->label];
        row.with_ordinal = h->with_ordinal;
        row.label_misprint = h->misprint;
        row.label_begin = h->begin;
        row.label_end = h->end;
        row.label_written = doc_.source_text(h->begin, reading.label_end.value_or(h->end));
        // Trailing spaces and the cell's end are not part of what was written.
        while (!row.label_written.empty() && std::string_view(" \t\r\n|").find(row.label_written.back()) != std::string_view::npos)
          row.label_written.pop_back();
        row.label_tail = reading.label_end.has_value();
        row.location = doc_.locate_compact(h->begin);
      } else if (reading.unlabeled_begin) {
        row.location = doc_.locate_match(*reading.unlabeled_begin);
      }
      const auto& columns = columns_for(block, format);
      if (found && reading.run) {
        row.run = *reading.run;
        std::optional<GridColumns> mapped;
        if (reading.grid) {
          row.grid = reading.grid;
          mapped = map_grid_columns(doc_, *reading.grid, table_, columns, vocabulary_, grid_memo_);
        }
        if (mapped) {
          assign_grid_cells(doc_, row, columns, *mapped, vocabulary_);
          for (const std::string& h : mapped->extra_headers)
            if (std::find(out_.extra_columns.begin(), out_.extra_columns.end(), h) == out_.extra_columns.end())
              out_.extra_columns.push_back(h);
        } else {
          // The block's aligned columns, once per block and width (they are the same for each of its rows).
          auto aligned = aligned_by_width.find(columns.size());
          if (aligned == aligned_by_width.end()) {
            std::vector<const ValueRun*> block_runs;
            for (size_t other : block.items)
              if (items_[other].run && !items_[other].grid) block_runs.push_back(&*items_[other].run);
            aligned = aligned_by_width.emplace(columns.size(), aligned_columns(doc_.match.text, block_runs, columns.size())).first;
          }
          assign_cells(doc_, row, columns, row_relations(table_, format), aligned->second);
        }
      } else {
        row.cells.reserve(columns.size());
        for (const grammar::Column* c : columns) {
          Cell& cell = row.cells.emplace_back(make_cell(*c));
          cell.status = found ? CellStatus::empty : CellStatus::missing;
          cell.location = row.location;
        }
      }
      out_.rows.push_back(std::move(row));
    }
  }

  // Scrambled text (PDF extractions, tables flattened out of order): a row that took more values than it has
  // cells, numbers after a caption, or numbers on lines of their own that no row took. Then an empty or missing
  // row may just have had its numbers moved; and the numbers may read in template order (zip_out_of_order).
  void judge_scrambled() {
    for (const RowResult& r : out_.rows)
      if (r.found && r.run.values.size() > r.cells.size()) {
        out_.scrambled = true;
        out_.scramble_reason = Phrase{"scrambled.overfull-row", {{"row", std::string(r.item ? r.item->id : r.id)}}};
      }
    for (const LabelHit& h : hits_) {
      if (!is_caption(h.item)) continue;
      if (items_[h.item].has_numbers()) {
        out_.scrambled = true;
        out_.scramble_reason = Phrase{"scrambled.caption-numbers", {{"caption", doc_.source_text(h.begin, h.end)}}};
      }
    }
    const ValueRun all_values = region_values(doc_, out_, hits_, block_headers_, vocabulary_, region_tokens_);
    if (const size_t orphans = orphan_numbers(out_, all_values); orphans >= kMinOrphanNumbers) {
      out_.scrambled = true;
      out_.scramble_reason = Phrase{"scrambled.orphan-numbers", {{"count", std::to_string(orphans)}}};
    }
    if (out_.scrambled) {
      for (RowResult& r : out_.rows) {
        if (!r.found || !r.run.values.empty() || r.subtotal) continue;
        r.doubt = Phrase{"doubt.no-values-scrambled", {}};
        for (Cell& c : r.cells) c.status = CellStatus::uncertain;
      }
    }
    zip_out_of_order(doc_, out_, all_values);
  }

  // A table is there when its labels or its numbers say so, not because 规章 is mentioned in a sentence; then its
  // confidence, its span, and whether the document ends inside it.
  void judge_presence() {
    size_t values = 0, header_hits = 0;
    for (const RowResult& r : out_.rows)
      if (r.found)
        for (const Cell& c : r.cells) values += c.value.has_value() || !r.run.values.empty();
    // Header cells count by length: 其他 and 总计 are everywhere, 未经复议直接起诉 is not.
    size_t header_chars = 0;
    std::set<std::string_view> distinct;
    for (const auto& hs : block_headers_)
      for (const HeaderHit& h : hs) {
        ++header_hits;
        if (distinct.insert(compact_.substr(h.begin, h.end - h.begin)).second)
          header_chars += utf8::length(compact_.substr(h.begin, h.end - h.begin));
      }
    // A table starts only at table evidence: a grid row, header cells that name the table, a block caption
    // (第二十条第（一）项), or a run of rows whose numbers reach the next label. Prose that names 规章 and
    // 行政规范性文件 with counts ("全年公开规章3件（含…），行政规范性文件12件") is none of these.
    size_t tabular_rows = 0;
    bool grid = false, caption = false;
    for (const RowResult& r : out_.rows) {
      if (!r.found) continue;
      grid |= r.grid.has_value();
      const bool numbers = std::any_of(r.run.values.begin(), r.run.values.end(),
                                       [](const RawValue& v) { return v.kind == RawValue::Kind::number; });
      tabular_rows += numbers && !r.run.stopped_by_text;
    }
    for (const LabelHit& h : hits_) caption |= is_caption(h.item);
    // Header cells count when there are several of them: a sentence naming 行政复议 and 行政诉讼 is no header row.
    const bool header_row = header_chars >= kMinHeaderChars && distinct.size() >= kMinHeaderCells;
    const bool evidence = grid || caption || header_row || tabular_rows >= 2;
    out_.found = evidence && (values >= 2 || (header_row && hits_.size() + header_hits >= 3));
    // Confidence: the share of the format's cells read for certain (a reading chosen by arithmetic counts half).
    size_t expected_cells = 0;
    double read_cells = 0;
    for (const RowResult& r : out_.rows) {
      if (!r.in_block_format) continue;
      expected_cells += r.cells.size();
      for (const Cell& c : r.cells) {
        switch (c.status) {
          case CellStatus::ok: case CellStatus::split: case CellStatus::empty: case CellStatus::invalid:
            read_cells += 1;
            break;
          case CellStatus::inferred:
            read_cells += 0.5;
            break;
          default:
            break;
        }
      }
    }
    out_.confidence = expected_cells ? read_cells / static_cast<double>(expected_cells) : 0;
    out_.confidence = std::round(out_.confidence * 1000) / 1000;
    if (!out_.found) return;

    // Span of what was read, and whether the document ends inside the table.
    out_.begin = out_.region_end;
    out_.end = out_.region_begin;
    size_t last_match_end = 0;
    for (const LabelHit& h : hits_) {
      out_.begin = std::min(out_.begin, h.begin);
      out_.end = std::max(out_.end, h.end);
    }
    for (const auto& hs : block_headers_)
      for (const HeaderHit& h : hs) {
        out_.begin = std::min(out_.begin, h.begin);
        out_.end = std::max(out_.end, h.end);
      }
    for (const ItemReading& r : items_)
      if (r.run && !r.run->values.empty()) last_match_end = std::max(last_match_end, static_cast<size_t>(r.run->values.back().token.end));
    if (last_match_end) out_.end = std::max(out_.end, doc_.compact_of_match(last_match_end));
    out_.location = doc_.locate_compact(out_.begin);
    const bool at_document_end = out_.region_end >= sections_.body_end && compact_.size() - out_.end <= kTruncationSlack;
    bool rows_missing_after = false;
    for (const RowResult& r : out_.rows)
      if (!r.found && r.in_block_format) {
        // Missing rows that would come after everything found.
        bool later = true;
        for (const RowResult& f : out_.rows)
          if (f.found && f.item && r.item && f.item > r.item) later = false;
        rows_missing_after |= later;
      }
    out_.truncated = at_document_end && rows_missing_after;
  }
};

}  // namespace

TablesResult TableBuilder::build(const Document& doc, const sections::SectionTree& sections,
                                 const grammar::Format* expected_format) const {
  TablesResult result;
  const std::string expected = expected_format ? expected_format->id : templates_.formats.front();
  for (size_t t = 0; t < templates_.tables.size(); ++t)
    result.tables.push_back(
        TableReading(doc, sections, templates_.tables[t], *matchers_[t], grammars_, templates_.formats, expected).run());
  return result;
}

}  // namespace xxgk::tables
