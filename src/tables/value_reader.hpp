// tables/value_reader.hpp — the cell values that follow a row label.
//
// Reads tokens of the matching form after the label until the first text: numbers (with units),
// placeholders, and empty cells between two bars ("| |"). Separators are remembered, because a space
// between two digit runs is a cell boundary the digit splitter must keep.
#pragma once

#include <cstddef>
#include <cstdint>
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

//! The tokens of a stretch of the matching form, kept to be read again. A tokenizer's only state besides its place is
//! whether the token before was a separator or a mark; where it was (and at the start), a fresh tokenizer yields the
//! kept tokens from there on. PERF: a table's region is tokenized once for its labels and read again for its values.
struct TokenStream {
  size_t begin = 0, end = 0;  //!< match offsets tokenized
  std::vector<Token> tokens;
  std::vector<uint8_t> fresh;  //!< per token: a tokenizer started at its begin yields tokens[i..]
  void add(const Token& token) {
    fresh.push_back(tokens.empty() || tokens.back().is_separator() || tokens.back().kind == TokenKind::punct);
    tokens.push_back(token);
  }
  //! Index of the token a fresh tokenizer at match offset `pos` starts with, or tokens.size() when none is kept.
  size_t fresh_at(size_t pos) const;
};

//! Values in the matching form [begin, end). Text before `skip_text_until` is a label's own (its lines wrapped around
//! its numbers: （二）部分公开（区分 / 19 1 0 … / 只计这一情形…）) and is passed over instead of ending the run.
//! `kept`: tokens of a stretch that ends at `end`, read from where they serve instead of tokenizing again.
ValueRun read_values(const Document& doc, size_t begin, size_t end, const TokenVocabulary& vocabulary,
                     size_t skip_text_until = 0, const TokenStream* kept = nullptr);

//! A label view: the compact text of [begin, end) without the numbers that stand apart from the words around them,
//! so that a label wrapped around its row's numbers, or written right before them, reads whole. `to_compact` maps
//! every view byte (and one past the end) back to the compact text.
struct LabelView {
  std::string text;
  std::vector<size_t> to_compact;
  bool identical = true;  //!< nothing was taken out
};
//! `keep`: the tokens of the matching form read on the way, for read_values.
LabelView label_view(const Document& doc, size_t compact_begin, size_t compact_end, const TokenVocabulary& vocabulary,
                     TokenStream* keep = nullptr);

}  // namespace xxgk::tables
