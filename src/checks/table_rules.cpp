// Table rules: the tables of parts 2–4 against the format the report year requires (format §1.4–§1.6, §2.3–§2.6).
#include <algorithm>
#include <map>
#include <set>

#include "checks/registry.hpp"

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

void check_versions(CheckContext& ctx, const TableResult& t, const std::string& expected) {
  const auto& table = *t.table;
  for (size_t b = 0; b < table.blocks.size(); ++b) {
    const auto& block = table.blocks[b];
    const auto& br = t.blocks[b];
    if (!br.found) continue;
    const std::string name = block_name(table, block, br.format);
    if (br.format != expected) {
      Evidence ev;
      ev.facts.emplace_back("block", name);
      ev.facts.emplace_back("follows", br.format);
      ev.facts.emplace_back("required", expected);
      for (const auto& [f, score] : br.evidence) ev.facts.emplace_back("evidence score " + f, std::to_string(score));
      std::vector<std::string> written;
      for (const auto& h : br.headers) written.push_back(h.written);
      if (!written.empty()) ev.facts.emplace_back("headers found", join(written));
      std::string message =
          !block.in.count(expected)
              ? ctx.say("format.version-mismatch.no-block", {{"block", name}, {"format", br.format}, {"expected", expected}})
              : ctx.say("format.version-mismatch",
                        {{"block", name},
                         {"format", br.format},
                         {"year", ctx.report.year ? std::to_string(*ctx.report.year) : ctx.say("this-year")},
                         {"expected", expected},
                         {"document", ctx.expected->document}});
      ctx.add("format.version-mismatch", FindingStatus::fail, message, br.location, table_key(t) + ":" + block.id, ev);
    }
    // Header cells that are not the expected format's canonical wording.
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
    if (!off.empty() && block.in.count(expected)) {
      Evidence ev;
      ev.facts.emplace_back("block", name);
      ev.facts.emplace_back("headers found", join(off));
      ev.facts.emplace_back("format " + expected, join(column_headers(table, block, expected)));
      ctx.add("table.header-variant", FindingStatus::fail,
              ctx.say("table.header-variant", {{"block", name},
                                               {"found", ctx.join(off)},
                                               {"expected", expected},
                                               {"canonical", ctx.join(column_headers(table, block, expected))}}),
              where, table_key(t) + ":" + block.id, ev);
    }
  }
}

bool block_has_overfull_row(const TableResult& t, const std::string& block) {
  for (const RowResult& r : t.rows)
    if (r.block == block && r.found && r.run.values.size() > r.cells.size()) return true;
  return false;
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
  std::map<std::string, Count> counts;
  std::vector<std::string> order;
  BlankColumns out;
  for (const RowResult& r : t.rows) {
    if (!r.found || r.subtotal || !(r.in_expected || r.in_block_format)) continue;
    ++out.rows;
    for (const Cell& c : r.cells) {
      auto [it, added] = counts.try_emplace(c.column);
      if (added) order.push_back(c.column);
      ++it->second.rows;
      if (c.status == CellStatus::empty && c.raw.empty() && !it->second.blank++) it->second.first = &c;
    }
  }
  for (const std::string& id : order)
    if (const Count& n = counts[id]; n.rows >= kMinRows && n.blank == n.rows) {
      out.ids.insert(id);
      out.first.push_back(n.first);
    }
  return out;
}

void check_rows(CheckContext& ctx, const TableResult& t, const std::string& expected) {
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
    ev.facts.emplace_back("rows", std::to_string(rows));
    ev.facts.emplace_back("cells", std::to_string(cells));
    ctx.add("table.cell-missing", FindingStatus::fail,
            ctx.say("table.cell-missing.all", {{"part", table.part}, {"table", table.name}, {"cells", cells}, {"rows", rows}}),
            t.location, key + ":all", ev);
  }
  // Columns left blank in every row (a page that fills only 自然人 and 总计): one finding for the columns, not
  // one per row.
  const BlankColumns blank_columns = blank ? BlankColumns{} : blank_columns_of(t);
  if (!blank_columns.first.empty()) {
    std::vector<std::string> labels;
    for (const Cell* c : blank_columns.first) labels.push_back(column_label(*c));
    const std::string list = ctx.join(labels, "list.semicolon");
    Evidence ev;
    ev.facts.emplace_back("columns", list);
    ev.facts.emplace_back("rows", std::to_string(blank_columns.rows));
    std::string ids;
    for (const std::string& c : blank_columns.ids) ids += (ids.empty() ? "" : "/") + c;
    ctx.add("table.cell-missing", FindingStatus::fail,
            ctx.say("table.cell-missing.columns",
                    {{"part", table.part}, {"table", table.name}, {"columns", list}, {"rows", blank_columns.rows}}),
            blank_columns.first.front()->location, key + ":columns:" + ids, ev);
  }
  for (const RowResult& row : t.rows) {
    const tables::BlockResult* br = t.block(row.block);
    const std::string label = row_label(row);
    if (!row.found) {
      if (!row.in_expected || CheckContext::beyond_truncation(t, row)) continue;
      // A neighbour that took more values than it has cells may have swallowed this row; scrambled or
      // paginated text may have moved it.
      std::string doubt_reason;
      if (block_has_overfull_row(t, row.block)) doubt_reason = ctx.say("doubt.neighbour-overfull");
      else if (t.scrambled) doubt_reason = ctx.say("doubt.scrambled", {{"reason", ctx.say(t.scramble_reason)}});
      else if (ctx.lossy_extraction()) doubt_reason = ctx.lossy_extraction_reason();
      const bool doubt = !doubt_reason.empty();
      Evidence ev;
      ev.facts.emplace_back("row", label);
      ev.facts.emplace_back("block", block_name(table, *std::find_if(table.blocks.begin(), table.blocks.end(),
                                                                      [&](const auto& b) { return b.id == row.block; }),
                                                 expected));
      if (doubt) ev.facts.emplace_back("doubt", doubt_reason);
      // Place: the next row that was found, else the table.
      Location where = t.location;
      for (const RowResult& f : t.rows)
        if (f.found && f.item > row.item) {
          where = f.location;
          break;
        }
      ctx.add("table.row-missing", doubt ? FindingStatus::uncertain : FindingStatus::fail,
              ctx.say(label.empty() ? "table.row-missing.numbers" : "table.row-missing",
                      {{"row", label}, {"part", table.part}, {"table", table.name}}),
              where,
              key + ":" + row.id, ev);
      continue;
    }
    // Found rows.
    if (row.subtotal) {
      Evidence ev;
      ev.facts.emplace_back("label", row.label_written);
      ev.facts.emplace_back("values", row.run.raw());
      ctx.add("table.row-unexpected", FindingStatus::fail,
              ctx.say("table.row-unexpected.subtotal", {{"label", row.label_written}, {"values", row.run.raw()}}),
              row.location, key + ":" + row.id + ":subtotal", ev);
    } else if (!row.in_expected && br && br->format == expected && !br->expected.empty()) {
      Evidence ev;
      ev.facts.emplace_back("label", row.label_written);
      ctx.add("table.row-unexpected", FindingStatus::fail,
              ctx.say("table.row-unexpected", {{"label", row.label_written}, {"expected", expected}}), row.location,
              key + ":" + row.id, ev);
    }
    if (row.matched && row.item->in.count(expected)) {
      auto it = row.matched->formats.find(expected);
      bool variant = it == row.matched->formats.end() || it->second == grammar::LabelKind::variant ||
                     it->second == grammar::LabelKind::fragment || row.label_tail;
      if (variant) {
        std::string canonical = row.item->in.at(expected)->canonical().text;
        Evidence ev;
        ev.facts.emplace_back("written", row.label_written);
        ev.facts.emplace_back("format " + expected, canonical);
        ctx.add("table.label-variant", FindingStatus::fail,
                ctx.say("table.label-variant", {{"written", row.label_written}, {"expected", expected}, {"canonical", canonical}}),
                row.location, key + ":" + row.id, ev);
      }
    }
    if (!row.doubt.empty()) {
      const std::string doubt = ctx.say(row.doubt);
      Evidence ev;
      ev.facts.emplace_back("row", label);
      ev.facts.emplace_back("raw", row.run.raw());
      ev.facts.emplace_back("cells", std::to_string(row.cells.size()));
      ev.facts.emplace_back("doubt", doubt);
      ev.candidates = row.candidates;
      Location where = row.cells.empty() ? row.location : row.cells.front().location;
      ctx.add("table.row-uncertain", FindingStatus::uncertain,
              ctx.say("table.row-uncertain", {{"row", label}, {"raw", row.run.raw()}, {"cells", row.cells.size()}, {"doubt", doubt}}),
              where, key + ":" + row.id, ev);
    }
    std::vector<std::string> empty, invalid;
    Location empty_at, invalid_at;
    for (const Cell& cell : row.cells) {
      if (cell.status == CellStatus::empty && !(cell.raw.empty() && blank_columns.ids.count(cell.column))) {
        if (empty.empty()) empty_at = cell.location;
        empty.push_back(ctx.say(cell.raw.empty() ? "cell.blank" : "cell.placeholder", {{"column", column_label(cell)}, {"raw", cell.raw}}));
      }
      if (cell.status == CellStatus::invalid) {
        if (invalid.empty()) invalid_at = cell.location;
        invalid.push_back(ctx.say("cell.written", {{"column", column_label(cell)}, {"raw", cell.raw}}));
      }
    }
    if (!blank && !empty.empty() && (row.in_expected || row.in_block_format) && !row.subtotal) {
      Evidence ev;
      ev.facts.emplace_back("row", label);
      const std::string list = ctx.join(empty, "list.semicolon");
      ev.facts.emplace_back("empty cells", list);
      ctx.add("table.cell-missing", FindingStatus::fail,
              ctx.say("table.cell-missing", {{"row", label}, {"empty", empty.size()}, {"cells", row.cells.size()}, {"list", list}}),
              empty_at, key + ":" + row.id, ev);
    }
    if (!invalid.empty()) {
      Evidence ev;
      ev.facts.emplace_back("row", label);
      const std::string list = ctx.join(invalid, "list.semicolon");
      ev.facts.emplace_back("cells", list);
      ctx.add("table.cell-invalid", FindingStatus::fail, ctx.say("table.cell-invalid", {{"row", label}, {"list", list}}),
              invalid_at,
              key + ":" + row.id, ev);
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
          ev.facts.emplace_back("unit written", cell.unit);
          ev.facts.emplace_back("unit of the column", column.unit);
          ctx.add("table.cell-invalid", FindingStatus::fail,
                  ctx.say("table.cell-invalid.unit", {{"row", label},
                                                      {"column", column_label(cell)},
                                                      {"raw", cell.raw},
                                                      {"unit", cell.unit},
                                                      {"column_unit", column.unit}}),
                  cell.location, key + ":" + row.id + ":" + cell.column + ":unit", ev);
        }
      }
    }
  }
}

void check_constraints(CheckContext& ctx, const std::string& expected) {
  for (const grammar::Constraint& c : ctx.expected->constraints) {
    if (std::find(c.admin_levels.begin(), c.admin_levels.end(), ctx.report.admin_level) == c.admin_levels.end())
      continue;
    const TableResult* t = ctx.tables.table(c.table);
    if (!t || !t->found) continue;
    const RowResult* row = t->row(c.row);
    if (!row || !row->found) continue;
    for (const Cell& cell : row->cells) {
      if (!cell.value || *cell.value <= c.max) continue;
      Evidence ev;
      ev.terms.push_back(term_of(c.table, *row, cell, "table"));
      ev.facts.emplace_back("body", ctx.report.agency);
      ev.facts.emplace_back("level", ctx.report.admin_level);
      ev.facts.emplace_back("basis", c.basis);
      FindingStatus status = cell.status == CellStatus::inferred ? FindingStatus::uncertain : FindingStatus::fail;
      ctx.add(c.rule, status,
              ctx.say("value.impossible", {{"row", row_label(*row)},
                               {"column", column_label(cell)},
                               {"value", format_value(cell.value)},
                               {"level", ctx.report.admin_level},
                               {"basis", c.basis}}),
              cell.location, c.table + ":" + c.row + ":" + cell.column + ":" + expected, ev);
    }
  }
}

void run(CheckContext& ctx) {
  if (!ctx.report.is_report || !ctx.expected) return;
  const std::string expected = ctx.expected->id;
  for (const TableResult& t : ctx.tables.tables) {
    if (!t.table->in.count(expected)) continue;
    if (!t.found) {
      const sections::Heading* part = ctx.sections.part(t.table->part);
      const int cut = ctx.truncated_in_part();
      if (cut > 0 && t.table->part >= cut) continue;  // not seen, or the text ends in this part: text.truncated says so
      Evidence ev;
      ev.facts.emplace_back("table", t.table->name);
      if (ctx.lossy_extraction()) ev.facts.emplace_back("doubt", ctx.lossy_extraction_reason());
      ctx.add("table.missing", ctx.lossy_extraction() ? FindingStatus::uncertain : FindingStatus::fail,
              ctx.say("table.missing", {{"part", t.table->part}, {"table", t.table->name}}),
              part ? part->location : ctx.doc.locate_source(ctx.doc.source.size()),
              t.table->id, ev);
      continue;
    }
    check_versions(ctx, t, expected);
    check_rows(ctx, t, expected);
    for (const auto& stray : t.stray_rows) {
      Evidence ev;
      ev.facts.emplace_back("label", stray.label);
      ev.facts.emplace_back("values", stray.values);
      ctx.add("table.row-unexpected", FindingStatus::fail,
              ctx.say("table.row-unexpected.stray", {{"label", stray.label}, {"values", stray.values}, {"expected", expected}}),
              stray.location, t.table->id + ":stray:" + stray.label, ev);
    }
    if (!t.extra_columns.empty()) {
      Evidence ev;
      ev.facts.emplace_back("table", t.table->name);
      ev.facts.emplace_back("columns", join(t.extra_columns));
      ctx.add("table.column-unexpected", FindingStatus::fail,
              ctx.say("table.column-unexpected", {{"part", t.table->part}, {"columns", ctx.join(t.extra_columns)}}),
              t.location, t.table->id + ":" + join(t.extra_columns, "/"), ev);
    }
  }
  check_constraints(ctx, expected);
}

}  // namespace

Family table_rules() {
  return Family{"tables",
                {
                    {"table.missing", Severity::error, "the statistical table of part 2, 3 or 4 is missing"},
                    {"table.row-missing", Severity::error, "a row of a table is missing"},
                    {"table.row-unexpected", Severity::warning, "a table has a row the format does not have (e.g. a subtotal)"},
                    {"table.column-unexpected", Severity::warning, "an HTML table has a column the format does not have (e.g. 小计)"},
                    {"table.row-uncertain", Severity::warning, "a row's values cannot be placed in its cells without guessing"},
                    {"table.label-variant", Severity::warning, "a row label is worded differently from the format"},
                    {"table.header-variant", Severity::warning, "column headers differ from the format the report must follow"},
                    {"table.cell-missing", Severity::warning, "a cell holds no number (blank or placeholder)"},
                    {"table.cell-invalid", Severity::warning, "a cell holds a value the column cannot have (decimal count, sign, unit)"},
                    {"format.version-mismatch", Severity::error, "tables (or blocks of them) follow another format than the report year requires"},
                    {"value.impossible", Severity::error, "a value the law rules out (e.g. 规章 made by a township)"},
                },
                run};
}

}  // namespace xxgk::checks
