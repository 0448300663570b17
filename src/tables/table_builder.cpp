#include "tables/table_builder.hpp"

#include <algorithm>
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
constexpr size_t kMinHeaderChars = 8;  // distinct header characters that identify a table without row labels  // bytes of stray text skipped before a label-less row's numbers

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
                  const std::vector<const grammar::Relation*>& relations) {
  const size_t k = columns.size();
  row.cells.clear();
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

// Score of format `format` for a block from what was found in it.
int block_evidence(const UnionTable& table, const UnionBlock& block, const std::string& format,
                   const std::vector<const LabelHit*>& hits, const std::vector<HeaderHit>& headers,
                   const std::map<size_t, size_t>& value_counts) {
  if (!block.in.count(format)) return -1000;
  int score = 0;
  for (const LabelHit* hit : hits) {
    const UnionItem& item = table.items[hit->item];
    const LabelUse& use = item.labels[hit->label];
    auto it = use.formats.find(format);
    if (it != use.formats.end()) score += it->second == grammar::LabelKind::canonical ? 3 : 1;
    // Value count: does this item take that many values in this format (where formats differ)?
    if (!item.counts_differ) continue;
    auto count = value_counts.find(hit->item);
    auto expected = item.value_count.find(format);
    if (count != value_counts.end() && expected != item.value_count.end() && count->second == expected->second) score += 2;
  }
  for (const HeaderHit& h : headers) {
    auto it = block.headers[h.header].formats.find(format);
    if (it != block.headers[h.header].formats.end())
      score += it->second == grammar::LabelKind::canonical ? 2 : 1;
  }
  return score;
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

TablesResult TableBuilder::build(const Document& doc, const sections::SectionTree& sections,
                                 const grammar::Format* expected_format) const {
  TablesResult result;
  const std::string expected = expected_format ? expected_format->id : templates_.formats.front();
  std::string_view compact = doc.compact.text;

  for (size_t t = 0; t < templates_.tables.size(); ++t) {
    const UnionTable& table = templates_.tables[t];
    TableResult out;
    out.table = &table;

    // Region: the part's text, or the gap where the part should be.
    if (auto region = sections.region(table.part)) {
      out.region_begin = sections.part(table.part)->end;  // after the heading: its words are not header cells
      out.region_end = region->second;
    } else {
      out.region_begin = sections.body_begin;
      out.region_end = sections.body_end;
      for (const sections::Heading& h : sections.parts) {
        if (h.part < table.part) out.region_begin = std::max(out.region_begin, h.begin);
        if (h.part > table.part) out.region_end = std::min(out.region_end, h.begin);
      }
      if (out.region_end <= out.region_begin) {
        out.region_begin = sections.body_begin;
        out.region_end = sections.body_end;
      }
    }

    // Labels are matched with the numbers that stand apart taken out, so that a label wrapped around its row's
    // numbers (PDF extractions), or run into them, reads whole.
    std::vector<LabelHit> hits;
    if (LabelView view = label_view(doc, out.region_begin, out.region_end, grammars_.common.vocabulary); view.identical) {
      hits = matchers_[t]->align(compact, out.region_begin, out.region_end);
    } else {
      hits = matchers_[t]->align(view.text, 0, view.text.size());
      for (LabelHit& h : hits) {
        h.begin = view.to_compact[h.begin];
        h.end = view.to_compact[h.end - 1] + 1;
      }
    }
    auto next_hit_begin = [&](size_t compact_pos) {
      size_t next = out.region_end;
      for (const LabelHit& h : hits)
        if (h.begin >= compact_pos) next = std::min(next, h.begin);
      return next;
    };

    // Header zones, value runs and format evidence, block by block.
    std::map<size_t, ValueRun> runs;        // item index → values
    std::map<size_t, size_t> value_counts;  // item index → number of non-empty values
    std::map<size_t, const LabelHit*> hit_of;
    std::map<size_t, size_t> label_tails;  // item → compact end of its label with the tail written after it
    for (const LabelHit& h : hits) hit_of[h.item] = &h;
    size_t previous_end = out.region_begin;
    std::vector<std::vector<HeaderHit>> block_headers(table.blocks.size());
    std::map<size_t, size_t> unlabeled_value_begin;  // item index → match offset
    std::map<size_t, GridRow> grid_rows;             // item index → the HTML table row its values came from
    for (size_t b = 0; b < table.blocks.size(); ++b) {
      const UnionBlock& block = table.blocks[b];
      std::vector<const LabelHit*> block_hits;
      for (size_t i : block.items)
        if (hit_of.count(i)) block_hits.push_back(hit_of[i]);
      size_t zone_begin = previous_end, zone_end = out.region_end;
      const LabelHit* caption = nullptr;
      for (const LabelHit* h : block_hits) {
        if (table.items[h->item].kind_in(expected) == grammar::ItemKind::caption ||
            table.items[h->item].id.find(".caption") != std::string::npos) {
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
      block_headers[b] = matchers_[t]->find_headers(compact, zone_begin, zone_end, b);

      for (const LabelHit* h : block_hits) {
        // In a table grid, the values are the cells right of the label in its row.
        if (auto row = grid_row_of_label(doc, doc.match_of_compact(h->end - 1) + 1)) {
          runs[h->item] = grid_row_values(doc, *row, grammars_.common.vocabulary);
          grid_rows[h->item] = *row;
          continue;
        }
        // From the label's start: a wrapped label holds its numbers between its own words.
        const size_t vb = doc.match_of_compact(h->begin);
        const size_t ve = doc.match_of_compact(next_hit_begin(h->end));
        ValueRun run = read_values(doc, vb, std::max(vb, ve), grammars_.common.vocabulary, doc.match_end(h->end));
        // A label written with a short tail on its own cell ("（一）予以公开的", "行政许可（件）"), the values in
        // the cells after it: the tail belongs to the label.
        if (run.values.empty() && run.stopped_by_text)
          if (size_t tail_end = label_tail_end(doc.match.text, run.end, ve); tail_end != std::string::npos) {
            ValueRun after = read_values(doc, tail_end, ve, grammars_.common.vocabulary);
            if (!after.values.empty()) {
              label_tails[h->item] = doc.compact_of_match(tail_end);
              run = std::move(after);
            }
          }
        // After the values, before the next label: a row no template knows (小计 0 0 0…)?
        if (run.stopped_by_text && !run.values.empty())
          if (auto stray = stray_row(doc, run.end, ve, grammars_.common.vocabulary)) out.stray_rows.push_back(std::move(*stray));
        runs[h->item] = std::move(run);
      }
      // A row without a label (part 4) takes the values after the longest chain of header cells.
      for (size_t i : block.items) {
        if (table.items[i].labeled() || block_headers[b].empty()) continue;
        const auto& hs = block_headers[b];
        // Only a header that says which table it is (行政复议, 未经复议直接起诉…), not 总计 alone.
        std::set<std::string_view> distinct_headers;
        size_t distinct_chars = 0;
        for (const HeaderHit& h : hs)
          if (distinct_headers.insert(compact.substr(h.begin, h.end - h.begin)).second)
            distinct_chars += utf8::length(compact.substr(h.begin, h.end - h.begin));
        if (distinct_chars < kMinHeaderChars || distinct_headers.size() < kMinHeaderCells) continue;
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
        size_t chain_end = hs[best_start + best_len - 1].end;
        if (auto row = grid_row_after_headers(doc, doc.match_of_compact(chain_end - 1), grammars_.common.vocabulary)) {
          ValueRun run = grid_row_values(doc, *row, grammars_.common.vocabulary);
          if (!run.values.empty()) {
            unlabeled_value_begin[i] = run.values.front().token.begin;
            runs[i] = std::move(run);
            grid_rows[i] = *row;
            continue;
          }
        }
        size_t vb = doc.match_end(chain_end);
        size_t ve = doc.match_of_compact(next_hit_begin(chain_end));
        // In any shape (a line of 15, three tables of 5 under their own headers, headers stacked over the numbers,
        // a number per line) the row is every number among the block's headers and after them, when that makes
        // exactly its cells and the row's arithmetic holds: reading order is column order in all of them, and where
        // it is not (a PDF read in another order) the sums say so.
        const auto& row_columns = columns_for(block, expected);
        const size_t cells = row_columns.size();
        const size_t headers_begin = doc.match_of_compact(hs.front().begin);
        ValueRun all = read_values(doc, headers_begin, std::max(headers_begin, ve), grammars_.common.vocabulary, ve);
        bool whole = cells > 0 && all.values.size() == cells;
        if (whole) {
          std::vector<std::string> reading;
          for (const RawValue& v : all.values) reading.push_back(v.kind == RawValue::Kind::number ? v.digits : "0");
          for (const grammar::Relation* r : row_relations(table, expected))
            whole &= !relation_applies(*r, row_columns) || reading_satisfies(*r, row_columns, reading);
        }
        if (whole) {
          unlabeled_value_begin[i] = all.values.front().token.begin;
          runs[i] = std::move(all);
          continue;
        }
        ValueRun run = read_values(doc, vb, std::max(vb, ve), grammars_.common.vocabulary);
        // Extracted tables may put stray header words between the headers and the numbers: skip a little
        // text to the first run that looks like the row (a few numbers at least).
        const size_t wanted = std::max<size_t>(3, cells / 2);
        for (size_t hops = 0; run.values.size() < wanted && run.stopped_by_text && hops < 8; ++hops) {
          Tokenizer skip(doc.match.text, run.end, ve, grammars_.common.vocabulary);
          Token token;
          size_t next = ve;
          while (skip.next(token))
            if (token.kind == TokenKind::number) {
              next = token.begin;
              break;
            }
          if (next >= ve || next - run.end > kMaxSkippedText) break;
          vb = next;
          run = read_values(doc, vb, ve, grammars_.common.vocabulary);
        }
        if (!run.values.empty()) {
          runs[i] = std::move(run);
          unlabeled_value_begin[i] = vb;
        }
      }
      for (const auto& [item, run] : runs) {
        size_t count = 0;
        for (const RawValue& v : run.values) count += v.kind != RawValue::Kind::empty;
        value_counts[item] = count;
      }

      BlockResult br;
      br.id = block.id;
      br.found = !block_hits.empty() || std::any_of(block.items.begin(), block.items.end(), [&](size_t i) { return runs.count(i) > 0; });
      br.expected = block.in.count(expected) ? expected : std::string();
      int best = -1000;
      for (const std::string& f : templates_.formats) {  // newest first: ties go to the expected, then newest
        int score = block_evidence(table, block, f, block_hits, block_headers[b], value_counts);
        if (score <= -1000) continue;
        br.evidence[f] = score;
        bool better = score > best || (score == best && f == expected);
        if (better) {
          best = score;
          br.format = f;
        }
      }
      if (!br.found) br.format = br.expected;  // a block of another revision that is absent is not expected
      for (const auto& [f, score] : br.evidence) br.distinctive |= score != br.evidence.begin()->second;
      br.distinctive |= br.evidence.size() == 1 && br.found && br.format != br.expected;
      for (const HeaderHit& h : block_headers[b]) {
        HeaderFound hf;
        hf.use = &block.headers[h.header];
        hf.written = doc.source_text(h.begin, h.end);
        hf.location = doc.locate_compact(h.begin);
        br.headers.push_back(hf);
      }
      if (!block_hits.empty()) br.location = doc.locate_compact(block_hits.front()->begin);
      else if (!block_headers[b].empty()) br.location = doc.locate_compact(block_headers[b].front().begin);
      out.blocks.push_back(std::move(br));
      if (!block_hits.empty()) previous_end = block_hits.back()->end;
    }

    // Rows: those of each block's format, those found, those the expected format requires.
    for (size_t b = 0; b < table.blocks.size(); ++b) {
      const UnionBlock& block = table.blocks[b];
      const BlockResult& br = out.blocks[b];
      if (br.format.empty()) continue;
      for (size_t i : block.items) {
        const UnionItem& item = table.items[i];
        auto in_format = item.in.find(br.format);
        auto in_expected = item.in.find(expected);
        bool row_in_format = in_format != item.in.end() && in_format->second->kind == grammar::ItemKind::row;
        bool row_in_expected = in_expected != item.in.end() && in_expected->second->kind == grammar::ItemKind::row &&
                               block.in.count(expected);
        bool found = hit_of.count(i) > 0 || runs.count(i) > 0;
        bool has_numbers = false;
        if (auto r = runs.find(i); r != runs.end())
          for (const RawValue& v : r->second.values) has_numbers |= v.kind == RawValue::Kind::number;
        bool group_here = in_format != item.in.end() && in_format->second->kind == grammar::ItemKind::group;
        bool caption_here = in_format != item.in.end() && in_format->second->kind == grammar::ItemKind::caption;
        if (caption_here) continue;  // numbers after a caption are stray text, not a row
        if (group_here && !(found && has_numbers)) continue;  // captions and groups carry no numbers
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
        if (auto h = hit_of.find(i); h != hit_of.end()) {
          row.matched = &item.labels[h->second->label];
          row.with_ordinal = h->second->with_ordinal;
          row.label_begin = h->second->begin;
          row.label_end = h->second->end;
          const auto tail = label_tails.find(i);
          const size_t label_end = tail != label_tails.end() ? tail->second : h->second->end;
          row.label_written = doc.source_text(h->second->begin, label_end);
          // Trailing spaces and the cell's end are not part of what was written.
          while (!row.label_written.empty() && std::string_view(" \t\r\n|").find(row.label_written.back()) != std::string_view::npos)
            row.label_written.pop_back();
          row.label_tail = tail != label_tails.end();
          row.location = doc.locate_compact(h->second->begin);
        } else if (auto u = unlabeled_value_begin.find(i); u != unlabeled_value_begin.end()) {
          row.location = doc.locate_match(u->second);
        }
        const auto& columns = columns_for(block, format);
        if (found && runs.count(i)) {
          row.run = runs[i];
          std::optional<GridColumns> mapped;
          if (auto g = grid_rows.find(i); g != grid_rows.end()) {
            row.grid = g->second;
            mapped = map_grid_columns(doc, g->second, table, columns, grammars_.common.vocabulary);
          }
          if (mapped) {
            assign_grid_cells(doc, row, columns, *mapped, grammars_.common.vocabulary);
            for (const std::string& h : mapped->extra_headers)
              if (std::find(out.extra_columns.begin(), out.extra_columns.end(), h) == out.extra_columns.end())
                out.extra_columns.push_back(h);
          } else {
            assign_cells(doc, row, columns, row_relations(table, format));
          }
        } else {
          for (const grammar::Column* c : columns) {
            Cell cell = make_cell(*c);
            cell.status = found ? CellStatus::empty : CellStatus::missing;
            cell.location = row.location;
            row.cells.push_back(cell);
          }
        }
        out.rows.push_back(std::move(row));
      }
    }
    // Scrambled text (PDF extractions, tables flattened out of order): a row that took more values than it has
    // cells, or numbers after a caption. Then an empty or missing row may just have had its numbers moved.
    for (const RowResult& r : out.rows)
      if (r.found && r.run.values.size() > r.cells.size()) {
        out.scrambled = true;
        out.scramble_reason = Phrase{"scrambled.overfull-row", {{"row", std::string(r.item ? r.item->id : r.id)}}};
      }
    for (const LabelHit& h : hits) {
      const UnionItem& item = table.items[h.item];
      if (!std::any_of(item.in.begin(), item.in.end(), [](const auto& p) { return p.second->kind == grammar::ItemKind::caption; }))
        continue;
      if (auto r = runs.find(h.item); r != runs.end() &&
          std::any_of(r->second.values.begin(), r->second.values.end(), [](const RawValue& v) { return v.kind == RawValue::Kind::number; })) {
        out.scrambled = true;
        out.scramble_reason = Phrase{"scrambled.caption-numbers", {{"caption", doc.source_text(h.begin, h.end)}}};
      }
    }
    if (out.scrambled) {
      for (RowResult& r : out.rows) {
        if (!r.found || !r.run.values.empty() || r.subtotal) continue;
        r.doubt = Phrase{"doubt.no-values-scrambled", {}};
        for (Cell& c : r.cells) c.status = CellStatus::uncertain;
      }
    }

    // A table is there when its labels or its numbers say so, not because 规章 is mentioned in a sentence.
    size_t values = 0, header_hits = 0;
    for (const RowResult& r : out.rows)
      if (r.found)
        for (const Cell& c : r.cells) values += c.value.has_value() || !r.run.values.empty();
    // Header cells count by length: 其他 and 总计 are everywhere, 未经复议直接起诉 is not.
    size_t header_chars = 0;
    std::set<std::string_view> distinct;
    for (const auto& hs : block_headers)
      for (const HeaderHit& h : hs) {
        ++header_hits;
        if (distinct.insert(compact.substr(h.begin, h.end - h.begin)).second)
          header_chars += utf8::length(compact.substr(h.begin, h.end - h.begin));
      }
    // A table starts only at table evidence: a grid row, header cells that name the table, a block caption
    // (第二十条第（一）项), or a run of rows whose numbers reach the next label. Prose that names 规章 and
    // 行政规范性文件 with counts ("全年公开规章3件（含…），行政规范性文件12件") is none of these.
    size_t tabular_rows = 0;
    bool grid = false, caption = false;
    for (const RowResult& r : out.rows) {
      if (!r.found) continue;
      grid |= r.grid.has_value();
      const bool numbers = std::any_of(r.run.values.begin(), r.run.values.end(),
                                       [](const RawValue& v) { return v.kind == RawValue::Kind::number; });
      tabular_rows += numbers && !r.run.stopped_by_text;
    }
    for (const LabelHit& h : hits)
      caption |= std::any_of(table.items[h.item].in.begin(), table.items[h.item].in.end(),
                             [](const auto& p) { return p.second->kind == grammar::ItemKind::caption; });
    // Header cells count when there are several of them: a sentence naming 行政复议 and 行政诉讼 is no header row.
    const bool header_row = header_chars >= kMinHeaderChars && distinct.size() >= kMinHeaderCells;
    const bool evidence = grid || caption || header_row || tabular_rows >= 2;
    out.found = evidence && (values >= 2 || (header_row && hits.size() + header_hits >= 3));
    // Confidence: the share of the format's cells read for certain (a reading chosen by arithmetic counts half).
    size_t expected_cells = 0;
    double read_cells = 0;
    for (const RowResult& r : out.rows) {
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
    out.confidence = expected_cells ? read_cells / static_cast<double>(expected_cells) : 0;
    out.confidence = std::round(out.confidence * 1000) / 1000;

    // Span of what was read, and whether the document ends inside the table.
    if (out.found) {
      out.begin = out.region_end;
      out.end = out.region_begin;
      size_t last_match_end = 0;
      for (const LabelHit& h : hits) {
        out.begin = std::min(out.begin, h.begin);
        out.end = std::max(out.end, h.end);
      }
      for (size_t b = 0; b < table.blocks.size(); ++b)
        for (const HeaderHit& h : block_headers[b]) {
          out.begin = std::min(out.begin, h.begin);
          out.end = std::max(out.end, h.end);
        }
      for (const auto& [item, run] : runs) last_match_end = std::max(last_match_end, run.values.empty() ? 0 : static_cast<size_t>(run.values.back().token.end));
      if (last_match_end) out.end = std::max(out.end, doc.compact_of_match(last_match_end));
      out.location = doc.locate_compact(out.begin);
      const bool at_document_end = out.region_end >= sections.body_end && compact.size() - out.end <= kTruncationSlack;
      bool rows_missing_after = false;
      for (const RowResult& r : out.rows)
        if (!r.found && r.in_block_format) {
          // Missing rows that would come after everything found.
          bool later = true;
          for (const RowResult& f : out.rows)
            if (f.found && f.item && r.item && f.item > r.item) later = false;
          rows_missing_after |= later;
        }
      out.truncated = at_document_end && rows_missing_after;
    }
    result.tables.push_back(std::move(out));
  }
  return result;
}

}  // namespace xxgk::tables
