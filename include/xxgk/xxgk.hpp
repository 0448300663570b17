// xxgk/xxgk.hpp — public API: check one published 政府信息公开工作年度报告 and get its result.
//
//   auto checker = xxgk::Checker::create({}, &error);   // loads the grammars once
//   xxgk::CheckResult r = checker->check(bytes, {.path = "report.txt"});
//
// A Checker is immutable after creation and may be shared by threads; check() never throws for bad
// input: a document that cannot be read yields a result whose `error` is set.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xxgk/export.hpp"
#include "xxgk/version.hpp"

namespace xxgk {

//! Severity of a finding, lowest first.
enum class Severity { info, warning, error };
//! `fail`: the report is wrong. `uncertain`: extraction doubt is involved; never a verdict on the report.
enum class FindingStatus { fail, uncertain };

//! How a table cell's value was obtained.
enum class CellStatus {
  ok,         //!< read as one token
  split,      //!< cut from a digit run that has exactly one reading
  inferred,   //!< cut from a digit run; the only reading that fits the row's arithmetic
  empty,      //!< placeholder or blank cell (value null)
  uncertain,  //!< cannot be read without guessing (value null)
  missing,    //!< the row was not found (value null)
  invalid     //!< present but not a valid value for the column (value null)
};

//! What the input was read as, sniffed from its content. `none`: it was not read (CheckResult::error).
enum class InputKind { none, text, html, pdf, docx };

//! The names the JSON results use ("warning", "uncertain", "split", "html"; "" for InputKind::none).
XXGK_API const char* to_string(Severity);
XXGK_API const char* to_string(FindingStatus);
XXGK_API const char* to_string(CellStatus);
XXGK_API const char* to_string(InputKind);

//! A rectangle on a PDF page, in points from the page's top-left corner (x to the right, y down). All zero: none.
struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x0 == 0 && y0 == 0 && x1 == 0 && y1 == 0; }
  bool operator==(const Box&) const = default;
};

//! A place in the decoded input (for HTML, in the page's markup): 1-based line, 1-based column in characters,
//! byte offset in the decoded UTF-8 text. line == 0 means "no particular place".
//! PDF input: `page` is the 1-based page, `line` the line of that page as read (`xxgk text`), `offset` an offset
//! into the text as read, `box` where the line or table cell stands on the page. page == 0: no page.
struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t offset = 0;
  uint32_t page = 0;
  Box box;
  Location() = default;
  // WHY a constructor: `{line, column, offset}` stays valid (and free of missing-initializer warnings) now that
  // a location has a page and a box too.
  Location(uint32_t line_number, uint32_t column_number, uint32_t byte_offset, uint32_t page_number = 0, Box on_page = {})
      : line(line_number), column(column_number), offset(byte_offset), page(page_number), box(on_page) {}
};

struct Date {
  int year = 0, month = 0, day = 0;
  auto operator<=>(const Date&) const = default;
  XXGK_API std::string iso() const;
};

//! One term of a relation or claim, as shown to an auditor.
struct EvidenceTerm {
  std::string side;   //!< "left"/"right" for relations, "table" for claims
  std::string cell;   //!< table/row/column id, e.g. "p3/new/total"
  std::string label;  //!< canonical row label and column header
  std::optional<double> value;
  std::string raw;
  std::optional<CellStatus> status;  //!< the cell's status; none for a value that is not a table cell
  Location location;
};

struct Evidence {
  std::vector<EvidenceTerm> terms;
  std::optional<double> reported;  //!< the total (left side) as written
  std::optional<double> computed;  //!< the sum of the addends (right side)
  std::optional<double> difference;
  std::vector<std::pair<std::string, std::string>> facts;  //!< other named facts, in order
  std::vector<std::string> candidates;                     //!< readings of an ambiguous digit run
  bool empty() const { return terms.empty() && !reported && facts.empty() && candidates.empty(); }
};

struct Finding {
  std::string rule;  //!< stable id, e.g. "total.balance"
  Severity severity = Severity::error;
  FindingStatus status = FindingStatus::fail;
  std::string message;
  Location location;
  //! End of the text the finding is about (exclusive): with `location` the exact range to mark (the number
  //! `393件`, a cell, a heading). line == 0 when the finding has no range of its own.
  Location end;
  std::string fingerprint;  //!< stable across re-runs and line shifts: rule + what it is about
  Evidence evidence;
};

struct Source {
  std::string path;
  uint64_t bytes = 0;
  std::string sha256;
  //! Fingerprint of the report's own text: its body in the matching form, whitespace and digits left out — the
  //! same for a re-crawl whose page chrome, footer or visit counter changed (waivers are keyed by it). Empty
  //! when the input was not read as a document.
  std::string body_fingerprint;
  std::string encoding;         //!< e.g. "UTF-8", "GB18030"
  std::string encoding_source;  //!< "bom", "valid-utf8", "declared", "meta", "detected", "fallback"
  std::string encoding_note;    //!< why a declared charset was overruled, or is too narrow
  InputKind content = InputKind::none;  //!< what the input was read as, sniffed from the content
  std::string html_body;        //!< HTML: how the report body was found ("markers", "container", "page")
  uint32_t html_tables = 0;     //!< HTML: <table> elements in the page
  uint32_t pages = 0;           //!< PDF: pages read
};

struct ReportInfo {
  std::string title;
  std::string agency;
  std::string level;        //!< 国务院部门, 省级, 市级, 县级, 乡镇街道, 部门, or ""
  std::string kind;         //!< government, department, township, unknown
  std::string admin_level;  //!< administrative level of the body when known
  std::optional<int> year;
  std::string year_source;  //!< "title", "period", "header-title", "published"
  std::string format;       //!< format the report is judged against: "2021", "2019", "pre2019", "unknown"
  std::string tables_format;  //!< what its tables follow: a format id, "mixed" or "none"
  std::optional<Date> published;
  std::string published_source;  //!< "crawler-header", "page"
  std::optional<Date> period_start, period_end, signed_on;
  bool is_report = true;
  std::string not_report_reason;
  std::string traditional;  //!< "converted" when the page was mapped from traditional characters
};

struct Section {
  std::string id;
  int number = 0;               //!< statutory part number 1–6
  int number_as_written = 0;    //!< 0 when the heading has no number
  std::string heading;          //!< as written
  bool canonical = true;
  Location location;
};

//! The table grid cell of an HTML page a value came from: 1-based <table> position in the page, grid row and
//! grid column after rowspan/colspan expansion.
struct GridRef {
  uint32_t table = 0, row = 0, column = 0;
  bool operator==(const GridRef&) const = default;
};

struct Cell {
  std::string column;
  std::vector<std::string> column_path;  //!< canonical headers, outermost first
  std::string raw;
  std::optional<double> value;
  bool decimal = false;  //!< value was written with a decimal point
  std::string unit;
  CellStatus status = CellStatus::missing;
  Location location;
  std::optional<GridRef> grid;  //!< HTML input: where in which table grid the value stood
};

struct Row {
  std::string id;
  std::string label;  //!< canonical, from the grammar of the row's block
  std::string label_as_written;
  std::string block;
  std::string format;  //!< format id of the block the row was read with
  Location location;
  std::vector<Cell> cells;
};

struct Table {
  int part = 0;
  std::string id;
  std::string format;  //!< format id, or "mixed" when blocks follow different revisions
  double confidence = 0;
  Location location;
  std::vector<Row> rows;
  XXGK_API const Row* row(std::string_view id) const;
};

//! What one report says that the same body's next report must agree with, and fingerprints of its prose
//! (Options::year_facts; compared by Checker::compare_years).
struct YearFacts {
  std::string agency;  //!< matching form of the agency's name: one body's reports share it
  int year = 0;
  struct Value {
    double value = 0;
    bool inferred = false;  //!< cut from a digit run by the row's arithmetic
    Location location;
  };
  std::map<std::string, Value> cells;  //!< "p3/carried/natural" → value; only cells read with a value
  //! Prose sentences of the body, numbers masked: 64-bit fingerprint and length in characters, in text order.
  std::vector<std::pair<uint64_t, uint32_t>> sentences;
  //! Where each sentence starts: a byte offset in the text the report was read as (CheckResult::rendered for an
  //! HTML page, CheckResult::text otherwise), for showing what was copied. Not kept in scan records.
  std::vector<uint32_t> sentence_offsets;
};

struct InputError {
  std::string code;  //!< "not-text", "empty", "too-large", "too-deep", "too-complex", "time-limit", "read-failed",
                     //!< "undecodable"; PDF and Word: "encrypted", "damaged", "no-text-layer", "no-unicode-map",
                     //!< "word-binary" (an old .doc)
  std::string message;
};

struct CheckResult {
  Source source;
  std::optional<InputError> error;
  std::string skipped;  //!< Options::triage: why the page was not checked (empty when it was)
  std::optional<YearFacts> year_facts;  //!< Options::year_facts, for reports with an agency and a year
  ReportInfo report;
  std::vector<Section> sections;
  std::vector<Table> tables;
  std::vector<Finding> findings;
  //! Decoded UTF-8 input (kept when Options::keep_text), for showing source lines; for PDF and DOCX input, the
  //! text as read (locations point into it).
  std::string text;
  std::string rendered;  //!< HTML, PDF, DOCX input: the text read from the page (kept when Options::keep_text)
  //! HTML input: for every byte of `rendered` (and one past its end), the offset in `text` (the page's markup) it
  //! came from, so that a location in the markup can be shown in the rendered text (kept when Options::keep_text).
  std::vector<uint32_t> rendered_origin;
};

//! What the caller knows about the input besides its bytes.
struct InputInfo {
  std::string path;              //!< shown in results; "-" for stdin
  std::string declared_charset;  //!< transport charset, when known (an HTTP header, --charset)
};

struct Options {
  std::string grammar_dir;        //!< empty: the grammars built into the library
  //! Language of messages (findings, doubts, reasons): a language of grammars/messages.xml, "zh" or "en".
  std::string language = "zh";
  int township_deadline_month = 1;  //!< 乡镇/街道 have no statutory date; local rules set one
  int township_deadline_day = 31;
  uint64_t max_input_bytes = 32u << 20;
  size_t max_html_depth = 4096;  //!< HTML nested deeper is refused ("too-deep"): parsing it takes quadratic time
  //! HTML with more elements is refused ("too-complex"): its tree would take memory out of all proportion (real
  //! report pages have a few thousand elements; a 10^6-cell table would need most of a gigabyte).
  size_t max_html_elements = 200'000;
  //! PDF: more pages are refused ("too-complex"); real reports have a few dozen.
  uint32_t max_pdf_pages = 2'000;
  //! PDF: a page larger on either side (points; A0 is 3,370) is refused ("too-complex").
  double max_pdf_page_side = 14'400;
  //! PDF and DOCX: more words (text pieces) in the whole document are refused ("too-complex").
  size_t max_document_words = 2'000'000;
  //! Skip pages that are plainly not annual reports (few statutory words, no report title): bulk scans.
  bool triage = false;
  //! A check that runs longer stops at the next stage boundary with the error "time-limit" (0: no limit).
  uint32_t time_budget_ms = 0;
  //! Keep what cross-year checks need (CheckResult::year_facts).
  bool year_facts = false;
  bool keep_text = true;
  //! Largest difference between an amount in the prose and in a table (万元) that still counts as equal.
  double money_tolerance = 0;
  //! Severity per rule id, overriding the default; nullopt turns the rule off (xxgk.toml [rules]).
  std::map<std::string, std::optional<Severity>> rule_severity;
};

//! True when `label` names a charset the checker can decode (an IANA or ICU name: gbk, gb2312, big5, utf-8…).
XXGK_API bool known_charset(std::string_view label);

//! A rule the checker can report, with its default severity.
struct RuleInfo {
  std::string id;
  Severity severity;
  std::string summary;
  std::string purpose;  //!< what the rule is for (grammars/rules.xml)
  std::string basis;    //!< the clause of the standard or regulation behind it
  XXGK_API std::string help_text() const;      //!< purpose and basis as plain text
  XXGK_API std::string help_markdown() const;  //!< the same as Markdown
  //! What the rule says in one language (grammars/rules.xml: <summary lang>, <purpose lang>, <basis lang>
  //! beside the default texts above — summary and purpose in English, the basis in the standard's words).
  struct Text {
    std::string summary, purpose, basis;
  };
  std::map<std::string, Text, std::less<>> texts;  //!< by language, as rules.xml has them
  //! The texts in `language`, each falling back to the default text when rules.xml has none in it.
  XXGK_API Text text(std::string_view language) const;
};
XXGK_API const std::vector<RuleInfo>& rules();
//! The rule `id`, or nullptr.
XXGK_API const RuleInfo* find_rule_info(std::string_view id);

class XXGK_API Checker {
 public:
  //! Loads and compiles the grammars. Returns null and sets *error when they are unusable.
  static std::unique_ptr<Checker> create(const Options& options, std::string* error);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  //! Checks one document. Thread-safe.
  CheckResult check(std::string_view bytes, const InputInfo& info) const;

  //! Ids of the loaded table formats, oldest first.
  std::vector<std::string> formats() const;
  //! The grammars this checker judges by: the format ids and a digest of every grammar file, e.g.
  //! "2019+2021@3f2a9c1d5e6b" (machine-readable outputs name it beside the tool version).
  const std::string& grammar_revision() const;

  //! The crossyear.* findings of a body's report `current` against its report on the year before.
  std::vector<Finding> compare_years(const YearFacts& previous, const YearFacts& current) const;

 private:
  struct Impl;
  explicit Checker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xxgk
