#include "normalize/tokenizer.hpp"

#include <algorithm>

#include "util/utf8.hpp"

namespace xxgk {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_han_numeral(char32_t c) {
  // PERF: a switch, not a search of a string: asked at every boundary of every table region.
  switch (c) {
    case U'一': case U'二': case U'三': case U'四': case U'五': case U'六': case U'七': case U'八': case U'九': case U'十':
      return true;
    default:
      return false;
  }
}

bool is_punct(char32_t c) {
  if (c < 0x80) {
    switch (c) {
      case ',': case '.': case ';': case ':': case '!': case '?': case '(': case ')': case '[': case ']':
      case '"': case '\'': case '<': case '>': case '{': case '}': case '~':
        return true;
      default:
        return false;
    }
  }
  return c == U'、' || c == U'。' || c == U'《' || c == U'》' || c == U'·' || c == U'…';
}

// False when no character is_punct accepts starts with byte `lead` ≥ 0x80 (U+00B7 is C2, U+2026 E2, U+300x E3):
// the text loop then steps over the character without decoding it. Keep it with is_punct.
bool may_start_punct(unsigned char lead) { return lead == 0xC2 || lead == 0xE2 || lead == 0xE3; }

bool starts_with(std::string_view text, size_t pos, std::string_view prefix) {
  return text.size() - pos >= prefix.size() && text.compare(pos, prefix.size(), prefix) == 0;
}

// A token boundary: end of range, separator or punctuation.
bool boundary_at(std::string_view text, size_t pos, size_t end) {
  if (pos >= end) return true;
  char c = text[pos];
  if (c == ' ' || c == '\n' || c == '\t' || c == '|' || c == '\f' || c == '\v') return true;
  size_t p = pos;
  return is_punct(utf8::next(text, p));
}

// Length of an ordinal marker at `pos`, or 0.
size_t ordinal_length(std::string_view text, size_t pos, size_t end) {
  size_t p = pos;
  char32_t c = utf8::next(text, p);
  if (c == U'(') {
    size_t q = p;
    size_t count = 0;
    bool arabic = false, han = false;
    while (q < end && count < 3) {
      size_t r = q;
      char32_t d = utf8::next(text, r);
      if (d >= U'0' && d <= U'9') arabic = true;
      else if (is_han_numeral(d)) han = true;
      else break;
      q = r;
      ++count;
    }
    if (count > 0 && !(arabic && han) && q < end && text[q] == ')') return q + 1 - pos;
    return 0;
  }
  if (is_han_numeral(c)) {
    size_t q = pos;
    size_t count = 0;
    while (q < end && count < 3) {
      size_t r = q;
      if (!is_han_numeral(utf8::next(text, r))) break;
      q = r;
      ++count;
    }
    if (q < end && starts_with(text, q, "、")) return q + 3 - pos;
    return 0;
  }
  if (c >= U'0' && c <= U'9') {
    size_t q = pos;
    while (q < end && is_digit(text[q]) && q - pos < 2) ++q;
    if (q < end && is_digit(text[q])) return 0;
    // "1." or "1、" followed by a non-digit: an ordinal, not a decimal.
    if (q < end && text[q] == '.' && (q + 1 >= end || !is_digit(text[q + 1]))) return q + 1 - pos;
    if (q < end && starts_with(text, q, "、")) return q + 3 - pos;
  }
  return 0;
}

}  // namespace

void TokenVocabulary::index() {
  auto starts = [](const std::vector<std::string>& words) {
    std::vector<char32_t> out;
    for (const std::string& w : words) {
      size_t p = 0;
      if (!w.empty()) out.push_back(utf8::next(w, p));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  unit_starts = starts(units);
  placeholder_starts = starts(placeholders);
}

namespace {

// False when no word of `words` (whose first characters are `starts`, or unindexed) can start at text[pos].
bool may_start(std::string_view text, size_t pos, size_t end, const std::vector<char32_t>& starts,
               const std::vector<std::string>& words) {
  if (words.empty() || pos >= end) return false;
  if (starts.empty()) return true;
  size_t p = pos;
  return std::binary_search(starts.begin(), starts.end(), utf8::next(text, p));
}

}  // namespace

const char* to_string(TokenKind kind) {
  switch (kind) {
    case TokenKind::text: return "text";
    case TokenKind::number: return "number";
    case TokenKind::ordinal: return "ordinal";
    case TokenKind::placeholder: return "placeholder";
    case TokenKind::punct: return "punct";
    case TokenKind::space: return "space";
    case TokenKind::line_break: return "line-break";
    case TokenKind::cell_bar: return "cell-bar";
  }
  return "?";
}

Tokenizer::Tokenizer(std::string_view text, size_t begin, size_t end, const TokenVocabulary& vocabulary)
    : text_(text), pos_(begin), end_(std::min(end, text.size())), vocabulary_(vocabulary) {}

bool Tokenizer::next(Token& token) {
  std::string_view text = text_;
  const size_t end = end_;
  size_t pos = pos_;
  if (pos >= end) return false;
  token = Token{};
  auto finish = [&](TokenKind kind, size_t b, size_t e) {
    token.kind = kind;
    token.begin = static_cast<uint32_t>(b);
    token.end = static_cast<uint32_t>(e);
    pos_ = e;
    at_boundary_ = token.is_separator() || kind == TokenKind::punct;
    return true;
  };
  char c = text[pos];
  if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
    size_t e = pos;
    while (e < end && (text[e] == ' ' || text[e] == '\t' || text[e] == '\f' || text[e] == '\v')) ++e;
    return finish(TokenKind::space, pos, e);
  }
  if (c == '\n') return finish(TokenKind::line_break, pos, pos + 1);
  if (c == '|') return finish(TokenKind::cell_bar, pos, pos + 1);
  const bool at_boundary = at_boundary_;
  // Ordinals: only at a boundary, so that "00000002." stays a number (the table reader splits it).
  if (at_boundary) {
    if (size_t n = ordinal_length(text, pos, end)) return finish(TokenKind::ordinal, pos, pos + n);
  }
  // Numbers, possibly negative.
  bool negative = c == '-' && pos + 1 < end && is_digit(text[pos + 1]) && at_boundary;
  if (is_digit(c) || negative) {
    size_t e = pos + (negative ? 1 : 0);
    while (e < end && is_digit(text[e])) ++e;
    bool grouped = false, decimal = false;
    // Thousands separators: ",ddd" groups after one to three digits.
    if (e - pos - (negative ? 1 : 0) <= 3) {
      size_t g = e;
      while (g + 3 < end && text[g] == ',' && is_digit(text[g + 1]) && is_digit(text[g + 2]) &&
             is_digit(text[g + 3]) && (g + 4 >= end || !is_digit(text[g + 4]))) {
        g += 4;
        grouped = true;
      }
      e = g;
    }
    if (e + 1 < end && text[e] == '.' && is_digit(text[e + 1])) {
      decimal = true;
      ++e;
      while (e < end && is_digit(text[e])) ++e;
    }
    size_t digits_end = e;
    if (may_start(text, e, end, vocabulary_.unit_starts, vocabulary_.units))
      for (const std::string& unit : vocabulary_.units) {
        if (starts_with(text, e, unit) && e + unit.size() <= end) {
          e += unit.size();
          break;
        }
      }
    token.digits_end = static_cast<uint32_t>(digits_end);
    token.decimal = decimal;
    token.negative = negative;
    token.grouped = grouped;
    return finish(TokenKind::number, pos, e);
  }
  // Placeholders standing alone.
  if (at_boundary && may_start(text, pos, end, vocabulary_.placeholder_starts, vocabulary_.placeholders)) {
    for (const std::string& placeholder : vocabulary_.placeholders) {
      if (starts_with(text, pos, placeholder) && pos + placeholder.size() <= end &&
          (boundary_at(text, pos + placeholder.size(), end) ||
           is_digit(text[std::min(pos + placeholder.size(), end - 1)])))
        return finish(TokenKind::placeholder, pos, pos + placeholder.size());
    }
  }
  size_t p = pos;
  char32_t cp = utf8::next(text, p);
  if (is_punct(cp)) return finish(TokenKind::punct, pos, p);
  // Text: up to the next separator, digit or punctuation.
  size_t e = p;
  while (e < end) {
    char d = text[e];
    if (d == ' ' || d == '\t' || d == '\n' || d == '|' || is_digit(d) || d == '\f' || d == '\v') break;
    if (const auto lead = static_cast<unsigned char>(d); lead >= 0x80 && !may_start_punct(lead)) {
      e += utf8::sequence_length(lead);  // PERF: most of a report's text is CJK that is no punctuation
      continue;
    }
    size_t q = e;
    if (is_punct(utf8::next(text, q))) break;
    e = q;
  }
  return finish(TokenKind::text, pos, e);
}

std::vector<Token> tokenize(std::string_view text, size_t begin, size_t end, const TokenVocabulary& vocabulary) {
  std::vector<Token> tokens;
  Tokenizer tokenizer(text, begin, end, vocabulary);
  Token t;
  while (tokenizer.next(t)) tokens.push_back(t);
  return tokens;
}

}  // namespace xxgk
