// Indicator rules: what a statistics table of the years before 2019 says about itself (grammars/indicators-pre2019.xml).
// There was no national format then, so no row is required and no layout is wrong; but a part above its total, parts
// that cannot add up to a total whose list is complete, or a year's count above 历年累计 contradict the table's own
// numbers. A cell cut from a run by that very arithmetic proves nothing about it: such findings are uncertain.
#include <cmath>
#include <cstdlib>

#include "checks/registry.hpp"
#include "tables/arithmetic.hpp"

namespace xxgk::checks {
namespace {

EvidenceTerm indicator_term(const Table& table, const Row& row, const Cell& cell, const std::string& side) {
  EvidenceTerm t;
  t.side = side;
  t.cell = table.id + "/" + row.id + "/" + cell.column;
  t.label = row.label + " | " + (cell.column_path.empty() ? cell.column : cell.column_path.back());
  t.value = cell.value;
  t.raw = cell.raw;
  t.status = cell.status;
  t.location = cell.location;
  return t;
}

bool read(const Cell* cell) {
  return cell && cell->value && (cell->status == CellStatus::ok || cell->status == CellStatus::split ||
                                 cell->status == CellStatus::inferred);
}

const Cell* cell_of(const Row& row, const std::string& column) {
  for (const Cell& c : row.cells)
    if (c.column == column) return &c;
  return nullptr;
}

std::string column_name(const Cell& cell) { return cell.column_path.empty() ? cell.column : cell.column_path.back(); }

void sum_mismatch(CheckContext& ctx, const std::string& id) {
  if (!ctx.tables.indicators) return;
  const Table& table = *ctx.tables.indicators;
  const auto& grammar = ctx.grammars.indicators;
  for (const Row& total : table.rows) {
    const grammar::IndicatorTable::Item* item = grammar.item(total.id);
    if (!item || !item->parent.empty()) continue;
    std::vector<const Row*> parts;
    bool complete = false;
    for (const Row& r : table.rows) {
      const grammar::IndicatorTable::Item* part = grammar.item(r.id);
      if (!part || part->parent != total.id) continue;
      parts.push_back(&r);
      complete = complete || part->other;
    }
    if (parts.empty()) continue;
    for (const Cell& whole : total.cells) {
      if (!read(&whole)) continue;
      double sum = 0;
      bool all = true, inferred = whole.status == CellStatus::inferred;
      std::string addends;
      Evidence ev;
      ev.terms.push_back(indicator_term(table, total, whole, "left"));
      for (const Row* p : parts) {
        const Cell* c = cell_of(*p, whole.column);
        if (!read(c)) {
          all = false;
          continue;
        }
        inferred = inferred || c->status == CellStatus::inferred;
        sum += *c->value;
        ev.terms.push_back(indicator_term(table, *p, *c, "right"));
        addends += (addends.empty() ? "" : " + ") + p->label + " " + format_value(c->value);
        // No part is above its total, whatever else the parts count.
        if (*c->value > *whole.value + tables::kArithmeticTolerance) {
          Evidence one;
          one.terms = {indicator_term(table, total, whole, "left"), indicator_term(table, *p, *c, "right")};
          one.reported = whole.value;
          one.computed = c->value;
          one.difference = *whole.value - *c->value;
          const auto status = whole.status == CellStatus::inferred || c->status == CellStatus::inferred
                                  ? FindingStatus::uncertain : FindingStatus::fail;
          ctx.add(id, status,
                  ctx.say("indicators.part-above-total", {{"part", p->label},
                                                          {"column", column_name(*c)},
                                                          {"value", format_value(c->value)},
                                                          {"total", total.label},
                                                          {"total_value", format_value(whole.value)}}),
                  c->location, "part:" + p->id + ":" + c->column, one);
        }
      }
      if (item->parts_overlap || ev.terms.size() < 2) continue;
      const bool above = sum > *whole.value + tables::kArithmeticTolerance;
      const bool short_of = complete && all && !tables::same_value(sum, *whole.value);
      if (!above && !short_of) continue;
      bool one_part_above = false;
      for (const Row* p : parts)
        if (const Cell* c = cell_of(*p, whole.column); read(c) && *c->value > *whole.value + tables::kArithmeticTolerance)
          one_part_above = true;
      if (one_part_above) continue;  // said above, for that part
      ev.reported = whole.value;
      ev.computed = sum;
      ev.difference = *whole.value - sum;
      ctx.add(id, inferred ? FindingStatus::uncertain : FindingStatus::fail,
              ctx.say(short_of ? "indicators.sum" : "indicators.sum.above", {{"total", total.label},
                                                                            {"column", column_name(whole)},
                                                                            {"value", format_value(whole.value)},
                                                                            {"sum", format_value(sum)},
                                                                            {"addends", addends}}),
              whole.location, "sum:" + total.id + ":" + whole.column, ev);
    }
  }
}

void cumulative_below_year(CheckContext& ctx, const std::string& id) {
  if (!ctx.tables.indicators) return;
  const Table& table = *ctx.tables.indicators;
  for (const Row& row : table.rows) {
    const Cell* year = cell_of(row, "year");
    const Cell* cumulative = cell_of(row, "cumulative");
    if (!read(year) || !read(cumulative) || *year->value <= *cumulative->value + tables::kArithmeticTolerance) continue;
    Evidence ev;
    ev.terms = {indicator_term(table, row, *year, "left"), indicator_term(table, row, *cumulative, "right")};
    ev.reported = year->value;
    ev.computed = cumulative->value;
    ev.difference = *year->value - *cumulative->value;
    const bool inferred = year->status == CellStatus::inferred || cumulative->status == CellStatus::inferred;
    ctx.add(id, inferred ? FindingStatus::uncertain : FindingStatus::fail,
            ctx.say("indicators.cumulative", {{"label", row.label},
                                              {"year", format_value(year->value)},
                                              {"cumulative", format_value(cumulative->value)}}),
            year->location, row.id, ev);
  }
}

// A count the prose before the table states of the year, against the table's cell. A cell that was not read, or
// read by the table's arithmetic alone, proves nothing against the prose.
void prose_mismatch(CheckContext& ctx, const std::string& id) {
  if (!ctx.tables.indicators) return;
  const Table& table = *ctx.tables.indicators;
  const auto& grammar = ctx.grammars.indicators;
  const std::string& compact = ctx.doc.compact.text;
  Regex::Match anchor;
  if (!grammar.anchor || !grammar.anchor->search(compact, 0, anchor)) return;
  const std::string_view prose = std::string_view(compact).substr(0, anchor.begin);
  for (const grammar::IndicatorTable::Claim& claim : grammar.claims) {
    const Row* row = table.row(claim.item);
    const Cell* cell = row && !row->cells.empty() ? &row->cells.front() : nullptr;
    if (!read(cell)) continue;
    for (const Regex::Match& m : claim.pattern.find_all(prose)) {
      std::optional<double> claimed = claim.value;
      if (!claimed) {
        const std::string_view n = group_text(prose, m, claim.pattern.group("n"));
        if (!n.empty()) claimed = std::strtod(std::string(n).c_str(), nullptr);
      }
      if (!claimed || tables::same_value(*claimed, *cell->value)) continue;
      const std::string said = ctx.doc.source_text(m.begin, m.end);
      Evidence ev;
      ev.terms.push_back(indicator_term(table, *row, *cell, "table"));
      add_fact(ev, "text", said);
      add_fact(ev, "claim", claim.id);
      ev.reported = claimed;
      ev.computed = cell->value;
      ev.difference = *claimed - *cell->value;
      Finding& f = ctx.add(id, cell->status == CellStatus::inferred ? FindingStatus::uncertain : FindingStatus::fail,
                           ctx.say("narrative.table-mismatch", {{"said", said},
                                                                {"claimed", format_value(claimed)},
                                                                {"gives", format_value(cell->value)},
                                                                {"label", row->label + " " + column_name(*cell)}}),
                           ctx.doc.locate_compact(m.begin), claim.id + ":" + format_value(claimed) + ":" + said, ev);
      ctx.span(f, said);
    }
  }
}

}  // namespace

void register_indicator_rules(Registry& r) {
  r.add("indicators.prose-mismatch", prose_mismatch);
  r.add("indicators.sum-mismatch", sum_mismatch);
  r.add("indicators.cumulative-below-year", cumulative_below_year);
}

}  // namespace xxgk::checks
