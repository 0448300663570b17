// HTML input: sniffing and charset order, span expansion, rendering and chrome removal, grids mapped onto the
// templates by their headers, and the HTML/text twins of the corpus.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include "grammar/grammar.hpp"
#include "document/grid.hpp"
#include "html/render.hpp"
#include "ingest/ingest.hpp"
#include "ingest/sniff.hpp"
#include "tables/grid_reader.hpp"
#include "tables/templates.hpp"
#include "util/utf8.hpp"
#include "support.hpp"

using namespace xxgk;
using namespace xxgk::test;

namespace {

// The document the stages after rendering read for `rendered` (of `page`), in its matching forms.
Document document_of(const html::Page& rendered, std::string_view page, const grammar::GrammarSet& g) {
  Document doc;
  doc.source = rendered.text;
  doc.origin = &rendered.origin;
  doc.grids = &rendered.grids;
  doc.original = page;
  g.normalizer().normalize_document(doc, nullptr, nullptr, nullptr, nullptr);
  return doc;
}

const grammar::GrammarSet& grammars() {
  static std::unique_ptr<grammar::GrammarSet> g = [] {
    std::string error;
    auto set = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
    if (!set) throw std::runtime_error(error);
    return set;
  }();
  return *g;
}

// ---------------------------------------------------------------------------------------------------------
// A complete 2021-format report page whose part-3 table is laid out as a test needs.

struct P3Layout {
  bool total_first = false;         //!< 总计 before 自然人
  bool natural_two_columns = false;  //!< 自然人 spans two grid columns over two data cells (one blank)
  bool straddle_carried = false;     //!< row 二: one data cell spans 自然人 and 商业企业
  bool subtotal_column = false;      //!< an extra 小计 column after 其他
  int split_after_rows = 0;          //!< the table is cut in two after this many rows (no headers repeated)
  bool header_rows_swapped = false;  //!< the two lower header rows change places
  bool subtotal_row = false;         //!< an extra 小计 row after the 不予公开 rows
};

// Canonical-order values of a row: 自然人 … 其他, 总计.
std::vector<int> p3_values(const std::string& row) {
  if (row == "new" || row == "open" || row == "outcome-total") return {5, 1, 0, 0, 0, 0, 6};
  return {0, 0, 0, 0, 0, 0, 0};
}

std::string p3_table(const P3Layout& l) {
  const grammar::Format* f = grammars().format("2021");
  const grammar::TableTemplate* t = f->table("p3");
  const int legal = l.subtotal_column ? 6 : 5;
  const int values = 2 + legal + (l.natural_two_columns ? 1 : 0);
  std::ostringstream o;
  o << "<table border=\"1\"><tbody>";
  o << "<tr><td colspan=\"2\" rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
    << "<td colspan=\"" << values << "\">申请人情况</td></tr>";
  std::ostringstream middle, lower;
  const std::string natural_span = l.natural_two_columns ? " colspan=\"2\"" : "";
  if (l.total_first) middle << "<td rowspan=\"2\">总计</td>";
  middle << "<td rowspan=\"2\"" << natural_span << ">自然人</td><td colspan=\"" << legal << "\">法人或其他组织</td>";
  if (!l.total_first) middle << "<td rowspan=\"2\">总计</td>";
  lower << "<td>商业<br>企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td>";
  if (l.subtotal_column) lower << "<td>小计</td>";
  if (l.header_rows_swapped)
    o << "<tr>" << lower.str() << "</tr><tr>" << middle.str() << "</tr>";
  else
    o << "<tr>" << middle.str() << "</tr><tr>" << lower.str() << "</tr>";
  int rows = 0;
  for (const grammar::Block& b : t->blocks)
    for (const grammar::Item& item : b.items) {
      if (rows > 0 && rows == l.split_after_rows) o << "</tbody></table>\n<table border=\"1\"><tbody>";
      ++rows;
      if (item.kind != grammar::ItemKind::row) {
        o << "<tr><td colspan=\"" << 2 + values << "\">" << item.canonical().text << "</td></tr>";
        continue;
      }
      std::vector<int> v = p3_values(item.id);
      o << "<tr><td colspan=\"2\">" << item.canonical().text << "</td>";
      auto cell = [&](int n) { o << "<td>" << n << "</td>"; };
      if (l.total_first) cell(v[6]);
      if (l.straddle_carried && item.id == "carried") {
        o << "<td colspan=\"2\">" << v[0] << "</td>";
      } else {
        if (l.natural_two_columns) o << "<td></td>";
        cell(v[0]);
        cell(v[1]);
      }
      for (int k = 2; k < 6; ++k) cell(v[static_cast<size_t>(k)]);
      if (l.subtotal_column) cell(v[1] + v[2] + v[3] + v[4] + v[5]);
      if (!l.total_first) cell(v[6]);
      o << "</tr>";
      if (l.subtotal_row && item.id == "withheld-query") {
        o << "<tr><td colspan=\"2\">小计</td>";
        for (int k = 0; k < values; ++k) o << "<td>0</td>";
        o << "</tr>";
      }
    }
  o << "</tbody></table>";
  return o.str();
}

const char* kP2 =
    "<table border=\"1\"><tr><td colspan=\"4\">第二十条第（一）项</td></tr>"
    "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
    "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
    "<tr><td>行政规范性文件</td><td>2</td><td>1</td><td>12</td></tr>"
    "<tr><td colspan=\"4\">第二十条第（五）项</td></tr>"
    "<tr><td>信息内容</td><td colspan=\"3\">本年处理决定数量</td></tr>"
    "<tr><td>行政许可</td><td colspan=\"3\">10</td></tr>"
    "<tr><td colspan=\"4\">第二十条第（六）项</td></tr>"
    "<tr><td>信息内容</td><td colspan=\"3\">本年处理决定数量</td></tr>"
    "<tr><td>行政处罚</td><td colspan=\"3\">3</td></tr>"
    "<tr><td>行政强制</td><td colspan=\"3\">0</td></tr>"
    "<tr><td colspan=\"4\">第二十条第（八）项</td></tr>"
    "<tr><td>信息内容</td><td colspan=\"3\">本年收费金额（单位：万元）</td></tr>"
    "<tr><td>行政事业性收费</td><td colspan=\"3\">0</td></tr></table>";

const char* kP4 =
    "<table border=\"1\"><tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>"
    "<tr><td rowspan=\"2\">结果维持</td><td rowspan=\"2\">结果<br>纠正</td><td rowspan=\"2\">其他<br>结果</td>"
    "<td rowspan=\"2\">尚未<br>审结</td><td rowspan=\"2\">总计</td><td colspan=\"5\">未经复议直接起诉</td>"
    "<td colspan=\"5\">复议后起诉</td></tr><tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td>"
    "<td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>"
    "<tr><td>1</td><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>"
    "<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr></table>";

std::string report_page(const std::string& p3, const std::string& head_extra = "<meta charset=\"utf-8\">") {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html><head>" << head_extra
    << "<title>某某县交通运输局2023年政府信息公开工作年度报告_某某县人民政府</title>"
    << "<meta name=\"PubDate\" content=\"2024-01-20 09:00\"></head>\n<body>\n"
    << "<div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/xxgk\">政府信息公开</a></div>\n"
    << "<div class=\"main\"><h1>某某县交通运输局2023年政府信息公开工作年度报告</h1>\n<div class=\"TRS_Editor\">\n"
    << "<p>本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。</p>\n"
    << "<p>一、总体情况</p>\n<p>2023年，本单位认真贯彻落实《条例》，扎实推进政府信息公开工作。</p>\n"
    << "<p>二、主动公开政府信息情况</p>\n" << kP2 << "\n<p>三、收到和处理政府信息公开申请情况</p>\n" << p3
    << "\n<p>四、政府信息公开行政复议、行政诉讼情况</p>\n" << kP4 << "\n<p>五、存在的主要问题及改进情况</p>\n"
    << "<p>一是公开内容有待丰富。</p>\n<p>六、其他需要报告的事项</p>\n<p>无。</p>\n"
    << "<div class=\"share\">分享到：微信 微博</div>\n<p>【打印本页】【关闭窗口】</p>\n</div></div>\n"
    << "<div class=\"footer\"><p>主办单位：某某县人民政府办公室</p><p>网站标识码：3200000000 苏ICP备12345678号</p></div>\n"
    << "</body></html>\n";
  return o.str();
}

void expect_p3_values(const CheckResult& r) {
  const std::vector<std::string> ids{"natural", "business", "research", "public-interest", "legal", "other", "total"};
  for (const std::string row : {"new", "carried", "open", "withheld-secret", "outcome-total", "carry-over"}) {
    std::vector<int> v = p3_values(row);
    for (size_t k = 0; k < ids.size(); ++k) {
      INFO(row << "/" << ids[k]);
      CHECK(value(r, "p3", row, ids[k]) == std::optional<double>(v[k]));
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------

TEST_CASE("html.sniff.by_content") {
  CHECK(ingest::looks_like_html("<!DOCTYPE html><html><body>x</body></html>"));
  CHECK(ingest::looks_like_html("\xEF\xBB\xBF  <html>"));
  CHECK(ingest::looks_like_html("<div class=\"meta\">标题：x</div>"));
  CHECK(ingest::looks_like_html("<!-- saved page -->\n<p>x</p>"));
  // A crawler's text header in front of the markup.
  CHECK(ingest::looks_like_html("标题: x\n发布时间: 2024-01-01\n====\n<div><p>一</p><p>二</p><table><tr><td>1</td><td>2</td></tr></table></div>"));
  CHECK_FALSE(ingest::looks_like_html("某某县2023年政府信息公开工作年度报告\n一、总体情况\n占比<1%，数量>3件。"));
  CHECK_FALSE(ingest::looks_like_html("<<不是标签>> <a"));
  CHECK_FALSE(ingest::looks_like_html(""));
}

TEST_CASE("html.sniff.meta_charset_prescan") {
  CHECK(ingest::prescan_charset("<html><head><meta charset=\"gb2312\"></head>") == "gb2312");
  CHECK(ingest::prescan_charset("<META CHARSET=GBK>") == "GBK");
  CHECK(ingest::prescan_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />") == "gb2312");
  CHECK(ingest::prescan_charset("<meta content='text/html;charset=GB18030' http-equiv='content-type'>") == "GB18030");
  CHECK(ingest::prescan_charset("<!-- <meta charset=\"big5\"> --><meta charset=\"utf-8\">") == "utf-8");
  CHECK(ingest::prescan_charset("<meta name=\"keywords\" content=\"a\"><meta charset=\"gbk;\">") == "gbk");
  CHECK(ingest::prescan_charset("<meta name=\"description\" content=\"no charset here\">").empty());
  std::string late(5000, ' ');
  CHECK(ingest::prescan_charset(late + "<meta charset=\"gbk\">").empty());  // beyond the pre-scan window
  CHECK(ingest::prescan_charset("<meta charset").empty());                 // truncated
}

TEST_CASE("html.charset.order") {
  const std::string page = "<html><head><meta charset=\"gb2312\"></head><body><p>政府信息公开工作年度报告，数量为三件。</p></body></html>";
  SUBCASE("the meta charset decodes a GB page") {
    auto out = ingest::decode(encode(page, "GB18030"), "", 1 << 20);
    auto& d = std::get<ingest::Decoded>(out);
    CHECK(d.encoding == "GB18030");
    CHECK(d.encoding_source == "meta");
    CHECK(d.html);
    CHECK(d.text == page);
    CHECK(d.note.empty());
  }
  SUBCASE("a transport charset comes before the page's own") {
    auto out = ingest::decode(encode(page, "GB18030"), "gbk", 1 << 20);
    CHECK(std::get<ingest::Decoded>(out).encoding_source == "declared");
  }
  SUBCASE("a declaration that does not decode is overruled, and the result says so") {
    auto out = ingest::decode(encode(page, "GB18030"), "utf-8", 1 << 20);
    auto& d = std::get<ingest::Decoded>(out);
    CHECK(d.encoding_source == "meta");
    CHECK(test::english(d.note).find("declared charset 'utf-8'") != std::string::npos);
  }
  SUBCASE("valid UTF-8 wins over a stale declaration") {
    auto out = ingest::decode(page, "", 1 << 20);
    auto& d = std::get<ingest::Decoded>(out);
    CHECK(d.encoding == "UTF-8");
    CHECK(d.encoding_source == "valid-utf8");
    CHECK(test::english(d.note).find("'gb2312' ignored") != std::string::npos);
  }
  SUBCASE("gb2312 declared for GBK-only characters: read as GB18030, and noted") {
    std::string gbk_only = "<html><head><meta charset=\"gb2312\"></head><body><p>联系人：王喆，电话旸谷。政府信息公开。</p></body></html>";
    auto out = ingest::decode(encode(gbk_only, "GB18030"), "", 1 << 20);
    auto& d = std::get<ingest::Decoded>(out);
    CHECK(d.text == gbk_only);
    CHECK(d.encoding_source == "meta");
    CHECK(test::english(d.note).find("too narrow") != std::string::npos);
  }
  SUBCASE("no declaration: detection or the GB18030 fallback") {
    std::string bare = std::regex_replace(page, std::regex("<meta charset=\"gb2312\">"), "");
    auto out = ingest::decode(encode(bare, "GB18030"), "", 1 << 20);
    auto& d = std::get<ingest::Decoded>(out);
    CHECK(d.text == bare);
    CHECK((d.encoding_source == "detected" || d.encoding_source == "fallback"));
  }
}

TEST_CASE("html.grid.span_attributes_are_lenient") {
  CHECK(parse_span("2", 1, 1000) == 2);
  CHECK(parse_span("2;", 1, 1000) == 2);
  CHECK(parse_span(" 3px", 1, 1000) == 3);
  CHECK(parse_span("+4", 1, 1000) == 4);
  CHECK(parse_span("abc", 1, 1000) == 1);
  CHECK(parse_span("-2", 1, 1000) == 1);
  CHECK(parse_span("", 1, 1000) == 1);
  CHECK(parse_span(nullptr, 1, 1000) == 1);
  CHECK(parse_span("0", 1, 1000) == 0);  // rowspan 0: to the end of the table
  CHECK(parse_span("99999999999999999999", 1, 1000) == 1000);
}

TEST_CASE("html.grid.layout") {
  auto cell = [](uint32_t rowspan, uint32_t colspan, uint32_t at) { return GridDraft::Cell{rowspan, colspan, at, at + 1, at}; };
  SUBCASE("rowspan and colspan claim their slots; every slot points back to its cell") {
    GridDraft d;
    d.rows = {{cell(2, 1, 0), cell(1, 2, 10)}, {cell(1, 1, 20), cell(1, 1, 30)}, {cell(1, 3, 40)}};
    Grid g = lay_out(d);
    CHECK(g.rows == 3);
    CHECK(g.columns == 3);
    CHECK(g.slot(0, 0) == 0);
    CHECK(g.slot(1, 0) == 0);  // the rowspan
    CHECK(g.slot(0, 1) == 1);
    CHECK(g.slot(0, 2) == 1);  // the colspan
    CHECK(g.slot(1, 1) == 2);
    CHECK(g.slot(1, 2) == 3);
    CHECK(g.slot(2, 2) == 4);
    CHECK(g.cells[2].column == 1);
    CHECK(g.cell_at(30) == 3);
    CHECK(g.cell_at(31) == 3);
  }
  SUBCASE("rowspan 0 reaches the last row; spans beyond the table are cut") {
    GridDraft d;
    d.rows = {{cell(0, 1, 0), cell(9, 1, 1)}, {cell(1, 1, 2)}, {cell(1, 1, 3)}};
    Grid g = lay_out(d);
    CHECK(g.cells[0].rowspan == 3);
    CHECK(g.cells[1].rowspan == 3);
    CHECK(g.columns == 3);
    CHECK(g.cells[2].column == 2);
  }
  SUBCASE("absurd spans cannot explode memory") {
    GridDraft d;
    for (int r = 0; r < 20000; ++r) d.rows.push_back({cell(65534, 1000, static_cast<uint32_t>(r))});
    Grid g = lay_out(d);
    CHECK(static_cast<size_t>(g.rows) * g.columns <= kMaxSlots);
    CHECK(g.cells.size() >= 1);
  }
  SUBCASE("overlapping spans: the first cell keeps the slot") {
    GridDraft d;
    d.rows = {{cell(1, 1, 0), cell(2, 1, 1)}, {cell(1, 3, 2)}};
    Grid g = lay_out(d);
    CHECK(g.slot(1, 1) == 1);
    CHECK(g.slot(1, 0) == 2);
  }
}

TEST_CASE("html.render.body_chrome_and_header") {
  const std::string page = report_page(p3_table({}));
  html::Page p = html::render(page, grammars());
  CHECK(p.body_via == "markers");
  CHECK(p.tables == 3);
  CHECK(p.grids.size() == 3);
  // Header lines from the meta tags, then the report title that stood before the body.
  CHECK(p.text.find("发布时间: 2024-01-20 09:00\n") != std::string::npos);
  CHECK(p.text.find("==========\n某某县交通运输局2023年政府信息公开工作年度报告\n本报告根据") != std::string::npos);
  // Chrome is gone: navigation, share bar, print/close buttons, footer.
  for (const char* chrome : {"首页", "分享到", "打印本页", "关闭窗口", "ICP备", "主办单位"}) {
    INFO(chrome);
    CHECK(p.text.find(chrome) == std::string::npos);
  }
  // Rows are lines, cells separated by bars; <br> inside a header cell joins its text.
  CHECK(p.text.find("行政规范性文件 | 2 | 1 | 12\n") != std::string::npos);
  CHECK(p.text.find("商业 企业 | 科研机构") != std::string::npos);
  // Every byte maps back into the page.
  REQUIRE(p.origin.size() == p.text.size() + 1);
  size_t at = p.text.find("行政规范性文件 | 2");
  CHECK(page.compare(p.origin[at], std::strlen("行政规范性文件"), "行政规范性文件") == 0);
}

TEST_CASE("html.render.entities_scripts_hidden_and_layout_tables") {
  const std::string page =
      "<html><head><style>p{}</style><script>var a='总体情况';</script></head><body>"
      "<table><tr><td><div class=\"content\"><p>A&amp;B&nbsp;C &lt;3&gt;</p>"
      "<p style=\"display: none\">隐藏的文字</p>"
      "<table><tr><th>甲</th><th>乙</th></tr><tr><td>1</td><td>2</td></tr></table></div></td></tr></table>"
      "<script>document.write('x')</script></body></html>";
  html::Page p = html::render(page, grammars());
  CHECK(p.text.find("A&B\u00A0C <3>") != std::string::npos);
  CHECK(p.text.find("隐藏") == std::string::npos);
  CHECK(p.text.find("var a") == std::string::npos);
  CHECK(p.text.find("document.write") == std::string::npos);
  // The outer table lays the page out; only the inner one is a grid.
  REQUIRE(p.grids.size() == 1);
  CHECK(p.grids[0].table == 2);
  CHECK(p.grids[0].rows == 2);
  CHECK(p.grids[0].columns == 2);
  // The entity's origin is the '&' of "&amp;" in the page.
  size_t amp = p.text.find("&B");
  CHECK(page.compare(p.origin[amp], 5, "&amp;") == 0);
}

TEST_CASE("html.render.layout_tables_hold_a_table_anywhere_below") {
  // A table is a grid unless some table stands anywhere below it: in a cell, under a hidden element, in a template;
  // a table after a nested one, and the nested one itself, are judged on their own.
  auto grid_tables = [](const std::string& body) {
    const html::Page p = html::render("<html><body>" + body + "</body></html>", grammars());
    std::vector<uint32_t> out;
    for (const Grid& g : p.grids) out.push_back(g.table);
    return out;
  };
  const std::string inner = "<table><tr><td>1</td><td>2</td></tr></table>";
  CHECK(grid_tables("<table><tr><td>" + inner + "</td></tr></table>") == std::vector<uint32_t>{2});
  CHECK(grid_tables("<table><tr><td><div style=\"display:none\"><p>" + inner + "</p></div>x</td></tr></table>").empty());
  CHECK(grid_tables("<table><tr><td><template>" + inner + "</template>x</td></tr></table>").empty());
  // Three deep, then a sibling table with none below it.
  CHECK(grid_tables("<table><tr><td><table><tr><td><div>" + inner + "</div></td><td>y</td></tr></table></td></tr></table>" +
                    inner) == std::vector<uint32_t>{3, 4});
  // A cell before the nested table, and a plain table after the layout one.
  CHECK(grid_tables("<table><tr><td>a</td><td><span><b>" + inner + "</b></span></td></tr></table>" + inner) ==
        std::vector<uint32_t>{2, 3});
}

TEST_CASE("html.render.every_byte_maps_to_its_source") {
  // Texts copied byte for byte and texts with character references or CR LF: each rendered byte maps to the
  // byte it came from, a decoded reference to its '&'.
  const std::string page =
      "<html><body><div id=\"zoom\"><p>abc 正文\tdef</p><p>x &amp; y&#x41;z&lt;\r\nw \r\n v</p>"
      "<pre>p1\r\np2\nq&gt;</pre><table><tr><td> 12 </td><td>3&nbsp;4</td></tr></table></div></body></html>";
  const html::Page p = html::render(page, grammars());
  const size_t body = p.text.find("==========\n") + 11;
  REQUIRE(body > 11);
  size_t checked = 0, references = 0;
  for (size_t i = body; i < p.text.size(); ++i) {
    const char c = p.text[i];
    if (c == '\n' || c == ' ' || c == '|') continue;  // line breaks, blanks and bars stand for markup
    INFO(i, " ", p.text.substr(i, 8));
    REQUIRE(p.origin[i] < page.size());
    const char from = page[p.origin[i]];
    if (from == '&') {
      ++references;
    } else {
      CHECK(from == c);
      ++checked;
    }
  }
  CHECK(checked > 20);
  CHECK(references >= 5);  // &amp; A &lt; &gt; and the first byte of &nbsp;
  CHECK(page.compare(p.origin[p.text.find("A")], 6, "&#x41;") == 0);
  CHECK(page.compare(p.origin[p.text.find("正文")], 6, "正文") == 0);
}

TEST_CASE("html.render.hidden_styles_in_any_spacing_and_case") {
  // What hides: display:none or visibility:hidden once blanks are dropped and case folded, wherever it stands in
  // the style; values that begin with n or h but hide nothing do not.
  const std::string page =
      "<html><body>"
      "<p style=\"color:red; DISPLAY :\n NONE\">甲藏</p>"
      "<p style=\"font-size:12pt;visibility:\tHidden\">乙藏</p>"
      "<p style=\"display:n one\">丙藏</p>"
      "<p style=\"font-family:Noto;height:12pt;display:inline\">丁显</p>"
      "<p style=\"visibility:visible;color:none\">戊显</p>"
      "<p style=\"font-family:宋体;mso-bidi-font-family:宋体\">己显</p>"
      "<p style=\"font-weight:normal;ddisplay:none\">庚藏</p>"
      "<p style=\"font-weight:normal;visibility: hid\">辛显</p>"
      "<p style=\"height:1px;display:no\">壬显</p>"
      "<p style=\"height:1px;v i s i b i l i t y : h i d d e n\">癸藏</p>"
      "</body></html>";
  html::Page p = html::render(page, grammars());
  CHECK(p.text.find("甲藏") == std::string::npos);
  CHECK(p.text.find("乙藏") == std::string::npos);
  CHECK(p.text.find("丙藏") == std::string::npos);
  CHECK(p.text.find("丁显") != std::string::npos);
  CHECK(p.text.find("戊显") != std::string::npos);
  CHECK(p.text.find("己显") != std::string::npos);
  CHECK(p.text.find("庚藏") == std::string::npos);
  CHECK(p.text.find("辛显") != std::string::npos);
  CHECK(p.text.find("壬显") != std::string::npos);
  CHECK(p.text.find("癸藏") == std::string::npos);
}

TEST_CASE("html.render.hidden_styles_as_the_folded_style_says") {
  // Styles made of the needles' pieces, blanks and case: hidden exactly when the style with blanks dropped and
  // case folded holds display:none or visibility:hidden.
  const std::vector<std::string> pieces = {"display", "dis", "play", "visibility", "visi", "bility", ":", "none", "no",
                                           "ne", "hidden", "hid", "den", " ", "\t", "\n", ";", "D", "N", "V", "H",
                                           "x", "font-weight", "normal", "height"};
  std::mt19937 random(17);
  size_t hidden = 0, shown = 0;
  for (int i = 0; i < 400; ++i) {
    std::string style;
    const size_t n = 1 + random() % 8;
    for (size_t k = 0; k < n; ++k) style += pieces[random() % pieces.size()];
    if (i % 2 == 0) {
      // A needle spread out by blanks, in any case, now and then a character short, between pieces.
      const std::string needle = i % 4 == 0 ? "display:none" : "visibility:hidden";
      const size_t dropped = random() % 3 == 0 ? random() % needle.size() : needle.size();
      for (size_t k = 0; k < needle.size(); ++k) {
        if (k == dropped) continue;
        if (random() % 4 == 0) style += " \t\n"[random() % 3];
        style += random() % 2 ? static_cast<char>(std::toupper(static_cast<unsigned char>(needle[k]))) : needle[k];
      }
      style += pieces[random() % pieces.size()];
    }
    std::string folded;
    for (char c : style)
      if (c != ' ' && c != '\t' && c != '\n') folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool expected = folded.find("display:none") != std::string::npos ||
                          folded.find("visibility:hidden") != std::string::npos;
    const html::Page p = html::render("<html><body><p>在</p><p style=\"" + style + "\">藏</p></body></html>", grammars());
    INFO(style);
    CHECK((p.text.find("藏") == std::string::npos) == expected);
    (expected ? hidden : shown) += 1;
  }
  CHECK(hidden >= 20);
  CHECK(shown >= 20);
}

TEST_CASE("html.measure_shape.names_in_any_case_scripts_and_long_names") {
  // Tags in any case nest; a script ends at "</script" in any case (a look-alike inside it does not end it, and
  // without its end nothing after it is measured); a name longer than any the rules list still nests.
  const std::string page =
      "<html><body><DIV><Div></div></DIV><script>if (a</b) x='</scrip>';</SCRIPT><p>x<br/>"
      "<averyveryverylongtagname><span></span></averyveryverylongtagname></body></html>";
  const html::HtmlShape shape = html::measure_shape(page);
  CHECK(shape.elements == 8);  // html body div div p br averyverylong span (the script is not counted)
  CHECK(shape.depth == 2);
  // Void elements and elements whose end tag may be left out do not nest, in any case; names close to them do.
  for (const char* name : {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                           "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "p", "li", "td", "th",
                           "tr", "option", "optgroup", "dt", "dd", "thead", "tbody", "tfoot", "colgroup", "caption",
                           "rb", "rt", "rp", "head", "body", "html", "TD", "Br", "OptGroup"}) {
    INFO(name);
    CHECK(html::measure_shape(std::string("<") + name + "><" + name + "><" + name + ">").depth == 0);
  }
  for (const char* name : {"colx", "basefonts", "optgroups", "abbr", "h1", "span", "a", "b", "t", "table", "tablex"}) {
    INFO(name);
    CHECK(html::measure_shape(std::string("<") + name + "><" + name + ">").depth == 2);
  }
  // Title and textarea hold text to their end tag in any case; a name that only begins like one holds nothing.
  CHECK(html::measure_shape("<Title>a<div><div></TITLE><div>").depth == 1);
  CHECK(html::measure_shape("<TEXTAREA><div></textareax><div></TextArea><div>").depth == 1);
  CHECK(html::measure_shape("<scripts><div>").depth == 2);
  CHECK(html::measure_shape("<o:p><v:shape2><div>").depth == 3);
}

TEST_CASE("html.render.markers_in_links_do_not_count") {
  // Content markers written inside a link (a navigation bar of reports) do not choose the body; one that starts
  // where a link's text ends, or stands after a link nested in another, does. min-count is 3: the report holds
  // exactly three outside links.
  std::string nav = "<div class=\"list\">";
  for (const char* word : {"总体情况", "主动公开", "依申请", "行政复议", "行政诉讼", "不予公开", "无法提供"})
    nav += "<p><a href=\"#\">" + std::string(word) + "</a></p><p><a href=\"#\"><b>" + word + "</b></a></p>";
  nav += "</div>";
  const std::string report = "<div class=\"text\"><p><a href=\"#\">附件</a>总体情况</p><p>主动公开的情况</p>"
                             "<p><a href=\"#\"><a href=\"#\">甲</a>乙</a>依申请公开的情况</p></div>";
  const html::Page p = html::render("<html><body>" + nav + report + "<p>尾部</p></body></html>", grammars());
  CHECK(p.body_via == "markers");
  CHECK(p.text.find("附件总体情况\n主动公开的情况\n") != std::string::npos);
  CHECK(p.text.find("不予公开") == std::string::npos);  // the navigation bar is not the body's
  CHECK(p.text.find("尾部") == std::string::npos);
}

TEST_CASE("html.render.body_by_container_without_markers") {
  const std::string page =
      "<html><body><div class=\"menu\"><a href=\"#\">栏目</a></div><div id=\"zoom\"><p>第一段正文。</p><p>第二段正文。</p></div>"
      "<div class=\"footer\">版权所有</div></body></html>";
  html::Page p = html::render(page, grammars());
  CHECK(p.body_via == "container");
  CHECK(p.text.find("第一段正文。\n第二段正文。") != std::string::npos);
  CHECK(p.text.find("版权所有") == std::string::npos);
}

TEST_CASE("html.token_matcher.gives_what_the_patterns_give") {
  // The per-page cache answers as the patterns do, for every token, the first time and from the cache.
  const grammar::HtmlPage& rules = grammars().html;
  REQUIRE(rules.content_container);
  REQUIRE(rules.chrome_attribute);
  // The plain test: the pattern's first match in the token is the whole token.
  auto plain = [](const Regex& pattern, std::string_view token) {
    if (token.empty() || token.size() >= 200 || !utf8::valid(token)) return false;
    Regex::Match m;
    return pattern.search(token, 0, m) && m.begin == 0 && m.end == token.size();
  };
  const std::vector<std::string> tokens = {
      "content", "Content", "article-content", "article_con", "zoom", "zoomcon", "xcontent", "content2", "nav",
      "navbar", "bdshare_t", "bdshare", "footer", "foot", "breadcrumb", "crumbs", "TRS_Editor", "main", "", "a",
      "文章", "content content", std::string(199, 'a'), std::string(200, 'a'), std::string("con") + "\xFF" + "tent", "print", "dayin",
      "share", "shares", "wrap content"};
  html::TokenMatcher matcher(&*rules.content_container, &*rules.chrome_attribute);
  html::TokenMatcher no_patterns(nullptr, nullptr);
  size_t containers = 0, chrome = 0;
  for (int pass = 0; pass < 2; ++pass)
    for (const std::string& t : tokens) {
      INFO(t);
      const bool c = plain(*rules.content_container, t), h = plain(*rules.chrome_attribute, t);
      CHECK(html::token_matches(*rules.content_container, t) == c);
      CHECK(html::token_matches(*rules.chrome_attribute, t) == h);
      const html::TokenMatcher::Verdict v = matcher.of(t);
      CHECK(v.container == c);
      CHECK(v.chrome == h);
      const html::TokenMatcher::Verdict none = no_patterns.of(t);
      CHECK_FALSE(none.container);
      CHECK_FALSE(none.chrome);
      containers += c;
      chrome += h;
    }
  // The list holds both kinds, so the comparison above is not between two falses.
  CHECK(containers >= 8);
  CHECK(chrome >= 8);
}

TEST_CASE("html.render.attribute_names_in_any_case_first_one_counts") {
  // Attribute names in any case are read (gumbo folds them), a repeated attribute counts once, the first time,
  // and chrome is found by any class token or by the id.
  const std::string page =
      "<html><body><div CLASS=\"wrap\" id=\"zoom\" class=\"nav\"><p>第一段正文。</p>"
      "<div Id=\"x\" Class=\"a footer\">版权所有</div>"
      "<p HIDDEN>藏起来的</p><p STYLE=\"display:none\" style=\"color:red\">也藏</p>"
      "<table><tr><td ROWSPAN=\"2\" COLSPAN=\"2\" colspan=\"3\">甲</td><td>乙</td></tr><tr><td>丙</td></tr></table>"
      "<p>第二段正文。</p></div></body></html>";
  html::Page p = html::render(page, grammars());
  CHECK(p.body_via == "container");
  CHECK(p.text.find("第一段正文。") != std::string::npos);
  CHECK(p.text.find("第二段正文。") != std::string::npos);
  CHECK(p.text.find("版权所有") == std::string::npos);
  CHECK(p.text.find("藏") == std::string::npos);
  REQUIRE(p.grids.size() == 1);
  CHECK(p.grids[0].columns == 3);
  CHECK(p.grids[0].rows == 2);
}

TEST_CASE("html.render.chrome_lines_outside_grids_only") {
  // A line of chrome words is dropped from the body, a table row that reads the same is kept.
  const std::string page =
      "<html><body><div id=\"zoom\"><p>第一段正文。</p><p>【打印本页】【关闭窗口】</p>"
      "<table><tr><td>打印</td></tr><tr><td>【打印本页】</td><td>关闭</td></tr></table><p>关闭</p><p>末段。</p></div>"
      "</body></html>";
  const html::Page p = html::render(page, grammars());
  REQUIRE(p.body_via == "container");
  CHECK(p.text.find("第一段正文。\n打印\n【打印本页】 | 关闭\n末段。\n") != std::string::npos);
  CHECK(p.chrome_dropped == 2);
}

TEST_CASE("html.render.grids_move_with_the_body") {
  // Chrome dropped before, between and inside tables of the body: every cell still spans its own text, and the
  // tables outside the body are left out.
  const std::string page =
      "<html><body><table><tr><td>页外</td><td>表格</td></tr></table>"
      "<div id=\"zoom\"><div class=\"share\">分享到微信</div><p>第一段正文。</p>"
      "<table><tr><td>甲</td><td>12</td></tr><tr><td> 乙 </td><td></td></tr></table>"
      "<p>打印本页</p><div class=\"nav\">导航</div>"
      "<table><tr><th>丙</th><th>丁</th></tr><tr><td colspan=\"2\">345</td></tr></table><p>末段。</p></div>"
      "<div class=\"footer\">页脚</div></body></html>";
  const html::Page p = html::render(page, grammars());
  REQUIRE(p.body_via == "container");
  CHECK(p.text.find("分享到") == std::string::npos);
  CHECK(p.text.find("打印本页") == std::string::npos);
  CHECK(p.text.find("导航") == std::string::npos);
  REQUIRE(p.grids.size() == 2);
  auto cell_text = [&](const GridCell& c) {
    std::string t = p.text.substr(c.begin, c.end - c.begin);
    while (!t.empty() && t.front() == ' ') t.erase(t.begin());
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t;
  };
  const std::vector<std::vector<std::string>> expected = {{"甲", "12", "乙", ""}, {"丙", "丁", "345"}};
  for (size_t g = 0; g < 2; ++g) {
    const Grid& grid = p.grids[g];
    REQUIRE(grid.cells.size() == expected[g].size());
    for (size_t c = 0; c < grid.cells.size(); ++c) {
      INFO(g, " ", c);
      CHECK(cell_text(grid.cells[c]) == expected[g][c]);
      if (!expected[g][c].empty()) {
        const size_t at = p.text.find(expected[g][c], grid.cells[c].begin);
        CHECK(page.compare(p.origin[at], expected[g][c].size(), expected[g][c]) == 0);
      }
    }
    CHECK(p.text.compare(grid.begin, 3, g == 0 ? "甲" : "丙") == 0);
    CHECK(grid.end <= p.text.size());
  }
  CHECK(p.grids[0].end <= p.grids[1].begin);
}

TEST_CASE("html.render.date_from_the_directory_table") {
  // The 信息公开 directory table before the body gives the publication date when no meta tag does.
  const std::string page =
      "<html><body><table><tr><td>索引号</td><td>0143/2024-00002</td><td>公开日期</td><td>2024-01-17</td></tr></table>"
      "<div class=\"article\"><p>某某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p>"
      "<p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p></div></body></html>";
  html::Page p = html::render(page, grammars());
  CHECK(p.text.find("发布时间: 2024-01-17\n") != std::string::npos);
  CHECK(p.text.find("索引号") == std::string::npos);
  CHECK(p.grids.empty());  // the directory table is not part of the report
}

// ---------------------------------------------------------------------------------------------------------
// Grids onto templates.

TEST_CASE("html.grid.baseline_report") {
  CheckResult r = check(report_page(p3_table({})), "page.html");
  CHECK(r.source.content == xxgk::InputKind::html);
  CHECK(r.report.year == 2023);
  CHECK(r.report.format == "2021");
  CHECK(r.report.published == Date{2024, 1, 20});
  CHECK(r.sections.size() == 6);
  expect_p3_values(r);
  CHECK(value(r, "p2", "normative", "in-force") == 12);
  CHECK(value(r, "p2", "licensing", "decisions") == 10);
  CHECK(value(r, "p4", "cases", "review-upheld") == 1);
  CHECK(value(r, "p4", "cases", "review-total") == 1);
  CHECK(rules_of(r).empty());
  // The grid cell of a value, and its place in the HTML.
  const Cell* c = cell(r, "p3", "new", "total");
  REQUIRE(c);
  REQUIRE(c->grid);
  CHECK(c->grid->table == 2);
  CHECK(c->grid->row == 4);
  CHECK(c->grid->column == 9);
  CHECK(r.text.compare(c->location.offset, 1, "6") == 0);
}

TEST_CASE("html.grid.columns_by_headers") {
  SUBCASE("总计 first") {
    P3Layout l;
    l.total_first = true;
    CheckResult r = check(report_page(p3_table(l)), "page.html");
    expect_p3_values(r);
    CHECK(rules_of(r).empty());
  }
  SUBCASE("a header over two data cells, one of them blank") {
    P3Layout l;
    l.natural_two_columns = true;
    CheckResult r = check(report_page(p3_table(l)), "page.html");
    expect_p3_values(r);
    CHECK(rules_of(r).empty());
  }
  SUBCASE("an extra 小计 column is left out and reported") {
    P3Layout l;
    l.subtotal_column = true;
    CheckResult r = check(report_page(p3_table(l)), "page.html");
    expect_p3_values(r);
    CHECK(rules_of(r) == std::multiset<std::string>{"table.column-unexpected"});
    CHECK(find(r, "table.column-unexpected")->message.find("小计") != std::string::npos);
  }
  SUBCASE("a table split in two keeps the headers of its first part") {
    P3Layout l;
    l.split_after_rows = 8;
    CheckResult r = check(report_page(p3_table(l)), "page.html");
    expect_p3_values(r);
    CHECK(rules_of(r).empty());
  }
  SUBCASE("a data cell straddling two headers is uncertain, not guessed") {
    P3Layout l;
    l.straddle_carried = true;
    CheckResult r = check(report_page(p3_table(l)), "page.html");
    const Cell* natural = cell(r, "p3", "carried", "natural");
    const Cell* business = cell(r, "p3", "carried", "business");
    REQUIRE(natural);
    REQUIRE(business);
    CHECK(natural->status == CellStatus::uncertain);
    CHECK(business->status == CellStatus::uncertain);
    CHECK(value(r, "p3", "carried", "total") == 0);
    CHECK(value(r, "p3", "new", "natural") == 5);
    CHECK(rules_of(r) == std::multiset<std::string>{"table.row-uncertain?"});
  }
  SUBCASE("an extra subtotal row is not taken for a row of the format") {
    P3Layout l;
    l.subtotal_row = true;
    CheckResult r = check(report_page(p3_table(l)), "page.html");
    expect_p3_values(r);
    CHECK(rules_of(r).empty());
  }
  SUBCASE("header rows in the wrong order") {
    P3Layout l;
    l.header_rows_swapped = true;
    CheckResult r = check(report_page(p3_table(l)), "page.html");
    expect_p3_values(r);
    CHECK(rules_of(r).empty());
  }
}

TEST_CASE("html.grid.memo_gives_what_a_fresh_reading_gives") {
  // map_grid_columns remembers per table what header rows name (GridMemo); one memo shared by every row and every
  // list of template columns gives what a fresh memo gives each time.
  const grammar::GrammarSet& g = grammars();
  const tables::Templates templates = tables::build_templates(g);
  const auto p3 = std::find_if(templates.tables.begin(), templates.tables.end(),
                               [](const tables::UnionTable& t) { return t.id == "p3"; });
  REQUIRE(p3 != templates.tables.end());
  std::vector<const std::vector<const grammar::Column*>*> column_lists;
  for (const tables::UnionBlock& b : p3->blocks)
    for (const auto& [format, columns] : b.columns)
      if (!columns.empty()) column_lists.push_back(&columns);
  REQUIRE(column_lists.size() >= 2);
  P3Layout split, straddle, subtotal;
  split.split_after_rows = 8;
  straddle.straddle_carried = true;
  subtotal.subtotal_column = true;
  size_t mapped = 0, valued = 0;
  for (const P3Layout& layout : {P3Layout{}, split, straddle, subtotal}) {
    const std::string page = report_page(p3_table(layout));
    const html::Page rendered = html::render(page, g);
    const Document doc = document_of(rendered, page, g);
    tables::GridMemo shared;
    for (size_t grid = 0; grid < rendered.grids.size(); ++grid)
      for (uint32_t row = 0; row < rendered.grids[grid].rows; ++row)
        for (uint32_t first = 0; first < 3; ++first)
          for (const auto* columns : column_lists) {
            const tables::GridRow at{grid, row, first};
            tables::GridMemo fresh;
            auto once = tables::map_grid_columns(doc, at, *p3, *columns, g.common.vocabulary, fresh);
            auto memoized = tables::map_grid_columns(doc, at, *p3, *columns, g.common.vocabulary, shared);
            REQUIRE(once.has_value() == memoized.has_value());
            if (!once) continue;
            ++mapped;
            CHECK(once->grid == memoized->grid);
            CHECK(once->extra_headers == memoized->extra_headers);
            REQUIRE(once->columns.size() == memoized->columns.size());
            for (size_t j = 0; j < once->columns.size(); ++j) {
              CHECK(once->columns[j].cells == memoized->columns[j].cells);
              CHECK(once->columns[j].straddling == memoized->columns[j].straddling);
            }
            // The values kept with the mapping read as the cells read afresh.
            tables::GridColumns unread = *memoized;
            unread.cell_values.clear();
            const auto kept = tables::read_grid_columns(doc, *memoized, *columns, g.common.vocabulary);
            const auto fresh_read = tables::read_grid_columns(doc, unread, *columns, g.common.vocabulary);
            REQUIRE(kept.size() == fresh_read.size());
            for (size_t j = 0; j < kept.size(); ++j) {
              CHECK(kept[j].kind == fresh_read[j].kind);
              CHECK(kept[j].match_pos == fresh_read[j].match_pos);
              CHECK(kept[j].raw == fresh_read[j].raw);
              CHECK(kept[j].why.id == fresh_read[j].why.id);
              CHECK(kept[j].value.kind == fresh_read[j].value.kind);
              CHECK(kept[j].value.text == fresh_read[j].value.text);
              CHECK(kept[j].value.digits == fresh_read[j].value.digits);
              CHECK(kept[j].value.token.begin == fresh_read[j].value.token.begin);
              valued += kept[j].kind == tables::GridValue::Kind::value;
            }
          }
  }
  CHECK(mapped > 50);  // rows were mapped, not only refused
  CHECK(valued > 100);
}

TEST_CASE("html.grid.lower_bound_cursor_answers_as_lower_bound") {
  // Non-decreasing arrays with runs of equal values, asked mostly in ascending order with steps back, repeats and
  // values beyond both ends: every answer is std::lower_bound's.
  std::mt19937 engine(17);
  auto random = [&engine](uint32_t below) { return static_cast<uint32_t>(engine() % below); };
  size_t asked = 0, back = 0;
  for (int round = 0; round < 200; ++round) {
    std::vector<uint32_t> sorted(random(300));
    uint32_t v = random(5);
    for (uint32_t& x : sorted) x = v += random(4) == 0 ? random(50) : 0;
    const uint32_t top = sorted.empty() ? 10 : sorted.back() + 10;
    tables::LowerBoundCursor cursor(sorted);
    uint32_t value = 0;
    for (int q = 0; q < 100; ++q) {
      const uint32_t step = random(8);
      if (step == 0) value = random(top + 1);  // anywhere, often back
      else if (step < 6) value += random(40);
      back += step == 0;
      const size_t expected = static_cast<size_t>(std::lower_bound(sorted.begin(), sorted.end(), value) - sorted.begin());
      INFO("round " << round << " query " << q << " value " << value);
      REQUIRE(cursor(value) == expected);
      ++asked;
    }
  }
  CHECK(asked == 20000);
  CHECK(back > 1000);
}

TEST_CASE("html.grid.memo_places_cells_as_the_maps_do") {
  // GridMemo::span finds every cell of a grid in one pass; each span is what the document's maps give the cell.
  const grammar::GrammarSet& g = grammars();
  P3Layout split;
  split.split_after_rows = 8;
  // Two tables of as many cells, one after the other: the spans of one are not the other's.
  const std::string twins = "<html><body><table><tr><td>甲</td><td>1</td></tr><tr><td>乙</td><td>2</td></tr></table>"
                            "<p>正文</p><table><tr><td>丙</td><td>3</td></tr><tr><td>丁</td><td>4</td></tr></table>"
                            "</body></html>";
  size_t cells = 0, rows_valued = 0;
  for (const std::string& page : {report_page(p3_table({})), report_page(p3_table(split)), twins}) {
    const html::Page rendered = html::render(page, g);
    const Document doc = document_of(rendered, page, g);
    REQUIRE(rendered.grids.size() >= 2);
    tables::GridMemo memo;
    // The last grid first, then the others, each cell asked in reverse: the answers do not depend on the order.
    for (size_t grid = rendered.grids.size(); grid-- > 0;)
      for (size_t c = rendered.grids[grid].cells.size(); c-- > 0;) {
        const GridCell& cell = rendered.grids[grid].cells[c];
        const size_t b = doc.match_of_source(cell.begin), e = std::max(b, doc.match_of_source(cell.end));
        const tables::GridMemo::CellSpan& s = memo.span(doc, grid, static_cast<int32_t>(c));
        CHECK(s.match_begin == b);
        CHECK(s.match_end == e);
        CHECK(s.compact_begin == doc.compact_of_match(b));
        CHECK(s.compact_end == doc.compact_of_match(e));
        ++cells;
      }
    // A row read with the memo and without it (its cells placed by a cursor of its own) gives the same values.
    for (size_t grid = 0; grid < rendered.grids.size(); ++grid)
      for (uint32_t row = 0; row < rendered.grids[grid].rows; ++row)
        for (uint32_t first = 0; first < 3; ++first) {
          const tables::GridRow at{grid, row, first};
          const tables::ValueRun with = tables::grid_row_values(doc, at, g.common.vocabulary, &memo);
          const tables::ValueRun without = tables::grid_row_values(doc, at, g.common.vocabulary);
          REQUIRE(with.values.size() == without.values.size());
          for (size_t k = 0; k < with.values.size(); ++k) {
            CHECK(with.values[k].kind == without.values[k].kind);
            CHECK(with.values[k].text == without.values[k].text);
            CHECK(with.values[k].token.begin == without.values[k].token.begin);
            CHECK(with.values[k].token.end == without.values[k].token.end);
          }
          rows_valued += !with.values.empty();
        }
  }
  CHECK(cells > 100);
  CHECK(rows_valued > 50);
}

TEST_CASE("html.grid.flattened_table_falls_back_to_the_cell_stream") {
  // A "table" of one cell per <p>: the text path's alignment reads it.
  Synthetic s;
  std::string text = synthetic(s);
  std::string page = "<html><head><meta charset=\"utf-8\"></head><body><div class=\"TRS_Editor\">";
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) page += "<p>" + line + "</p>\n";
  page += "</div></body></html>";
  CheckResult html_result = check(page, "page.html");
  CheckResult text_result = check(text, "page.txt");
  CHECK(html_result.source.content == xxgk::InputKind::html);
  CHECK(rules_of(html_result) == rules_of(text_result));
  for (const std::string row : {"new", "carried", "open", "unavailable-not-held", "carry-over"}) {
    INFO(row);
    CHECK(value(html_result, "p3", row, "natural") == value(text_result, "p3", row, "natural"));
    CHECK(value(html_result, "p3", row, "total") == value(text_result, "p3", row, "total"));
  }
}

// ---------------------------------------------------------------------------------------------------------
// The corpus's HTML pages against the crawled text they mirror (manifest.tsv: "HTML twin of NNN").

TEST_CASE("html.twins.same_values_and_findings_as_the_text") {
  std::ifstream manifest(std::string(XXGK_CORPUS_DIR) + "/manifest.tsv");
  REQUIRE(manifest);
  std::vector<std::pair<std::string, std::string>> twins;  // html file, text file
  std::vector<std::string> files;
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(manifest, line)) rows.push_back(line);
  for (const std::string& row : rows) files.push_back(row.substr(0, row.find('\t')));
  std::regex twin_of("HTML twin of (\\d{3})");
  for (const std::string& row : rows) {
    std::smatch m;
    if (!std::regex_search(row, m, twin_of)) continue;
    const std::string html_file = row.substr(0, row.find('\t'));
    for (const std::string& f : files)
      if (f.rfind(m[1].str() + "-", 0) == 0 || f.rfind(m[1].str() + "_", 0) == 0) twins.emplace_back(html_file, f);
  }
  REQUIRE(twins.size() >= 5);
  for (const auto& [html_file, text_file] : twins) {
    INFO(html_file << " mirrors " << text_file);
    CheckResult h = checker().check(corpus(html_file), {html_file, {}});
    CheckResult t = checker().check(corpus(text_file), {text_file, {}});
    CHECK(h.source.content == xxgk::InputKind::html);
    CHECK(t.source.content == xxgk::InputKind::text);
    // Report facts.
    CHECK(h.report.year == t.report.year);
    CHECK(h.report.format == t.report.format);
    CHECK(h.report.agency == t.report.agency);
    CHECK(h.report.published == t.report.published);
    CHECK(h.sections.size() == t.sections.size());
    // Every value the text gives, the page gives too; the page may read what the text leaves uncertain.
    size_t compared = 0;
    for (const Table& tt : t.tables)
      for (const Row& tr : tt.rows)
        for (const Cell& tc : tr.cells) {
          if (!tc.value) continue;
          INFO(tt.id << "/" << tr.id << "/" << tc.column);
          CHECK(value(h, tt.id, tr.id, tc.column) == tc.value);
          ++compared;
        }
    CHECK(compared > 20);
    // Findings apart from locations and uncertainty.
    std::multiset<std::string> hf, tf;
    for (const Finding& f : h.findings)
      if (f.status == FindingStatus::fail) hf.insert(f.rule + " " + f.fingerprint);
    for (const Finding& f : t.findings)
      if (f.status == FindingStatus::fail) tf.insert(f.rule + " " + f.fingerprint);
    CHECK(hf == tf);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Faults injected into real pages: each must give exactly the findings of the page as published, with the same
// table values (042: 2021 format, one narrative contradiction; 041: 2019 format, its prose total 2599 against
// parts that add up to 2533).

namespace {

std::map<std::string, std::optional<double>> table_values(const CheckResult& r) {
  std::map<std::string, std::optional<double>> out;
  for (const Table& t : r.tables)
    for (const Row& row : t.rows)
      for (const Cell& c : row.cells) out[t.id + "/" + row.id + "/" + c.column] = c.value;
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// Offset of the n-th (0-based) occurrence of `what` at or after `from`.
size_t nth(const std::string& s, const std::string& what, size_t n, size_t from = 0) {
  size_t at = s.find(what, from);
  for (size_t i = 0; i < n && at != std::string::npos; ++i) at = s.find(what, at + 1);
  return at;
}

void same_as_published(const std::string& file, const std::string& changed, const std::string& name) {
  CheckResult original = checker().check(corpus(file), {file, {}});
  CheckResult faulty = checker().check(changed, {name, {}});
  INFO(file << " with " << name);
  REQUIRE_FALSE(faulty.error);
  CHECK(faulty.source.content == xxgk::InputKind::html);
  CHECK(rules_of(faulty) == rules_of(original));
  CHECK(table_values(faulty) == table_values(original));
  CHECK(faulty.report.year == original.report.year);
  CHECK(faulty.sections.size() == original.sections.size());
}

const char* const kPages[] = {"042-pingtan-shiyanqu-2023.html", "041-pingtan-shiyanqu-2019.html"};

}  // namespace

TEST_CASE("html.faults.published_findings") {
  CHECK(rules_of(checker().check(corpus(kPages[0]), {kPages[0], {}})) ==
        std::multiset<std::string>{"narrative.table-mismatch"});
  CHECK(rules_of(checker().check(corpus(kPages[1]), {kPages[1], {}})) == std::multiset<std::string>{"narrative.sum-mismatch"});
}

TEST_CASE("html.faults.closing_tags_stripped") {
  for (const char* file : kPages) {
    std::string page = std::regex_replace(corpus(file), std::regex("</(td|th|tr|p|span|font|tbody|li|o:p)>"), "");
    same_as_published(file, page, "no-closing-tags.html");
  }
}

TEST_CASE("html.faults.broken_spans") {
  for (const char* file : kPages) {
    std::string page = corpus(file);
    page = replace_all(page, "colspan=\"5\"", "colspan=\"5;\"");
    page = replace_all(page, "rowspan=\"2\"", "rowspan=\" 2px\"");
    page = replace_all(page, "colspan=\"2\"", "colspan=2.0");
    // The last cell of the page gets an absurd span.
    size_t last = page.rfind("<td");
    page.insert(last + 3, " colspan=\"100000\" rowspan=\"-3\"");
    same_as_published(file, page, "broken-spans.html");
  }
}

TEST_CASE("html.faults.gbk_with_and_without_meta") {
  for (const char* file : kPages) {
    const std::string page = corpus(file);
    SUBCASE("declared in <meta>") {
      std::string gbk = encode(replace_all(page, "charset=\"utf-8\"", "charset=\"gbk\""), "GB18030");
      same_as_published(file, gbk, "gbk-meta.html");
      CheckResult r = checker().check(gbk, {"gbk-meta.html", {}});
      CHECK(r.source.encoding == "GB18030");
      CHECK(r.source.encoding_source == "meta");
    }
    SUBCASE("not declared") {
      std::string gbk = encode(replace_all(page, "charset=\"utf-8\"", ""), "GB18030");
      same_as_published(file, gbk, "gbk-bare.html");
      CheckResult r = checker().check(gbk, {"gbk-bare.html", {}});
      CHECK(r.source.encoding == "GB18030");
      CHECK((r.source.encoding_source == "detected" || r.source.encoding_source == "fallback"));
    }
    SUBCASE("gb2312 declared, GBK-only characters used") {
      std::string text = replace_all(page, "charset=\"utf-8\"", "charset=\"gb2312\"");
      text = replace_all(text, "六、其他需要报告的事项", "六、其他需要报告的事项（联系人：王喆）");
      std::string gbk = encode(text, "GB18030");
      CheckResult r = checker().check(gbk, {"gb2312.html", {}});
      CHECK(r.source.encoding_source == "meta");
      CHECK(r.source.encoding_note.find("范围太窄") != std::string::npos);
      CHECK(r.rendered.find("王喆") != std::string::npos);
      same_as_published(file, gbk, "gb2312.html");
    }
  }
}

TEST_CASE("html.faults.heavy_chrome") {
  for (const char* file : kPages) {
    std::string page = corpus(file);
    std::string nav = "<div class=\"nav\">";
    for (int i = 0; i < 40; ++i)
      nav += "<a href=\"/n" + std::to_string(i) + "\">平潭综合实验区" + std::to_string(2000 + i) +
             "年度政府信息公开工作年度报告（主动公开、依申请公开、行政复议、行政诉讼）</a>";
    nav += "</div><div class=\"position\">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>";
    std::string tail = "<div class=\"bdsharebuttonbox\">分享到：</div><div class=\"ewm\"><p>扫一扫在手机打开当前页</p></div>"
                       "<p>【字体：大 中 小】【打印本页】【关闭窗口】</p>";
    std::string footer = "<div class=\"footer\"><p>主办：平潭综合实验区党工委管委会办公室</p><p>闽ICP备12345678号 网站标识码：3590000001</p></div>";
    size_t body = page.find("<body");
    page.insert(page.find('>', body) + 1, nav);
    size_t editor_end = page.find("</table>", nth(page, "<table", 2));
    editor_end = page.find("</div>", editor_end);
    page.insert(editor_end, tail);
    page.insert(page.rfind("</body>"), footer);
    same_as_published(file, page, "chrome.html");
    CheckResult r = checker().check(page, {"chrome.html", {}});
    for (const char* chrome : {"扫一扫", "打印本页", "ICP备", "当前位置", "分享到"}) {
      INFO(chrome);
      CHECK(r.rendered.find(chrome) == std::string::npos);
    }
  }
}

TEST_CASE("html.faults.table_split_in_two") {
  for (const char* file : kPages) {
    std::string page = corpus(file);
    size_t p3 = nth(page, "<table", 1);
    size_t cut = nth(page, "</tr>", 12, p3) + 5;
    page.insert(cut, "</tbody></table><p> </p><table border=\"1\"><tbody>");
    same_as_published(file, page, "split.html");
    CheckResult r = checker().check(page, {"split.html", {}});
    CHECK(r.source.html_tables == checker().check(corpus(file), {file, {}}).source.html_tables + 1);
  }
}

TEST_CASE("html.faults.header_rows_transposed") {
  for (const char* file : kPages) {
    std::string page = corpus(file);
    size_t p4 = nth(page, "<table", 2);
    size_t first = page.find("<tr", p4), second = page.find("<tr", first + 3), third = page.find("<tr", second + 3);
    std::string a = page.substr(first, second - first), b = page.substr(second, third - second);
    page.replace(first, third - first, b + a);
    same_as_published(file, page, "transposed.html");
  }
}

TEST_CASE("html.hostile.nesting_depth") {
  auto nested = [](size_t n, const std::string& open, const std::string& close) {
    std::string s = "<html><body>";
    for (size_t i = 0; i < n; ++i) s += open;
    s += "政府信息公开工作年度报告";
    for (size_t i = 0; i < n; ++i) s += close;
    return s + "</body></html>";
  };
  CHECK(html::estimate_nesting_depth(corpus("047-pingtan-shiyanqu-2021.html")) < 40);
  CHECK(html::estimate_nesting_depth("<p>a<p>b<p>c<br><img src=x><li>d") == 0);  // end tags that may be left out
  CHECK(html::estimate_nesting_depth("<script>if (a<b) { x = '<div><div>'; }</script><div><span>x</span></div>") == 2);
  CHECK(html::estimate_nesting_depth(nested(5000, "<div>", "")) == 5000);
  // A page far deeper than any real one is refused before gumbo spends quadratic time on it.
  CheckResult deep = check(nested(200000, "<div>", "</div>"), "deep.html");
  REQUIRE(deep.error);
  CHECK(deep.error->code == "too-deep");
  CheckResult misnested = check(nested(50000, "<b><i>", "</b></i>"), "misnested.html");
  REQUIRE(misnested.error);
  CHECK(misnested.error->code == "too-deep");
  // So is a page of more elements than any real one (a 10^6-cell table would take most of a gigabyte).
  std::string cells = "<html><body><p>政府信息公开工作年度报告</p><table>";
  for (int row = 0; row < 1000; ++row) {
    cells += "<tr>";
    for (int column = 0; column < 250; ++column) cells += "<td>7";
  }
  CHECK(html::measure_shape(cells).elements == 4 + 1000 * 251);  // html, body, p, table, then rows and cells
  CheckResult huge = check(cells, "cells.html");
  REQUIRE(huge.error);
  CHECK(huge.error->code == "too-complex");
  // Deep but plausible nesting is read.
  CheckResult fine = check(nested(1000, "<div>", "</div>"), "fine.html");
  CHECK_FALSE(fine.error);
  CHECK(fine.rendered.find("政府信息公开工作年度报告") != std::string::npos);
}
