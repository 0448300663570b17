// checks/word_finder.hpp — where each of a set of words stands in a text, in one pass for all of them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xxgk::checks {

//! Finds a fixed set of words in texts. PERF: one pass over a text for every word (a memmem per word went over it
//! once for each). A three-byte character (most of a report) is one step and one lookup in a table of the characters
//! that start a word; any other byte is looked up by the two bytes that start there.
class WordFinder {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  //! `words`: duplicates and empty words are ignored.
  explicit WordFinder(std::vector<std::string> words);

  //! The number of `word` in the lists find_in gives, npos when it is none of the words (or empty).
  size_t index_of(std::string_view word) const;
  size_t size() const { return words_.size(); }

  //! Every word's occurrences in `text` (byte offsets, ascending), by index_of. Each list is what a left-to-right
  //! search that resumes after every find gives: one word's occurrences do not overlap.
  std::vector<std::vector<size_t>> find_in(std::string_view text) const;

 private:
  using Keyed = std::vector<std::pair<unsigned, size_t>>;  //!< (key, word), sorted by key

  std::vector<std::string> words_;  //!< sorted, unique, none empty
  std::vector<uint64_t> pairs_;     //!< bit per first two bytes that start a word
  Keyed by_pair_;
  std::vector<uint64_t> chars_;  //!< bit per three-byte character (its 16 bits) that starts a word
  Keyed by_char_;
  bool char_steps_ = true;  //!< no word starts inside a three-byte character, or is shorter than one that starts it
};

}  // namespace xxgk::checks
