// Table rules: the tables of parts 2–4 against the format the report year requires (format §1.4–§1.6, §2.3–§2.6).
#include <algorithm>
#include <set>

#include "checks/registry.hpp"
#include "tables/arithmetic.hpp"
#include "util/utf8.hpp"

namespace xxgk::checks {
namespace {

using tables::RowResult;
using tables::TableResult;

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string table_key(const TableResult& t) { return t.table->id; }

constexpr size_t kEmptyPartChars = 8;  // a part with fewer characters than this under its heading holds no text

// Canonical header texts of a block's columns in `format`.
std::vector<std::string> column_headers(const tables::UnionTable& table, const tables::UnionBlock& block,
                                        const std::string& format) {
  std::vector<std::string> out;
  auto t = table.in.find(format);
  auto b = block.in.find(format);
  if (t == table.in.end() || b == block.in.end()) return out;
  for (const grammar::Column& c : t->second->columns_of(*b->second))
    if (std::find(out.begin(), out.end(), c.headers.front().text) == out.end()) out.push_back(c.headers.front().text);
  return out;
}

// True when `row`'s block was found following another format than the expected one: what differs in it is that
// block's format.version-mismatch, not findings of its own.
bool in_other_format(const TableResult& t, const RowResult& row, const std::string& expected) {
  const tables::BlockResult* br = t.block(row.block);
  return br && br->found && br->format != expected;
}

// Blocks that follow another format than the report's year requires: one finding per block, with what follows from
// it (its headers, the rows it has that the expected format has not, the expected rows it lacks) as evidence.
void version_mismatch_in(CheckContext& ctx, const std::string& id, const TableResult& t, const std::string& expected) {
  const auto& table = *t.table;
  // A whole table in the other format (every block found follows it, and more than one does) is one deviation:
  // one finding for the table, each block's evidence in it.
  size_t found = 0, other = 0;
  for (const auto& br : t.blocks)
    if (br.found) {
      ++found;
      other += br.format != expected;
    }
  const bool whole_table = other > 1 && other == found;
  Evidence table_ev;
  std::vector<std::string> names;
  std::string table_format;
  Location first;
  for (size_t b = 0; b < table.blocks.size(); ++b) {
    const auto& block = table.blocks[b];
    const auto& br = t.blocks[b];
    if (!br.found || br.format == expected) continue;
    const std::string name = block_name(table, block, br.format);
    Evidence block_ev;
    Evidence& ev = whole_table ? table_ev : block_ev;
    add_fact(ev, "block", name);
    add_fact(ev, "follows", br.format);
    add_fact(ev, "required", expected);
    for (const auto& [f, score] : br.evidence) add_fact(ev, "evidence score " + f, std::to_string(score));
    std::vector<std::string> written;
    for (const auto& h : br.headers) written.push_back(h.written);
    if (!written.empty()) add_fact(ev, "headers found", join(written));
    if (!written.empty() && block.in.count(expected)) add_fact(ev, "format " + expected, join(column_headers(table, block, expected)));
    std::vector<std::string> missing, other_rows, variants;
    for (const RowResult& row : t.rows) {
      if (row.block != block.id) continue;
      if (!row.found && row.in_expected) missing.push_back(row_label(row));
      else if (row.found && !row.in_expected) other_rows.push_back(row.label_written.empty() ? row_label(row) : row.label_written);
      else if (row.found && row.matched && row.item->in.count(expected)) {
        auto it = row.matched->formats.find(expected);
        if (it == row.matched->formats.end() || it->second == grammar::LabelKind::variant)
          variants.push_back(row.label_written + " → " + row.item->in.at(expected)->canonical().text);
      }
    }
    if (!missing.empty()) add_fact(ev, "rows of format " + expected + " not found", join(missing));
    if (!other_rows.empty()) add_fact(ev, "rows of format " + br.format, join(other_rows));
    if (!variants.empty()) add_fact(ev, "labels of format " + br.format, join(variants));
    if (whole_table) {
      if (names.empty()) first = br.location, table_format = br.format;
      names.push_back(name);
      continue;
    }
    std::string message =
        !block.in.count(expected)
            ? ctx.say("format.version-mismatch.no-block", {{"block", name}, {"format", br.format}, {"expected", expected}})
            : ctx.say("format.version-mismatch",
                      {{"block", name},
                       {"format", br.format},
                       {"year", ctx.report.year ? std::to_string(*ctx.report.year) : ctx.say("this-year")},
                       {"expected", expected},
                       {"document", ctx.expected->document}});
    ctx.add(id, FindingStatus::fail, message, br.location, table_key(t) + ":" + block.id, ev);
  }
  if (whole_table)
    ctx.add(id, FindingStatus::fail,
            ctx.say("format.version-mismatch.table", {{"part", table.part},
                                                      {"table", table.name},
                                                      {"format", table_format},
                                                      {"blocks", ctx.join(names)},
                                                      {"year", ctx.report.year ? std::to_string(*ctx.report.year) : ctx.say("this-year")},
                                                      {"expected", expected},
                                                      {"document", ctx.expected->document}}),
            first, table_key(t), table_ev);
}

// Header cells that are not the expected format's canonical wording.
void header_variant_in(CheckContext& ctx, const std::string& id, const TableResult& t, const std::string& expected) {
  const auto& table = *t.table;
  for (size_t b = 0; b < table.blocks.size(); ++b) {
    const auto& block = table.blocks[b];
    const auto& br = t.blocks[b];
    if (!br.found) continue;
    const std::string name = block_name(table, block, br.format);
    std::vector<std::string> off;
    Location where;
    for (const auto& h : br.headers) {
      auto it = h.use->formats.find(expected);
      bool fine = it != h.use->formats.end() &&
                  (it->second == grammar::LabelKind::canonical || it->second == grammar::LabelKind::short_form);
      if (fine) continue;
      if (off.empty()) where = h.location;
      off.push_back(h.written);
    }
    if (off.empty() || !block.in.count(expected) || br.format != expected) continue;  // else the block's version mismatch
    Evidence ev;
    add_fact(ev, "block", name);
    add_fact(ev, "headers found", join(off));
    add_fact(ev, "format " + expected, join(column_headers(table, block, expected)));
    ctx.add(id, FindingStatus::fail,
            ctx.say("table.header-variant", {{"block", name},
                                             {"found", ctx.join(off)},
                                             {"expected", expected},
                                             {"canonical", ctx.join(column_headers(table, block, expected))}}),
            where, table_key(t) + ":" + block.id, ev);
  }
}

bool block_has_overfull_row(const TableResult& t, const std::string& block) {
  for (const RowResult& r : t.rows)
    if (r.block == block && r.found && r.run.values.size() > r.cells.size()) return true;
  return false;
}

// True when a block's caption stands with nothing under it: no header cell, no row (第二十条第（一）项 followed by
// 第二十条第（五）项). Its rows were an image, or are somewhere the reader did not look: doubt, not missing rows.
bool block_is_empty(const TableResult& t, const std::string& block) {
  const tables::BlockResult* br = t.block(block);
  if (!br || !br->found || !br->headers.empty()) return false;
  return std::none_of(t.rows.begin(), t.rows.end(), [&](const RowResult& r) { return r.block == block && r.found; });
}

// True when every row found holds no number at all (a table printed with its cells left blank).
bool all_blank(const TableResult& t) {
  bool any = false;
  for (const RowResult& r : t.rows) {
    if (!r.found || r.subtotal) continue;
    any = true;
    for (const Cell& c : r.cells)
      if (c.status != CellStatus::empty) return false;
  }
  return any;
}

// Columns with no number (blank, not a placeholder) in any row of the format, in table order, each with its
// first cell.
struct BlankColumns {
  std::set<std::string> ids;
  std::vector<const Cell*> first;
  size_t rows = 0;  //!< rows of the format found
};
BlankColumns blank_columns_of(const TableResult& t) {
  constexpr size_t kMinRows = 3;  // fewer rows make no pattern
  struct Count {
    size_t rows = 0, blank = 0;
    const Cell* first = nullptr;
  };
  // By column, in the order they first stand. PERF: rows mostly have the columns of the row before them in the same
  // places, so the column at a cell's place is compared first (a map of the columns' ids cost a search per cell).
  std::vector<std::pair<std::string_view, Count>> counts;
  auto count_of = [&](std::string_view column, size_t place) -> Count& {
    if (place < counts.size() && counts[place].first == column) return counts[place].second;
    for (auto& [id, n] : counts)
      if (id == column) return n;
    return counts.emplace_back(column, Count{}).second;
  };
  BlankColumns out;
  for (const RowResult& r : t.rows) {
    if (!r.found || r.subtotal || !(r.in_expected || r.in_block_format)) continue;
    ++out.rows;
    for (size_t k = 0; k < r.cells.size(); ++k) {
      const Cell& c = r.cells[k];
      Count& n = count_of(c.column, k);
      ++n.rows;
      if (c.status == CellStatus::empty && c.raw.empty() && !n.blank++) n.first = &c;
    }
  }
  for (const auto& [id, n] : counts)
    if (n.rows >= kMinRows && n.blank == n.rows) {
      out.ids.emplace(id);
      out.first.push_back(n.first);
    }
  return out;
}

// Calls `each` for every table of the expected format that was found (`found`) or not.
template <typename Each>
void for_tables(CheckContext& ctx, bool found, Each each) {
  if (!ctx.report.is_report || !ctx.expected) return;
  const std::string& expected = ctx.expected->id;
  for (const TableResult& t : ctx.tables.tables)
    if (t.table->in.count(expected) && t.found == found) each(t, expected);
}

const tables::UnionBlock& block_of(const TableResult& t, const std::string& block) {
  return *std::find_if(t.table->blocks.begin(), t.table->blocks.end(), [&](const auto& b) { return b.id == block; });
}

// The statistical table of a part, not found at all.
void table_missing(CheckContext& ctx, const std::string& id) {
  if (ctx.classification.old_structure) return;  // format.version-mismatch says why
  for_tables(ctx, false, [&](const TableResult& t, const std::string&) {
    const sections::Heading* part = ctx.sections.part(t.table->part);
    // Not seen, or the text ends in this part: text.truncated says so.
    if (ctx.truncated() && t.table->part > ctx.classification.truncation.complete_through) return;
    // A part with no text at all under its heading held something that is not text (an image of the table, an
    // attachment) or lost it on the way: doubt, not a missing table.
    std::string doubt;
    if (auto region = ctx.sections.region(t.table->part); region && part) {
      // (An unfinished heading that ends a cut text is the next part's, not this part's text.)
      const size_t region_end = std::min(region->second, ctx.classification.truncation.unfinished_at);
      const size_t chars = region_end > part->end
                               ? utf8::length(std::string_view(ctx.doc.compact.text).substr(part->end, region_end - part->end))
                               : 0;
      if (chars < kEmptyPartChars) doubt = ctx.say("doubt.empty-part", {{"part", t.table->part}});
    }
    if (doubt.empty() && ctx.lossy_extraction()) doubt = ctx.lossy_extraction_reason();
    Evidence ev;
    add_fact(ev, "table", t.table->name);
    if (!doubt.empty()) add_fact(ev, "doubt", doubt);
    ctx.add(id, doubt.empty() ? FindingStatus::fail : FindingStatus::uncertain,
            ctx.say("table.missing", {{"part", t.table->part}, {"table", t.table->name}}),
            part ? part->location : ctx.doc.locate_source(ctx.doc.source.size()), t.table->id, ev);
  });
}

// A report written in the structure of the reports before 2019: one finding; the parts and tables it lacks, and
// the headings numbered otherwise, are what follows from it (its evidence, not findings of their own).
void old_structure(CheckContext& ctx, const std::string& id) {
  const classify::Classification& c = ctx.classification;
  Evidence ev;
  add_fact(ev, "old words", c.old_structure_words);
  std::vector<std::string> parts, tables, headings;
  for (const grammar::Part& part : ctx.grammars.parts_of(ctx.expected))
    if (!ctx.sections.part(part.number) && !ctx.beyond_truncation(part.number)) parts.push_back(part.heading);
  for (const TableResult& t : ctx.tables.tables)
    if (!t.found && t.table->in.count(ctx.expected->id) && !(ctx.truncated() && t.table->part >= ctx.truncated_in_part()))
      tables.push_back(ctx.say("unseen.table", {{"part", t.table->part}}));
  for (const auto& h : ctx.sections.parts) headings.push_back(h.text);
  if (!parts.empty()) add_fact(ev, "parts not found", ctx.join(parts));
  if (!tables.empty()) add_fact(ev, "tables not found", ctx.join(tables));
  if (!headings.empty()) add_fact(ev, "headings found", ctx.join(headings));
  ctx.add(id, FindingStatus::fail,
          ctx.say("format.version-mismatch.old-structure",
                  {{"words", c.old_structure_words},
                   {"year", ctx.report.year ? std::to_string(*ctx.report.year) : ctx.say("this-year")},
                   {"expected", ctx.expected->id},
                   {"document", ctx.expected->document}}),
          ctx.sections.parts.empty() ? ctx.doc.locate_match(ctx.meta.body_start) : ctx.sections.parts.front().location,
          "structure:pre2019", ev);
}

void version_mismatch(CheckContext& ctx, const std::string& id) {
  if (ctx.report.is_report && ctx.expected && ctx.classification.old_structure) return old_structure(ctx, id);
  for_tables(ctx, true, [&](const TableResult& t, const std::string& expected) { version_mismatch_in(ctx, id, t, expected); });
}

void header_variant(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string& expected) { header_variant_in(ctx, id, t, expected); });
}

// Rows the expected format has that were not found.
void row_missing(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string& expected) {
    const auto& table = *t.table;
    for (const RowResult& row : t.rows) {
      if (row.found || !row.in_expected || CheckContext::beyond_truncation(t, row) || in_other_format(t, row, expected))
        continue;
      const std::string label = row_label(row);
      // A neighbour that took more values than it has cells may have swallowed this row; scrambled or
      // paginated text may have moved it.
      std::string doubt_reason;
      if (block_is_empty(t, row.block)) doubt_reason = ctx.say("doubt.empty-block");
      else if (block_has_overfull_row(t, row.block)) doubt_reason = ctx.say("doubt.neighbour-overfull");
      else if (t.scrambled) doubt_reason = ctx.say("doubt.scrambled", {{"reason", ctx.say(t.scramble_reason)}});
      else if (ctx.lossy_extraction()) doubt_reason = ctx.lossy_extraction_reason();
      const bool doubt = !doubt_reason.empty();
      Evidence ev;
      add_fact(ev, "row", label);
      add_fact(ev, "block", block_name(table, block_of(t, row.block), expected));
      if (doubt) add_fact(ev, "doubt", doubt_reason);
      // Place: the next row that was found, else the table.
      Location where = t.location;
      for (const RowResult& f : t.rows)
        if (f.found && f.item > row.item) {
          where = f.location;
          break;
        }
      ctx.add(id, doubt ? FindingStatus::uncertain : FindingStatus::fail,
              ctx.say(label.empty() ? "table.row-missing.numbers" : "table.row-missing",
                      {{"row", label}, {"part", table.part}, {"table", table.name}}),
              where, table_key(t) + ":" + row.id, ev);
    }
  });
}

// Rows the format does not have: a group printed with a subtotal, a row of another format in a block of the
// expected one, stray rows no template knows.
void row_unexpected(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string& expected) {
    const std::string key = table_key(t);
    for (const RowResult& row : t.rows) {
      if (!row.found) continue;
      const tables::BlockResult* br = t.block(row.block);
      if (row.subtotal) {
        Evidence ev;
        add_fact(ev, "label", row.label_written);
        add_fact(ev, "values", row.run.raw());
        ctx.add(id, FindingStatus::fail,
                ctx.say("table.row-unexpected.subtotal", {{"label", row.label_written}, {"values", row.run.raw()}}),
                row.location, key + ":" + row.id + ":subtotal", ev);
      } else if (!row.in_expected && br && br->format == expected && !br->expected.empty()) {
        Evidence ev;
        add_fact(ev, "label", row.label_written);
        ctx.add(id, FindingStatus::fail, ctx.say("table.row-unexpected", {{"label", row.label_written}, {"expected", expected}}),
                row.location, key + ":" + row.id, ev);
      }
    }
    for (const auto& stray : t.stray_rows) {
      Evidence ev;
      add_fact(ev, "label", stray.label);
      add_fact(ev, "values", stray.values);
      ctx.add(id, FindingStatus::fail,
              ctx.say("table.row-unexpected.stray", {{"label", stray.label}, {"values", stray.values}, {"expected", expected}}),
              stray.location, t.table->id + ":stray:" + stray.label, ev);
    }
  });
}

// HTML tables with a column the format does not have (小计).
void column_unexpected(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string&) {
    if (t.extra_columns.empty()) return;
    Evidence ev;
    add_fact(ev, "table", t.table->name);
    add_fact(ev, "columns", join(t.extra_columns));
    ctx.add(id, FindingStatus::fail,
            ctx.say("table.column-unexpected", {{"part", t.table->part}, {"columns", ctx.join(t.extra_columns)}}),
            t.location, t.table->id + ":" + join(t.extra_columns, "/"), ev);
  });
}

// Row labels worded otherwise than the expected format.
void label_variant(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string& expected) {
    for (const RowResult& row : t.rows) {
      if (!row.found || !row.matched || !row.item->in.count(expected) || in_other_format(t, row, expected)) continue;
      auto it = row.matched->formats.find(expected);
      bool variant = it == row.matched->formats.end() || it->second == grammar::LabelKind::variant ||
                     it->second == grammar::LabelKind::fragment || row.label_tail || row.label_misprint;
      if (!variant) continue;
      std::string canonical = row.item->in.at(expected)->canonical().text;
      Evidence ev;
      add_fact(ev, "written", row.label_written);
      add_fact(ev, "format " + expected, canonical);
      ctx.span(ctx.add(id, FindingStatus::fail,
                       ctx.say("table.label-variant", {{"written", row.label_written}, {"expected", expected}, {"canonical", canonical}}),
                       row.location, table_key(t) + ":" + row.id, ev),
               row.label_written);
    }
  });
}

// Rows whose values cannot be placed in their cells without guessing.
void row_uncertain(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string&) {
    for (const RowResult& row : t.rows) {
      if (!row.found || row.doubt.empty()) continue;
      const std::string label = row_label(row);
      const std::string doubt = ctx.say(row.doubt);
      Evidence ev;
      add_fact(ev, "row", label);
      add_fact(ev, "raw", row.run.raw());
      add_fact(ev, "cells", std::to_string(row.cells.size()));
      add_fact(ev, "doubt", doubt);
      ev.candidates = row.candidates;
      Location where = row.cells.empty() ? row.location : row.cells.front().location;
      ctx.add(id, FindingStatus::uncertain,
              ctx.say("table.row-uncertain", {{"row", label}, {"raw", row.run.raw()}, {"cells", row.cells.size()}, {"doubt", doubt}}),
              where, table_key(t) + ":" + row.id, ev);
    }
  });
}

// The constraint that rules out any value in `row` of `table` for this body (规章 for a county), or null.
const grammar::Constraint* ruled_out(const CheckContext& ctx, const TableResult& t, const RowResult& row) {
  if (!ctx.expected) return nullptr;
  for (const grammar::Constraint& c : ctx.expected->constraints)
    if (c.table == t.table->id && c.row == row.id && c.max == 0 &&
        std::find(c.admin_levels.begin(), c.admin_levels.end(), ctx.report.admin_level) != c.admin_levels.end())
      return &c;
  return nullptr;
}

// Rows the law rules out for this body, left blank or marked "/": they do not apply; said as information.
void not_applicable(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string&) {
    for (const RowResult& row : t.rows) {
      if (!row.found || row.cells.empty()) continue;
      const grammar::Constraint* c = ruled_out(ctx, t, row);
      if (!c) continue;
      std::vector<std::string> written;
      for (const Cell& cell : row.cells)
        if (cell.status == CellStatus::empty) written.push_back(cell.raw.empty() ? ctx.say("cell.blank-mark") : cell.raw);
      if (written.size() != row.cells.size()) continue;  // a value, or a mix: value.impossible and cell-missing judge
      Evidence ev;
      add_fact(ev, "row", row_label(row));
      add_fact(ev, "level", ctx.report.admin_level);
      add_fact(ev, "basis", c->basis);
      ctx.add(id, FindingStatus::fail,
              ctx.say("table.not-applicable", {{"row", row_label(row)}, {"level", ctx.report.admin_level}, {"written", written.front()}}),
              row.location, table_key(t) + ":" + row.id, ev);
    }
  });
}

// Cells with no number: a table printed blank, columns blank in every row (one finding), other blank cells. A table
// that leaves its zeros blank (table.blank-zero) and rows that do not apply (table.not-applicable) have none.
void cell_missing(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string&) {
    const auto& table = *t.table;
    const std::string key = table_key(t);
    const bool blank = all_blank(t);
    if (blank) {
      size_t rows = 0, cells = 0;
      for (const RowResult& r : t.rows)
        if (r.found && !r.subtotal) {
          ++rows;
          cells += r.cells.size();
        }
      Evidence ev;
      add_fact(ev, "rows", std::to_string(rows));
      add_fact(ev, "cells", std::to_string(cells));
      ctx.add(id, FindingStatus::fail,
              ctx.say("table.cell-missing.all", {{"part", table.part}, {"table", table.name}, {"cells", cells}, {"rows", rows}}),
              t.location, key + ":all", ev);
      return;
    }
    if (ctx.arithmetic(t).blanks_mean_zero) return;  // table.blank-zero says so, once
    // Columns left blank in every row (a page that fills only 自然人 and 总计): one finding for the columns, not
    // one per row.
    const BlankColumns blank_columns = blank_columns_of(t);
    if (!blank_columns.first.empty()) {
      std::vector<std::string> labels;
      for (const Cell* c : blank_columns.first) labels.push_back(column_label(*c));
      const std::string list = ctx.join(labels, "list.semicolon");
      Evidence ev;
      add_fact(ev, "columns", list);
      add_fact(ev, "rows", std::to_string(blank_columns.rows));
      std::string ids;
      for (const std::string& c : blank_columns.ids) ids += (ids.empty() ? "" : "/") + c;
      ctx.add(id, FindingStatus::fail,
              ctx.say("table.cell-missing.columns",
                      {{"part", table.part}, {"table", table.name}, {"columns", list}, {"rows", blank_columns.rows}}),
              blank_columns.first.front()->location, key + ":columns:" + ids, ev);
    }
    for (const RowResult& row : t.rows) {
      if (!row.found || row.subtotal || !(row.in_expected || row.in_block_format) || ruled_out(ctx, t, row)) continue;
      std::vector<std::string> empty;
      Location empty_at;
      std::string first_raw;
      for (const Cell& cell : row.cells) {
        if (cell.status != CellStatus::empty || (cell.raw.empty() && blank_columns.ids.count(cell.column))) continue;
        if (empty.empty()) empty_at = cell.location, first_raw = cell.raw;
        empty.push_back(ctx.say(cell.raw.empty() ? "cell.blank" : "cell.placeholder", {{"column", column_label(cell)}, {"raw", cell.raw}}));
      }
      if (empty.empty()) continue;
      const std::string label = row_label(row);
      Evidence ev;
      add_fact(ev, "row", label);
      const std::string list = ctx.join(empty, "list.semicolon");
      add_fact(ev, "empty cells", list);
      ctx.span(ctx.add(id, FindingStatus::fail,
                       ctx.say("table.cell-missing", {{"row", label}, {"empty", empty.size()}, {"cells", row.cells.size()}, {"list", list}}),
                       empty_at, key + ":" + row.id, ev),
               first_raw);
    }
  });
}

// Cells that hold a value the column cannot have: a decimal count, a sign, too many digits, another unit.
void cell_invalid(CheckContext& ctx, const std::string& id) {
  for_tables(ctx, true, [&](const TableResult& t, const std::string&) {
    const auto& table = *t.table;
    const std::string key = table_key(t);
    for (const RowResult& row : t.rows) {
      if (!row.found) continue;
      const std::string label = row_label(row);
      std::vector<std::string> invalid;
      Location invalid_at;
      std::string first_raw;
      for (const Cell& cell : row.cells) {
        if (cell.status != CellStatus::invalid) continue;
        if (invalid.empty()) invalid_at = cell.location, first_raw = cell.raw;
        invalid.push_back(ctx.say("cell.written", {{"column", column_label(cell)}, {"raw", cell.raw}}));
      }
      if (!invalid.empty()) {
        Evidence ev;
        add_fact(ev, "row", label);
        const std::string list = ctx.join(invalid, "list.semicolon");
        add_fact(ev, "cells", list);
        ctx.span(ctx.add(id, FindingStatus::fail, ctx.say("table.cell-invalid", {{"row", label}, {"list", list}}), invalid_at,
                         key + ":" + row.id, ev),
                 first_raw);
      }
      // Units: a unit written in a cell must be the column's.
      auto table_format = table.in.find(row.format);
      if (table_format == table.in.end()) continue;
      for (const Cell& cell : row.cells) {
        if (cell.unit.empty() || !cell.value) continue;
        for (const auto& block : table_format->second->blocks) {
          if (block.id != row.block) continue;
          for (const auto& column : table_format->second->columns_of(block)) {
            if (column.id != cell.column || column.unit.empty() || column.unit == cell.unit) continue;
            Evidence ev;
            add_fact(ev, "unit written", cell.unit);
            add_fact(ev, "unit of the column", column.unit);
            Finding& unit_finding = ctx.add(id, FindingStatus::fail,
                    ctx.say("table.cell-invalid.unit", {{"row", label},
                                                        {"column", column_label(cell)},
                                                        {"raw", cell.raw},
                                                        {"unit", cell.unit},
                                                        {"column_unit", column.unit}}),
                    cell.location, key + ":" + row.id + ":" + cell.column + ":unit", ev);
            ctx.span(unit_finding, cell.raw);
          }
        }
      }
    }
  });
}

// Values the law rules out for this kind of body (grammar constraints of rule `id`).
void impossible_values(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report || !ctx.expected) return;
  const std::string& expected = ctx.expected->id;
  for (const grammar::Constraint& c : ctx.expected->constraints) {
    if (c.rule != id) continue;
    if (std::find(c.admin_levels.begin(), c.admin_levels.end(), ctx.report.admin_level) == c.admin_levels.end()) continue;
    const TableResult* t = ctx.tables.table(c.table);
    if (!t || !t->found) continue;
    const RowResult* row = t->row(c.row);
    if (!row || !row->found) continue;
    for (const Cell& cell : row->cells) {
      if (!cell.value || *cell.value <= c.max) continue;
      Evidence ev;
      ev.terms.push_back(term_of(c.table, *row, cell, "table"));
      add_fact(ev, "body", ctx.report.agency);
      add_fact(ev, "level", ctx.report.admin_level);
      add_fact(ev, "basis", c.basis);
      FindingStatus status = cell.status == CellStatus::inferred ? FindingStatus::uncertain : FindingStatus::fail;
      Finding& finding = ctx.add(id, status,
              ctx.say("value.impossible", {{"row", row_label(*row)},
                                           {"column", column_label(cell)},
                                           {"value", format_value(cell.value)},
                                           {"level", ctx.report.admin_level},
                                           {"basis", c.basis}}),
              cell.location, c.table + ":" + c.row + ":" + cell.column + ":" + expected, ev);
      ctx.span(finding, cell.raw);
    }
  }
}

}  // namespace

void register_table_rules(Registry& r) {
  r.add("table.missing", table_missing);
  r.add("format.version-mismatch", version_mismatch);
  r.add("table.header-variant", header_variant);
  r.add("table.row-missing", row_missing);
  r.add("table.row-unexpected", row_unexpected);
  r.add("table.column-unexpected", column_unexpected);
  r.add("table.label-variant", label_variant);
  r.add("table.row-uncertain", row_uncertain);
  r.add("table.cell-missing", cell_missing);
  r.add("table.cell-invalid", cell_invalid);
  r.add("table.not-applicable", not_applicable);
  r.add("value.impossible", impossible_values);
}

}  // namespace xxgk::checks
