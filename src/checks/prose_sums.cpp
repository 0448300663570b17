#include "checks/prose_sums.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <set>

#include "tables/arithmetic.hpp"
#include "util/utf8.hpp"

namespace xxgk::checks::prose {
namespace {

using Grammar = grammar::SumStatements;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the first of `words` that stands at `pos`, 0 when none does. PERF: called at every digit run and
// every character of a list; the first byte rules out most words without a comparison.
size_t word_at(std::string_view text, size_t pos, const std::vector<std::string>& words) {
  if (pos >= text.size()) return 0;
  for (const std::string& w : words)
    if (!w.empty() && w[0] == text[pos] && text.compare(pos, w.size(), w) == 0) return w.size();
  return 0;
}

// End of the match of `re` anchored at `pos`, or npos.
size_t match_at(const std::optional<Regex>& re, std::string_view text, size_t pos) {
  Regex::Match m;
  if (re && pos <= text.size() && re->search(text, pos, m) && m.begin == pos) return m.end;
  return std::string_view::npos;
}

// Strength of the separator at `pos` (its index in the grammar's list, weakest first), -1 when none stands there.
int separator_at(std::string_view text, size_t pos, const Grammar& g, size_t& length) {
  for (size_t i = g.separators.size(); i-- > 0;) {
    const std::string& s = g.separators[i];
    if ((s.empty() || (pos < text.size() && s[0] == text[pos])) && text.compare(pos, s.size(), s) == 0) {
      length = s.size();
      return static_cast<int>(i);
    }
  }
  return -1;
}

enum class CountKind { counted, bare, share, unreadable };

struct ReadCount {
  CountKind kind = CountKind::unreadable;
  Count count;
};

// The number whose first digit is at `pos`.
ReadCount read_count(std::string_view text, size_t pos, const Grammar& g) {
  ReadCount r;
  size_t end = pos;
  while (end < text.size() && is_digit(text[end])) ++end;
  r.count.begin = pos;
  r.count.end = end;
  // 1,873 or 1.5: thousands and decimals are no counts of documents; a share is a remark.
  size_t after = end;
  if (after + 1 < text.size() && text[after] == '.' && is_digit(text[after + 1])) {
    ++after;
    while (after < text.size() && is_digit(text[after])) ++after;
    if (after < text.size() && text[after] == '%') r.kind = CountKind::share;
    return r;
  }
  if (after < text.size() && text[after] == '%') {
    r.kind = CountKind::share;
    return r;
  }
  if (after + 1 < text.size() && text[after] == ',' && is_digit(text[after + 1])) return r;
  if (pos >= 2 && text[pos - 1] == ',' && is_digit(text[pos - 2])) return r;
  if (end - pos > 9 || match_at(g.approximate, text, pos) != std::string_view::npos) return r;
  double value = 0;
  for (size_t i = pos; i < end; ++i) value = value * 10 + (text[i] - '0');
  r.count.value = value;
  if (size_t unit = word_at(text, end, g.units)) {
    r.count.unit = text.substr(end, unit);
    r.count.end = end + unit;
    r.kind = CountKind::counted;
  } else {
    r.kind = CountKind::bare;
  }
  return r;
}

// True when `words` hold a count written in Chinese numerals (二十条): a number this reader does not read.
bool has_numeral_count(std::string_view words, const Grammar& g) {
  for (size_t pos = 0; pos < words.size();) {
    char32_t c = utf8::next(words, pos);
    if (g.numerals.find(c) == std::u32string::npos) continue;
    size_t run_end = pos;
    while (run_end < words.size()) {
      size_t probe = run_end;
      if (g.numerals.find(utf8::next(words, probe)) == std::u32string::npos) break;
      run_end = probe;
    }
    if (word_at(words, run_end, g.units)) return true;
    pos = run_end;
  }
  return false;
}

// End of the parenthesis that opens at `pos` (nested ones included), npos when it does not close within `limit` bytes.
size_t parenthesis_end(std::string_view text, size_t pos, size_t limit) {
  int depth = 0;
  for (size_t i = pos; i < text.size() && i < pos + limit; ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

bool is_clause_break(std::string_view text, size_t pos, const Grammar& g) {
  size_t length = 0;
  if (word_at(text, pos, g.sentence_ends)) return true;
  const int level = separator_at(text, pos, g, length);
  return level > 0 || text[pos] == ':' || text[pos] == '(' || text[pos] == ')';
}

// Start of the words a count at `pos` is about: back to the clause break or the line start before it, at most
// `limit` characters.
size_t clause_start(std::string_view text, size_t pos, size_t floor, const Grammar& g, size_t limit,
                    std::span<const size_t> line_starts) {
  size_t start = pos;
  for (size_t chars = 0; start > floor && chars < limit; ++chars) {
    if (std::binary_search(line_starts.begin(), line_starts.end(), start)) break;
    size_t previous = utf8::start_of(text, start - 1);
    if (is_clause_break(text, previous, g)) break;
    start = previous;
  }
  return start;
}

struct Reader {
  std::string_view text;
  const Grammar& g;
  const Regex* ordinal;
  std::span<const size_t> line_starts;
  std::set<size_t> nested_enumerators;  //!< enumerators inside a list before them, whose end they made unknown

  // End of the ordinal (1. (一)) at `pos`, npos when none stands there.
  size_t ordinal_at(size_t pos) const {
    Regex::Match m;
    if (ordinal && ordinal->search(text, pos, m) && m.begin == pos && m.end > pos) return m.end;
    return std::string_view::npos;
  }

  // Reads the parts after the enumerator that ends at `pos`; false when a count cannot be read for certain.
  bool read_parts(size_t pos, SumStatement& st) {
    int list_level = -1;  // the separator between the list's parts
    int gap_level = -1;   // the separator before the current part
    bool numbered = false;
    bool stronger = false;  // a separator stronger than the list's stands before this part: it may be a new clause
    auto finish = [&](ListEnd how) {
      st.end_kind = how;
      return true;
    };
    for (;;) {
      if (st.parts.size() >= g.max_parts) return finish(ListEnd::soft);
      const size_t part_begin = pos;
      if (st.parts.empty()) {
        if (size_t e = ordinal_at(pos); e != std::string_view::npos) {
          numbered = true;
          pos = e;
        }
      } else {
        if (size_t e = match_at(g.connector, text, pos); e != std::string_view::npos) pos = e;
        if (size_t e = ordinal_at(pos); e != std::string_view::npos) {
          if (!numbered) return finish(ListEnd::hard);  // a heading, not an item
          pos = e;
        }
      }
      if (match_at(g.stop, text, pos) != std::string_view::npos) return finish(ListEnd::soft);
      // The words run to the next digit outside parentheses.
      const size_t words_begin = pos;
      size_t q = pos;
      int depth = 0;
      for (size_t chars = 0;; ++chars) {
        if (q >= text.size()) return finish(ListEnd::soft);
        if (chars > g.max_words) return finish(ListEnd::hard);
        if (word_at(text, q, g.sentence_ends)) return finish(ListEnd::hard);
        if (text[q] == '(') ++depth;
        if (text[q] == ')') {
          if (depth == 0) return finish(ListEnd::hard);
          --depth;
        }
        size_t length = 0;
        if (depth == 0 && separator_at(text, q, g, length) > 0) return finish(ListEnd::hard);  // words with no count
        if (depth == 0 && is_digit(text[q])) break;
        q += utf8::sequence_length(static_cast<unsigned char>(text[q]));
      }
      const std::string_view words = text.substr(words_begin, q - words_begin);
      Regex::Match nested;
      if (g.enumerator_anywhere && g.enumerator_anywhere->search(words, 0, nested)) {
        nested_enumerators.insert(words_begin + nested.begin);
        return finish(ListEnd::soft);
      }
      // A count not read for certain leaves the statement unread, unless it stands in what may be the next clause.
      if (has_numeral_count(words, g)) return stronger ? finish(ListEnd::soft) : false;
      ReadCount read = read_count(text, q, g);
      if (read.kind == CountKind::unreadable) return stronger ? finish(ListEnd::soft) : false;
      if (read.kind == CountKind::share) return finish(stronger ? ListEnd::hard : ListEnd::soft);  // a share is no part
      const size_t after = read.count.end;
      if (read.kind == CountKind::bare) {
        // Bare digits are a count only where the clause ends with them (不予公开信息数0。): 2024年度 is no count.
        size_t length = 0;
        const bool ends = after >= text.size() || word_at(text, after, g.sentence_ends) ||
                          separator_at(text, after, g, length) >= 0 || text[after] == ')';
        if (!ends || words.empty()) return finish(ListEnd::soft);
      } else if (read.count.unit != st.total.unit) {
        return finish(list_level >= 0 && gap_level > list_level ? ListEnd::hard : ListEnd::soft);
      }
      // A count glued to more words (3个月以上的) is not a part's count.
      if (after < text.size()) {
        size_t length = 0;
        const bool clean = word_at(text, after, g.sentence_ends) || separator_at(text, after, g, length) >= 0 ||
                           text[after] == '(' || text[after] == ')' ||
                           match_at(g.partial_end, text, after) != std::string_view::npos ||
                           match_at(g.note, text, after) != std::string_view::npos ||
                           match_at(g.connector, text, after) != std::string_view::npos;
        if (!clean) return finish(ListEnd::soft);
      }
      // A part after a stronger separator (…22条，…2条；…7条): the list may go on or may have ended.
      if (stronger) return finish(ListEnd::soft);
      SumPart part;
      part.begin = part_begin;
      part.words = words;
      part.count = read.count;
      Regex::Match m;
      part.catch_all = g.catch_all && g.catch_all->search(words, 0, m);
      st.parts.push_back(part);
      st.end = after;
      pos = after;
      // What follows a part: a parenthesis, 等, remarks, then the separator before the next part.
      if (pos < text.size() && text[pos] == '(') {
        const size_t close = parenthesis_end(text, pos, g.max_words * 6);
        if (close == std::string_view::npos) return finish(ListEnd::soft);
        pos = close;
      }
      if (size_t e = match_at(g.partial_end, text, pos); e != std::string_view::npos) {
        st.some = true;
        return finish(ListEnd::hard);
      }
      for (size_t e; (e = match_at(g.note, text, pos)) != std::string_view::npos && e > pos;) pos = e;
      if (pos < text.size() && text[pos] == '(') {
        const size_t close = parenthesis_end(text, pos, g.max_words * 6);
        if (close == std::string_view::npos) return finish(ListEnd::soft);
        pos = close;
      }
      gap_level = -1;
      while (pos < text.size()) {
        if (word_at(text, pos, g.sentence_ends) || text[pos] == ')') return finish(ListEnd::hard);
        size_t length = 0;
        const int level = separator_at(text, pos, g, length);
        if (level < 0) break;
        gap_level = std::max(gap_level, level);
        pos += length;
      }
      if (pos >= text.size()) return finish(ListEnd::soft);
      if (gap_level < 0) {
        // Parts joined without a separator (10件和5件); anything else glued on is another clause.
        if (match_at(g.connector, text, pos) == std::string_view::npos) return finish(ListEnd::soft);
        gap_level = list_level >= 0 ? list_level : 0;
      }
      if (list_level < 0) {
        list_level = gap_level;
      } else if (gap_level > list_level) {
        stronger = true;  // the list ends here, hard, unless another part follows (then its end is unknown)
      }
    }
  }


  // The statement whose total is the count at `pos`, if one stands there.
  std::optional<SumStatement> statement_at(size_t pos) {
    // PERF: most counts are no total; digits, a unit and the enumerator are checked before anything else.
    if (pos >= 2 && text[pos - 1] == '.' && is_digit(text[pos - 2])) return std::nullopt;  // the decimals of 51.85
    size_t digits_end = pos;
    while (digits_end < text.size() && is_digit(text[digits_end])) ++digits_end;
    if (!word_at(text, digits_end, g.units)) return std::nullopt;
    const size_t unit_end = digits_end + word_at(text, digits_end, g.units);
    const size_t lead_end = match_at(g.lead, text, unit_end);
    if (lead_end == std::string_view::npos) return std::nullopt;
    Regex::Match enumerator;
    if (!g.enumerator || !g.enumerator->search(text, lead_end, enumerator) || enumerator.begin != lead_end)
      return std::nullopt;
    ReadCount total = read_count(text, pos, g);
    if (total.kind != CountKind::counted) return std::nullopt;
    const size_t sentence_floor = std::min(sentence_start(text, pos, g.sentence_ends), pos);
    SumStatement st;
    st.total = total.count;
    st.begin = clause_start(text, pos, sentence_floor, g, g.max_words + 8, line_starts);
    st.total_words = text.substr(st.begin, pos - st.begin);
    st.end = total.count.end;
    const int some = g.enumerator->group("some");
    st.some = some > 0 && static_cast<size_t>(some) < enumerator.groups.size() && enumerator.groups[some].matched;
    st.nested = nested_enumerators.count(lead_end) > 0;
    // A list in parentheses ends at its closing one, like any list at a parenthesis it did not open: hard.
    if (!read_parts(enumerator.end, st)) return std::nullopt;
    // Counts in the same unit earlier in the sentence: the list may be theirs (…答复申请15件，撤销申请0件，其中…).
    for (size_t i = sentence_floor; i < st.begin; ++i) {
      if (!is_digit(text[i]) || (i > 0 && is_digit(text[i - 1]))) continue;
      ReadCount earlier = read_count(text, i, g);
      if (earlier.kind == CountKind::counted && earlier.count.unit == st.total.unit) st.earlier.push_back(earlier.count.value);
    }
    return st;
  }
};

}  // namespace

// PERF: eight bytes at a time (most of a report's bytes are no digit): a byte of x = v ^ '0'… is below 10 just
// where v has a digit, and the lowest byte flagged by (x - 10…) & ~x & 0x80… is the first such byte (a borrow
// runs only toward the higher ones).
size_t next_digit(std::string_view text, size_t pos) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
    for (; pos + 8 <= text.size(); pos += 8) {
      uint64_t bytes;
      std::memcpy(&bytes, text.data() + pos, 8);
      const uint64_t x = bytes ^ (kOnes * '0');
      if (const uint64_t digits = (x - kOnes * 10) & ~x & kHighs)
        return pos + static_cast<size_t>(std::countr_zero(digits)) / 8;
    }
  }
  while (pos < text.size() && !is_digit(text[pos])) ++pos;
  return pos;
}

size_t sentence_start(std::string_view text, size_t pos, const std::vector<std::string>& sentence_ends) {
  // PERF: one backward walk from `pos` (rfind per end walked back to the text's start for an end the text never
  // uses, a comparison call per byte). It stops once no end starting further back could end later than the best
  // found: an end may stand inside a longer one (… in ……。).
  size_t longest = 0;
  for (const std::string& e : sentence_ends) longest = std::max(longest, e.size());
  std::optional<size_t> best;
  for (size_t i = std::min(pos, text.size()) + 1; i-- > 0;) {
    if (best && i + longest <= *best) break;
    for (const std::string& e : sentence_ends)
      if (!e.empty() && i < text.size() && text[i] == e[0] && text.substr(i).starts_with(e))
        best = std::max(best.value_or(0), i + e.size());
  }
  return best.value_or(0);
}

std::vector<SumStatement> read_sum_statements(std::string_view text, const Grammar& g, const Regex* ordinal,
                                              std::span<const size_t> line_starts) {
  std::vector<SumStatement> out;
  if (!g.loaded) return out;
  Reader reader{text, g, ordinal, line_starts, {}};
  // ASCII digits never occur inside a multi-byte UTF-8 sequence: a byte scan finds every number.
  for (size_t pos = next_digit(text, 0); pos < text.size(); pos = next_digit(text, pos + 1)) {
    if (auto st = reader.statement_at(pos)) out.push_back(std::move(*st));
    while (pos + 1 < text.size() && is_digit(text[pos + 1])) ++pos;
  }
  return out;
}

SumVerdict judge(const SumStatement& st, const Grammar& g) {
  SumVerdict v;
  const double total = st.total.value;
  if (st.nested || st.parts.empty() || total <= 0) return v;
  std::vector<double> prefix(1, 0);
  for (const SumPart& p : st.parts) prefix.push_back(prefix.back() + p.count.value);
  // Any reading of where the list ends that adds up: consistent.
  for (size_t k = 1; k < prefix.size(); ++k)
    if (tables::same_value(prefix[k], total)) return v;
  auto belongs_elsewhere = [&](double sum) {
    return std::any_of(st.earlier.begin(), st.earlier.end(), [&](double e) { return tables::same_value(e, sum); });
  };
  // Sums of decimals (万元) carry rounding error: beyond the tolerance only.
  auto exceeds = [](double a, double b) { return a > b + tables::kArithmeticTolerance; };
  const size_t n = st.parts.size();
  // The partition whose kinds the longest run of parts from the first names, each kind once.
  const Grammar::Partition* best = nullptr;
  size_t best_run = 0;
  bool best_covers_all = false;
  Regex::Match m;
  for (const Grammar::Partition& partition : g.partitions) {
    if (!partition.of || !partition.of->search(st.total_words, 0, m)) continue;
    std::vector<bool> covered(partition.kinds.size(), false);
    size_t run = 0;
    for (; run < n; ++run) {
      bool names_kind = false, repeats = false;
      for (size_t k = 0; k < partition.kinds.size(); ++k) {
        if (!partition.kinds[k].search(st.parts[run].words, 0, m)) continue;
        names_kind = true;
        repeats |= covered[k];
        covered[k] = true;
      }
      if (!names_kind || repeats) break;
    }
    if (run > best_run) {
      best = &partition;
      best_run = run;
      best_covers_all = std::all_of(covered.begin(), covered.end(), [](bool b) { return b; });
    }
  }
  if (best) {
    const double sum = prefix[best_run];
    if (belongs_elsewhere(sum)) return v;
    const bool complete = best_covers_all && !st.some && best->exhausts && best->exhausts->search(st.total_words, 0, m);
    if (exceeds(sum, total) || (complete && exceeds(total, sum))) {
      v.kind = SumVerdict::Kind::fail;
      v.basis = exceeds(sum, total) ? SumVerdict::Basis::partition_disjoint : SumVerdict::Basis::partition_complete;
      v.parts = best_run;
      v.sum = sum;
      v.partition = best;
      return v;
    }
    if (best_run == n) return v;
  }
  const double sum = prefix[n];
  if (belongs_elsewhere(sum)) return v;
  v.parts = n;
  v.sum = sum;
  if (exceeds(total, sum) && st.parts.back().catch_all && st.end_kind == ListEnd::hard && !st.some) {
    v.kind = SumVerdict::Kind::fail;
    v.basis = SumVerdict::Basis::catch_all;
  } else if (exceeds(sum, total)) {
    v.kind = SumVerdict::Kind::uncertain;
    v.basis = SumVerdict::Basis::overlap;
  }
  return v;
}

}  // namespace xxgk::checks::prose
