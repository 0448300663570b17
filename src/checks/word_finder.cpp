#include "checks/word_finder.hpp"

#include <algorithm>

namespace xxgk::checks {

WordFinder::WordFinder(const std::vector<std::string>& words) : starts_(65536 / 64, 0) {
  for (const std::string& w : words)
    if (!w.empty() && std::find(words_.begin(), words_.end(), w) == words_.end()) words_.push_back(w);
  for (size_t id = 0; id < words_.size(); ++id) {
    const unsigned first = static_cast<unsigned char>(words_[id][0]);
    continuation_starts_ |= (first & 0xC0) == 0x80;
    if (words_[id].size() == 1) {
      for (unsigned second = 0; second < 256; ++second) add(first << 8 | second, id);  // whatever follows it
    } else {
      add(first << 8 | static_cast<unsigned char>(words_[id][1]), id);
    }
  }
  std::sort(by_pair_.begin(), by_pair_.end());
}

void WordFinder::add(unsigned pair, size_t id) {
  starts_[pair / 64] |= uint64_t{1} << (pair % 64);
  by_pair_.emplace_back(pair, id);
}

std::map<std::string, std::vector<size_t>, std::less<>> WordFinder::find_in(std::string_view text) const {
  std::vector<std::vector<size_t>> found(words_.size());
  std::vector<size_t> resume(words_.size(), 0);  // where each word's search goes on after its last find
  for (size_t i = 0; i < text.size(); ++i) {
    // PERF: two bytes of three in Chinese text continue a character, and no word starts there.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80 && !continuation_starts_) continue;
    // The byte after the text's last counts as 0: only a one-byte word, which takes any, stands there.
    const unsigned pair = static_cast<unsigned>(static_cast<unsigned char>(text[i])) << 8 |
                          (i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0u);
    if (!(starts_[pair / 64] >> (pair % 64) & 1)) continue;
    for (auto it = std::lower_bound(by_pair_.begin(), by_pair_.end(), std::pair<unsigned, size_t>{pair, 0});
         it != by_pair_.end() && it->first == pair; ++it) {
      const size_t id = it->second;
      if (i >= resume[id] && text.substr(i).starts_with(words_[id])) {
        found[id].push_back(i);
        resume[id] = i + words_[id].size();
      }
    }
  }
  std::map<std::string, std::vector<size_t>, std::less<>> out;
  for (size_t id = 0; id < words_.size(); ++id) out.emplace(words_[id], std::move(found[id]));
  return out;
}

}  // namespace xxgk::checks
