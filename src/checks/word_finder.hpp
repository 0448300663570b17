// checks/word_finder.hpp — where each of a set of words stands in a text, in one pass for all of them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xxgk::checks {

//! Finds a fixed set of words in texts. PERF: one pass over a text for every word (a memmem per word went over it
//! once for each); a table of the words' first two bytes leaves a byte that starts none of them at one lookup.
class WordFinder {
 public:
  //! `words`: duplicates and empty words are ignored.
  explicit WordFinder(const std::vector<std::string>& words);

  //! Every word's occurrences in `text` (byte offsets, ascending), by word. Each list is what a left-to-right
  //! search that resumes after every find gives: one word's occurrences do not overlap.
  std::map<std::string, std::vector<size_t>, std::less<>> find_in(std::string_view text) const;

 private:
  void add(unsigned pair, size_t id);

  std::vector<std::string> words_;
  std::vector<uint64_t> starts_;                      //!< bit per first two bytes that start a word
  std::vector<std::pair<unsigned, size_t>> by_pair_;  //!< (first two bytes, word), sorted
  bool continuation_starts_ = false;                  //!< a word starts with a UTF-8 continuation byte
};

}  // namespace xxgk::checks
