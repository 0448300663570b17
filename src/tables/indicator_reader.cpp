#include "tables/indicator_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "tables/arithmetic.hpp"
#include "tables/digit_split.hpp"
#include "tables/value_reader.hpp"
#include "util/utf8.hpp"

namespace xxgk::tables {
namespace {

constexpr size_t kMaxCombinations = 4096;  // readings of one total's rows tried together
constexpr size_t kMinRows = 2;             // fewer indicators after 指标名称 is prose that names one
// Text between a row's numbers and the next label, beyond 其中： and an ordinal, ends the table (a signature).
constexpr size_t kMaxGapBytes = 24;

struct Hit {
  size_t begin = 0, end = 0;  // compact offsets of the label
  size_t item = 0;
};

struct RowReading {
  Hit hit;
  std::string unit;
  std::vector<RawValue> values;
  std::string raw;
  std::vector<std::vector<std::string>> readings;  // cell texts per column; "" is an empty cell
  bool cut = false;       // the cells were cut from digit runs
  bool narrowed = false;  // a reading was ruled out by the table's arithmetic
  bool unreadable = false;
  bool ordinal_cut = false;  // the next part's ordinal was taken off the last number
};

std::optional<double> number_of(const std::string& cell) {
  if (cell.empty()) return std::nullopt;
  return std::strtod(cell.c_str(), nullptr);
}

// Labels of the window, in text order; where two overlap the one that starts first (then the longer) wins, and an
// indicator counts once.
std::vector<Hit> find_labels(const grammar::IndicatorTable& grammar, std::string_view window, size_t offset) {
  std::vector<Hit> all;
  for (size_t i = 0; i < grammar.items.size(); ++i)
    for (const Regex::Match& m : grammar.items[i].pattern.find_all(window))
      if (m.end > m.begin) all.push_back({offset + m.begin, offset + m.end, i});
  std::sort(all.begin(), all.end(), [](const Hit& a, const Hit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Hit> hits;
  std::set<size_t> seen;
  for (const Hit& h : all) {
    if (!hits.empty() && h.begin < hits.back().end) continue;
    if (!seen.insert(h.item).second) continue;
    hits.push_back(h);
  }
  return hits;
}

// Bytes of the compact gap that the grammar's filler (其中, a colon, an ordinal) does not cover.
size_t gap_words(std::string_view gap, const std::optional<Regex>& filler) {
  size_t covered = 0;
  if (filler)
    for (const Regex::Match& m : filler->find_all(gap)) covered += m.end - m.begin;
  return gap.size() - covered;
}

// The parts of a total that a reading of the group's rows must keep, column by column.
bool group_holds(const grammar::IndicatorTable::Item& total,
                 const std::vector<std::pair<const grammar::IndicatorTable::Item*, const std::vector<std::string>*>>& parts,
                 const std::vector<std::string>& total_cells) {
  bool complete = false;
  for (const auto& [item, cells] : parts) complete = complete || item->other;
  for (size_t c = 0; c < total_cells.size(); ++c) {
    const auto whole = number_of(total_cells[c]);
    if (!whole) continue;
    double sum = 0;
    bool all = true;
    for (const auto& [item, cells] : parts) {
      const auto v = number_of((*cells)[c]);
      if (!v) {
        all = false;
        continue;
      }
      if (*v > *whole + kArithmeticTolerance) return false;  // no part is above its total
      sum += *v;
    }
    if (total.parts_overlap) continue;
    if (complete && all && !same_value(sum, *whole)) return false;
    if (sum > *whole + kArithmeticTolerance) return false;
  }
  return true;
}

// A year's count within 历年累计.
bool year_within_cumulative(const std::vector<std::string>& cells, bool amount) {
  if (cells.size() < 2 || amount) return true;
  const auto year = number_of(cells[0]), cumulative = number_of(cells[1]);
  return !year || !cumulative || *year <= *cumulative + kArithmeticTolerance;
}

}  // namespace

std::optional<Table> read_indicators(const Document& doc, const grammar::IndicatorTable& grammar,
                                     const TokenVocabulary& vocabulary) {
  if (!grammar.loaded || !grammar.anchor || !grammar.unit || grammar.columns.empty()) return std::nullopt;
  const std::string& compact = doc.compact.text;
  Regex::Match anchor;
  if (!grammar.anchor->search(compact, 0, anchor)) return std::nullopt;
  size_t window_end = anchor.end;
  for (size_t chars = 0; chars < grammar.span_chars && window_end < compact.size(); ++chars) utf8::next(compact, window_end);
  std::vector<Hit> hits = find_labels(grammar, std::string_view(compact).substr(anchor.end, window_end - anchor.end), anchor.end);
  if (hits.size() < kMinRows) return std::nullopt;

  // The value columns: the year's, and those whose header stands before the first label.
  const std::string_view header = std::string_view(compact).substr(anchor.end, hits.front().begin - anchor.end);
  std::vector<const grammar::IndicatorTable::Column*> columns{&grammar.columns.front()};
  for (size_t c = 1; c < grammar.columns.size(); ++c) {
    Regex::Match m;
    if (grammar.columns[c].pattern.search(header, 0, m)) columns.push_back(&grammar.columns[c]);
  }
  const size_t width = columns.size();

  // Each label's unit and numbers, up to the next label.
  const std::string& match = doc.match.text;
  std::vector<RowReading> rows;
  std::map<std::string, size_t> parts_seen;  // parent → parts read so far: the ordinal the next part carries
  for (size_t k = 0; k < hits.size(); ++k) {
    const Hit& hit = hits[k];
    const auto& item = grammar.items[hit.item];
    const bool last = k + 1 == hits.size();
    size_t pos = doc.match_end(hit.end);
    const size_t region_end = doc.match_of_compact(last ? window_end : hits[k + 1].begin);
    while (pos < region_end && (match[pos] == ' ' || match[pos] == '\n' || match[pos] == '\t' || match[pos] == '|')) ++pos;
    RowReading row;
    row.hit = hit;
    Regex::Match unit;
    if (grammar.unit->search(std::string_view(match).substr(0, region_end), pos, unit) && unit.begin == pos) {
      row.unit = match.substr(unit.begin, unit.end - unit.begin);
      pos = unit.end;
    }
    ValueRun run = read_values(doc, pos, region_end, vocabulary);
    row.values = std::move(run.values);
    row.values.erase(std::remove_if(row.values.begin(), row.values.end(),
                                    [](const RawValue& v) { return v.kind == RawValue::Kind::empty; }),
                     row.values.end());
    if (!item.parent.empty()) ++parts_seen[item.parent];
    // Two digits and a mark read as one ordinal (条02、传真申请数): the value, then the next part's ordinal.
    const bool next_is_part = !last && !grammar.items[hits[k + 1].item].parent.empty();
    if (row.values.empty() && next_is_part) {
      size_t digits_end = pos;
      while (digits_end < region_end && match[digits_end] >= '0' && match[digits_end] <= '9') ++digits_end;
      const std::string digits = match.substr(pos, digits_end - pos);
      const std::string ordinal = std::to_string(parts_seen[grammar.items[hits[k + 1].item].parent] + 1);
      const bool marked = digits_end < region_end && (match[digits_end] == '.' || match.compare(digits_end, 3, "、") == 0);
      if (marked && digits.size() > ordinal.size() && digits.ends_with(ordinal)) {
        RawValue v;
        v.digits = v.text = digits.substr(0, digits.size() - ordinal.size());
        v.token.kind = TokenKind::number;
        v.token.begin = static_cast<uint32_t>(pos);
        v.token.end = v.token.digits_end = static_cast<uint32_t>(digits_end - ordinal.size());
        row.values.push_back(std::move(v));
        row.ordinal_cut = true;
      }
    }
    // The next part's ordinal, glued to the last number (网站公开条1382、政府公报公开 is 138 and 2、).
    if (next_is_part && !row.values.empty() &&
        row.values.back().kind == RawValue::Kind::number) {
      const std::string ordinal = std::to_string(parts_seen[grammar.items[hits[k + 1].item].parent] + 1);
      RawValue& v = row.values.back();
      size_t after = v.token.end;
      while (after < region_end && match[after] == ' ') ++after;
      const bool marked = after < region_end && (match[after] == '.' || match.compare(after, 3, "、") == 0);
      if (marked && v.unit.empty() && !v.token.decimal) {
        if (v.digits == ordinal) {
          row.values.pop_back();
        } else if (v.digits.size() > ordinal.size() &&
                   v.digits.compare(v.digits.size() - ordinal.size(), ordinal.size(), ordinal) == 0) {
          v.digits.resize(v.digits.size() - ordinal.size());
          v.text = v.digits;
          row.ordinal_cut = true;
        } else {
          row.unreadable = true;
        }
      }
    }
    for (const RawValue& v : row.values) row.raw += (row.raw.empty() ? "" : " ") + v.text;
    // Where the table ends: words between these numbers and the next label.
    if (!last) {
      const size_t numbers_end = doc.compact_of_match(row.values.empty() ? pos : row.values.back().token.end);
      if (numbers_end < hits[k + 1].begin &&
          gap_words(std::string_view(compact).substr(numbers_end, hits[k + 1].begin - numbers_end), grammar.filler) >
              kMaxGapBytes)
        hits.resize(k + 1);
    }
    // Its readings.
    const size_t numbers = row.values.size();
    if (row.unreadable || numbers == 0 || numbers > width) {
      row.unreadable = true;
    } else if (numbers == width) {
      std::vector<std::string> cells;
      for (const RawValue& v : row.values) cells.push_back(v.kind == RawValue::Kind::number ? v.digits : std::string());
      row.readings.push_back(std::move(cells));
    } else {
      std::vector<SplitPiece> pieces;
      bool splittable = true;
      for (const RawValue& v : row.values) {
        splittable = splittable && v.kind == RawValue::Kind::number;
        pieces.push_back({v.digits, v.unit.empty() && !v.token.decimal});
      }
      if (splittable) {
        SplitResult split = split_digits(pieces, width, std::vector<bool>(width, item.amount), SplitLimits{});
        if (!split.exhausted) row.readings = std::move(split.readings);
      }
      row.cut = true;
      row.unreadable = row.readings.empty();
    }
    // A year's count within 历年累计: a rule for cutting, a finding for cells written apart.
    if (row.cut) {
      const size_t before = row.readings.size();
      std::erase_if(row.readings, [&](const auto& cells) { return !year_within_cumulative(cells, item.amount); });
      row.narrowed = row.readings.size() < before;
      row.unreadable = row.readings.empty();
    }
    rows.push_back(std::move(row));
    if (hits.size() == k + 1) break;
  }
  if (rows.size() < kMinRows) return std::nullopt;

  // Rows with several readings: the readings of a total and its parts that keep their arithmetic.
  for (size_t t = 0; t < rows.size(); ++t) {
    const auto& total = grammar.items[rows[t].hit.item];
    if (!total.parent.empty()) continue;
    std::vector<size_t> group{t};
    for (size_t p = t + 1; p < rows.size(); ++p)
      if (grammar.items[rows[p].hit.item].parent == total.id) group.push_back(p);
    size_t combinations = 1;
    bool ambiguous = false;
    for (size_t r : group) {
      if (rows[r].unreadable) continue;
      ambiguous = ambiguous || rows[r].readings.size() > 1;
      combinations *= rows[r].readings.size();
      if (combinations > kMaxCombinations) break;
    }
    if (group.size() < 2 || !ambiguous || combinations > kMaxCombinations) continue;
    std::vector<size_t> readable;
    for (size_t r : group)
      if (!rows[r].unreadable) readable.push_back(r);
    if (readable.empty() || readable.front() != t) continue;  // without the total there is nothing to keep
    std::vector<std::set<size_t>> kept(readable.size());
    std::vector<size_t> choice(readable.size(), 0);
    for (size_t n = 0; n < combinations; ++n) {
      size_t rest = n;
      for (size_t i = 0; i < readable.size(); ++i) {
        choice[i] = rest % rows[readable[i]].readings.size();
        rest /= rows[readable[i]].readings.size();
      }
      std::vector<std::pair<const grammar::IndicatorTable::Item*, const std::vector<std::string>*>> parts;
      for (size_t i = 1; i < readable.size(); ++i)
        parts.push_back({&grammar.items[rows[readable[i]].hit.item], &rows[readable[i]].readings[choice[i]]});
      if (!group_holds(total, parts, rows[t].readings[choice[0]])) continue;
      for (size_t i = 0; i < readable.size(); ++i) kept[i].insert(choice[i]);
    }
    for (size_t i = 0; i < readable.size(); ++i) {
      RowReading& row = rows[readable[i]];
      if (row.readings.size() < 2 || kept[i].empty()) continue;  // the table contradicts itself under every reading
      std::vector<std::vector<std::string>> left;
      for (size_t k : kept[i]) left.push_back(row.readings[k]);
      row.narrowed = row.narrowed || left.size() < row.readings.size();
      row.readings = std::move(left);
    }
  }

  Table table;
  table.part = 0;
  table.id = kIndicatorTable;
  table.format = grammar.id;
  table.location = doc.locate_compact(anchor.begin);
  table.confidence = std::min(1.0, static_cast<double>(rows.size()) / 6.0);
  for (const RowReading& r : rows) {
    const auto& item = grammar.items[r.hit.item];
    Row row;
    row.id = item.id;
    row.label = item.label;
    row.label_as_written = doc.source_text(r.hit.begin, r.hit.end);
    row.format = grammar.id;
    row.location = doc.locate_compact(r.hit.begin);
    const bool settled = !r.unreadable && r.readings.size() == 1;
    for (size_t c = 0; c < width; ++c) {
      Cell cell;
      cell.column = columns[c]->id;
      cell.column_path = {columns[c]->header};
      cell.unit = r.unit;
      const RawValue* written = r.cut ? (r.values.empty() ? nullptr : &r.values.front())
                                      : (c < r.values.size() ? &r.values[c] : nullptr);
      cell.location = written ? doc.locate_match(written->token.begin) : row.location;
      if (!settled) {
        cell.raw = r.raw;
        cell.status = r.values.empty() ? CellStatus::missing : CellStatus::uncertain;
      } else {
        cell.raw = r.cut ? r.readings[0][c] : written->text;
        cell.value = number_of(r.readings[0][c]);
        cell.decimal = cell.raw.find('.') != std::string::npos;
        cell.status = !cell.value ? CellStatus::empty
                      : !r.cut   ? (r.ordinal_cut ? CellStatus::split : CellStatus::ok)
                      : r.narrowed ? CellStatus::inferred
                                   : CellStatus::split;
      }
      row.cells.push_back(std::move(cell));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace xxgk::tables
