// classify/classify.hpp — stage 5: what the document is, decided from all the evidence the stages before found.
//
// The year a report is about and the format it is judged against (before the tables: the table stage reads
// with that format in mind), then — with the tables — whether the page is a report at all, which format its
// tables follow, the kind and level of the body, and whether the text was cut off. Every decision is a plain
// value the checks read; none of them is made in the pipeline's hub.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "document/document.hpp"
#include "document/phrase.hpp"
#include "grammar/grammar.hpp"
#include "sections/meta.hpp"
#include "sections/parts.hpp"
#include "tables/table_builder.hpp"

namespace xxgk::classify {

//! The year the report is about, and where it was read ("header-title", "title", "period", "published").
struct Year {
  std::optional<int> value;
  std::string source;
};

//! What is known before the tables: the year and the format the report must follow.
struct Expectation {
  Year year;
  const grammar::Format* format = nullptr;  //!< null: pre-2019, or no year
  bool pre2019 = false;                     //!< the year is before the first format
};
Expectation expect(const grammar::GrammarSet& grammars, const sections::Meta& meta);

//! Without a year: the format most of the tables' blocks follow (newest on ties), or null when they say nothing.
const grammar::Format* format_of_tables(const grammar::GrammarSet& grammars, const tables::TablesResult& tables);

//! The kind and administrative level of the body that wrote the report.
struct Body {
  std::string kind = "unknown";  //!< government, department, township, unknown
  std::string level;             //!< 国务院部门, 省级, 市级, 县级, 乡镇街道, 部门, or ""
  std::string admin_level;       //!< administrative level when known
};
//! From the agency's name; without a name, from the words the body uses for itself (我镇, 本局).
Body body_of(const grammar::GrammarSet& grammars, const std::string& agency, const Document& doc, size_t body_begin);

//! Whether the text stops before the report does (a crawl cut short, a search excerpt, a first page), and
//! the evidence for it. What lies after the cut is not seen, and is never reported as missing.
struct Truncation {
  bool truncated = false;
  int part = 0;                  //!< the part the text ends in (0 when not truncated)
  int complete_through = 0;      //!< the last part the text holds whole (an unfinished heading ends the one before)
  Phrase ends;                   //!< where the text ends: in a table, mid-sentence, on a dangling heading
  std::vector<Phrase> evidence;  //!< everything that says so (the last line, announced parts, no signature)
  int announced_parts = 0;       //!< parts the introduction announces (0: it does not say)
  size_t unfinished_at = SIZE_MAX;  //!< compact offset where an unfinished heading starts the text's tail
};

struct Classification {
  Expectation expectation;
  std::string format;         //!< "2021", "2019", "pre2019" or "unknown"
  std::string tables_format;  //!< a format id, "mixed" or "none"
  Body body;
  bool is_report = true;
  Phrase not_report_reason;
  //! A report on a year with a format that is written in the structure of the reports before 2019 (no 总体情况, no
  //! statutory tables, the old words): one deviation, from which the missing parts and tables follow.
  bool old_structure = false;
  std::string old_structure_words;  //!< the old words found, as written
  Truncation truncation;

  const grammar::Format* expected() const { return expectation.format; }
  //! True when part `number` would come after the point where a truncated text ends: not seen, not missing.
  bool beyond_truncation(int number) const { return truncation.truncated && number > truncation.part; }
};

//! The decisions that need the tables. `expectation` is what the tables were built with.
Classification classify(const grammar::GrammarSet& grammars, const Document& doc, const sections::Meta& meta,
                        const sections::SectionTree& sections, const tables::TablesResult& tables,
                        const Expectation& expectation);

//! True when `row` of `table` comes after the last row read from a table the text ends in.
bool beyond_truncation(const tables::TableResult& table, const tables::RowResult& row);

//! Bulk scans: why a page is plainly not an annual report (few statutory words, no report title), or nothing.
std::optional<Phrase> triage(const grammar::GrammarSet& grammars, std::string_view text, bool html);

}  // namespace xxgk::classify
