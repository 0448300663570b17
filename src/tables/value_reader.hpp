// tables/value_reader.hpp — the cell values that follow a row label.
//
// Reads tokens of the matching form after the label until the first text: numbers (with units),
// placeholders, and empty cells between two bars ("| |"). Separators are remembered, because a space
// between two digit runs is a cell boundary the digit splitter must keep.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "document/document.hpp"
#include "normalize/tokenizer.hpp"

namespace xxgk::tables {

struct RawValue {
  enum class Kind { number, placeholder, empty } kind = Kind::number;
  Token token;          //!< for empty cells: the span between the bars
  std::string text;     //!< matching form
  std::string digits;   //!< number: the numeral without unit, grouping commas removed
  std::string unit;     //!< number: unit written after it
  bool dash_before = false;  //!< number: a dash joins it to the number before (12-3): its sign in a signed column
  bool own_line = false;     //!< nothing but layout stands between the line start and the value
  uint32_t blank_lines_before = 0;  //!< empty lines between the value before and this one
};

//! Values a run reads at most: a row has a few dozen cells and a table a few hundred; a run far longer is no one
//! row's (a million lines of 0), and reading, copying and showing it whole would cost memory without bound.
inline constexpr size_t kMaxRunValues = 2048;

struct ValueRun {
  std::vector<RawValue> values;
  size_t end = 0;           //!< match offset where reading stopped
  bool stopped_by_text = false;
  bool had_bars = false;    //!< cells were delimited by |
  bool overflow = false;    //!< more values stood there than the run reads (kMaxRunValues)
  //! The values as written, separated by single spaces; a long run shows its first values and "…".
  std::string raw() const;
};

//! Values in the matching form [begin, end). Text before `skip_text_until` is a label's own (its lines wrapped around
//! its numbers: （二）部分公开（区分 / 19 1 0 … / 只计这一情形…）) and is passed over instead of ending the run.
ValueRun read_values(const Document& doc, size_t begin, size_t end, const TokenVocabulary& vocabulary,
                     size_t skip_text_until = 0);

//! A label view: the compact text of [begin, end) without the numbers that stand apart from the words around them,
//! so that a label wrapped around its row's numbers, or written right before them, reads whole. `to_compact` maps
//! every view byte (and one past the end) back to the compact text.
struct LabelView {
  std::string text;
  std::vector<size_t> to_compact;
  bool identical = true;  //!< nothing was taken out
};
LabelView label_view(const Document& doc, size_t compact_begin, size_t compact_end, const TokenVocabulary& vocabulary);

}  // namespace xxgk::tables
