// Total rules: the arithmetic of the tables, as declared in the grammars (format §1.7: A1–A4), read through
// tables/arithmetic.hpp.
//
// A relation is judged only on cells that were read: an unread cell leaves it unjudged (table.row-uncertain says
// why), and a reading chosen by the relation itself proves nothing about it. Blank cells follow the table's
// convention: where every relation holds with them read as 0, the table leaves its zeros blank (table.blank-zero,
// once); otherwise a relation that fails only with blanks counted as 0 is doubt, and a blank total, or blank
// addends only, are a missing number (table.cell-missing), never a wrong sum.
#include <algorithm>

#include "checks/registry.hpp"
#include "tables/arithmetic.hpp"

namespace xxgk::checks {
namespace {

using tables::RelationInstance;
using tables::RowResult;
using tables::TableResult;
using tables::Term;

// The terms as an auditor reads them: each with its value (∅ for a blank), the zeros left out when the list is long —
// they stay in the evidence.
std::string describe(CheckContext& ctx, const std::vector<Term>& terms, bool by_column) {
  constexpr size_t kAllShown = 4;
  std::string out;
  size_t zeros = 0;
  for (const Term& t : terms) {
    const bool zero = t.cell->value && *t.cell->value == 0;
    if (zero && terms.size() > kAllShown) {
      ++zeros;
      continue;
    }
    if (!out.empty()) out += " + ";
    out += (by_column ? row_label(*t.row) : column_label(*t.cell)) + " " + format_value(t.cell->value);
  }
  if (zeros) out += ctx.say(out.empty() ? "terms.all-zero" : "terms.zeros", {{"n", zeros}});
  return out;
}

Phrase along_of(const TableResult& table, const RelationInstance& in) {
  if (in.row) {
    const std::string label = row_label(*in.row);
    return label.empty() ? Phrase{"along.table", {{"part", table.table->part}}} : Phrase{"along.row", {{"row", label}}};
  }
  return Phrase{"along.column", {{"column", column_label(*in.left.front().cell)}}};
}

void judge(CheckContext& ctx, const std::string& id, const TableResult& table, const RelationInstance& in, bool blank_zero) {
  if (!in.judgeable() || in.holds()) return;
  // A blank total over figures, or blank figures under a total: a number is missing (table.cell-missing), the sum
  // cannot be judged.
  if (in.blanks && (in.left_blank || in.right_blank)) return;
  const bool by_column = in.relation->axis == grammar::Relation::Axis::column;
  Evidence ev;
  for (const Term& t : in.left) ev.terms.push_back(term_of(table.table->id, *t.row, *t.cell, "left"));
  for (const Term& t : in.right) ev.terms.push_back(term_of(table.table->id, *t.row, *t.cell, "right"));
  ev.reported = in.left_sum;
  ev.computed = in.right_sum;
  ev.difference = in.left_sum - in.right_sum;
  if (in.inferred) add_fact(ev, "doubt", ctx.say("doubt.inferred"));
  const bool blank_doubt = in.blanks && !blank_zero;
  if (blank_doubt) add_fact(ev, "doubt", ctx.say("doubt.placeholder"));
  const std::string along = ctx.say(along_of(table, in));
  const std::string suffix = in.blanks ? ".blanks" : "";
  std::string message;
  if (in.relation->is_sum) {
    // The stated total by its full name (row and column), and the addends that are not zero.
    const Term& total = in.left.front();
    const std::string row = row_label(*total.row);
    std::string subject = column_label(*total.cell);
    if (!row.empty()) subject = subject.empty() ? row : row + " " + subject;
    message = ctx.say("total.sum" + suffix, {{"along", along},
                                             {"stated", describe(ctx, in.left, by_column)},
                                             {"subject", subject},
                                             {"total", format_value(in.left_sum)},
                                             {"sum", format_value(in.right_sum)},
                                             {"addends", describe(ctx, in.right, by_column)}});
  } else {
    message = ctx.say("total.equation" + suffix, {{"along", along},
                                                  {"left", describe(ctx, in.left, by_column)},
                                                  {"left_sum", format_value(in.left_sum)},
                                                  {"right", describe(ctx, in.right, by_column)},
                                                  {"right_sum", format_value(in.right_sum)}});
  }
  const std::string key = table.table->id + ":" + in.relation->signature + ":" + (in.row ? in.row->id : in.column);
  const FindingStatus status = in.inferred || blank_doubt ? FindingStatus::uncertain : FindingStatus::fail;
  ctx.span(ctx.add(id, status, message, in.left.front().cell->location, key, ev), in.left.front().cell->raw);
}

// Figures that every failing relation they take part in points at, one row's (a wrong figure, or a row of them:
// （七）总计 printed as 0 0 0 …): one finding, under the rule of the first of those relations, naming each figure,
// what would make the relations hold, and each relation.
void judge_culprits(CheckContext& ctx, const std::string& id, const TableResult& table,
                    const std::vector<RelationInstance>& instances, const std::vector<const tables::Culprit*>& row) {
  Evidence ev;
  std::vector<std::string> figures, should, relations;
  bool inferred = false;
  size_t broken = 0;
  for (const tables::Culprit* culprit : row) {
    const Cell& cell = *culprit->term.cell;
    ev.terms.push_back(term_of(table.table->id, *culprit->term.row, cell, "table"));
    figures.push_back(column_label(cell) + " = " + format_value(cell.value));
    should.push_back(format_value(culprit->should_be));
    for (size_t i : culprit->instances) {
      const RelationInstance& in = instances[i];
      relations.push_back(ctx.say(along_of(table, in)) + " " + ctx.say("relation." + in.relation->rule));
      add_fact(ev, "relation", ctx.say(along_of(table, in)) + ": " + format_value(in.left_sum) + " ≠ " + format_value(in.right_sum));
      inferred |= in.inferred;
      ++broken;
    }
  }
  const Cell& first = *row.front()->term.cell;
  if (row.size() == 1) {
    ev.reported = first.value;
    ev.computed = row.front()->should_be;
    ev.difference = *first.value - row.front()->should_be;
  }
  if (inferred) add_fact(ev, "doubt", ctx.say("doubt.inferred"));
  std::string subject = row_label(*row.front()->term.row);
  std::string key = table.table->id + ":culprit:" + row.front()->term.row->id;
  for (const tables::Culprit* c : row) key += ":" + c->term.cell->column;
  Finding& finding = ctx.add(id, inferred ? FindingStatus::uncertain : FindingStatus::fail,
                             ctx.say("total.culprit", {{"cell", subject.empty() ? ctx.join(figures) : subject + " " + ctx.join(figures)},
                                                       {"n", broken},
                                                       {"should", ctx.join(should)},
                                                       {"relations", ctx.join(relations)}}),
                             first.location, key, ev);
  if (row.size() == 1) ctx.span(finding, first.raw);
}

// The relations the grammars give rule `id`.
void relations(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report || !ctx.expected) return;
  for (const TableResult& table : ctx.tables.tables) {
    const CheckContext::Arithmetic& arithmetic = ctx.arithmetic(table);
    const auto& instances = arithmetic.instances;
    const bool blank_zero = arithmetic.blanks_mean_zero;
    // Wrong figures behind several failing relations are said once per row, by the rule of the first of them.
    std::vector<bool> explained(instances.size(), false);
    const auto& culprits = arithmetic.culprits;
    std::vector<std::vector<const tables::Culprit*>> rows;
    for (const tables::Culprit& culprit : culprits) {
      for (size_t i : culprit.instances) explained[i] = true;
      auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.front()->term.row == culprit.term.row; });
      if (it == rows.end()) rows.push_back({&culprit});
      else it->push_back(&culprit);
    }
    for (const auto& row : rows) {
      size_t owner = SIZE_MAX;
      for (const tables::Culprit* c : row) owner = std::min(owner, c->instances.front());
      if (instances[owner].relation->rule == id) judge_culprits(ctx, id, table, instances, row);
    }
    for (size_t i = 0; i < instances.size(); ++i)
      if (!explained[i] && instances[i].relation->rule == id) judge(ctx, id, table, instances[i], blank_zero);
  }
}

// A table that leaves its zeros blank: every relation holds with the blanks read as 0. Said once per table.
void blank_zero(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report || !ctx.expected) return;
  for (const TableResult& table : ctx.tables.tables) {
    const auto& instances = ctx.arithmetic(table).instances;
    if (!ctx.arithmetic(table).blanks_mean_zero) continue;
    size_t blanks = 0;
    const Cell* first = nullptr;
    for (const RowResult& r : table.rows)
      for (const Cell& c : r.cells)
        if (r.found && c.status == CellStatus::empty) {
          ++blanks;
          if (!first) first = &c;
        }
    Evidence ev;
    add_fact(ev, "blank cells", std::to_string(blanks));
    add_fact(ev, "relations", std::to_string(instances.size()));
    ctx.add(id, FindingStatus::fail,
            ctx.say("table.blank-zero", {{"part", table.table->part}, {"table", table.table->name}, {"blanks", blanks}}),
            first ? first->location : table.location, table.table->id, ev);
  }
}

}  // namespace

void register_total_rules(Registry& r) {
  // Each is a relation of the tables (grammars/format-*.xml names its rule).
  r.add("total.balance", relations);
  r.add("total.row-sum", relations);
  r.add("total.outcome-sum", relations);
  r.add("total.review-sum", relations);
  r.add("table.blank-zero", blank_zero);
}

}  // namespace xxgk::checks
