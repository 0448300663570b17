// xxgk/output.hpp — renderings of check results: JSON (docs/schema.md), compiler-style text, table CSV.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace xxgk {

//! The result as JSON, schema "xxgk.check/1" (docs/schema.md). Fields may be added, never renamed.
//! Without `with_tables`, "sections" and "tables" are left out (bulk scans keep their records small).
nlohmann::ordered_json to_json(const CheckResult& result, bool with_tables = true);
//! Only the rebuilt tables, with source and report (for `xxgk tables --format json`).
nlohmann::ordered_json tables_to_json(const CheckResult& result);

struct TextStyle {
  bool color = false;
  bool show_source = true;  //!< the source line and a caret under each finding
};
//! `path:line:col: severity: message [rule]`, with the source line under it.
void write_text(std::ostream& out, const CheckResult& result, const TextStyle& style);

//! Counts of findings by severity, and of uncertain ones.
struct Tally {
  size_t errors = 0, warnings = 0, infos = 0, uncertain = 0, input_errors = 0, files = 0;
  void add(const CheckResult& result);
};
void write_summary(std::ostream& out, const Tally& tally, const TextStyle& style);

//! Every cell of every rebuilt table, one CSV row per cell (RFC 4180).
void write_csv_header(std::ostream& out);
void write_csv(std::ostream& out, const CheckResult& result);

//! SARIF 2.1.0: one run, every rule with its help text, one result per finding (kind fail, or review for
//! uncertain findings; a pass result for a document without findings), partialFingerprints from the
//! findings' fingerprints; unreadable inputs become tool notifications.
nlohmann::ordered_json to_sarif(const std::vector<CheckResult>& results, const std::string& tool_version);
//! JUnit XML: a test suite per document, a test case per finding.
void write_junit(std::ostream& out, const std::vector<CheckResult>& results);
//! One self-contained HTML page (docs/formats.md) for `results`, with an index when there are several. Needs
//! the results' text (Options::keep_text).
void write_html_report(std::ostream& out, const std::vector<CheckResult>& results, const std::string& title);
//! An Excel workbook (libxlsxwriter): findings with a decision column, one sheet per rebuilt table of each
//! report with the failing cells filled, and a documents sheet. Returns false and sets *error on failure.
bool write_xlsx(const std::string& path, const std::vector<CheckResult>& results, std::string* error);

}  // namespace xxgk
