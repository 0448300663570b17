// normalize/tokenizer.hpp — tokens of the matching form, for reading table cells.
//
//   ordinal      一、 (一) 1. 1、 (1) (① arrives as "(1)")
//   number       1 1,295 24252.311082 -3, with a unit 元 万元 件 条 … attached
//   placeholder  / - -- 无 … standing alone (an empty cell between two bars is found by the reader)
//   text         any other run; punctuation; space, line break and cell bar (|) separators
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xxgk {

enum class TokenKind : uint8_t { text, number, ordinal, placeholder, punct, space, line_break, cell_bar };

struct Token {
  TokenKind kind = TokenKind::text;
  uint32_t begin = 0, end = 0;  //!< bytes of the matching form
  uint32_t digits_end = 0;      //!< number: end of the numeral (the unit follows)
  bool decimal = false;         //!< number written with a decimal point
  bool negative = false;
  bool grouped = false;  //!< number written with thousands separators
  bool is_separator() const {
    return kind == TokenKind::space || kind == TokenKind::line_break || kind == TokenKind::cell_bar;
  }
};

struct TokenVocabulary {
  std::vector<std::string> units;         //!< matching form, longest first
  std::vector<std::string> placeholders;  //!< matching form, longest first
  //! PERF: the first characters of the units and of the placeholders (sorted), so that the tokenizer compares
  //! words only where one can start. Filled by index(); while empty, every place may start one.
  std::vector<char32_t> unit_starts, placeholder_starts;
  void index();
};

//! Tokens one at a time, so a reader can stop at the first one it does not want.
class Tokenizer {
 public:
  Tokenizer(std::string_view text, size_t begin, size_t end, const TokenVocabulary& vocabulary);
  //! The next token; false at the end of the range.
  bool next(Token& token);

 private:
  std::string_view text_;
  size_t pos_, end_;
  const TokenVocabulary& vocabulary_;
  bool at_boundary_ = true;  //!< the previous token was a separator or punctuation (or there was none)
};

//! Tokens of text[begin, end).
std::vector<Token> tokenize(std::string_view text, size_t begin, size_t end, const TokenVocabulary& vocabulary);

const char* to_string(TokenKind kind);

}  // namespace xxgk
