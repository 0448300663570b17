// checks/prose_sums.hpp — totals stated in the prose with their parts ("主动公开政府信息300条，其中机构职能类20条、
// 政策文件类…"): how such a statement is read, and what it proves (narrative.sum-mismatch). The words live in
// grammars/common.xml <sum-statements>; this file knows only the shape "total, enumerator, parts".
//
// Exact or nothing: a statement proves a fault only when its wording fixes which parts make up the total. Every
// prefix of the list is a possible reading (where a list ends is often unclear in prose): if one adds up, the
// statement is consistent. Otherwise parts that are kinds of a partition (never overlapping) cannot exceed the
// total, and a list that names all of its total (every kind of a partition, or a last part that is "everything
// else") must reach it. A list of other parts that exceeds its total may count a part within another: doubt.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "grammar/grammar.hpp"

namespace xxgk::checks::prose {

//! A count as written: digits and a unit (empty: bare digits); byte offsets into the text read.
struct Count {
  size_t begin = 0, end = 0;  //!< first digit .. end of the unit
  double value = 0;
  std::string_view unit;
};

struct SumPart {
  size_t begin = 0;         //!< start of its words
  std::string_view words;   //!< what it counts, without a connector or an ordinal before it
  Count count;
  bool catch_all = false;  //!< "everything else" (其他类)
};

//! How a list of parts ended.
enum class ListEnd {
  hard,  //!< its extent is known: a sentence end, its parenthesis, a stronger separator, words without a count
  soft   //!< its extent is unknown: a nested enumerator, a stop word, another unit, digits that are no count, the text's end
};

struct SumStatement {
  size_t begin = 0, end = 0;  //!< from the total's words to the end of the last part
  std::string_view total_words;
  Count total;
  std::vector<SumPart> parts;
  ListEnd end_kind = ListEnd::soft;
  bool some = false;    //!< the wording names only some parts (主要有…, …等)
  bool nested = false;  //!< the total is the last part of a list before it whose end is unknown: whose parts follow is unclear
  std::vector<double> earlier;  //!< counts in the total's unit earlier in its sentence: the list may be theirs
};

//! Offset of the first ASCII digit at or after `pos` (≤ text.size()), text.size() when there is none.
size_t next_digit(std::string_view text, size_t pos);

//! Where the sentence that `pos` stands in begins: just after the last of `sentence_ends` that starts at or
//! before `pos` (0 when none does). The same as the greatest `text.rfind(end, pos) + end.size()` over the ends
//! that are not empty (an empty end marks nothing).
size_t sentence_start(std::string_view text, size_t pos, const std::vector<std::string>& sentence_ends);

//! Every statement of a total with its parts in `text` (compact matching form), in text order. A statement with a
//! count that cannot be read for certain (approximate, in Chinese numerals, a decimal, 1,873) is left out.
//! `ordinal`: the grammar's list numbers (1. （一）). `line_starts`: sorted offsets where a line of the page starts
//! (the compact form has lost them): a total's words do not reach back over one, past a heading without a stop.
std::vector<SumStatement> read_sum_statements(std::string_view text, const grammar::SumStatements& grammar,
                                              const Regex* ordinal, std::span<const size_t> line_starts = {});

struct SumVerdict {
  enum class Kind { none, fail, uncertain };
  //! Why the parts must add up to the total (fail), or why they may not (uncertain).
  enum class Basis { none, partition_complete, partition_disjoint, catch_all, overlap };
  Kind kind = Kind::none;
  Basis basis = Basis::none;
  size_t parts = 0;  //!< how many of the statement's parts (from the first) are compared
  double sum = 0;
  const grammar::SumStatements::Partition* partition = nullptr;
};

//! What `statement` proves about the report.
SumVerdict judge(const SumStatement& statement, const grammar::SumStatements& grammar);

}  // namespace xxgk::checks::prose
