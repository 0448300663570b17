// output/xlsx_writer.cpp — an Excel workbook an auditor can work through and sign off (libxlsxwriter).
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <map>
#include <memory>
#include <vector>
#include <set>

#include "output/layout.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

// Sheet names: at most 31 characters (Excel counts UTF-16 units; CJK stay one each), none of []:*?/\, unique.
std::string sheet_name(std::string name, std::set<std::string>& used) {
  for (char& c : name)
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
  std::string base;
  size_t chars = 0;
  for (size_t i = 0; i < name.size() && chars < 26; ++chars) {
    size_t len = (static_cast<unsigned char>(name[i]) >= 0xF0) ? 4 : (static_cast<unsigned char>(name[i]) >= 0xE0) ? 3
               : (static_cast<unsigned char>(name[i]) >= 0xC0) ? 2 : 1;
    base += name.substr(i, len);
    i += len;
  }
  std::string candidate = base;
  for (int k = 2; used.count(candidate); ++k) candidate = base + "~" + std::to_string(k);
  used.insert(candidate);
  return candidate;
}

// Text for a cell: one line (a title broken over lines stays one row high).
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

// A sheet written row by row that continues on a new sheet ("问题清单 2") at Excel's row limit. Names and
// headings are message ids, put into words when the sheet is opened.
struct RowSheet {
  RowSheet(std::string n, std::vector<const char*> h, std::vector<std::pair<lxw_col_t, double>> w, int wrap)
      : name(std::move(n)), heads(std::move(h)), widths(std::move(w)), wrap_column(wrap) {}
  std::string name;
  std::vector<const char*> heads;
  std::vector<std::pair<lxw_col_t, double>> widths;
  int wrap_column;  //!< the message column, -1: none
  lxw_worksheet* sheet = nullptr;
  lxw_row_t row = 0;
  int part = 0;
  std::vector<std::pair<lxw_worksheet*, lxw_row_t>> done;  // full sheets, for their filters
};

}  // namespace

struct XlsxWorkbook::State {
  Settings settings;
  lxw_workbook* book = nullptr;
  lxw_format *bold = nullptr, *failing = nullptr, *uncertain = nullptr, *wrap = nullptr;
  std::set<std::string> used;
  std::string properties_comment;  // kept alive until the workbook is written
  RowSheet findings{"ui.xlsx.findings",
                    {"ui.xlsx.document", "ui.xlsx.agency", "ui.xlsx.year", "ui.xlsx.line", "ui.xlsx.column", "ui.xlsx.rule",
                     "ui.xlsx.severity", "ui.xlsx.status", "ui.xlsx.message", "ui.xlsx.fingerprint", "ui.xlsx.decision", "ui.xlsx.note"},
                    {{0, 36}, {1, 28}, {8, 80}, {9, 18}, {10, 12}, {11, 24}}, 8};
  RowSheet documents{"ui.xlsx.documents",
                     {"ui.xlsx.document", "ui.xlsx.title", "ui.xlsx.agency", "ui.xlsx.year", "ui.xlsx.format", "ui.xlsx.encoding",
                      "ui.xlsx.errors", "ui.xlsx.warnings", "ui.xlsx.infos", "ui.xlsx.review", "ui.xlsx.input-error", "ui.xlsx.doc-status"},
                     {{0, 36}, {1, 36}, {2, 36}, {10, 40}}, -1};
  RowSheet crossyear{"ui.xlsx.across-years",
                     {"ui.xlsx.agency", "ui.xlsx.year", "ui.xlsx.previous-year", "ui.xlsx.document", "ui.xlsx.previous-document",
                      "ui.xlsx.rule", "ui.xlsx.severity", "ui.xlsx.status", "ui.xlsx.message", "ui.xlsx.fingerprint", "ui.xlsx.decision",
                      "ui.xlsx.note"},
                     {{0, 30}, {3, 36}, {4, 36}, {8, 80}}, 8};
  size_t documents_added = 0;
  bool closed = false;

  std::string say(std::string_view id, const Words::Args& args = {}) const { return settings.voice(id, args); }

  // Landscape A4, as wide as one page, the heading rows repeated on every page.
  static void print_setup(lxw_worksheet* sheet, lxw_row_t heading_rows) {
    worksheet_set_landscape(sheet);
    worksheet_set_paper(sheet, 9);  // A4
    worksheet_fit_to_pages(sheet, 1, 0);
    worksheet_repeat_rows(sheet, 0, heading_rows - 1);
  }

  void open(RowSheet& s) {
    if (s.sheet) s.done.emplace_back(s.sheet, s.row);
    ++s.part;
    const std::string name = say(s.name);
    s.sheet = workbook_add_worksheet(book, sheet_name(s.part == 1 ? name : name + " " + std::to_string(s.part), used).c_str());
    for (size_t c = 0; c < s.heads.size(); ++c)
      worksheet_write_string(s.sheet, 0, static_cast<lxw_col_t>(c), say(s.heads[c]).c_str(), bold);
    for (const auto& [column, width] : s.widths)
      worksheet_set_column(s.sheet, column, column, width, static_cast<int>(column) == s.wrap_column ? wrap : nullptr);
    worksheet_freeze_panes(s.sheet, 1, 0);
    print_setup(s.sheet, 1);
    s.row = 1;
  }
  lxw_worksheet* next_row(RowSheet& s, lxw_row_t& row) {
    constexpr lxw_row_t kLastRow = 1'048'575;  // Excel's last row index
    if (!s.sheet || s.row > kLastRow) open(s);
    row = s.row++;
    return s.sheet;
  }
  // Filters on every sheet, and the decision column's list.
  void finish_sheet(RowSheet& s, int decision_column) {
    if (s.sheet) s.done.emplace_back(s.sheet, s.row);
    for (const auto& [sheet, rows] : s.done) {
      if (rows <= 1) continue;
      worksheet_autofilter(sheet, 0, 0, rows - 1, static_cast<lxw_col_t>(s.heads.size() - 1));
      if (decision_column < 0) continue;
      // The decision column offers a fixed list, so that decisions can be counted.
      std::vector<std::string> words;
      for (const char* id : {"ui.xlsx.decision.confirmed", "ui.xlsx.decision.rejected", "ui.xlsx.decision.waived", "ui.xlsx.decision.review"})
        words.push_back(say(id));
      std::vector<char*> decisions;
      for (std::string& w : words) decisions.push_back(w.data());
      decisions.push_back(nullptr);
      lxw_data_validation validation{};
      validation.validate = LXW_VALIDATION_TYPE_LIST;
      validation.value_list = decisions.data();
      worksheet_data_validation_range(sheet, 1, static_cast<lxw_col_t>(decision_column), rows - 1,
                                      static_cast<lxw_col_t>(decision_column), &validation);
    }
  }
};

std::unique_ptr<XlsxWorkbook> XlsxWorkbook::create(const std::string& path, Settings settings, std::string* error) {
  auto workbook = std::unique_ptr<XlsxWorkbook>(new XlsxWorkbook());
  auto state = std::make_unique<State>();
  state->settings = settings;
  lxw_workbook_options options{};
  options.constant_memory = settings.constant_memory ? LXW_TRUE : LXW_FALSE;
  options.use_zip64 = settings.constant_memory ? LXW_TRUE : LXW_FALSE;
  options.tmpdir = nullptr;
  // libxlsxwriter writes the file only when it is closed, and then prints its own error line beside ours: whether
  // the file can be written is asked here, first.
  {
    std::FILE* probe = std::fopen(path.c_str(), "wb");
    if (!probe) {
      if (error) *error = settings.voice("ui.cli.cannot-write", {{"path", path}, {"reason", std::strerror(errno)}});
      return nullptr;
    }
    std::fclose(probe);
  }
  state->book = workbook_new_opt(path.c_str(), &options);
  if (!state->book) {
    if (error) *error = settings.voice("ui.cli.cannot-write", {{"path", path}, {"reason", ""}});
    return nullptr;
  }
  lxw_workbook* book = state->book;
  if (!settings.properties.empty()) {
    // The tool's version and grammars in the document's properties (File → Info in Excel).
    state->properties_comment = "xxgk " + settings.properties;
    lxw_doc_properties properties{};
    properties.comments = state->properties_comment.data();
    properties.title = const_cast<char*>("xxgk");
    workbook_set_properties(book, &properties);
  }
  state->bold = workbook_add_format(book);
  format_set_bold(state->bold);
  format_set_bg_color(state->bold, 0xEEF1F4);
  state->failing = workbook_add_format(book);
  format_set_bg_color(state->failing, 0xFBD4D0);
  format_set_bold(state->failing);
  state->uncertain = workbook_add_format(book);
  format_set_bg_color(state->uncertain, 0xE6DCF5);
  state->wrap = workbook_add_format(book);
  format_set_text_wrap(state->wrap);
  // The findings sheet first, then the documents: an auditor starts with the list to work through.
  state->open(state->findings);
  state->open(state->documents);
  workbook->state_ = std::move(state);
  return workbook;
}

XlsxWorkbook::~XlsxWorkbook() {
  if (state_ && !state_->closed) close(nullptr);
}

void XlsxWorkbook::add(const CheckResult& r) {
  State& s = *state_;
  const size_t number = ++s.documents_added;
  // Findings: one row per finding, with a column for the auditor's decision and one for a note.
  const std::string agency = one_line(r.report.agency);
  for (const Finding& f : r.findings) {
    lxw_row_t row = 0;
    lxw_worksheet* sheet = s.next_row(s.findings, row);
    worksheet_write_string(sheet, row, 0, r.source.path.c_str(), nullptr);
    worksheet_write_string(sheet, row, 1, agency.c_str(), nullptr);
    if (r.report.year) worksheet_write_number(sheet, row, 2, *r.report.year, nullptr);
    if (f.location.line) {
      worksheet_write_number(sheet, row, 3, f.location.line, nullptr);
      worksheet_write_number(sheet, row, 4, f.location.column, nullptr);
    }
    worksheet_write_string(sheet, row, 5, f.rule.c_str(), nullptr);
    worksheet_write_string(sheet, row, 6, s.say(std::string("ui.kind.") + to_string(f.severity)).c_str(), nullptr);
    worksheet_write_string(sheet, row, 7, s.say(std::string("ui.status.") + to_string(f.status)).c_str(), nullptr);
    worksheet_write_string(sheet, row, 8, f.message.c_str(), s.wrap);
    worksheet_write_string(sheet, row, 9, f.fingerprint.c_str(), nullptr);
  }
  // Documents.
  {
    Tally tally;
    tally.add(r);
    lxw_row_t row = 0;
    lxw_worksheet* sheet = s.next_row(s.documents, row);
    worksheet_write_string(sheet, row, 0, r.source.path.c_str(), nullptr);
    worksheet_write_string(sheet, row, 1, one_line(r.report.title).c_str(), nullptr);
    worksheet_write_string(sheet, row, 2, agency.c_str(), nullptr);
    if (r.report.year) worksheet_write_number(sheet, row, 3, *r.report.year, nullptr);
    worksheet_write_string(sheet, row, 4, r.report.format.c_str(), nullptr);
    worksheet_write_string(sheet, row, 5, r.source.encoding.c_str(), nullptr);
    worksheet_write_number(sheet, row, 6, static_cast<double>(tally.errors), nullptr);
    worksheet_write_number(sheet, row, 7, static_cast<double>(tally.warnings), nullptr);
    worksheet_write_number(sheet, row, 8, static_cast<double>(tally.infos), nullptr);
    worksheet_write_number(sheet, row, 9, static_cast<double>(tally.uncertain), nullptr);
    if (r.error) worksheet_write_string(sheet, row, 10, (r.error->code + ": " + r.error->message).c_str(), nullptr);
    const char* status = r.error ? "error" : !r.skipped.empty() || !r.report.is_report ? "skipped" : "checked";
    std::string status_text = s.say(std::string("ui.xlsx.doc-status.") + status);
    if (!r.skipped.empty()) status_text += s.say("ui.comma") + r.skipped;
    worksheet_write_string(sheet, row, 11, status_text.c_str(), nullptr);
  }
  if (!s.settings.table_sheets) return;
  // One sheet per rebuilt table: the standard layout, failing cells filled, a comment with the findings.
  const output::CellMarks marks = output::marks_of(r);
  for (const Table& table : r.tables) {
    std::string name = s.settings.number_table_sheets ? std::to_string(number) + " " : "";
    const std::string part_title = s.say((table.part ? "ui.part." : "ui.table.") + std::to_string(table.part));
    name += s.say("ui.part-short." + std::to_string(table.part));
    lxw_worksheet* sheet = workbook_add_worksheet(s.book, sheet_name(name, s.used).c_str());
    worksheet_write_string(sheet, 0, 0, (r.source.path + " — " + part_title + " (" + s.say("ui.format", {{"format", table.format}}) + ")").c_str(), nullptr);
    const output::TableLayout layout = output::layout_of(table);
    const std::vector<std::string>& columns = layout.columns;
    worksheet_write_string(sheet, 1, 0, "", s.bold);
    for (size_t c = 0; c < columns.size(); ++c)
      worksheet_write_string(sheet, 1, static_cast<lxw_col_t>(c + 1), layout.header.at(columns[c]).c_str(), s.bold);
    worksheet_set_column(sheet, 0, 0, 48, nullptr);
    worksheet_set_column(sheet, 1, static_cast<lxw_col_t>(columns.size()), 12, nullptr);
    lxw_row_t out_row = 2;
    for (const Row& tr : table.rows) {
      worksheet_write_string(sheet, out_row, 0, tr.label.c_str(), nullptr);
      for (size_t c = 0; c < columns.size(); ++c) {
        const Cell* cell = output::TableLayout::cell(tr, columns[c]);
        if (!cell) continue;
        const std::string id = table.id + "/" + tr.id + "/" + columns[c];
        lxw_format* format = nullptr;
        const bool doubtful = marks.uncertain.count(id) || cell->status == CellStatus::uncertain;
        if (marks.failing.count(id)) format = s.failing;
        else if (doubtful) format = s.uncertain;
        const auto column = static_cast<lxw_col_t>(c + 1);
        if (cell->value) worksheet_write_number(sheet, out_row, column, *cell->value, format);
        else worksheet_write_string(sheet, out_row, column, cell->raw.c_str(), format);
        if (auto it = marks.findings.find(id); it != marks.findings.end()) {
          std::string note;
          for (size_t k : it->second) {
            if (!note.empty()) note += '\n';
            note += r.findings[k].rule + ": " + r.findings[k].message;
          }
          worksheet_write_comment(sheet, out_row, column, note.c_str());
        } else if (doubtful && !s.settings.constant_memory) {
          // A cell in doubt says why it is violet, though no finding names it.
          worksheet_write_comment(sheet, out_row, column, s.say("ui.cell-status." + std::string(to_string(cell->status))).c_str());
        }
      }
      ++out_row;
    }
    worksheet_freeze_panes(sheet, 2, 1);
    State::print_setup(sheet, 2);
  }
}

void XlsxWorkbook::add_crossyear(const Finding& f, const std::string& agency, int year, int previous_year,
                                 const std::string& document, const std::string& previous) {
  State& s = *state_;
  lxw_row_t row = 0;
  lxw_worksheet* sheet = s.next_row(s.crossyear, row);
  worksheet_write_string(sheet, row, 0, agency.c_str(), nullptr);
  worksheet_write_number(sheet, row, 1, year, nullptr);
  worksheet_write_number(sheet, row, 2, previous_year, nullptr);
  worksheet_write_string(sheet, row, 3, document.c_str(), nullptr);
  worksheet_write_string(sheet, row, 4, previous.c_str(), nullptr);
  worksheet_write_string(sheet, row, 5, f.rule.c_str(), nullptr);
  worksheet_write_string(sheet, row, 6, s.say(std::string("ui.kind.") + to_string(f.severity)).c_str(), nullptr);
  worksheet_write_string(sheet, row, 7, s.say(std::string("ui.status.") + to_string(f.status)).c_str(), nullptr);
  worksheet_write_string(sheet, row, 8, f.message.c_str(), s.wrap);
  worksheet_write_string(sheet, row, 9, f.fingerprint.c_str(), nullptr);
}

bool XlsxWorkbook::close(std::string* error) {
  State& s = *state_;
  if (s.closed) return true;
  s.closed = true;
  s.finish_sheet(s.findings, 10);
  s.finish_sheet(s.documents, -1);
  s.finish_sheet(s.crossyear, 10);
  const lxw_error status = workbook_close(s.book);
  if (status != LXW_NO_ERROR) {
    if (error) *error = std::string("cannot write the workbook: ") + lxw_strerror(status);
    return false;
  }
  return true;
}

bool write_xlsx(const std::string& path, const std::vector<CheckResult>& results, XlsxWorkbook::Settings settings,
                std::string* error) {
  settings.number_table_sheets = results.size() > 1;
  auto book = XlsxWorkbook::create(path, settings, error);
  if (!book) return false;
  for (const CheckResult& r : results) book->add(r);
  return book->close(error);
}

}  // namespace xxgk
