// util/regex.hpp — a compiled PCRE2 pattern (UTF, JIT) with bounded matching.
//
// PERF: subjects are validated once per document, so every match passes PCRE2_NO_UTF_CHECK; re-validation
// costs 3-10x (library-notes.md). Match data are per thread and reused.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xxgk {

class Regex {
 public:
  struct Span {
    size_t begin = 0, end = 0;
    bool matched = false;
  };
  struct Match {
    size_t begin = 0, end = 0;
    std::vector<Span> groups;  //!< index 0 unused; 1.. capture groups
  };

  //! Compiles `pattern`; on failure returns nullopt and sets *error (with the offset).
  static std::optional<Regex> compile(std::string_view pattern, std::string* error, bool anchored = false);

  Regex();  //!< matches nothing
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  ~Regex();

  //! Finds the first match at or after `start`. The subject must be valid UTF-8.
  bool search(std::string_view subject, size_t start, Match& match) const;
  //! Every non-overlapping match, left to right.
  std::vector<Match> find_all(std::string_view subject) const;
  //! Searches in this thread that gave up at the backtracking bound (a pattern that backtracks without bound on
  //! some text; such a search reads as no match). For tests that hold every grammar pattern to the bound.
  static size_t limit_hits();
  //! Number of the named group, or -1.
  int group(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

 private:
  struct Code;
  std::unique_ptr<Code> code_;
  std::string pattern_;
  size_t group_count_ = 0;
};

//! Text of group `index` of `m` in `subject`, empty when it did not take part.
inline std::string_view group_text(std::string_view subject, const Regex::Match& m, int index) {
  if (index <= 0 || static_cast<size_t>(index) >= m.groups.size() || !m.groups[index].matched) return {};
  return subject.substr(m.groups[index].begin, m.groups[index].end - m.groups[index].begin);
}

}  // namespace xxgk
