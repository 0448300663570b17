// checks/context.hpp — what a rule sees: the document, the stages' results, and a way to report.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "classify/classify.hpp"
#include "document/document.hpp"
#include "grammar/grammar.hpp"
#include "sections/meta.hpp"
#include "sections/parts.hpp"
#include "tables/arithmetic.hpp"
#include "tables/table_builder.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::checks {

struct CheckContext {
  const Document& doc;
  const grammar::GrammarSet& grammars;
  const Options& options;
  const sections::Meta& meta;
  const sections::SectionTree& sections;
  const tables::TablesResult& tables;
  const ReportInfo& report;
  const classify::Classification& classification;
  const grammar::Format* expected = nullptr;  //!< null: pre2019, unknown, or not a report
  std::vector<Finding>& findings;

  //! Adds a finding of rule `rule` (its severity from rules.xml; an id it lacks throws std::logic_error). `key`
  //! identifies what the finding is about, independent of line numbers, for the fingerprint.
  Finding& add(const std::string& rule, FindingStatus status, std::string message, Location location,
               const std::string& key, Evidence evidence = {});

  //! Sets `finding`'s end to the end of `written` when the input holds it as written at the finding's place (a cell's
  //! number, a heading, a sentence): the exact range an auditor is pointed at.
  void span(Finding& finding, std::string_view written) const;

  //! The message `id` in the language of the run.
  std::string say(std::string_view id, const MessageArgs& args = {}) const {
    return grammars.messages.render(options.language, id, args);
  }
  std::string say(const Phrase& phrase) const { return grammars.messages.render(options.language, phrase); }
  //! Items joined by the language's list separator (list.comma, list.semicolon).
  std::string join(const std::vector<std::string>& items, std::string_view separator_id = "list.comma") const {
    return grammars.messages.join(options.language, items, separator_id);
  }

  //! Prose: match-form ranges outside the crawler header and the rebuilt tables.
  std::vector<std::pair<size_t, size_t>> prose_ranges() const;
  //! True when the text stops before the report does (classify::Truncation).
  bool truncated() const { return classification.truncation.truncated; }
  //! True when the text shows it was extracted from a paginated document (page numbers, table rules were
  //! blanked): headings and rows may have been lost on the way, so their absence is doubt, not a fault.
  bool lossy_extraction() const { return doc.furniture_lines > 0; }
  std::string lossy_extraction_reason() const { return say("doubt.lossy-extraction", {{"lines", doc.furniture_lines}}); }
  //! The part a truncated document ends in, 0 when it is not truncated.
  int truncated_in_part() const { return classification.truncation.part; }
  //! True when part `number` would come after the point where a truncated document ends: not seen, not missing.
  bool beyond_truncation(int part) const { return classification.beyond_truncation(part); }
  //! True when `row` of `table` comes after the last row read from a table the document ends in.
  static bool beyond_truncation(const tables::TableResult& table, const tables::RowResult& row) {
    return classify::beyond_truncation(table, row);
  }

  //! A table's arithmetic as the rules read it: every relation instance, the wrong figures behind several failing
  //! ones, and whether blanks mean zero. Worked out once per check: every rule that judges relations reads it.
  struct Arithmetic {
    std::vector<tables::RelationInstance> instances;
    std::vector<tables::Culprit> culprits;
    bool blanks_mean_zero = false;
  };
  const Arithmetic& arithmetic(const tables::TableResult& table);
  //! What arithmetic() worked out so far (node-based: the references it gave stay valid).
  std::map<const tables::TableResult*, Arithmetic> arithmetic_cache = {};
};

}  // namespace xxgk::checks

namespace xxgk::checks {

//! Canonical label of a row in the format its cells follow.
std::string row_label(const tables::RowResult& row);
//! Canonical header path of a cell, joined with " / ".
std::string column_label(const Cell& cell);
//! Display name of a block: its caption, else its first label.
std::string block_name(const tables::UnionTable& table, const tables::UnionBlock& block, const std::string& format);
//! Appends a named fact to `evidence`. WHY a function: GCC 12 reports a false -Warray-bounds when emplace_back of
//! such pairs is inlined into long rule functions.
void add_fact(Evidence& evidence, std::string name, std::string value);
//! "12", "4166.24", or "∅" for no value.
std::string format_value(const std::optional<double>& value);
//! An evidence term for a cell of a table.
EvidenceTerm term_of(const std::string& table, const tables::RowResult& row, const Cell& cell, const std::string& side);

}  // namespace xxgk::checks
