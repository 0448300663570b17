#include "tables/label_matcher.hpp"

#include <algorithm>

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

const std::vector<LabelMatcher::Entry>* LabelMatcher::lookup(const Index& index, char32_t c) {
  if (c < 0x10000 && !(index.starts[c / 64] & (uint64_t{1} << (c % 64)))) return nullptr;
  auto it = std::lower_bound(index.entries.begin(), index.entries.end(), c,
                             [](const auto& p, char32_t x) { return p.first < x; });
  return it != index.entries.end() && it->first == c ? &it->second : nullptr;
}

LabelMatcher::LabelMatcher(const UnionTable& table) : table_(table) {
  for (size_t i = 0; i < table.items.size(); ++i)
    for (size_t l = 0; l < table.items[i].labels.size(); ++l)
      if (char32_t c = first_char(table.items[i].labels[l].label->core)) index_add(by_first_char_, c, Entry{i, l});
  index_sort(by_first_char_);
  for (const UnionBlock& block : table.blocks) {
    Index index;
    for (size_t h = 0; h < block.headers.size(); ++h)
      if (char32_t c = first_char(block.headers[h].label->key)) index_add(index, c, Entry{h, 0});
    index_sort(index);
    headers_by_first_char_.push_back(std::move(index));
  }
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

std::vector<HeaderHit> LabelMatcher::find_headers(std::string_view compact, size_t begin, size_t end, size_t block) const {
  end = std::min(end, compact.size());
  std::vector<HeaderHit> all;
  const UnionBlock& b = table_.blocks[block];
  // PERF: one pass; at each character only the headers that start with it are compared.
  for (size_t pos = begin; pos < end;) {
    size_t next = pos;
    char32_t c = utf8::next(compact, next);
    if (const auto* entries = lookup(headers_by_first_char_[block], c)) {
      for (const Entry& e : *entries) {
        std::string_view key = b.headers[e.item].label->key;
        if (end - pos >= key.size() && compact.compare(pos, key.size(), key) == 0)
          all.push_back(HeaderHit{e.item, pos, pos + key.size()});
      }
    }
    pos = next;
  }
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
