#include "tables/value_reader.hpp"

#include <algorithm>

namespace xxgk::tables {

std::string ValueRun::raw() const {
  constexpr size_t kShown = 64;  // values shown of a long run: enough to recognise it, not a megabyte per cell
  std::string out;
  for (size_t i = 0; i < values.size() && i < kShown; ++i) {
    if (!out.empty()) out.push_back(' ');
    out += values[i].kind == RawValue::Kind::empty ? std::string("∅") : values[i].text;
  }
  if (values.size() > kShown || overflow) out += " …";
  return out;
}

size_t TokenStream::fresh_at(size_t pos) const {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), pos, [](const Token& t, size_t p) { return t.begin < p; });
  const auto i = static_cast<size_t>(it - tokens.begin());
  return i < tokens.size() && tokens[i].begin == pos && fresh[i] ? i : tokens.size();
}

namespace {

// Kept tokens read as a tokenizer reads them.
class KeptTokens {
 public:
  KeptTokens(const TokenStream& stream, size_t first) : stream_(&stream), next_(first) {}
  bool next(Token& token) {
    if (next_ >= stream_->tokens.size()) return false;
    token = stream_->tokens[next_++];
    return true;
  }

 private:
  const TokenStream* stream_;
  size_t next_;
};

// The next token after spaces, on the same line, is a word.
template <typename Tokens>
bool placeholder_starts_words(const Tokens& tokens) {
  Tokens peek = tokens;
  Token n;
  while (peek.next(n))
    if (n.kind != TokenKind::space) return n.kind == TokenKind::text;
  return false;
}

template <typename Tokens>
ValueRun read_tokens(Tokens& tokenizer, const Document& doc, size_t end, size_t skip_text_until) {
  ValueRun run;
  const std::string& text = doc.match.text;
  run.end = end;
  // Position of the last bar with only spaces since, for empty cells "| |".
  long open_bar = -1;
  bool seen_value_since_bar = false;
  bool dash_pending = false;  // a dash right after a number and right before the next: 12-3
  bool line_start = false;     // only layout since the last line break
  uint32_t line_breaks = 0;    // line breaks since the last value
  Token t;
  while (tokenizer.next(t)) {
    if (run.values.size() >= kMaxRunValues &&
        (t.kind == TokenKind::number || t.kind == TokenKind::placeholder || t.kind == TokenKind::cell_bar)) {
      run.overflow = true;
      run.end = t.begin;
      return run;
    }
    // The label's own words, around its numbers; a word that runs on past the label (予以公开的) ends the run there.
    if (t.begin < skip_text_until && (t.kind == TokenKind::text || t.kind == TokenKind::punct || t.kind == TokenKind::ordinal)) {
      if (t.end <= skip_text_until) {
        seen_value_since_bar = true;  // a cell with words in it is not an empty cell
        continue;
      }
      run.stopped_by_text = true;
      run.end = skip_text_until;
      return run;
    }
    switch (t.kind) {
      case TokenKind::space:
        continue;
      case TokenKind::line_break:
        open_bar = -1;
        line_start = true;
        ++line_breaks;
        continue;
      case TokenKind::cell_bar:
        run.had_bars = true;
        if (open_bar >= 0 && !seen_value_since_bar && !run.values.empty()) {
          // An empty cell between two bars (only once values have started: leading bars close the label).
          RawValue v;
          v.kind = RawValue::Kind::empty;
          v.token = t;
          v.token.begin = static_cast<uint32_t>(open_bar);
          run.values.push_back(v);
        }
        open_bar = t.begin;
        seen_value_since_bar = false;
        continue;
      case TokenKind::number: {
        RawValue v;
        v.kind = RawValue::Kind::number;
        v.token = t;
        v.text = text.substr(t.begin, t.end - t.begin);
        // The sign is the token's (negative), not part of the digits.
        for (size_t p = t.begin + (t.negative ? 1 : 0); p < t.digits_end; ++p)
          if (text[p] != ',') v.digits.push_back(text[p]);
        v.dash_before = dash_pending;
        dash_pending = false;
        v.own_line = line_start;
        v.blank_lines_before = line_breaks > 1 && !run.values.empty() ? line_breaks - 1 : 0;
        line_start = false;
        line_breaks = 0;
        v.unit = text.substr(t.digits_end, t.end - t.digits_end);
        run.values.push_back(std::move(v));
        seen_value_since_bar = true;
        continue;
      }
      case TokenKind::placeholder: {
        // 无 followed by words on its line is a word (a label spelled out character by character: 无 法 提 供).
        if (placeholder_starts_words(tokenizer)) {
          if (t.begin < skip_text_until && t.end <= skip_text_until) {
            seen_value_since_bar = true;
            continue;
          }
          run.stopped_by_text = true;
          run.end = t.begin;
          return run;
        }
        RawValue v;
        v.kind = RawValue::Kind::placeholder;
        v.token = t;
        v.text = text.substr(t.begin, t.end - t.begin);
        v.own_line = line_start;
        v.blank_lines_before = line_breaks > 1 && !run.values.empty() ? line_breaks - 1 : 0;
        line_start = false;
        line_breaks = 0;
        run.values.push_back(std::move(v));
        seen_value_since_bar = true;
        continue;
      }
      case TokenKind::punct:
        // Quote marks are dropped from labels when matching (危及“三安全一稳定”): they end no value run.
        if (text[t.begin] == '"' || text[t.begin] == '\'') continue;
        [[fallthrough]];
      case TokenKind::text:
        // A dash between two numbers with nothing around it (12-3): the sign of the next one, where a column takes
        // signs (本年增/减), else a separator.
        if (t.end == t.begin + 1 && text[t.begin] == '-' && !run.values.empty() &&
            run.values.back().kind == RawValue::Kind::number && run.values.back().token.end == t.begin && t.end < end &&
            text[t.end] >= '0' && text[t.end] <= '9') {
          dash_pending = true;
          continue;
        }
        [[fallthrough]];
      default:
        run.stopped_by_text = true;
        run.end = t.begin;
        return run;
    }
  }
  return run;
}

}  // namespace

ValueRun read_values(const Document& doc, size_t begin, size_t end, const TokenVocabulary& vocabulary,
                     size_t skip_text_until, const TokenStream* kept) {
  if (kept && kept->end == std::min(end, doc.match.text.size()) && begin < kept->end)
    if (const size_t first = kept->fresh_at(begin); first < kept->tokens.size()) {
      KeptTokens tokens(*kept, first);
      return read_tokens(tokens, doc, end, skip_text_until);
    }
  Tokenizer tokenizer(doc.match.text, begin, end, vocabulary);
  return read_tokens(tokenizer, doc, end, skip_text_until);
}

LabelView label_view(const Document& doc, size_t compact_begin, size_t compact_end, const TokenVocabulary& vocabulary,
                     TokenStream* keep) {
  LabelView view;
  const std::string& match = doc.match.text;
  const size_t match_begin = doc.match_of_compact(compact_begin);
  const size_t match_end = compact_end >= doc.compact.text.size() ? match.size() : doc.match_of_compact(compact_end);
  // Numbers that stand apart: a space, a bar or a line end on at least one side. Numbers run into words on both
  // sides (秘密00000002.其他) stay: a crawl that lost its separators is cut by the digit splitter.
  auto apart = [&](size_t pos) {
    return pos >= match.size() || match[pos] == ' ' || match[pos] == '\n' || match[pos] == '|' || match[pos] == '\t';
  };
  std::vector<std::pair<size_t, size_t>> removed;  // match ranges
  Tokenizer tokenizer(match, match_begin, match_end, vocabulary);
  if (keep) {
    *keep = TokenStream{};
    keep->begin = match_begin;
    keep->end = std::min(match_end, match.size());
  }
  Token t;
  while (tokenizer.next(t)) {
    if (keep) keep->add(t);
    if (t.kind != TokenKind::number || !(t.begin == 0 || apart(t.begin - 1) || apart(t.end))) continue;
    size_t end = t.end;
    // The next row's ordinal run into the last number (0 0 0 0 0 002.其他法律…): its digits stay with the label.
    if (end + 1 < match.size() && (match[end] == '.' || match.compare(end, 3, "、") == 0) && end > t.begin + 1) {
      const bool ten = match[end - 1] == '0' && end > t.begin + 2 && (match[end - 2] == '1' || match[end - 2] == '2');
      if (match[end - 1] != '0' || ten) end -= ten ? 2 : 1;
    }
    removed.emplace_back(t.begin, end);
  }
  // The compact text without the removed ranges, copied a kept stretch at a time. PERF: compact positions map to
  // non-decreasing match offsets, so each removed match range is one compact range (two binary searches).
  const std::string_view compact = doc.compact.text;
  const size_t stop = std::min(compact_end, compact.size());
  view.text.reserve(stop - std::min(compact_begin, stop));
  view.to_compact.reserve(stop - std::min(compact_begin, stop) + 1);
  size_t c = compact_begin;
  auto keep_to = [&](size_t until) {  // compact [c, until) stays
    if (until <= c) return;
    view.text.append(compact.substr(c, until - c));
    for (size_t i = c; i < until; ++i) view.to_compact.push_back(i);
    c = until;
  };
  for (const auto& [first, second] : removed) {
    const size_t from = std::max(doc.compact_of_match(first), c);
    if (from >= stop) break;
    const size_t to = std::min(doc.compact_of_match(second), stop);
    if (to <= from) continue;
    keep_to(from);
    view.identical = false;
    c = to;
  }
  keep_to(stop);
  view.to_compact.push_back(stop);
  return view;
}

}  // namespace xxgk::tables
