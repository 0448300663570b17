#include "tables/arithmetic.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace xxgk::tables {

bool reading_satisfies(const grammar::Relation& r, const std::vector<const grammar::Column*>& columns,
                       const std::vector<std::string>& reading) {
  auto side = [&](const std::vector<std::string>& ids, double& sum) {
    sum = 0;
    for (const std::string& id : ids) {
      auto it = std::find_if(columns.begin(), columns.end(), [&](const grammar::Column* c) { return c->id == id; });
      if (it == columns.end()) return false;
      sum += std::strtod(reading[static_cast<size_t>(it - columns.begin())].c_str(), nullptr);
    }
    return true;
  };
  double left = 0, right = 0;
  if (!side(r.left, left) || !side(r.right, right)) return true;  // not a relation of this row
  return same_value(left, right);
}

bool relation_applies(const grammar::Relation& r, const std::vector<const grammar::Column*>& columns) {
  auto has = [&](const std::string& id) {
    return std::any_of(columns.begin(), columns.end(), [&](const grammar::Column* c) { return c->id == id; });
  };
  return std::all_of(r.left.begin(), r.left.end(), has) && std::all_of(r.right.begin(), r.right.end(), has);
}

namespace {

// Reads the terms' cells into the instance's sums and flags.
void read_terms(RelationInstance& in) {
  auto side = [&](const std::vector<Term>& terms, double& sum, bool& all_blank) {
    sum = 0;
    all_blank = !terms.empty();
    for (const Term& t : terms) {
      const bool blank = t.cell->status == CellStatus::empty;
      all_blank &= blank;
      switch (t.cell->status) {
        case CellStatus::ok:
        case CellStatus::split:
          sum += *t.cell->value;
          break;
        case CellStatus::inferred:
          sum += *t.cell->value;
          in.inferred = true;
          if (std::find(t.row->inferred_by.begin(), t.row->inferred_by.end(), in.relation->signature) != t.row->inferred_by.end())
            in.self_inferred = true;
          break;
        case CellStatus::empty:
          in.blanks = true;
          break;
        default:
          in.unread = true;
          break;
      }
    }
  };
  side(in.left, in.left_sum, in.left_blank);
  side(in.right, in.right_sum, in.right_blank);
}

}  // namespace

std::vector<RelationInstance> relation_instances(const TableResult& table) {
  std::vector<RelationInstance> out;
  if (!table.found) return out;
  // Relations of every format, once each: a block read in another revision keeps its own arithmetic.
  std::vector<const grammar::Relation*> relations;
  std::set<std::string> seen;
  for (const auto& [format, t] : table.table->in)
    for (const grammar::Relation& r : t->relations)
      if (seen.insert(r.signature).second) relations.push_back(&r);

  for (const grammar::Relation* relation : relations) {
    if (relation->axis == grammar::Relation::Axis::row) {
      for (const RowResult& row : table.rows) {
        if (!row.found) continue;
        auto cells_of = [&](const std::vector<std::string>& ids, std::vector<Term>& terms) {
          for (const std::string& column_id : ids) {
            auto it = std::find_if(row.cells.begin(), row.cells.end(), [&](const Cell& c) { return c.column == column_id; });
            if (it == row.cells.end()) return false;
            terms.push_back(Term{&row, &*it});
          }
          return true;
        };
        RelationInstance in;
        in.relation = relation;
        in.row = &row;
        if (!cells_of(relation->left, in.left) || !cells_of(relation->right, in.right)) continue;
        read_terms(in);
        out.push_back(std::move(in));
      }
      continue;
    }
    // Along columns: every column the member rows share.
    std::vector<const RowResult*> left_rows, right_rows;
    auto rows_of = [&](const std::vector<std::string>& ids, std::vector<const RowResult*>& rows) {
      for (const std::string& row_id : ids) {
        const RowResult* r = table.row(row_id);
        if (!r || !r->found || r->subtotal) return false;
        rows.push_back(r);
      }
      return true;
    };
    if (!rows_of(relation->left, left_rows) || !rows_of(relation->right, right_rows)) continue;
    for (const Cell& column : left_rows.front()->cells) {
      RelationInstance in;
      in.relation = relation;
      in.column = column.column;
      bool complete = true;
      for (const auto& [rows, terms] : {std::pair{&left_rows, &in.left}, std::pair{&right_rows, &in.right}})
        for (const RowResult* r : *rows) {
          auto it = std::find_if(r->cells.begin(), r->cells.end(), [&](const Cell& c) { return c.column == column.column; });
          if (it == r->cells.end()) {
            complete = false;
            break;
          }
          terms->push_back(Term{r, &*it});
        }
      if (!complete) continue;
      read_terms(in);
      out.push_back(std::move(in));
    }
  }
  return out;
}

std::vector<Culprit> culprits(const std::vector<RelationInstance>& instances) {
  // Blanks count as 0 here: a single figure that explains a sum over blanks explains it whatever they mean.
  auto failing = [](const RelationInstance& in) {
    return in.judgeable() && !in.holds() && !(in.blanks && (in.left_blank || in.right_blank));
  };
  auto holding = [](const RelationInstance& in) { return in.judgeable() && in.holds(); };
  // Every read cell of a failing instance, with the value that would make that instance hold.
  struct Candidate {
    Term term;
    double should_be = 0;
    std::vector<size_t> instances;
    bool consistent = true;
    bool in_holding = false;  //!< takes part in a relation that holds
  };
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < instances.size(); ++i) {
    const RelationInstance& in = instances[i];
    if (!failing(in)) continue;
    const double diff = in.left_sum - in.right_sum;
    for (const auto* side : {&in.left, &in.right})
      for (const Term& t : *side) {
        if (!t.cell->value) continue;
        const double needed = side == &in.left ? *t.cell->value - diff : *t.cell->value + diff;
        auto it = std::find_if(candidates.begin(), candidates.end(), [&](const Candidate& c) { return c.term.cell == t.cell; });
        if (it == candidates.end()) {
          candidates.push_back(Candidate{t, needed, {i}, true});
        } else {
          it->consistent &= same_value(it->should_be, needed);
          it->instances.push_back(i);
        }
      }
  }
  // A cell in a relation that holds is not a wrong figure on its own: changing it alone would break that one.
  for (Candidate& c : candidates)
    for (const RelationInstance& in : instances)
      if (holding(in))
        for (const auto* side : {&in.left, &in.right})
          for (const Term& t : *side) c.in_holding |= t.cell == c.term.cell;
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.instances.size() > b.instances.size(); });
  std::vector<Culprit> out;
  std::vector<bool> taken(instances.size(), false);
  for (const Candidate& c : candidates) {
    if (!c.consistent || c.in_holding || c.instances.size() < 2) continue;
    if (std::any_of(c.instances.begin(), c.instances.end(), [&](size_t i) { return taken[i]; })) continue;
    for (size_t i : c.instances) taken[i] = true;
    out.push_back(Culprit{c.term, c.should_be, c.instances});
  }
  // A row of wrong figures (（七）总计 printed 0 0 0 … over rows that add up): its cells, corrected together, make every
  // relation they take part in hold — the failing ones and those that held.
  // Like a single culprit, each of its cells lies where two failing relations cross; the row that explains most
  // goes first, and no relation is explained twice.
  std::map<const RowResult*, std::vector<const Candidate*>> by_row;
  for (const Candidate& c : candidates)
    if (c.consistent && c.in_holding && c.instances.size() >= 2) by_row[c.term.row].push_back(&c);
  std::vector<std::pair<size_t, const std::vector<const Candidate*>*>> rows;
  for (const auto& [row, cells] : by_row) {
    size_t explained = 0;
    for (const Candidate* c : cells) explained += c->instances.size();
    rows.emplace_back(explained, &cells);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [explained, row_cells] : rows) {
    const std::vector<const Candidate*>& cells = *row_cells;
    if (cells.size() < 2) continue;
    if (std::any_of(cells.begin(), cells.end(), [&](const Candidate* c) {
          return std::any_of(c->instances.begin(), c->instances.end(), [&](size_t i) { return taken[i]; });
        }))
      continue;
    auto corrected = [&](const Term& t) {
      for (const Candidate* c : cells)
        if (c->term.cell == t.cell) return c->should_be;
      return t.cell->value ? *t.cell->value : 0.0;
    };
    bool all_hold = true;
    for (const RelationInstance& in : instances) {
      const bool touched = std::any_of(cells.begin(), cells.end(), [&](const Candidate* c) {
        return std::any_of(in.left.begin(), in.left.end(), [&](const Term& t) { return t.cell == c->term.cell; }) ||
               std::any_of(in.right.begin(), in.right.end(), [&](const Term& t) { return t.cell == c->term.cell; });
      });
      if (!touched || !in.judgeable()) continue;
      double left = 0, right = 0;
      for (const Term& t : in.left) left += corrected(t);
      for (const Term& t : in.right) right += corrected(t);
      all_hold &= same_value(left, right);
    }
    if (!all_hold) continue;
    for (const Candidate* c : cells) {
      for (size_t i : c->instances) taken[i] = true;
      out.push_back(Culprit{c->term, c->should_be, c->instances});
    }
  }
  return out;
}

bool blanks_mean_zero(const std::vector<RelationInstance>& instances) {
  // A wrong figure elsewhere (a culprit) says nothing about what the blanks mean.
  std::vector<bool> explained(instances.size(), false);
  for (const Culprit& c : culprits(instances))
    for (size_t i : c.instances) explained[i] = true;
  bool any = false;
  for (size_t i = 0; i < instances.size(); ++i) {
    const RelationInstance& in = instances[i];
    if (!in.blanks || !in.judgeable() || explained[i]) continue;
    if (!in.holds()) return false;
    any |= !(in.left_blank && in.right_blank);  // nothing but blanks proves nothing
  }
  return any;
}

}  // namespace xxgk::tables
