#include "checks/word_finder.hpp"

#include <algorithm>

namespace xxgk::checks {

namespace {

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }
bool is_three_byte_lead(unsigned char b) { return b >= 0xE0 && b <= 0xEF; }

// The 16 bits a three-byte sequence (lead, continuation, continuation) encodes: one number per sequence.
unsigned char_bits(const unsigned char* p) { return (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu); }

bool has(const std::vector<uint64_t>& bits, unsigned key) { return bits[key / 64] >> (key % 64) & 1; }

}  // namespace

WordFinder::WordFinder(std::vector<std::string> words)
    : words_(std::move(words)), pairs_(65536 / 64, 0), chars_(65536 / 64, 0) {
  // Sorted, so that duplicates go in one pass and index_of is a binary search.
  std::erase(words_, std::string());
  std::sort(words_.begin(), words_.end());
  words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  auto add = [](std::vector<uint64_t>& bits, Keyed& keyed, unsigned key, size_t id) {
    bits[key / 64] |= uint64_t{1} << (key % 64);
    keyed.emplace_back(key, id);
  };
  for (size_t id = 0; id < words_.size(); ++id) {
    const auto* w = reinterpret_cast<const unsigned char*>(words_[id].data());
    const size_t size = words_[id].size();
    if (size == 1) {
      for (unsigned second = 0; second < 256; ++second) add(pairs_, by_pair_, w[0] << 8 | second, id);  // whatever follows it
    } else {
      add(pairs_, by_pair_, w[0] << 8 | w[1], id);
    }
    if (is_continuation(w[0]) || (is_three_byte_lead(w[0]) && size < 3)) char_steps_ = false;
    if (size >= 3 && is_three_byte_lead(w[0]) && is_continuation(w[1]) && is_continuation(w[2]))
      add(chars_, by_char_, char_bits(w), id);
  }
  std::sort(by_pair_.begin(), by_pair_.end());
  std::sort(by_char_.begin(), by_char_.end());
}

size_t WordFinder::index_of(std::string_view word) const {
  auto it = std::lower_bound(words_.begin(), words_.end(), word);
  return it != words_.end() && *it == word ? static_cast<size_t>(it - words_.begin()) : npos;
}

std::vector<std::vector<size_t>> WordFinder::find_in(std::string_view text) const {
  std::vector<std::vector<size_t>> found(words_.size());
  std::vector<size_t> resume(words_.size(), 0);  // where each word's search goes on after its last find
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  // The words keyed `key` that stand at `i`.
  auto try_at = [&](size_t i, const Keyed& keyed, unsigned key) {
    for (auto it = std::lower_bound(keyed.begin(), keyed.end(), std::pair<unsigned, size_t>{key, 0});
         it != keyed.end() && it->first == key; ++it) {
      const size_t id = it->second;
      if (i >= resume[id] && text.substr(i).starts_with(words_[id])) {
        found[id].push_back(i);
        resume[id] = i + words_[id].size();
      }
    }
  };
  const bool char_steps = char_steps_;
  // The key of the three-byte character (lead, continuation, continuation) at `i`, or -1 when none stands there.
  auto char_at = [&](size_t i) -> int {
    if (i + 2 >= n || !is_three_byte_lead(bytes[i]) || !is_continuation(bytes[i + 1]) || !is_continuation(bytes[i + 2]))
      return -1;
    return static_cast<int>(char_bits(bytes + i));
  };
  for (size_t i = 0; i < n;) {
    // A three-byte character: no word starts at its continuation bytes, and the words that start at it start with it.
    // PERF: the characters that start none are passed in a loop of their own (most of the text).
    if (char_steps) {
      int key = char_at(i);
      while (key >= 0 && !has(chars_, static_cast<unsigned>(key))) {
        i += 3;
        key = char_at(i);
      }
      if (key >= 0) {
        try_at(i, by_char_, static_cast<unsigned>(key));
        i += 3;
        continue;
      }
      if (i >= n) break;
    }
    // PERF: two bytes of three in Chinese text continue a character, and no word starts there (unless one does).
    // The byte after the text's last counts as 0: only a one-byte word, which takes any, stands there.
    const unsigned char b = bytes[i];
    if (!is_continuation(b) || !char_steps)
      if (const unsigned key = b << 8 | (i + 1 < n ? bytes[i + 1] : 0u); has(pairs_, key)) try_at(i, by_pair_, key);
    ++i;
  }
  return found;
}

}  // namespace xxgk::checks
