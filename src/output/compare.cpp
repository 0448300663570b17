// output/compare.cpp — `xxgk compare LAST THIS`: one body's reports of consecutive years. The findings are the
// scan's cross-year findings (Checker::compare_years over the year facts); around them, what an auditor reads
// beside them: every table cell that changed and the paragraphs copied from last year, with their share.
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_set>

#include "util/numbers.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

constexpr size_t kParagraphChars = 300;  // a line longer than this is shown as its copied sentences
constexpr size_t kSentenceChars = 160;   // at most this much of each copied sentence

std::string shown_text(const CheckResult& r) { return r.source.content == InputKind::html && !r.rendered.empty() ? r.rendered : r.text; }

std::string column_path(const Cell& c) {
  std::string path;
  for (const std::string& p : c.column_path) path += (path.empty() ? "" : " / ") + p;
  return path.empty() ? c.column : path;
}

struct CellValue {
  int part = 0;
  std::string label;
  std::optional<double> value;
  Location location;
  size_t order = 0;
};

std::map<std::string, CellValue> cells_of(const CheckResult& r) {
  std::map<std::string, CellValue> out;
  size_t order = 0;
  for (const Table& t : r.tables)
    for (const Row& row : t.rows)
      for (const Cell& c : row.cells)
        out[t.id + "/" + row.id + "/" + c.column] = CellValue{t.part, row.label + " | " + column_path(c), c.value, c.location, order++};
  return out;
}

// At most `chars` characters of `text`, with … when cut.
std::string clipped(std::string_view text, size_t chars) {
  size_t pos = 0, n = 0;
  while (pos < text.size() && n < chars) {
    pos += std::min(text.size() - pos, static_cast<size_t>((static_cast<unsigned char>(text[pos]) < 0x80) ? 1
                                                          : (static_cast<unsigned char>(text[pos]) < 0xE0) ? 2
                                                          : (static_cast<unsigned char>(text[pos]) < 0xF0) ? 3 : 4));
    ++n;
  }
  return std::string(text.substr(0, pos)) + (pos < text.size() ? "…" : "");
}

std::string number(const std::optional<double>& v) { return v ? numbers::text(*v, 15) : std::string("—"); }

std::string percent(uint32_t part, uint32_t whole) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", whole ? 100.0 * part / whole : 0.0);
  return buffer;
}

}  // namespace

bool compare_reports(const Checker& checker, CheckResult last, CheckResult current, YearComparison& out, std::string* error) {
  for (const CheckResult* r : {&last, &current})
    if (!r->year_facts) {
      if (error) *error = r->source.path;
      return false;
    }
  out.findings = checker.compare_years(*last.year_facts, *current.year_facts);

  // Every cell with a value in either year that is not the same in the other.
  const auto before = cells_of(last), now = cells_of(current);
  for (const auto& [id, c] : now) {
    auto it = before.find(id);
    const std::optional<double> old = it == before.end() ? std::nullopt : it->second.value;
    if (!c.value && !old) continue;
    if (c.value && old && std::fabs(*c.value - *old) < 1e-9) continue;
    out.cells.push_back({c.part, id, c.label, old, c.value, c.location});
  }
  for (const auto& [id, c] : before)
    if (c.value && !now.count(id)) out.cells.push_back({c.part, id, c.label, c.value, std::nullopt, c.location});
  std::stable_sort(out.cells.begin(), out.cells.end(), [&](const auto& a, const auto& b) {
    auto order = [&](const std::string& id) {
      auto n = now.find(id);
      return n != now.end() ? n->second.order : before.at(id).order + now.size();
    };
    return a.part != b.part ? a.part < b.part : order(a.cell) < order(b.cell);
  });

  // This year's paragraphs with sentences that last year's report has word for word (the scan's fingerprints).
  const YearFacts& facts = *current.year_facts;
  std::unordered_set<uint64_t> earlier;
  for (const auto& [print, chars] : last.year_facts->sentences) earlier.insert(print);
  const std::string text = shown_text(current);
  std::vector<size_t> line_starts{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
  std::map<uint32_t, YearComparison::Paragraph> by_line;
  // line -> the copied sentences: where each starts and its length in characters
  std::map<uint32_t, std::vector<std::pair<size_t, size_t>>> copied_spans;
  out.sentences = facts.sentences.size();
  for (size_t i = 0; i < facts.sentences.size(); ++i) {
    const auto [print, chars] = facts.sentences[i];
    const bool copied = earlier.count(print) > 0;
    out.chars += chars;
    if (copied) out.copied += chars, ++out.copied_sentences;
    if (i >= facts.sentence_offsets.size()) continue;
    const size_t offset = std::min<size_t>(facts.sentence_offsets[i], text.size());
    const auto line = static_cast<uint32_t>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) - line_starts.begin());
    YearComparison::Paragraph& p = by_line[line];
    p.line = line;
    p.chars += chars;
    if (!copied) continue;
    p.copied += chars;
    copied_spans[line].emplace_back(offset, chars);
  }
  for (auto& [line, p] : by_line) {
    if (!p.copied) continue;
    const size_t begin = line_starts[line - 1];
    const size_t end = line < line_starts.size() ? line_starts[line] - 1 : text.size();
    const std::string_view whole(text.data() + begin, end - begin);
    if (whole.size() <= kParagraphChars * 3) {
      p.text = clipped(whole, kParagraphChars);
    } else {
      for (const auto& [from, chars] : copied_spans[line])
        p.text += (p.text.empty() ? "" : " … ") + clipped(std::string_view(text).substr(from, end - from), std::min(chars, kSentenceChars));
    }
    out.paragraphs.push_back(std::move(p));
  }
  out.last = std::move(last);
  out.current = std::move(current);
  return true;
}

nlohmann::ordered_json comparison_json(const YearComparison& c, const nlohmann::ordered_json& tool) {
  using json = nlohmann::ordered_json;
  auto side = [](const CheckResult& r) {
    return json{{"path", r.source.path},
                {"agency", r.report.agency},
                {"year", r.report.year ? json(*r.report.year) : json(nullptr)},
                {"sha256", r.source.sha256}};
  };
  CheckResult holder;
  holder.findings = c.findings;
  json cells = json::array();
  auto value = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  for (const auto& cell : c.cells)
    cells.push_back({{"cell", cell.cell},
                     {"part", cell.part},
                     {"label", cell.label},
                     {"last", value(cell.last)},
                     {"this", value(cell.current)},
                     {"change", cell.last && cell.current ? json(*cell.current - *cell.last) : json(nullptr)},
                     {"line", cell.location.line ? json(cell.location.line) : json(nullptr)},
                     {"column", cell.location.line ? json(cell.location.column) : json(nullptr)}});
  json paragraphs = json::array();
  for (const auto& p : c.paragraphs)
    paragraphs.push_back({{"line", p.line}, {"text", p.text}, {"chars", p.chars}, {"copied", p.copied},
                          {"share", p.chars ? static_cast<double>(p.copied) / p.chars : 0.0}});
  return {{"schema", "xxgk.compare/1"},
          {"tool", tool},
          {"last", side(c.last)},
          {"this", side(c.current)},
          {"findings", to_json(holder, false)["findings"]},
          {"changed_cells", std::move(cells)},
          {"copied", {{"share", c.chars ? static_cast<double>(c.copied) / c.chars : 0.0},
                      {"sentences", c.copied_sentences},
                      {"of_sentences", c.sentences},
                      {"chars", c.copied},
                      {"of_chars", c.chars},
                      {"paragraphs", std::move(paragraphs)}}}};
}

void write_comparison_text(std::ostream& out, const YearComparison& c, const TextStyle& style) {
  const Voice& say = style.voice;
  auto year = [](const CheckResult& r) { return r.report.year ? std::to_string(*r.report.year) : std::string("?"); };
  out << say("ui.compare.heading", {{"last", c.last.source.path}, {"last_year", year(c.last)}, {"this", c.current.source.path},
                                    {"this_year", year(c.current)}, {"agency", c.current.report.agency}})
      << "\n\n";
  // The findings, as check prints them, in this year's report.
  CheckResult findings;
  findings.source = c.current.source;
  findings.text = c.current.text;
  findings.findings = c.findings;
  out << say("ui.compare.findings", {{"n", std::to_string(c.findings.size())}}) << "\n";
  write_text(out, findings, style);
  out << "\n" << say("ui.compare.changed-cells", {{"n", std::to_string(c.cells.size())}}) << "\n";
  for (const auto& cell : c.cells) {
    std::string change;
    if (cell.last && cell.current) {
      const double d = *cell.current - *cell.last;
      change = " (" + std::string(d > 0 ? "+" : "") + numbers::text(d, 15) + ")";
    }
    out << "  " << say("ui.part-short." + std::to_string(cell.part)) << " " << cell.label << ": " << number(cell.last) << " → "
        << number(cell.current) << change << "\n";
  }
  out << "\n" << say("ui.compare.copied", {{"share", percent(c.copied, c.chars)},
                                           {"sentences", std::to_string(c.copied_sentences)},
                                           {"of", std::to_string(c.sentences)}})
      << "\n";
  for (const auto& p : c.paragraphs)
    out << "  " << say("ui.compare.paragraph", {{"line", std::to_string(p.line)}, {"share", percent(p.copied, p.chars)}}) << p.text << "\n";
}

bool write_comparison_xlsx(const std::string& path, const YearComparison& c, const XlsxWorkbook::Settings& settings, std::string* error) {
  const Voice& say = settings.voice;
  if (std::FILE* probe = std::fopen(path.c_str(), "wb")) {
    std::fclose(probe);
  } else {
    if (error) *error = say("ui.cli.cannot-write", {{"path", path}, {"reason", std::strerror(errno)}});
    return false;
  }
  lxw_workbook* book = workbook_new(path.c_str());
  if (!book) {
    if (error) *error = say("ui.cli.cannot-write", {{"path", path}, {"reason", ""}});
    return false;
  }
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xEEF1F4);
  lxw_format* wrap = workbook_add_format(book);
  format_set_text_wrap(wrap);
  auto sheet_with = [&](const char* name_id, std::vector<const char*> heads, std::vector<std::pair<lxw_col_t, double>> widths) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, say(name_id).c_str());
    for (size_t i = 0; i < heads.size(); ++i) worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(i), say(heads[i]).c_str(), bold);
    for (const auto& [column, width] : widths) worksheet_set_column(sheet, column, column, width, nullptr);
    worksheet_freeze_panes(sheet, 1, 0);
    worksheet_set_landscape(sheet);
    worksheet_fit_to_pages(sheet, 1, 0);
    worksheet_repeat_rows(sheet, 0, 0);
    return sheet;
  };
  lxw_worksheet* findings = sheet_with("ui.compare.sheet.findings",
                                       {"ui.xlsx.rule", "ui.xlsx.severity", "ui.xlsx.status", "ui.xlsx.message", "ui.xlsx.fingerprint",
                                        "ui.xlsx.decision", "ui.xlsx.note"},
                                       {{0, 28}, {3, 90}});
  lxw_row_t row = 1;
  for (const Finding& f : c.findings) {
    worksheet_write_string(findings, row, 0, f.rule.c_str(), nullptr);
    worksheet_write_string(findings, row, 1, say(std::string("ui.kind.") + to_string(f.severity)).c_str(), nullptr);
    worksheet_write_string(findings, row, 2, say(std::string("ui.status.") + to_string(f.status)).c_str(), nullptr);
    worksheet_write_string(findings, row, 3, f.message.c_str(), wrap);
    worksheet_write_string(findings, row++, 4, f.fingerprint.c_str(), nullptr);
  }
  lxw_worksheet* cells = sheet_with("ui.compare.sheet.cells",
                                    {"ui.compare.part", "ui.compare.cell", "ui.compare.last", "ui.compare.this", "ui.compare.change"},
                                    {{0, 12}, {1, 70}, {2, 12}, {3, 12}, {4, 12}});
  row = 1;
  for (const auto& cell : c.cells) {
    worksheet_write_string(cells, row, 0, say("ui.part-short." + std::to_string(cell.part)).c_str(), nullptr);
    worksheet_write_string(cells, row, 1, cell.label.c_str(), nullptr);
    if (cell.last) worksheet_write_number(cells, row, 2, *cell.last, nullptr);
    if (cell.current) worksheet_write_number(cells, row, 3, *cell.current, nullptr);
    if (cell.last && cell.current) worksheet_write_number(cells, row, 4, *cell.current - *cell.last, nullptr);
    ++row;
  }
  lxw_worksheet* copied = sheet_with("ui.compare.sheet.copied", {"ui.xlsx.line", "ui.compare.share", "ui.compare.text"}, {{1, 10}, {2, 100}});
  row = 1;
  for (const auto& p : c.paragraphs) {
    worksheet_write_number(copied, row, 0, p.line, nullptr);
    worksheet_write_number(copied, row, 1, p.chars ? static_cast<double>(p.copied) / p.chars : 0.0, nullptr);
    worksheet_write_string(copied, row++, 2, p.text.c_str(), wrap);
  }
  const lxw_error status = workbook_close(book);
  if (status != LXW_NO_ERROR) {
    if (error) *error = say("ui.cli.cannot-write", {{"path", path}, {"reason", lxw_strerror(status)}});
    return false;
  }
  return true;
}

}  // namespace xxgk
