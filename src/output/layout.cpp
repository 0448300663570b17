#include "output/layout.hpp"

namespace xxgk::output {

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += "\xEF\xBF\xBD";
        else out.push_back(c);
    }
  }
  return out;
}

const Cell* TableLayout::cell(const Row& row, const std::string& column) {
  for (const Cell& c : row.cells)
    if (c.column == column) return &c;
  return nullptr;
}

TableLayout layout_of(const Table& table) {
  TableLayout layout;
  for (const Row& row : table.rows)
    for (const Cell& c : row.cells) {
      if (layout.header.count(c.column)) continue;
      layout.columns.push_back(c.column);
      std::string path;
      for (const std::string& part : c.column_path) {
        if (!path.empty()) path += " / ";
        path += part;
      }
      layout.header[c.column] = path.empty() ? c.column : path;
    }
  return layout;
}

CellMarks marks_of(const CheckResult& result) {
  CellMarks marks;
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    for (const EvidenceTerm& term : f.evidence.terms) {
      if (term.cell.empty()) continue;
      marks.findings[term.cell].push_back(i);
      const bool uncertain = f.status == FindingStatus::uncertain || term.status == CellStatus::uncertain;
      (uncertain ? marks.uncertain : marks.failing).insert(term.cell);
    }
  }
  return marks;
}

}  // namespace xxgk::output
