#include "tables/label_matcher.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "util/utf8.hpp"

namespace xxgk::tables {
namespace {

int kind_bonus(grammar::LabelKind kind) {
  switch (kind) {
    case grammar::LabelKind::canonical: return 4;
    case grammar::LabelKind::variant: return 3;
    case grammar::LabelKind::short_form: return 2;
    case grammar::LabelKind::fragment: return 1;
  }
  return 0;
}

grammar::LabelKind best_kind(const LabelUse& use) {
  grammar::LabelKind best = grammar::LabelKind::fragment;
  for (const auto& [format, kind] : use.formats)
    if (static_cast<int>(kind) < static_cast<int>(best)) best = kind;
  return best;
}

char32_t first_char(std::string_view s) {
  size_t p = 0;
  return s.empty() ? 0 : utf8::next(s, p);
}

// Marks that pages write for one another: 、 , ， ; ; in a label (OCR and converters swap them).
bool same_mark(char32_t a, char32_t b) {
  auto mark = [](char32_t c) { return c == U'、' || c == U',' || c == U'，' || c == U';' || c == U'；'; };
  return a == b || (mark(a) && mark(b));
}

// A character's bit in a 64-bit set of characters; the marks same_mark takes for one another share one.
uint64_t char_bit(char32_t c) {
  if (c == U',' || c == U'，' || c == U';' || c == U'；') c = U'、';
  return uint64_t{1} << ((static_cast<uint32_t>(c) * 0x9E3779B1u) >> 26);
}

// Edit distance of a label from the text at a place, for misprints and broken labels: a character changed or
// missing counts 1; characters standing between the label's own (a neighbouring cell's words on the same line)
// count apart, in runs of a few. The label's first character must stand where the match starts.
struct Fuzzy {
  int edits = 0, inserted = 0;
  size_t length = 0;  //!< text characters the match covers
};
std::optional<Fuzzy> fuzzy_match(const std::u32string& label, std::u32string_view text, int max_edits, int max_inserted) {
  constexpr int kInsertRun = 4;  // the longest run of foreign characters inside a label
  const size_t n = label.size(), m = text.size();
  if (n == 0 || m == 0 || text[0] != label[0]) return std::nullopt;
  // cost[i][j]: label[0..i) against text[0..j); edits and insertions kept apart, edits weigh more.
  struct Cell {
    int edits = 1 << 20, inserted = 0, run = 0;
    int weight() const { return edits * 8 + inserted; }
  };
  std::vector<Cell> row(m + 1), next(m + 1);
  row[0] = Cell{0, 0, 0};
  for (size_t j = 1; j <= m; ++j) row[j] = Cell{1 << 20, 0, 0};  // the match starts at text[0]
  for (size_t i = 1; i <= n; ++i) {
    next[0] = Cell{static_cast<int>(i), 0, 0};  // label characters missing before any text
    for (size_t j = 1; j <= m; ++j) {
      Cell best;
      auto offer = [&](Cell c) {
        if (c.edits <= max_edits && c.inserted <= max_inserted && c.weight() < best.weight()) best = c;
      };
      const Cell& diag = row[j - 1];
      offer(Cell{diag.edits + (same_mark(label[i - 1], text[j - 1]) ? 0 : 1), diag.inserted, 0});  // match or change
      offer(Cell{row[j].edits + 1, row[j].inserted, 0});                                              // label char missing
      const Cell& left = next[j - 1];
      if (i < n && left.run < kInsertRun) offer(Cell{left.edits, left.inserted + 1, left.run + 1});   // a foreign char
      next[j] = best;
    }
    std::swap(row, next);
  }
  std::optional<Fuzzy> out;
  for (size_t j = 1; j <= m; ++j) {
    const Cell& c = row[j];
    if (c.edits > max_edits || c.inserted > max_inserted) continue;
    if (!out || c.edits * 8 + c.inserted < out->edits * 8 + out->inserted) out = Fuzzy{c.edits, c.inserted, j};
  }
  return out;
}

}  // namespace

size_t ordinal_before(std::string_view text, size_t begin, size_t pos, std::string_view ordinal) {
  if (ordinal.empty() || pos < begin) return 0;
  // Exact spelling first.
  if (pos - begin >= ordinal.size() && text.compare(pos - ordinal.size(), ordinal.size(), ordinal) == 0)
    return ordinal.size();
  // The same number with another mark: 1. / 1、 / 1, and (一) / 一、.
  std::string_view numeral = ordinal;
  bool paren = false;
  if (!numeral.empty() && numeral.front() == '(' && numeral.back() == ')') {
    numeral = numeral.substr(1, numeral.size() - 2);
    paren = true;
  } else {
    size_t last = utf8::start_of(numeral, numeral.size() - 1);
    numeral = numeral.substr(0, last);
  }
  if (numeral.empty()) return 0;
  static const std::string_view kSuffixes[] = {".", "、", ","};
  if (paren) {
    for (std::string_view mark : kSuffixes) {
      size_t n = numeral.size() + mark.size();
      if (pos - begin >= n && text.compare(pos - n, numeral.size(), numeral) == 0 &&
          text.compare(pos - mark.size(), mark.size(), mark) == 0)
        return n;
    }
    return 0;
  }
  for (std::string_view mark : kSuffixes) {
    size_t n = numeral.size() + mark.size();
    if (pos - begin >= n && text.compare(pos - n, numeral.size(), numeral) == 0 &&
        text.compare(pos - mark.size(), mark.size(), mark) == 0)
      return n;
  }
  size_t n = numeral.size() + 2;
  if (pos - begin >= n && text[pos - n] == '(' && text[pos - 1] == ')' &&
      text.compare(pos - n + 1, numeral.size(), numeral) == 0)
    return n;
  return 0;
}

namespace {

template <typename Index, typename Entry>
void index_add(Index& index, char32_t c, Entry e) {
  auto it = std::find_if(index.entries.begin(), index.entries.end(), [&](const auto& p) { return p.first == c; });
  if (it == index.entries.end()) {
    index.entries.push_back({c, {}});
    it = index.entries.end() - 1;
  }
  it->second.push_back(e);
  if (c < 0x10000) index.starts[c / 64] |= uint64_t{1} << (c % 64);
}

template <typename Index>
void index_sort(Index& index) {
  std::sort(index.entries.begin(), index.entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

}  // namespace

const std::vector<LabelMatcher::Entry>* LabelMatcher::search(const Index& index, char32_t c) {
  auto it = std::lower_bound(index.entries.begin(), index.entries.end(), c,
                             [](const auto& p, char32_t x) { return p.first < x; });
  return it != index.entries.end() && it->first == c ? &it->second : nullptr;
}

LabelMatcher::LabelMatcher(const UnionTable& table) : table_(table) {
  fuzzy_labels_.resize(table.items.size());
  for (size_t i = 0; i < table.items.size(); ++i)
    for (size_t l = 0; l < table.items[i].labels.size(); ++l) {
      const std::string& core = table.items[i].labels[l].label->core;
      if (char32_t c = first_char(core)) index_add(by_first_char_, c, Entry{i, l});
      FuzzyLabel& fuzzy = fuzzy_labels_[i].emplace_back();
      for (size_t p = 0; p < core.size();) fuzzy.chars.push_back(utf8::next(core, p));
      for (char32_t c : fuzzy.chars) fuzzy.bits.push_back(char_bit(c));
    }
  index_sort(by_first_char_);
  for (size_t b = 0; b < table.blocks.size(); ++b)
    for (size_t h = 0; h < table.blocks[b].headers.size(); ++h)
      if (char32_t c = first_char(table.blocks[b].headers[h].label->key)) index_add(headers_by_first_char_, c, Entry{h, b});
  index_sort(headers_by_first_char_);
}

std::vector<LabelHit> LabelMatcher::align(std::string_view compact, size_t begin, size_t end) const {
  end = std::min(end, compact.size());
  std::vector<LabelHit> candidates;
  // PERF: one pass over the region; at each character only the labels that start with it are compared.
  for (size_t pos = begin; pos < end;) {
    size_t next = pos;
    char32_t c = utf8::next(compact, next);
    if (const auto* entries = lookup(by_first_char_, c)) {
      for (const Entry& e : *entries) {
        const LabelUse& use = table_.items[e.item].labels[e.label];
        std::string_view core = use.label->core;
        if (end - pos < core.size() || compact.compare(pos, core.size(), core) != 0) continue;
        const int chars = static_cast<int>(utf8::length(core));
        LabelHit hit;
        hit.item = e.item;
        hit.label = e.label;
        hit.begin = pos;
        hit.end = pos + core.size();
        hit.score = 2 * chars + kind_bonus(best_kind(use));
        if (!use.label->ordinal.empty()) {
          if (size_t n = ordinal_before(compact, begin, pos, use.label->ordinal)) {
            hit.begin = pos - n;
            hit.with_ordinal = true;
            hit.score += 6;
          } else if (chars <= 2) {
            // "其他" alone is weak evidence of "3.其他", and none at all where the word goes on (其他对外管理服务事项).
            size_t after = hit.end;
            if (after < end) {
              const char32_t following = utf8::next(compact, after);
              if (following >= 0x4E00 && following <= 0x9FFF) continue;
            }
            hit.score = 1;
          } else {
            hit.score -= 2;
          }
        }
        candidates.push_back(hit);
      }
    }
    pos = next;
  }
  // Items no label of which stands as written: their labels by edit distance (misprints, broken labels).
  {
    std::vector<bool> wanted(table_.items.size(), true);
    for (const LabelHit& h : candidates) wanted[h.item] = false;
    fuzzy_candidates(compact, begin, end, wanted, candidates);
  }
  std::sort(candidates.begin(), candidates.end(), [](const LabelHit& a, const LabelHit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });

  // Longest weighted chain: items strictly increasing, spans not overlapping. PERF: a page can hold thousands
  // of label hits (a table repeated, a hostile page), so the predecessor of each hit is found in a Fenwick
  // tree over item numbers holding the best chain among hits that end before it begins: O(n log items)
  // instead of O(n²). Ties go to the earliest hit, as a left-to-right scan would pick.
  const size_t n = candidates.size();
  std::vector<int> best(n, 0);
  std::vector<long> previous(n, -1);
  size_t items = 0;
  for (const LabelHit& h : candidates) items = std::max(items, h.item + 1);
  using Chain = std::pair<int, long>;  // best score, index of its last hit (-1: none)
  auto better = [](const Chain& a, const Chain& b) {
    if (a.second < 0 || b.second < 0) return a.second >= 0;
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::vector<Chain> tree(items + 1, Chain{0, -1});
  std::vector<size_t> by_end(n);
  for (size_t i = 0; i < n; ++i) by_end[i] = i;
  std::stable_sort(by_end.begin(), by_end.end(), [&](size_t a, size_t b) { return candidates[a].end < candidates[b].end; });
  size_t inserted = 0;
  for (size_t i = 0; i < n; ++i) {
    for (; inserted < n && candidates[by_end[inserted]].end <= candidates[i].begin; ++inserted) {
      const size_t j = by_end[inserted];
      for (size_t pos = candidates[j].item + 1; pos <= items; pos += pos & (~pos + 1))
        if (better(Chain{best[j], static_cast<long>(j)}, tree[pos])) tree[pos] = Chain{best[j], static_cast<long>(j)};
    }
    best[i] = candidates[i].score;
    Chain found{0, -1};
    for (size_t pos = candidates[i].item; pos > 0; pos -= pos & (~pos + 1))
      if (better(tree[pos], found)) found = tree[pos];
    if (found.second >= 0 && found.first + candidates[i].score > best[i]) {
      best[i] = found.first + candidates[i].score;
      previous[i] = found.second;
    }
  }
  std::vector<LabelHit> chain;
  if (n == 0) return chain;
  size_t top = static_cast<size_t>(std::max_element(best.begin(), best.end()) - best.begin());
  for (long i = static_cast<long>(top); i >= 0; i = previous[static_cast<size_t>(i)]) chain.push_back(candidates[static_cast<size_t>(i)]);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

void LabelMatcher::fuzzy_candidates(std::string_view compact, size_t begin, size_t end, const std::vector<bool>& wanted,
                                    std::vector<LabelHit>& out) const {
  constexpr size_t kMinChars = 5;     // shorter labels are too alike to be told apart once changed
  constexpr int kMaxInserted = 8;     // foreign characters inside one label, in all
  // PERF: the places of the wanted labels' first characters are found in one pass over the region (a 64-bit set
  // of those characters rules out most of the others without a search); a label's window is decoded only where
  // its first character stands. (Decoding and indexing every character of the region cost more than the
  // alignments.)
  auto tried = [&](size_t item) { return wanted[item] && table_.items[item].labeled(); };
  std::vector<char32_t> firsts;
  uint64_t first_bits = 0;
  for (size_t item = 0; item < table_.items.size(); ++item) {
    if (!tried(item)) continue;
    for (const FuzzyLabel& fuzzy : fuzzy_labels_[item])
      if (fuzzy.chars.size() >= kMinChars) {
        firsts.push_back(fuzzy.chars[0]);
        first_bits |= char_bit(fuzzy.chars[0]);
      }
  }
  if (firsts.empty()) return;
  std::sort(firsts.begin(), firsts.end());
  firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
  std::vector<std::vector<size_t>> places(firsts.size());  // byte offsets, in text order, per first character
  for (size_t q = begin; q < end;) {
    const size_t at = q;
    const char32_t c = utf8::next(compact, q);
    if (!(first_bits & char_bit(c))) continue;
    if (auto it = std::lower_bound(firsts.begin(), firsts.end(), c); it != firsts.end() && *it == c)
      places[static_cast<size_t>(it - firsts.begin())].push_back(at);
  }
  std::u32string window_text;        // the characters from a place on, at most a window of them
  std::vector<size_t> window_offsets;  // their byte offsets, and the offset after the last (the region's end at most)
  for (size_t item = 0; item < table_.items.size(); ++item) {
    if (!tried(item)) continue;
    for (size_t l = 0; l < table_.items[item].labels.size(); ++l) {
      const LabelUse& use = table_.items[item].labels[l];
      const std::u32string& label = fuzzy_labels_[item][l].chars;
      if (label.size() < kMinChars) continue;
      // One change in six characters at most (a dropped, doubled or swapped character, a look-alike).
      const int max_edits = static_cast<int>(label.size() / 6) + 1;
      const size_t window = label.size() + kMaxInserted + 2;
      const std::vector<uint64_t>& label_bits = fuzzy_labels_[item][l].bits;
      const size_t first = static_cast<size_t>(std::lower_bound(firsts.begin(), firsts.end(), label[0]) - firsts.begin());
      for (const size_t pos : places[first]) {
        window_text.clear();
        window_offsets.clear();
        // PERF: a label character that is nowhere in the window can only be changed or dropped, one edit each;
        // with more such characters than edits allowed no alignment can match, and the alignment is not run.
        uint64_t present = 0;
        size_t q = pos;
        while (q < end && window_text.size() < window) {
          window_offsets.push_back(q);
          window_text.push_back(utf8::next(compact, q));
          present |= char_bit(window_text.back());
        }
        window_offsets.push_back(q < end ? q : end);
        int absent = 0;
        for (uint64_t bit : label_bits) absent += (present & bit) == 0;
        if (absent > max_edits) continue;
        const std::u32string_view text = window_text;
        if (auto f = fuzzy_match(label, text, max_edits, kMaxInserted)) {
          LabelHit hit;
          hit.item = item;
          hit.label = l;
          hit.begin = pos;
          hit.end = window_offsets[f->length];
          hit.edits = f->edits;
          hit.inserted = f->inserted;
          // Characters changed or dropped, or the foreign ones a doubling of the label's own (部分公开公开), are the
          // report's misprint; other foreign characters are a neighbouring cell's words between the lines.
          hit.misprint = f->edits > 0;
          if (!hit.misprint && f->inserted > 0) {
            const std::u32string written(text.substr(0, f->length));
            for (size_t w = 0; w < written.size() && !hit.misprint; ++w)
              for (size_t len = 1; w + 2 * len <= written.size() && !hit.misprint; ++len)
                if (written.compare(w, len, written, w + len, len) == 0 &&
                    written.substr(0, w + len) + written.substr(w + 2 * len) == label)
                  hit.misprint = true;
          }
          // Below any match as written: every change costs, and so does every foreign character.
          const int chars = static_cast<int>(label.size());
          hit.score = 2 * chars + kind_bonus(best_kind(use)) - 4 * f->edits - f->inserted;
          if (!use.label->ordinal.empty()) {
            if (size_t n = ordinal_before(compact, begin, pos, use.label->ordinal)) {
              hit.begin = pos - n;
              hit.with_ordinal = true;
              hit.score += 6;
            } else {
              hit.score -= 2;
            }
          }
          if (hit.score > 0) out.push_back(hit);
        }
      }
    }
  }
}

std::vector<HeaderHit> LabelMatcher::find_headers(std::string_view compact, size_t begin, size_t end, size_t block) const {
  return headers_in(header_occurrences(compact, begin, end)[block], begin, end);
}

std::vector<std::vector<HeaderHit>> LabelMatcher::header_occurrences(std::string_view compact, size_t begin, size_t end) const {
  end = std::min(end, compact.size());
  std::vector<std::vector<HeaderHit>> per_block(table_.blocks.size());
  // PERF: one pass; at each character only the headers that start with it are compared.
  for (size_t pos = begin; pos < end;) {
    size_t next = pos;
    char32_t c = utf8::next(compact, next);
    if (const auto* entries = lookup(headers_by_first_char_, c)) {
      for (const Entry& e : *entries) {
        std::string_view key = table_.blocks[e.label].headers[e.item].label->key;
        if (end - pos >= key.size() && compact.compare(pos, key.size(), key) == 0)
          per_block[e.label].push_back(HeaderHit{e.item, pos, pos + key.size()});
      }
    }
    pos = next;
  }
  return per_block;
}

std::vector<HeaderHit> LabelMatcher::headers_in(const std::vector<HeaderHit>& occurrences, size_t begin, size_t end) {
  std::vector<HeaderHit> all;
  for (const HeaderHit& h : occurrences)
    if (h.begin >= begin && h.end <= end) all.push_back(h);
  // Longest first wins where occurrences overlap (本年处理决定数量 over its fragment 处理决定).
  std::stable_sort(all.begin(), all.end(), [](const HeaderHit& x, const HeaderHit& y) {
    return (x.end - x.begin) > (y.end - y.begin);
  });
  std::vector<HeaderHit> kept;
  for (const HeaderHit& hit : all) {
    bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const HeaderHit& k) { return hit.begin < k.end && k.begin < hit.end; });
    if (!overlaps) kept.push_back(hit);
  }
  std::sort(kept.begin(), kept.end(), [](const HeaderHit& x, const HeaderHit& y) { return x.begin < y.begin; });
  return kept;
}

}  // namespace xxgk::tables
