#include "tables/value_reader.hpp"

namespace xxgk::tables {

std::string ValueRun::raw() const {
  std::string out;
  for (const RawValue& v : values) {
    if (!out.empty()) out.push_back(' ');
    out += v.kind == RawValue::Kind::empty ? std::string("∅") : v.text;
  }
  return out;
}

ValueRun read_values(const Document& doc, size_t begin, size_t end, const TokenVocabulary& vocabulary) {
  ValueRun run;
  const std::string& text = doc.match.text;
  Tokenizer tokenizer(text, begin, end, vocabulary);
  run.end = end;
  // Position of the last bar with only spaces since, for empty cells "| |".
  long open_bar = -1;
  bool seen_value_since_bar = false;
  bool dash_pending = false;  // a dash right after a number and right before the next: 12-3
  Token t;
  while (tokenizer.next(t)) {
    switch (t.kind) {
      case TokenKind::space:
        continue;
      case TokenKind::line_break:
        open_bar = -1;
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
        v.unit = text.substr(t.digits_end, t.end - t.digits_end);
        run.values.push_back(std::move(v));
        seen_value_since_bar = true;
        continue;
      }
      case TokenKind::placeholder: {
        RawValue v;
        v.kind = RawValue::Kind::placeholder;
        v.token = t;
        v.text = text.substr(t.begin, t.end - t.begin);
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

}  // namespace xxgk::tables
