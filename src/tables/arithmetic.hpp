// tables/arithmetic.hpp — the arithmetic of the tables, once: the relations of the grammars (format §1.7: A1–A4)
// read on a table's cells, for the checks, and on candidate readings of a digit run, for the table stage.
//
// A relation instance is a relation applied along one row or one column. Its terms are cells; whether it can be
// judged depends on how they were read: a cell not read (uncertain, missing, invalid) leaves it unjudged, a blank
// cell is judged only under the table's blank convention, and a reading chosen by this very relation proves
// nothing about it.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "grammar/grammar.hpp"
#include "tables/table_builder.hpp"

namespace xxgk::tables {

//! Largest difference between two sums that still counts as equal (counts are whole; 万元 amounts have decimals,
//! and sums of decimals carry rounding error).
constexpr double kArithmeticTolerance = 1e-6;
inline bool same_value(double a, double b) { return std::fabs(a - b) < kArithmeticTolerance; }

//! A relation on candidate readings of one row, cell text by column (`columns` in row order). True when the relation
//! is not about this row's columns.
bool reading_satisfies(const grammar::Relation& relation, const std::vector<const grammar::Column*>& columns,
                       const std::vector<std::string>& reading);
//! True when every column the relation names is one of `columns`.
bool relation_applies(const grammar::Relation& relation, const std::vector<const grammar::Column*>& columns);

struct Term {
  const RowResult* row = nullptr;
  const Cell* cell = nullptr;
};

//! One relation along one row or column of a table, with its cells.
struct RelationInstance {
  const grammar::Relation* relation = nullptr;
  const RowResult* row = nullptr;  //!< along a row: that row
  std::string column;              //!< along a column: that column's id
  std::vector<Term> left, right;
  // What the cells are.
  bool unread = false;         //!< some cell was not read: the relation cannot be judged
  bool self_inferred = false;  //!< a digit reading was chosen by this relation: it proves nothing about it
  bool inferred = false;       //!< some cell was read by the arithmetic of another relation
  bool blanks = false;         //!< some cell is blank or a placeholder
  bool left_blank = false, right_blank = false;  //!< every cell of that side is blank
  double left_sum = 0, right_sum = 0;            //!< blanks as 0
  bool holds() const { return same_value(left_sum, right_sum); }
  //! Judged at all: every cell read, and no reading chosen by the relation itself.
  bool judgeable() const { return !unread && !self_inferred; }
};

//! Every instance of every relation of `table`'s formats (each relation once, by signature), in grammar order.
std::vector<RelationInstance> relation_instances(const TableResult& table);

//! One figure behind several failing relations: a cell that a single correction would make every failing relation it
//! takes part in hold, and that takes part in none that holds (the 总计 of a row and a column typed wrong).
struct Culprit {
  Term term;
  double should_be = 0;
  std::vector<size_t> instances;  //!< indexes of the failing instances it explains, in grammar order
};
//! The culprits of `instances` (each explains at least two failing ones; an instance belongs to one culprit at most).
std::vector<Culprit> culprits(const std::vector<RelationInstance>& instances);

//! The table's blank convention: true when blank cells take part in some relation and every such relation holds with
//! them read as 0 — the table leaves zeros blank.
bool blanks_mean_zero(const std::vector<RelationInstance>& instances);

}  // namespace xxgk::tables
