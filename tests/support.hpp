// tests/support.hpp — helpers shared by the doctest suites.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "document/phrase.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::test {

//! UTF-8 `text` encoded in `charset` (ICU), for tests of other encodings.
std::string encode(const std::string& text, const char* charset);

//! A phrase of a stage in English words (grammars/messages.xml).
std::string english(const Phrase& phrase);

//! One checker for the whole test run (grammars are loaded once).
const Checker& checker();
//! Checks `text` as a UTF-8 document named `path`.
CheckResult check(const std::string& text, const std::string& path = "test.txt");
//! Bytes of a file of the repository's corpus/real/.
std::string corpus(const std::string& name);

//! "rule" for every finding with status fail, "rule?" for uncertain ones, sorted.
std::multiset<std::string> rules_of(const CheckResult& result);
//! Number of findings of `rule`.
size_t count(const CheckResult& result, const std::string& rule);
//! The first finding of `rule`, or nullptr.
const Finding* find(const CheckResult& result, const std::string& rule);
//! Value of table `table`, row `row`, column `column` (nullopt when absent or null).
std::optional<double> value(const CheckResult& result, const std::string& table, const std::string& row,
                            const std::string& column);
const Cell* cell(const CheckResult& result, const std::string& table, const std::string& row, const std::string& column);

//! A complete synthetic report, consistent unless told otherwise.
struct Synthetic {
  int year = 2023;
  std::string agency = "某某县交通运输局";
  std::string format = "2021";   //!< table layout: "2021" or "2019"
  std::string separator = "\n";  //!< between cells: "\n", " ", " | ", "" (run together)
  // Part 3, column 自然人 (other columns 0 but 总计 = 自然人): new, carried, open, not-held, carry-over.
  int new_requests = 5, carried = 1, opened = 3, not_held = 2, carry_over = 1;
  // Part 4: review upheld/pending, lawsuits direct upheld.
  int review_upheld = 1, review_pending = 0, direct_upheld = 0;
  int regulations_issued = 0, normative_issued = 2, normative_repealed = 1, normative_in_force = 12;
  std::string published;  //!< "2024-01-20": adds a 发布时间 line
  std::string extra_overview;  //!< prose added to part 1
};
std::string synthetic(const Synthetic& s);

}  // namespace xxgk::test
