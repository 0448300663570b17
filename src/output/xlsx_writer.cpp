// output/xlsx_writer.cpp — an Excel workbook an auditor can work through and sign off (libxlsxwriter).
#include <xlsxwriter.h>

#include <map>
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

}  // namespace

bool write_xlsx(const std::string& path, const std::vector<CheckResult>& results, std::string* error) {
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  lxw_workbook* book = workbook_new_opt(path.c_str(), &options);
  if (!book) {
    if (error) *error = "cannot create " + path;
    return false;
  }
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xEEF1F4);
  lxw_format* failing = workbook_add_format(book);
  format_set_bg_color(failing, 0xFBD4D0);
  format_set_bold(failing);
  lxw_format* uncertain = workbook_add_format(book);
  format_set_bg_color(uncertain, 0xE6DCF5);
  lxw_format* wrap = workbook_add_format(book);
  format_set_text_wrap(wrap);
  std::set<std::string> used;

  // Findings: one row per finding, with a column for the auditor's decision and one for a note.
  lxw_worksheet* findings = workbook_add_worksheet(book, sheet_name("findings", used).c_str());
  const char* heads[] = {"document", "line", "column", "rule", "severity", "status", "message", "fingerprint", "decision", "note"};
  for (lxw_col_t c = 0; c < 10; ++c) worksheet_write_string(findings, 0, c, heads[c], bold);
  worksheet_set_column(findings, 0, 0, 36, nullptr);
  worksheet_set_column(findings, 6, 6, 80, wrap);
  worksheet_set_column(findings, 7, 7, 18, nullptr);
  worksheet_set_column(findings, 8, 9, 16, nullptr);
  lxw_row_t row = 1;
  for (const CheckResult& r : results)
    for (const Finding& f : r.findings) {
      worksheet_write_string(findings, row, 0, r.source.path.c_str(), nullptr);
      if (f.location.line) {
        worksheet_write_number(findings, row, 1, f.location.line, nullptr);
        worksheet_write_number(findings, row, 2, f.location.column, nullptr);
      }
      worksheet_write_string(findings, row, 3, f.rule.c_str(), nullptr);
      worksheet_write_string(findings, row, 4, to_string(f.severity), nullptr);
      worksheet_write_string(findings, row, 5, to_string(f.status), nullptr);
      worksheet_write_string(findings, row, 6, f.message.c_str(), wrap);
      worksheet_write_string(findings, row, 7, f.fingerprint.c_str(), nullptr);
      ++row;
    }
  if (row > 1) {
    // The decision column offers a fixed list, so that decisions can be counted.
    static const char* decisions[] = {"confirmed", "rejected", "waived", "needs review", nullptr};
    lxw_data_validation validation{};
    validation.validate = LXW_VALIDATION_TYPE_LIST;
    validation.value_list = const_cast<char**>(decisions);
    worksheet_data_validation_range(findings, 1, 8, row - 1, 8, &validation);
    worksheet_autofilter(findings, 0, 0, row - 1, 9);
  }
  worksheet_freeze_panes(findings, 1, 0);

  // Documents.
  lxw_worksheet* documents = workbook_add_worksheet(book, sheet_name("documents", used).c_str());
  const char* doc_heads[] = {"document", "title", "agency", "year", "format", "encoding", "errors", "warnings", "info", "uncertain", "input error"};
  for (lxw_col_t c = 0; c < 11; ++c) worksheet_write_string(documents, 0, c, doc_heads[c], bold);
  worksheet_set_column(documents, 0, 2, 36, nullptr);
  row = 1;
  for (const CheckResult& r : results) {
    Tally tally;
    tally.add(r);
    worksheet_write_string(documents, row, 0, r.source.path.c_str(), nullptr);
    worksheet_write_string(documents, row, 1, r.report.title.c_str(), nullptr);
    worksheet_write_string(documents, row, 2, r.report.agency.c_str(), nullptr);
    if (r.report.year) worksheet_write_number(documents, row, 3, *r.report.year, nullptr);
    worksheet_write_string(documents, row, 4, r.report.format.c_str(), nullptr);
    worksheet_write_string(documents, row, 5, r.source.encoding.c_str(), nullptr);
    worksheet_write_number(documents, row, 6, static_cast<double>(tally.errors), nullptr);
    worksheet_write_number(documents, row, 7, static_cast<double>(tally.warnings), nullptr);
    worksheet_write_number(documents, row, 8, static_cast<double>(tally.infos), nullptr);
    worksheet_write_number(documents, row, 9, static_cast<double>(tally.uncertain), nullptr);
    if (r.error) worksheet_write_string(documents, row, 10, (r.error->code + ": " + r.error->message).c_str(), nullptr);
    ++row;
  }
  worksheet_freeze_panes(documents, 1, 0);

  // One sheet per rebuilt table: the standard layout, failing cells filled, a comment with the findings.
  for (size_t d = 0; d < results.size(); ++d) {
    const CheckResult& r = results[d];
    const output::CellMarks marks = output::marks_of(r);
    for (const Table& table : r.tables) {
      const std::string prefix = results.size() > 1 ? std::to_string(d + 1) + " " : "";
      lxw_worksheet* sheet = workbook_add_worksheet(book, sheet_name(prefix + table.id, used).c_str());
      worksheet_write_string(sheet, 0, 0, (r.source.path + " — " + table.id + " (" + table.format + ")").c_str(), nullptr);
      const output::TableLayout layout = output::layout_of(table);
      const std::vector<std::string>& columns = layout.columns;
      worksheet_write_string(sheet, 1, 0, "", bold);
      for (size_t c = 0; c < columns.size(); ++c)
        worksheet_write_string(sheet, 1, static_cast<lxw_col_t>(c + 1), layout.header.at(columns[c]).c_str(), bold);
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
          if (marks.failing.count(id)) format = failing;
          else if (marks.uncertain.count(id) || cell->status == CellStatus::uncertain) format = uncertain;
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
          }
        }
        ++out_row;
      }
      worksheet_freeze_panes(sheet, 2, 1);
    }
  }
  const lxw_error status = workbook_close(book);
  if (status != LXW_NO_ERROR) {
    if (error) *error = std::string("cannot write ") + path + ": " + lxw_strerror(status);
    return false;
  }
  return true;
}

}  // namespace xxgk
