// Total rules: the arithmetic of the tables, as declared in the grammars (format §1.7: A1–A4).
//
// A relation is checked only on cells that were read: uncertain or missing cells skip it. A digit reading
// chosen because it satisfies a relation is never evidence for that relation; a mismatch that involves such
// a reading, or a placeholder counted as 0, is reported as uncertain.
#include <algorithm>
#include <cmath>
#include <set>

#include "checks/registry.hpp"

namespace xxgk::checks {
namespace {

using tables::RowResult;
using tables::TableResult;

constexpr double kTolerance = 1e-6;

struct Term {
  const RowResult* row;
  const Cell* cell;
};

// Reads a side of a relation. Returns false when a cell cannot take part.
bool read_side(const std::vector<Term>& terms, double& sum, bool& doubtful, bool& placeholder) {
  sum = 0;
  for (const Term& t : terms) {
    switch (t.cell->status) {
      case CellStatus::ok:
      case CellStatus::split:
        sum += *t.cell->value;
        break;
      case CellStatus::inferred:
        sum += *t.cell->value;
        doubtful = true;
        break;
      case CellStatus::empty:
        placeholder = true;  // counted as 0
        break;
      default:
        return false;
    }
  }
  return true;
}

std::string describe(const std::vector<Term>& terms, bool by_column) {
  std::string out;
  for (const Term& t : terms) {
    if (!out.empty()) out += " + ";
    out += (by_column ? row_label(*t.row) : column_label(*t.cell)) + " " + format_value(t.cell->value);
  }
  return out;
}

// `along` names the row or column the relation runs along (along.row, along.column, along.table).
void evaluate(CheckContext& ctx, const TableResult& table, const grammar::Relation& relation,
              const std::vector<Term>& left, const std::vector<Term>& right, const Phrase& along,
              const std::string& key) {
  // A reading chosen by this very relation proves nothing about it.
  for (const auto* side : {&left, &right})
    for (const Term& t : *side)
      if (t.cell->status == CellStatus::inferred &&
          std::find(t.row->inferred_by.begin(), t.row->inferred_by.end(), relation.signature) != t.row->inferred_by.end())
        return;
  double l = 0, r = 0;
  bool doubtful = false, placeholder = false;
  if (!read_side(left, l, doubtful, placeholder) || !read_side(right, r, doubtful, placeholder)) return;
  if (std::fabs(l - r) < kTolerance) return;

  const bool by_column = relation.axis == grammar::Relation::Axis::column;
  Evidence ev;
  for (const Term& t : left) ev.terms.push_back(term_of(table.table->id, *t.row, *t.cell, "left"));
  for (const Term& t : right) ev.terms.push_back(term_of(table.table->id, *t.row, *t.cell, "right"));
  ev.reported = l;
  ev.computed = r;
  ev.difference = l - r;
  if (doubtful) add_fact(ev, "doubt", ctx.say("doubt.inferred"));
  if (placeholder) add_fact(ev, "doubt", ctx.say("doubt.placeholder"));
  std::string message;
  if (relation.is_sum) {
    // The stated total by its full name (row and column), and every addend with its value.
    const Term& total = left.front();
    const std::string row = row_label(*total.row);
    std::string subject = column_label(*total.cell);
    if (!row.empty()) subject = subject.empty() ? row : row + " " + subject;
    message = ctx.say("total.sum", {{"along", ctx.say(along)},
                                    {"stated", describe(left, by_column)},
                                    {"subject", subject},
                                    {"total", format_value(l)},
                                    {"sum", format_value(r)},
                                    {"addends", describe(right, by_column)}});
  } else {
    message = ctx.say("total.equation", {{"along", ctx.say(along)},
                                         {"left", describe(left, by_column)},
                                         {"left_sum", format_value(l)},
                                         {"right", describe(right, by_column)},
                                         {"right_sum", format_value(r)}});
  }
  FindingStatus status = doubtful || placeholder ? FindingStatus::uncertain : FindingStatus::fail;
  ctx.add(relation.rule, status, message, left.front().cell->location, key, ev);
}

// The relations the grammars give rule `id`.
void relations(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report || !ctx.expected) return;
  for (const TableResult& table : ctx.tables.tables) {
    if (!table.found) continue;
    // Relations of every format, once each: a block read in another revision keeps its own arithmetic.
    std::vector<const grammar::Relation*> table_relations;
    std::set<std::string> seen;
    for (const auto& [format, t] : table.table->in)
      for (const grammar::Relation& r : t->relations)
        if (seen.insert(r.signature).second) table_relations.push_back(&r);

    for (const grammar::Relation* relation : table_relations) {
      if (relation->rule != id) continue;
      if (relation->axis == grammar::Relation::Axis::row) {
        for (const RowResult& row : table.rows) {
          if (!row.found) continue;
          auto cells_of = [&](const std::vector<std::string>& ids, std::vector<Term>& out) {
            for (const std::string& column_id : ids) {
              auto it = std::find_if(row.cells.begin(), row.cells.end(), [&](const Cell& c) { return c.column == column_id; });
              if (it == row.cells.end()) return false;
              out.push_back(Term{&row, &*it});
            }
            return true;
          };
          std::vector<Term> left, right;
          if (!cells_of(relation->left, left) || !cells_of(relation->right, right)) continue;
          const std::string label = row_label(row);
          evaluate(ctx, table, *relation, left, right,
                   label.empty() ? Phrase{"along.table", {{"part", table.table->part}}}
                                 : Phrase{"along.row", {{"row", label}}},
                   table.table->id + ":" + relation->signature + ":" + row.id);
        }
      } else {
        // Columns: every column the member rows share.
        std::vector<const RowResult*> left_rows, right_rows;
        auto rows_of = [&](const std::vector<std::string>& ids, std::vector<const RowResult*>& out) {
          for (const std::string& row_id : ids) {
            const RowResult* r = table.row(row_id);
            if (!r || !r->found || r->subtotal) return false;
            out.push_back(r);
          }
          return true;
        };
        if (!rows_of(relation->left, left_rows) || !rows_of(relation->right, right_rows)) continue;
        for (const Cell& column : left_rows.front()->cells) {
          std::vector<Term> left, right;
          bool complete = true;
          for (const auto& [rows, terms] : {std::pair{&left_rows, &left}, std::pair{&right_rows, &right}}) {
            for (const RowResult* r : *rows) {
              auto it = std::find_if(r->cells.begin(), r->cells.end(), [&](const Cell& c) { return c.column == column.column; });
              if (it == r->cells.end()) {
                complete = false;
                break;
              }
              terms->push_back(Term{r, &*it});
            }
          }
          if (!complete) continue;
          evaluate(ctx, table, *relation, left, right, Phrase{"along.column", {{"column", column_label(column)}}},
                   table.table->id + ":" + relation->signature + ":" + column.column);
        }
      }
    }
  }
}

}  // namespace

void register_total_rules(Registry& r) {
  // Each is a relation of the tables (grammars/format-*.xml names its rule).
  r.add("total.balance", relations);
  r.add("total.row-sum", relations);
  r.add("total.outcome-sum", relations);
  r.add("total.review-sum", relations);
}

}  // namespace xxgk::checks
