// xxgk/output.hpp — renderings of check results: JSON (docs/schema.md), compiler-style text, table CSV.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace xxgk {

//! The words a person reads, in every language the tool speaks: the messages of grammars/messages.xml (the same
//! the checks speak with) and the interface words of grammars/interface.xml (`ui.*`), one catalogue. Every output
//! takes its words from here, so another language is one more text per message, not new code.
class XXGK_API Words {
 public:
  using Args = std::vector<std::pair<std::string, std::string>>;
  //! The catalogue built into the library.
  static const Words& builtin();
  //! The message files of `grammar_dir`, the built-in words filling in what they lack ("" : the built-in
  //! catalogue). Null with *error when a file is malformed.
  static std::shared_ptr<const Words> load(const std::string& grammar_dir, std::string* error);
  const std::vector<std::string>& languages() const;
  bool speaks(std::string_view language) const;
  bool has(std::string_view id) const;
  //! The message `id` in `language`, its {name} placeholders filled from `args`.
  std::string say(std::string_view language, std::string_view id, const Args& args = {}) const;

 private:
  Words() = default;
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

//! Words in one language.
struct XXGK_API Voice {
  const Words* words = nullptr;  //!< null: Words::builtin()
  std::string language = "zh";
  const Words& catalogue() const { return words ? *words : Words::builtin(); }
  std::string operator()(std::string_view id, const Words::Args& args = {}) const {
    return catalogue().say(language, id, args);
  }
};

//! Where a body is: its province and city (short names, "" when unknown).
struct XXGK_API Region {
  std::string province, city;
  bool empty() const { return province.empty(); }
};
//! The region of a body (grammars/regions.xml): from its name (福州市…, 平潭综合实验区…), else from the host of the URL its
//! report was crawled from (www.fujian.gov.cn).
XXGK_API Region region_of(std::string_view agency, std::string_view url = {});

//! The result as JSON, schema "xxgk.check/1" (docs/schema.md). Fields may be added, never renamed.
//! Without `with_tables`, "sections" and "tables" are left out (bulk scans keep their records small).
XXGK_API nlohmann::ordered_json to_json(const CheckResult& result, bool with_tables = true);
//! Only the rebuilt tables, with source and report (for `xxgk tables --format json`).
XXGK_API nlohmann::ordered_json tables_to_json(const CheckResult& result);
//! A result read back from its JSON (to_json, or a line of `xxgk scan`): what the outputs show of it (the text
//! of the input is not in the JSON, so it stays empty).
XXGK_API CheckResult result_from_json(const nlohmann::json& j);
//! What every machine-readable output says about the tool: {"name": "xxgk", "version": …, "grammars": …}
//! (Checker::grammar_revision).
XXGK_API nlohmann::ordered_json tool_json(const std::string& version, const std::string& grammars);

struct XXGK_API TextStyle {
  bool color = false;
  bool show_source = true;  //!< the source line and a caret under each finding
  Voice voice;              //!< the words of the severity prefixes and the summary
};
//! `path:line:col: severity: message [rule]`, with the source line under it.
XXGK_API void write_text(std::ostream& out, const CheckResult& result, const TextStyle& style);

//! Counts of findings. Doubt is not an error: `errors`, `warnings` and `infos` count proven (`fail`) findings
//! only; `uncertain` counts the findings to review, whatever their severity.
struct XXGK_API Tally {
  size_t errors = 0, warnings = 0, infos = 0, uncertain = 0, input_errors = 0, files = 0, skipped = 0;
  void add(const CheckResult& result);
  void add(const Finding& finding);
};

//! What makes a run fail (`--fail-on`): proven findings at or above a severity, or with `uncertain` proven
//! errors and every finding to review too; `never`: nothing.
enum class FailOn { info, warning, error, uncertain, never };
XXGK_API std::optional<FailOn> parse_fail_on(std::string_view name);
//! True when `finding` makes a run fail under `threshold`. An uncertain finding never does, unless asked.
XXGK_API bool fails(const Finding& finding, FailOn threshold);
XXGK_API bool fails(Severity severity, FindingStatus status, FailOn threshold);
//! The kind of a finding as people count it: "error", "warning" or "info" when proven, "review" when uncertain.
XXGK_API const char* kind_of(const Finding& finding);
XXGK_API void write_summary(std::ostream& out, const Tally& tally, const TextStyle& style);
//! The summary line: "3 files: 3 errors, 5 warnings, 1 info, 4 to review" in the voice's language.
XXGK_API std::string summary_line(const Tally& tally, const Voice& voice);

//! Every cell of every rebuilt table, one CSV row per cell (RFC 4180).
XXGK_API void write_csv_header(std::ostream& out);
XXGK_API void write_csv(std::ostream& out, const CheckResult& result);

//! A finding a baseline waived, with the waiver's reason.
struct XXGK_API WaivedFinding {
  Finding finding;
  std::string reason;
};

//! A run of `xxgk check` as the formats of a whole run see it.
struct XXGK_API Run {
  std::vector<CheckResult> results;
  std::vector<std::vector<WaivedFinding>> waived;  //!< per result (may be shorter: none)
  std::vector<double> seconds;                     //!< per result: time to read and check it (may be empty)
  Voice voice;                                     //!< the language of rule texts and interface words
  std::string version, grammars;                   //!< the tool's version, Checker::grammar_revision
  //! Where the rule pages (docs/rules/<id>.md) are, for SARIF helpUri; "": where `cmake --install` puts them, or
  //! the URI the build was configured with (-DXXGK_RULE_DOCS_URI=https://…/docs/rules/).
  std::string rule_docs_uri;
};

//! SARIF 2.1.0: one run, every rule with its help text in the run's language and a helpUri, one result per
//! finding (kind fail, or review for uncertain findings), regions in code points of the file (startLine,
//! startColumn, charOffset, and the end when the finding has one), partialFingerprints from the findings'
//! fingerprints; waived findings with an external suppression; unreadable inputs become tool notifications.
XXGK_API nlohmann::ordered_json to_sarif(const Run& run);
//! JUnit XML: a test suite per document (with its time), a test case per finding named by rule and fingerprint
//! (stable when lines shift).
XXGK_API void write_junit(std::ostream& out, const Run& run);
//! The auditor's HTML page (docs/formats.md): one self-contained file, written as documents arrive so that a
//! whole scan fits in bounded memory — each document's section goes out at once (its findings by part, each
//! marking exactly its characters in the source, then its tables in the standard layout); the overview (charts of
//! the findings by rule, year, level and region, and a sortable table of the documents, kept in a temporary file
//! meanwhile), the cross-year findings and the script come at the end. Every interface word comes from the
//! catalogue (Words), in all its languages, for the page's language switch. Needs the results' text
//! (Options::keep_text).
class XXGK_API HtmlReport {
 public:
  struct Settings {
    std::string title;
    std::string language = "zh";  //!< the interface language the page opens in (a language of the catalogue)
    const Words* words = nullptr;  //!< the interface words (null: the built-in catalogue)
    //! For scans: sections only for documents with findings or errors, the source only around findings, and
    //! only the tables with marked cells; every document is still in the index.
    bool compact = false;
    std::string generator;  //!< the tool's version and grammars, for <meta name="generator">
  };
  //! What the overview says about a document: a row of the documents table, and its findings for the charts.
  struct Entry {
    size_t number = 0;
    std::string path, title, status, detail;  //!< status: checked, skipped or error; detail: why skipped or unreadable
    std::string agency, level, region, format, content;
    std::optional<int> year;
    Tally tally;
    std::vector<std::pair<std::string, std::string>> findings;  //!< rule and kind (kind_of) of each finding
    bool has_section = false;
  };

  HtmlReport(std::ostream& out, Settings settings);
  ~HtmlReport();
  HtmlReport(const HtmlReport&) = delete;
  HtmlReport& operator=(const HtmlReport&) = delete;

  //! The overview entry and the section of a document (empty when it gets none); safe to call from any thread.
  //! `number` makes the section's anchors unique in the page.
  Entry entry_of(const CheckResult& result, size_t number, bool compact) const;
  std::string section_of(const CheckResult& result, size_t number, bool compact) const;
  //! Adds a document rendered by entry_of and section_of.
  void add(const Entry& entry, const std::string& section);
  //! Renders and adds a document, numbered in the order of the calls.
  void add(const CheckResult& result);
  //! A finding of the cross-year pass: `document` compared with `previous` (ids or paths).
  void add_crossyear(const Finding& finding, const std::string& agency, const std::string& document,
                     const std::string& previous);
  //! Writes the index, the cross-year findings and the script. The page is complete only after this.
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};
//! One page for `results` (HtmlReport, every document with a section).
XXGK_API void write_html_report(std::ostream& out, const std::vector<CheckResult>& results, const HtmlReport::Settings& settings);
//! An Excel workbook (libxlsxwriter), written as documents arrive: a findings sheet with a decision and a note
//! column, a documents sheet, a sheet per rebuilt table with the failing cells filled and commented, and for
//! scans the cross-year findings. A sheet that reaches Excel's row limit continues on "findings 2".
class XXGK_API XlsxWorkbook {
 public:
  struct Settings {
    bool table_sheets = true;         //!< a sheet per rebuilt table (not for scans: thousands of sheets)
    bool number_table_sheets = false;  //!< prefix table sheets with the document's number
    bool constant_memory = false;     //!< rows go to temporary files as written (scans; no comments needed)
    Voice voice;                      //!< sheet names, headers and decision values
    std::string properties;           //!< the tool's version and grammars, in the document properties
  };
  static std::unique_ptr<XlsxWorkbook> create(const std::string& path, Settings settings, std::string* error);
  ~XlsxWorkbook();
  XlsxWorkbook(const XlsxWorkbook&) = delete;
  XlsxWorkbook& operator=(const XlsxWorkbook&) = delete;

  void add(const CheckResult& result);
  void add_crossyear(const Finding& finding, const std::string& agency, int year, int previous_year,
                     const std::string& document, const std::string& previous);
  //! Writes the file. False with *error when it cannot be written.
  bool close(std::string* error);

 private:
  XlsxWorkbook() = default;
  struct State;
  std::unique_ptr<State> state_;
};
//! A workbook of `results` (XlsxWorkbook with table sheets). Returns false and sets *error on failure.
XXGK_API bool write_xlsx(const std::string& path, const std::vector<CheckResult>& results, XlsxWorkbook::Settings settings,
                std::string* error);

//! Findings as CSV for spreadsheets: UTF-8 with a byte order mark (so that Excel reads it as UTF-8), one row per
//! finding; text that a spreadsheet would take for a formula is quoted with a leading apostrophe.
XXGK_API void write_findings_csv_header(std::ostream& out);
XXGK_API void write_findings_csv(std::ostream& out, const CheckResult& result);
//! GitHub Actions workflow commands: one ::error/::warning/::notice annotation per finding (findings to review
//! are notices), with the file, line, column and end.
XXGK_API void write_github(std::ostream& out, const CheckResult& result, const Voice& voice);

//! Two reports of one body, the year before and this year, compared (`xxgk compare`): the cross-year findings the
//! scan gives (Checker::compare_years: carry-over, stock, copied prose), every table cell that changed, and the
//! paragraphs of this year's report with sentences copied from last year's.
struct XXGK_API YearComparison {
  CheckResult last, current;  //!< both checked with Options::year_facts and keep_text
  std::vector<Finding> findings;
  struct ChangedCell {
    int part = 0;
    std::string cell, label;  //!< "p3/new/natural"; "row | column"
    std::optional<double> last, current;
    Location location;        //!< in this year's report (or last year's, for a cell this year lacks)
  };
  std::vector<ChangedCell> cells;
  struct Paragraph {
    uint32_t line = 0;        //!< in the text this year's report was read as (its rendered text for a page)
    std::string text;
    uint32_t chars = 0, copied = 0;  //!< characters of its prose sentences, and of those last year has word for word
  };
  std::vector<Paragraph> paragraphs;  //!< those with copied sentences, in text order
  uint32_t chars = 0, copied = 0;     //!< over the whole body
  size_t sentences = 0, copied_sentences = 0;
};
//! Compares two checked reports with the scan's comparison (`checker` must have Options::year_facts). False with
//! *error (a message id of the catalogue) when either has no year facts (not a report, no year or no agency).
XXGK_API bool compare_reports(const Checker& checker, CheckResult last, CheckResult current, YearComparison& out, std::string* error);
XXGK_API nlohmann::ordered_json comparison_json(const YearComparison& comparison, const nlohmann::ordered_json& tool);
XXGK_API void write_comparison_text(std::ostream& out, const YearComparison& comparison, const TextStyle& style);
//! The comparison as one self-contained page in the style of the report page: the two years' tables side by side.
XXGK_API void write_comparison_html(std::ostream& out, const YearComparison& comparison, const HtmlReport::Settings& settings);
XXGK_API bool write_comparison_xlsx(const std::string& path, const YearComparison& comparison, const XlsxWorkbook::Settings& settings,
                           std::string* error);

//! Every rule with its default severity and summary (`xxgk rules`; docs/rules.md in Markdown).
XXGK_API std::string rules_list(const std::vector<RuleInfo>& rules, const Voice& voice, bool markdown);

//! Counts by rule and kind (`--statistics`): one line each, most first, with the rule's summary.
XXGK_API void write_statistics(std::ostream& out, const std::vector<CheckResult>& results, const Voice& voice);

}  // namespace xxgk
