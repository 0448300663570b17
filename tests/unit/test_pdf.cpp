// The PDF and DOCX front ends: geometry on made-up pages (assemble), the judgement of a text layer, poppler on
// small PDFs written here, DOCX packages written here, detection by content. Real PDFs (printed from the
// corpus's pages) are compared with their HTML pages by tests/pdf/twins_test.py.
#include <archive.h>
#include <archive_entry.h>
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <variant>

#include "docx/docx.hpp"
#include "grammar/grammar.hpp"
#include "ingest/ingest.hpp"
#include "ingest/sniff.hpp"
#include "pdf/assemble.hpp"
#include "pdf/pdf.hpp"
#include "support.hpp"
#include "util/utf8.hpp"

using namespace xxgk;

namespace {

const grammar::GrammarSet& grammars() {
  static std::unique_ptr<grammar::GrammarSet> g = [] {
    std::string error;
    auto set = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
    REQUIRE(set);
    return set;
  }();
  return *g;
}

pdf::Word word(std::string text, float x0, float y0, float x1, float size = 12) {
  pdf::Word w;
  w.text = std::move(text);
  w.box = Box{x0, y0, x1, y0 + size};
  w.font_size = size;
  w.baseline = y0 + size * 0.85f;
  return w;
}

// A table's rulings: horizontal rules at `ys` from xs.front() to xs.back(), vertical ones at `xs` from
// ys.front() to ys.back(), except the pieces listed in `gaps` (x of a vertical rule, row index it skips).
void rule_table(pdf::RawPage& page, const std::vector<float>& xs, const std::vector<float>& ys,
                const std::vector<std::pair<float, size_t>>& gaps = {}) {
  for (float y : ys) page.rules.push_back({Box{xs.front(), y - 0.5f, xs.back(), y + 0.5f}});
  for (float x : xs)
    for (size_t r = 0; r + 1 < ys.size(); ++r) {
      bool gap = false;
      for (auto [gx, gr] : gaps) gap |= gx == x && gr == r;
      if (!gap) page.rules.push_back({Box{x - 0.5f, ys[r], x + 0.5f, ys[r + 1]}});
    }
}

pdf::RawPage a4() {
  pdf::RawPage p;
  p.width = 595;
  p.height = 842;
  return p;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t b = 0;
  for (size_t e; (e = text.find('\n', b)) != std::string::npos; b = e + 1) out.push_back(text.substr(b, e - b));
  if (b < text.size()) out.push_back(text.substr(b));
  return out;
}

}  // namespace

TEST_CASE("pdf.assemble.paragraphs_tables_furniture") {
  pdf::RawDocument doc;
  // Page 1: a running header, a heading, a paragraph wrapped at the right margin, a table whose first header
  // cell spans two columns (no rule between them in row 0) and whose label spans two rows, a page number.
  pdf::RawPage p1 = a4();
  p1.words.push_back(word("某某县交通运输局文件", 200, 30, 320, 10));
  p1.words.push_back(word("一、总体情况", 72, 100, 144));
  p1.words.push_back(word("本年度共主动公开政府信息一百二十条，其中规范性文件十件，政策解读五篇，", 96, 130, 523));
  p1.words.push_back(word("依申请公开办理情况良好。", 72, 146, 216));
  rule_table(p1, {72, 200, 300, 400}, {200, 230, 260, 290}, {{300, 0}});  // row 0: columns 1–2 are one cell
  // The first column's rows 1 and 2 form one cell: remove the horizontal rule between them there.
  p1.rules.erase(std::remove_if(p1.rules.begin(), p1.rules.end(), [](const pdf::Rule& r) {
                   return r.horizontal() && r.box.y0 > 259 && r.box.y0 < 261;
                 }),
                 p1.rules.end());
  p1.rules.push_back({Box{200, 259.5f, 400, 260.5f}});
  p1.words.push_back(word("信息内容", 80, 210, 128));
  p1.words.push_back(word("申请人情况", 220, 210, 280));
  p1.words.push_back(word("行政许可", 80, 255, 128));
  p1.words.push_back(word("12", 210, 240, 222));
  p1.words.push_back(word("3", 310, 240, 316));
  p1.words.push_back(word("4", 210, 270, 216));
  p1.words.push_back(word("5", 310, 270, 316));
  p1.words.push_back(word("- 1 -", 290, 800, 310, 10));
  // Page 2: the same running header and a page number.
  pdf::RawPage p2 = a4();
  p2.words.push_back(word("某某县交通运输局文件", 200, 30, 320, 10));
  p2.words.push_back(word("二、主动公开政府信息情况", 72, 100, 216));
  p2.words.push_back(word("第2页 共2页", 270, 800, 330, 10));
  doc.pages = {p1, p2};

  RenderedDocument r = pdf::assemble(doc, grammars());
  auto lines = lines_of(r.text);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "一、总体情况");
  CHECK(lines[1] == "本年度共主动公开政府信息一百二十条，其中规范性文件十件，政策解读五篇，依申请公开办理情况良好。");
  CHECK(lines[2] == "信息内容 | 申请人情况");  // the header spanning two columns
  CHECK(lines[3] == "行政许可 | 12 | 3");
  CHECK(lines[4] == "4 | 5");
  CHECK(lines[5] == "二、主动公开政府信息情况");
  CHECK(r.furniture_dropped == 4);  // two running headers, two page numbers

  REQUIRE(r.grids.size() == 1);
  const Grid& g = r.grids[0];
  CHECK(g.rows == 3);
  CHECK(g.columns == 3);
  const GridCell& header = g.cells[static_cast<size_t>(g.slot(0, 1))];
  CHECK(header.colspan == 2);
  CHECK(g.slot(0, 1) == g.slot(0, 2));
  const GridCell& label = g.cells[static_cast<size_t>(g.slot(1, 0))];
  CHECK(label.rowspan == 2);
  CHECK(g.slot(2, 0) == g.slot(1, 0));
  CHECK(r.text.substr(label.begin, label.end - label.begin) == "行政许可");

  // Locations: page, the line as it shows on the page, the box.
  REQUIRE(r.layout.page_starts.size() == 2);
  Document d;
  d.source = d.original = r.text;
  d.lines = LineIndex(d.original);
  d.layout = &r.layout;
  const size_t at = r.text.find("依申请");
  Location loc = d.locate_source(at);
  CHECK(loc.page == 1);
  CHECK(loc.line == 3);  // the heading, the paragraph's first line, its second line
  CHECK(loc.column == 1);
  CHECK(loc.box.x0 == doctest::Approx(72));
  Location cell = d.locate_source(r.text.find("12"));
  CHECK(cell.page == 1);
  CHECK(cell.line == 5);  // two table rows below the paragraph's two lines and the heading
  CHECK(cell.box.x0 == doctest::Approx(200));
  CHECK(cell.box.x1 == doctest::Approx(300));
  Location second = d.locate_source(r.text.find("二、"));
  CHECK(second.page == 2);
  CHECK(second.line == 1);
}

TEST_CASE("pdf.assemble.table_over_pages") {
  // A table broken over two pages with its header row repeated: one grid, the header once.
  pdf::RawDocument doc;
  pdf::RawPage p1 = a4(), p2 = a4();
  rule_table(p1, {72, 200, 300}, {700, 730, 760, 790});
  p1.words.push_back(word("项目", 80, 710, 110));
  p1.words.push_back(word("数量", 210, 710, 240));
  p1.words.push_back(word("行政许可", 80, 740, 128));
  p1.words.push_back(word("7", 210, 740, 216));
  p1.words.push_back(word("行政处罚", 80, 770, 128));
  p1.words.push_back(word("8", 210, 770, 216));
  rule_table(p2, {72, 200, 300}, {72, 102, 132});
  p2.words.push_back(word("项目", 80, 82, 110));
  p2.words.push_back(word("数量", 210, 82, 240));
  p2.words.push_back(word("行政强制", 80, 112, 128));
  p2.words.push_back(word("9", 210, 112, 216));
  doc.pages = {p1, p2};
  RenderedDocument r = pdf::assemble(doc, grammars());
  CHECK(r.text == "项目 | 数量\n行政许可 | 7\n行政处罚 | 8\n行政强制 | 9\n");
  REQUIRE(r.grids.size() == 1);
  CHECK(r.grids[0].rows == 4);
  Document d;
  d.source = d.original = r.text;
  d.lines = LineIndex(d.original);
  d.layout = &r.layout;
  Location nine = d.locate_source(r.text.find('9'));
  CHECK(nine.page == 2);
  CHECK(nine.line == 1);  // the first row shown on page 2 (its repeated header is dropped from the text)
}

TEST_CASE("pdf.assemble.row_cut_by_page_break") {
  // A word processor cuts a row at the page break and rules both halves: the numbers in the upper half, the
  // rest of the wrapped label in the lower one. One row.
  pdf::RawDocument doc;
  pdf::RawPage p1 = a4(), p2 = a4();
  rule_table(p1, {72, 200, 300}, {740, 770, 800});
  p1.words.push_back(word("1.重复申请", 80, 750, 140));
  p1.words.push_back(word("3", 210, 750, 216));
  p1.words.push_back(word("5.要求行政机关确认", 80, 780, 190));
  p1.words.push_back(word("0", 210, 780, 216));
  rule_table(p2, {72, 200, 300}, {72, 100, 130});
  p2.words.push_back(word("或重新出具已获取信息", 80, 80, 190));
  p2.words.push_back(word("（六）其他处理", 80, 110, 160));
  p2.words.push_back(word("1", 210, 110, 216));
  doc.pages = {p1, p2};
  RenderedDocument r = pdf::assemble(doc, grammars());
  CHECK(r.text == "1.重复申请 | 3\n5.要求行政机关确认或重新出具已获取信息 | 0\n（六）其他处理 | 1\n");
  REQUIRE(r.grids.size() == 1);
  CHECK(r.grids[0].rows == 3);
}

TEST_CASE("pdf.assemble.underlines_are_not_rulings") {
  // A link's underline in a cell does not split the cell's row.
  pdf::RawDocument doc;
  pdf::RawPage p = a4();
  rule_table(p, {72, 200, 300}, {100, 140, 170});
  p.words.push_back(word("政府信息公开", 80, 112, 152));
  p.rules.push_back({Box{80, 124.5f, 152, 125.2f}});  // the underline just below the words
  p.words.push_back(word("3", 210, 112, 216));
  p.words.push_back(word("合计", 80, 150, 104));
  p.words.push_back(word("3", 210, 150, 216));
  doc.pages = {p};
  RenderedDocument r = pdf::assemble(doc, grammars());
  CHECK(r.text == "政府信息公开 | 3\n合计 | 3\n");
}

TEST_CASE("pdf.judge_text") {
  pdf::RawDocument ok;
  ok.pages.push_back(a4());
  ok.pages[0].words.push_back(word("本报告根据中华人民共和国政府信息公开条例要求编制，统计期限自二〇二三年一月一日起至十二月三十一日止。", 72, 100, 500));
  ok.pages[0].words.push_back(word("\xEF\x82\xB7", 60, 100, 66));  // a list bullet of a symbol font (U+F0B7)
  CHECK(pdf::judge_text(ok).code.empty());
  // A page of one-character words (a table of single digits) has a text layer.
  pdf::RawDocument digits;
  digits.pages.push_back(a4());
  for (int i = 0; i < 50; ++i) digits.pages[0].words.push_back(word(std::to_string(i % 10), 72.0f + 10 * static_cast<float>(i), 100, 78.0f + 10 * static_cast<float>(i)));
  CHECK(pdf::judge_text(digits).code.empty());

  pdf::RawDocument scanned;
  scanned.pages.push_back(a4());
  scanned.pages[0].image_area = 595.0 * 842;
  CHECK(pdf::judge_text(scanned).code == "no-text-layer");
  CHECK(pdf::judge_text(scanned).message.id == "input.no-text-layer");

  // One scanned page among pages with text: its tables could not be checked.
  pdf::RawDocument mixed = ok;
  mixed.pages.push_back(scanned.pages[0]);
  CHECK(pdf::judge_text(mixed).message.id == "input.pages-without-text");

  // A font without a Unicode map: private-use code points.
  pdf::RawDocument pua;
  pua.pages.push_back(a4());
  std::string garbage;
  for (char32_t c = 0xE100; c < 0xE160; ++c) utf8::append(garbage, c);
  pua.pages[0].words.push_back(word(garbage, 72, 100, 500));
  CHECK(pdf::judge_text(pua).code == "no-unicode-map");

  // …or Chinese characters unrelated to what is shown: rare ones, few in GB2312.
  pdf::RawDocument rare;
  rare.pages.push_back(a4());
  std::string unrelated;
  for (char32_t c = 0x9F00; c < 0x9F60; ++c) utf8::append(unrelated, c);
  rare.pages[0].words.push_back(word(unrelated, 72, 100, 500));
  CHECK(pdf::judge_text(rare).code == "no-unicode-map");
}

namespace {

// A PDF of `pages` content streams (Helvetica as /F1), with a correct cross-reference table.
std::string make_pdf(const std::vector<std::string>& pages) {
  std::vector<std::string> objects;
  std::string kids;
  const size_t first_page = 4;
  for (size_t i = 0; i < pages.size(); ++i) kids += std::to_string(first_page + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (size_t i = 0; i < pages.size(); ++i) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents " +
                      std::to_string(first_page + 2 * i + 1) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(pages[i].size()) + " >>\nstream\n" + pages[i] + "\nendstream");
  }
  std::string out = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t o : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace

TEST_CASE("pdf.extract.words_and_rulings") {
  // A ruled 2×2 table drawn with stroked lines, text in its cells, a filled thin rectangle as one more rule.
  const std::string page =
      "0.5 w 100 700 m 300 700 l S 100 670 m 300 670 l S 100 640 m 300 640 l S "
      "100 700 m 100 640 l S 200 700 m 200 640 l S 300 700 m 300 640 l S "
      "BT /F1 12 Tf 110 680 Td (Licences) Tj ET BT /F1 12 Tf 210 680 Td (12) Tj ET "
      "BT /F1 12 Tf 110 650 Td (Penalties) Tj ET BT /F1 12 Tf 210 650 Td (7) Tj ET "
      "100 600 200 0.8 re f";
  auto out = pdf::extract(make_pdf({page}), {});
  REQUIRE(std::holds_alternative<pdf::RawDocument>(out));
  const auto& doc = std::get<pdf::RawDocument>(out);
  REQUIRE(doc.pages.size() == 1);
  const pdf::RawPage& p = doc.pages[0];
  CHECK(p.width == doctest::Approx(595));
  REQUIRE(p.words.size() == 4);
  CHECK(p.words[0].text == "Licences");
  CHECK(p.words[0].box.y0 > 842 - 700);  // y counts down from the top
  CHECK(p.words[0].box.y1 < 842 - 670);
  CHECK(p.rules.size() == 7);
  RenderedDocument r = pdf::assemble(doc, grammars());
  CHECK(r.text == "Licences | 12\nPenalties | 7\n");
  CHECK(r.grids.size() == 1);
}

TEST_CASE("pdf.extract.problems") {
  const std::string pdf = make_pdf({"BT /F1 12 Tf 100 700 Td (Text) Tj ET"});
  auto code = [](const std::variant<pdf::RawDocument, pdf::Problem>& v) {
    return std::holds_alternative<pdf::Problem>(v) ? std::get<pdf::Problem>(v).code : std::string("ok");
  };
  CHECK(code(pdf::extract(pdf, {})) == "ok");
  // Cut off before its end: a download that did not finish.
  auto truncated = pdf::extract(pdf.substr(0, pdf.size() / 2), {});
  CHECK(code(truncated) == "damaged");
  CHECK(std::get<pdf::Problem>(truncated).message.id == "input.pdf-truncated");
  CHECK(code(pdf::extract("%PDF-1.4\nnothing else at all\n%%EOF\n", {})) == "damaged");
  pdf::Limits few;
  few.max_pages = 1;
  CHECK(code(pdf::extract(make_pdf({"", ""}), few)) == "too-complex");
  // A page drawing more glyphs than any report page: refused before poppler sorts them.
  pdf::Limits dense;
  dense.max_glyphs_per_page = 5;
  auto crowded = pdf::extract(make_pdf({"BT /F1 12 Tf 100 700 Td (Eight chars) Tj ET"}), dense);
  CHECK(code(crowded) == "too-complex");
  CHECK(std::get<pdf::Problem>(crowded).message.id == "input.pdf-page-glyphs");
  // Out of time: stops at the first page.
  pdf::Limits late;
  late.deadline.at = Deadline::Clock::now();
  CHECK(code(pdf::extract(pdf, late)) == "time-limit");
  // A page larger than the limit.
  std::string huge = make_pdf({""});
  huge.replace(huge.find("[0 0 595 842]"), 13, "[0 0 99999 842]");
  // The offsets moved by two bytes: poppler repairs the cross-reference table (the file still ends whole).
  CHECK(code(pdf::extract(huge, {})) == "too-complex");
}

TEST_CASE("pdf.read.whole") {
  auto r = pdf::read(make_pdf({"BT /F1 12 Tf 100 700 Td (Report text) Tj ET"}), grammars(), {});
  REQUIRE(std::holds_alternative<RenderedDocument>(r));
  CHECK(std::get<RenderedDocument>(r).text == "Report text\n");
  auto empty = pdf::read(make_pdf({""}), grammars(), {});
  REQUIRE(std::holds_alternative<ReadProblem>(empty));
  CHECK(std::get<ReadProblem>(empty).code == "no-text-layer");
}

namespace {

// A zip of `parts` (name → content), written with libarchive.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  std::string out;
  out.resize(1 << 20);
  size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  REQUIRE(archive_write_open_memory(a, out.data(), out.size(), &used) == ARCHIVE_OK);
  for (const auto& [name, content] : parts) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

const char* kW = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

std::string document_xml(const std::string& body) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document ") + kW + "><w:body>" + body + "</w:body></w:document>";
}
std::string para(const std::string& text, const std::string& ppr = "") {
  return "<w:p>" + (ppr.empty() ? "" : "<w:pPr>" + ppr + "</w:pPr>") + "<w:r><w:t>" + text + "</w:t></w:r></w:p>";
}
std::string tc(const std::string& text, const std::string& pr = "") {
  return "<w:tc>" + (pr.empty() ? "" : "<w:tcPr>" + pr + "</w:tcPr>") + para(text) + "</w:tc>";
}

}  // namespace

TEST_CASE("docx.read.merged_cells_and_numbering") {
  const std::string numbering = std::string("<w:numbering ") + kW +
                                "><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>"
                                "<w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum>"
                                "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";
  const std::string numbered = "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>";
  const std::string body =
      para("总体情况", numbered) + para("本年度情况良好。") + para("主动公开政府信息情况", numbered) +
      "<w:tbl>"
      "<w:tr>" + tc("信息内容", "<w:vMerge w:val=\"restart\"/>") + tc("申请人情况", "<w:gridSpan w:val=\"2\"/>") + "</w:tr>"
      "<w:tr>" + tc("", "<w:vMerge/>") + tc("自然人") + tc("法人") + "</w:tr>"
      "<w:tr>" + tc("新收申请") + tc("5") + tc("1") + "</w:tr>"
      "</w:tbl>";
  const std::string zip = make_zip({{"[Content_Types].xml", "<Types/>"},
                                    {"word/document.xml", document_xml(body)},
                                    {"word/numbering.xml", numbering}});
  CHECK(docx::is_docx(zip));
  CHECK(ingest::sniff_container(zip) == ingest::Container::docx);
  auto r = docx::read(zip, {});
  REQUIRE(std::holds_alternative<RenderedDocument>(r));
  const RenderedDocument& d = std::get<RenderedDocument>(r);
  CHECK(d.text ==
        "一、总体情况\n本年度情况良好。\n二、主动公开政府信息情况\n"
        "信息内容 | 申请人情况\n自然人 | 法人\n新收申请 | 5 | 1\n");
  REQUIRE(d.grids.size() == 1);
  const Grid& g = d.grids[0];
  CHECK(g.rows == 3);
  CHECK(g.columns == 3);
  const GridCell& merged = g.cells[static_cast<size_t>(g.slot(0, 0))];
  CHECK(merged.rowspan == 2);
  CHECK(g.slot(1, 0) == g.slot(0, 0));
  CHECK(g.cells[static_cast<size_t>(g.slot(0, 1))].colspan == 2);
  CHECK(g.slot(0, 2) == g.slot(0, 1));
  const GridCell& natural = g.cells[static_cast<size_t>(g.slot(1, 1))];
  CHECK(d.text.substr(natural.begin, natural.end - natural.begin) == "自然人");  // first in its line
  CHECK(g.slot(2, 2) >= 0);
}

TEST_CASE("docx.read.problems") {
  CHECK_FALSE(docx::is_docx(make_zip({{"a.txt", "x"}})));
  CHECK(ingest::sniff_container(make_zip({{"a.txt", "x"}})) == ingest::Container::none);
  auto broken = docx::read(make_zip({{"word/document.xml", "<w:document><w:body><w:p>"}}), {});
  REQUIRE(std::holds_alternative<ReadProblem>(broken));
  CHECK(std::get<ReadProblem>(broken).code == "damaged");
  docx::Limits small;
  small.max_xml_bytes = 100;
  auto big = docx::read(make_zip({{"word/document.xml", document_xml(std::string(200, ' ') + para("x"))}}), small);
  REQUIRE(std::holds_alternative<ReadProblem>(big));
  CHECK(std::get<ReadProblem>(big).code == "too-complex");
}

TEST_CASE("ingest.sniff_container") {
  CHECK(ingest::sniff_container("%PDF-1.7\n...") == ingest::Container::pdf);
  CHECK(ingest::sniff_container("junk before\n%PDF-1.4\n") == ingest::Container::pdf);
  CHECK(ingest::sniff_container("<html><body>%PDF-</body></html>") == ingest::Container::pdf);  // in the first KB
  CHECK(ingest::sniff_container("plain text report") == ingest::Container::none);
  const std::string ole2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest", 13);
  CHECK(ingest::sniff_container(ole2) == ingest::Container::ole2);
  auto decoded = ingest::decode(ole2, "", 1 << 20);
  REQUIRE(std::holds_alternative<ingest::Error>(decoded));
  CHECK(std::get<ingest::Error>(decoded).code == "word-binary");
}

TEST_CASE("checker.pdf_and_docx_inputs") {
  // Through the checker: one result per file, the content named, a clear error for what cannot be read.
  CheckResult old = test::checker().check(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 x", 10), {"report.doc", ""});
  REQUIRE(old.error);
  CHECK(old.error->code == "word-binary");
  CHECK(old.error->message.find("docx") != std::string::npos);
  CheckResult scanned = test::checker().check(make_pdf({""}), {"scan.pdf", ""});
  REQUIRE(scanned.error);
  CHECK(scanned.error->code == "no-text-layer");
  CHECK(scanned.source.content == xxgk::InputKind::pdf);
  CheckResult text = test::checker().check(make_pdf({"BT /F1 12 Tf 100 700 Td (Some text) Tj ET"}), {"a.pdf", ""});
  CHECK_FALSE(text.error);
  CHECK(text.source.content == xxgk::InputKind::pdf);
  CHECK(text.source.pages == 1);
  CHECK(text.rendered == "Some text\n");
}

TEST_CASE("pdf.assemble.page_numbers_by_pattern") {
  // On a single page nothing repeats: the page number is known by common.xml's <furniture> pattern, and only
  // at the top or bottom of the page.
  for (const char* number : {"— 3 —", "- 3 -", "第3页", "第 3 页 共 12 页", "第3页/共12页", "共12页"}) {
    pdf::RawDocument doc;
    pdf::RawPage p = a4();
    p.words.push_back(word("一、总体情况", 72, 100, 144));
    p.words.push_back(word(number, 270, 800, 330, 10));
    doc.pages = {p};
    RenderedDocument r = pdf::assemble(doc, grammars());
    CHECK_MESSAGE(r.text == "一、总体情况\n", number);
    CHECK(r.furniture_dropped == 1);
  }
  // The same words in the middle of the page are text.
  pdf::RawDocument doc;
  pdf::RawPage p = a4();
  p.words.push_back(word("共12页", 72, 400, 144));
  doc.pages = {p};
  CHECK(pdf::assemble(doc, grammars()).text == "共12页\n");
}
