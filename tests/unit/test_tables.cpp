#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

#include "support.hpp"
#include "tables/digit_split.hpp"
#include "tables/label_matcher.hpp"
#include "tables/templates.hpp"
#include "tables/value_reader.hpp"
#include "grammar/grammar.hpp"
#include "normalize/normalizer.hpp"
#include "util/utf8.hpp"

using namespace xxgk;
using namespace xxgk::tables;
using xxgk::test::check;
using xxgk::test::Synthetic;
using xxgk::test::synthetic;
using xxgk::test::value;

namespace {

std::vector<std::string> readings(const std::vector<SplitPiece>& pieces, size_t cells, std::vector<bool> amount = {}) {
  std::vector<std::string> out;
  for (const auto& r : split_digits(pieces, cells, amount, SplitLimits{}).readings) {
    std::string s;
    for (const auto& c : r) s += (s.empty() ? "" : "/") + c;
    out.push_back(s);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("tables.digit_split.no_leading_zeros") {
  CHECK(readings({{"000", true}}, 3) == std::vector<std::string>{"0/0/0"});
  CHECK(readings({{"0000000", true}}, 7).size() == 1);
  CHECK(readings({{"00", true}}, 3).empty());
  auto r = readings({{"3960181", true}}, 3);
  CHECK(std::find(r.begin(), r.end(), "396/0/181") != r.end());
  CHECK(r.size() == 11);
}

TEST_CASE("tables.digit_split.separators_stay_cuts") {
  // "230 000023": the space is a cell boundary, so 23/0 | 0/0/0/0/23 is the reading with seven cells.
  auto r = readings({{"230", true}, {"000023", true}}, 7);
  CHECK(std::find(r.begin(), r.end(), "23/0/0/0/0/0/23") != r.end());
  for (const auto& s : r) {
    // Never across the space: some first cells make up exactly "230".
    std::string joined;
    bool boundary = false;
    for (size_t start = 0; start <= s.size();) {
      size_t slash = s.find('/', start);
      joined += s.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      boundary |= joined == "230";
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    CHECK_MESSAGE(boundary, s);
  }
}

TEST_CASE("tables.digit_split.decimals_and_fixed_pieces") {
  auto r = readings({{"13575394432.52", true}}, 2, {false, true});
  CHECK(std::find(r.begin(), r.end(), "135/75394432.52") != r.end());
  for (const auto& s : r) CHECK(s.find('.') > s.find('/'));  // the decimal stays in the amount cell
  CHECK(readings({{"12.5", true}}, 2, {false, false}).empty());  // no decimal in a count
  CHECK(readings({{"7", false}, {"00", true}}, 3) == std::vector<std::string>{"7/0/0"});
}

TEST_CASE("tables.digit_split.budget") {
  SplitLimits tight;
  tight.max_steps = 50;
  auto r = split_digits({{std::string(40, '1'), true}}, 15, {}, tight);
  CHECK(r.exhausted);
}

TEST_CASE("tables.build.one_cell_per_line") {
  auto r = check(synthetic(Synthetic{}));
  CHECK(r.findings.empty());
  CHECK(value(r, "p2", "normative", "in-force") == 12);
  CHECK(value(r, "p2", "fees", "fees-amount") == 1.5);
  CHECK(value(r, "p3", "new", "natural") == 5);
  CHECK(value(r, "p3", "outcome-total", "total") == 5);
  CHECK(value(r, "p4", "cases", "review-total") == 1);
  const Cell* c = xxgk::test::cell(r, "p2", "licensing", "decisions");
  REQUIRE(c);
  CHECK(c->raw == "35");
  CHECK(c->status == CellStatus::ok);
  CHECK(c->column_path == std::vector<std::string>{"本年处理决定数量"});
  const Cell* total = xxgk::test::cell(r, "p4", "cases", "after-review-total");
  REQUIRE(total);
  CHECK(total->column_path == std::vector<std::string>{"行政诉讼", "复议后起诉", "总计"});
  for (const Table& t : r.tables) CHECK(t.confidence == 1.0);
}

TEST_CASE("tables.build.separators") {
  for (const char* sep : {" ", "\t", " | "}) {
    CAPTURE(sep);
    Synthetic s;
    s.separator = sep;
    auto r = check(synthetic(s));
    CHECK(r.findings.empty());
    CHECK(value(r, "p3", "carry-over", "total") == 1);
    CHECK(value(r, "p4", "cases", "review-upheld") == 1);
  }
}

TEST_CASE("tables.build.run_together_rows_are_cut_by_arithmetic") {
  Synthetic s;
  s.separator = "";
  s.new_requests = 15;
  s.opened = 13;
  s.carried = 0;
  s.carry_over = 0;
  auto r = check(synthetic(s));
  // "15000000 15" runs together as 150000015: 7 cells, only 15/0/0/0/0/0/15 balances the 总计 column.
  const Cell* natural = xxgk::test::cell(r, "p3", "new", "natural");
  REQUIRE(natural);
  CHECK(natural->value == 15);
  CHECK(natural->status == CellStatus::inferred);
  // Unique without arithmetic ("0000000"): split, not inferred.
  CHECK(xxgk::test::cell(r, "p3", "carried", "total")->status == CellStatus::split);
  // A split chosen because it balances is no evidence for that balance, but other checks still run.
  CHECK(xxgk::test::count(r, "total.row-sum") == 0);
  CHECK(xxgk::test::count(r, "total.balance") == 0);
}

TEST_CASE("tables.build.fewer_values_than_cells_is_uncertain") {
  std::string text = synthetic(Synthetic{});
  // Drop one of the seven cells of （一）予以公开: no guessing which one.
  size_t at = text.find("（一）予以公开\n");
  REQUIRE(at != std::string::npos);
  size_t first_value = at + std::string("（一）予以公开\n").size();
  text.erase(first_value, 2);  // "3\n"
  auto r = check(text);
  const Finding* f = xxgk::test::find(r, "table.row-uncertain");
  REQUIRE(f);
  CHECK(f->status == FindingStatus::uncertain);
  CHECK(xxgk::test::cell(r, "p3", "open", "natural")->status == CellStatus::uncertain);
  CHECK_FALSE(xxgk::test::cell(r, "p3", "open", "natural")->value.has_value());
  // Doubt never becomes a total failure.
  for (const Finding& g : r.findings)
    if (g.rule.rfind("total.", 0) == 0) CHECK(g.status == FindingStatus::uncertain);
}

TEST_CASE("tables.build.placeholders_and_units") {
  std::string text = synthetic(Synthetic{});
  text.replace(text.find("规章\n0\n0\n0"), std::string("规章\n0\n0\n0").size(), "规章\n/\n—\n无");
  text.replace(text.find("行政事业性收费\n1.5"), std::string("行政事业性收费\n1.5").size(), "行政事业性收费\n15000元");
  auto r = check(text);
  const Cell* c = xxgk::test::cell(r, "p2", "regulations", "issued");
  REQUIRE(c);
  CHECK(c->status == CellStatus::empty);
  CHECK(c->raw == "/");
  CHECK_FALSE(c->value.has_value());
  // A county body cannot make 规章: the row does not apply (info), it is no missing number.
  CHECK(xxgk::test::count(r, "table.cell-missing") == 0);
  CHECK(xxgk::test::count(r, "table.not-applicable") == 1);
  // A city government can: the same placeholders are missing numbers.
  Synthetic city;
  city.agency = "某某市人民政府";
  std::string city_text = synthetic(city);
  city_text.replace(city_text.find("规章\n0\n0\n0"), std::string("规章\n0\n0\n0").size(), "规章\n/\n—\n无");
  auto city_result = check(city_text);
  CHECK(xxgk::test::count(city_result, "table.cell-missing") == 1);
  CHECK(xxgk::test::count(city_result, "table.not-applicable") == 0);
  const Cell* fee = xxgk::test::cell(r, "p2", "fees", "fees-amount");
  CHECK(fee->unit == "元");
  CHECK(fee->value == 15000);
  CHECK(xxgk::test::count(r, "table.cell-invalid") == 1);  // 元 in a 万元 column
}

TEST_CASE("tables.build.absurdly_long_numbers_are_invalid") {
  // More integer digits than any count or amount (the column's max-digits, 12): invalid with the raw text,
  // never a value arithmetic runs on (a 99-digit cell once reached an integer cast as 1.1e98).
  std::string text = synthetic(Synthetic{});
  const std::string huge(99, '1');
  text.replace(text.find("规章\n0\n0\n0"), std::string("规章\n0\n0\n0").size(), "规章\n0\n0\n" + huge);
  text.replace(text.find("行政事业性收费\n1.5"), std::string("行政事业性收费\n1.5").size(), "行政事业性收费\n1234567890123.5");
  auto r = check(text);
  const Cell* c = xxgk::test::cell(r, "p2", "regulations", "in-force");
  REQUIRE(c);
  CHECK(c->status == CellStatus::invalid);
  CHECK(c->raw == huge);
  CHECK_FALSE(c->value.has_value());
  const Cell* fee = xxgk::test::cell(r, "p2", "fees", "fees-amount");
  REQUIRE(fee);
  CHECK(fee->status == CellStatus::invalid);
  CHECK(xxgk::test::count(r, "table.cell-invalid") == 2);
  const Cell* ok = xxgk::test::cell(r, "p2", "regulations", "issued");
  CHECK(ok->status == CellStatus::ok);
}

TEST_CASE("tables.build.header_fragments_and_split_labels") {
  Synthetic s;
  s.format = "2019";
  s.year = 2020;
  std::string text = synthetic(s);
  // Header cells cut by text extraction, row labels broken over lines.
  text.replace(text.find("本年新制作数量"), std::string("本年新制作数量").size(), "本年新\n制作数量");
  text.replace(text.find("社会公益组织"), std::string("社会公益组织").size(), "社会公益 组织");
  text.replace(text.find("1.本机关不掌握相关政府信息"), std::string("1.本机关不掌握相关政府信息").size(), "1.本机关不掌握\n相关政府信息");
  auto r = check(text);
  CHECK(r.report.tables_format == "2019");
  CHECK(r.findings.empty());
  CHECK(value(r, "p3", "unavailable-not-held", "natural") == 2);
}

TEST_CASE("tables.build.part4_digit_run_ambiguity") {
  // 17 digits for 15 cells with group totals: the issue's example reads 25/3/8/0/36 3/3/0/0/6 3/0/0/0/3.
  std::string text = synthetic(Synthetic{});
  size_t at = text.find("\n1\n0\n0\n0\n1\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n");
  REQUIRE(at != std::string::npos);
  text.replace(at, std::string("\n1\n0\n0\n0\n1\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n").size(), "\n25380363300630003\n");
  auto r = check(text);
  // Of the 48 ways to cut the run, exactly one satisfies the three group totals.
  const Cell* review_total = xxgk::test::cell(r, "p4", "cases", "review-total");
  REQUIRE(review_total);
  CHECK(review_total->status == CellStatus::inferred);
  CHECK(review_total->value == 36);
  CHECK(value(r, "p4", "cases", "review-upheld") == 25);
  CHECK(value(r, "p4", "cases", "direct-total") == 6);
  CHECK(value(r, "p4", "cases", "after-review-total") == 3);
  // Without a fitting reading the cells stay uncertain, with the candidates as evidence.
  std::string unbalanced = text;
  unbalanced.replace(unbalanced.find("25380363300630003"), 17, "00202000001324015");
  auto u = check(unbalanced);
  CHECK(xxgk::test::cell(u, "p4", "cases", "review-total")->status == CellStatus::uncertain);
  const Finding* f = xxgk::test::find(u, "table.row-uncertain");
  REQUIRE(f);
  CHECK(f->evidence.candidates.size() == 10);
  CHECK(xxgk::test::count(u, "total.review-sum") == 0);  // an unbalanced run is never a total failure
  CHECK(xxgk::test::count(r, "total.review-sum") == 0);
}

TEST_CASE("tables.build.subtotal_row_is_unexpected") {
  std::string text = synthetic(Synthetic{});
  text.replace(text.find("（三）不予公开\n"), std::string("（三）不予公开\n").size(), "（三）不予公开\n0\n0\n0\n0\n0\n0\n0\n");
  auto r = check(text);
  CHECK(xxgk::test::count(r, "table.row-unexpected") == 1);
  CHECK(xxgk::test::count(r, "total.outcome-sum") == 0);
}

TEST_CASE("tables.build.label_with_a_tail_keeps_its_values") {
  // "（一）予以公开的" in its own cell: the tail belongs to the label, the values follow in the next cells.
  std::string text = synthetic(Synthetic{});
  text.replace(text.find("（一）予以公开\n"), std::string("（一）予以公开\n").size(), "（一）予以公开的\n");
  text.replace(text.find("行政许可\n"), std::string("行政许可\n").size(), "行政许可（件）\n");
  auto r = check(text);
  CHECK(value(r, "p3", "open", "natural") == 3);
  CHECK(value(r, "p3", "open", "total") == 3);
  CHECK(value(r, "p2", "licensing", "decisions") == 35);
  CHECK(xxgk::test::count(r, "table.label-variant") == 2);
  CHECK(xxgk::test::count(r, "table.cell-missing") == 0);
  CHECK(xxgk::test::count(r, "total.outcome-sum") == 0);
  // The same with cells separated by bars.
  Synthetic s;
  s.separator = " | ";
  std::string barred = synthetic(s);
  const size_t at = barred.find("（一）予以公开");
  REQUIRE(at != std::string::npos);
  barred.insert(at + std::string("（一）予以公开").size(), "的");
  auto b = check(barred);
  CHECK(value(b, "p3", "open", "natural") == 3);
  CHECK(xxgk::test::count(b, "table.label-variant") == 1);
  // A tail with a digit is not a tail: prose after a label stays prose.
  std::string prose = synthetic(Synthetic{});
  prose.replace(prose.find("（一）予以公开\n"), std::string("（一）予以公开\n").size(), "（一）予以公开共3件\n");
  CHECK(xxgk::test::count(check(prose), "table.label-variant") == 0);
}

TEST_CASE("tables.build.unknown_row_with_numbers_is_reported") {
  // A 小计 row the format does not have: its numbers are reported, not dropped, and the rows around it stay whole.
  std::string text = synthetic(Synthetic{});
  const size_t at = text.find("（四）无法提供");
  REQUIRE(at != std::string::npos);
  text.insert(at, "小计\n0\n0\n0\n0\n0\n0\n0\n");
  auto r = check(text);
  REQUIRE(xxgk::test::count(r, "table.row-unexpected") == 1);
  const Finding* f = xxgk::test::find(r, "table.row-unexpected");
  CHECK(f->message.find("“小计”行（0 0 0 0 0 0 0）") != std::string::npos);
  CHECK(value(r, "p3", "withheld-query", "total") == 0);
  CHECK(r.findings.size() == 1);
  // Notes and prose between rows are not rows.
  std::string note = synthetic(Synthetic{});
  note.insert(note.find("（四）无法提供"), "注：本表数据截至12月31日。\n");
  CHECK(xxgk::test::count(check(note), "table.row-unexpected") == 0);
}

TEST_CASE("tables.build.numbers_keep_their_sign") {
  // 本年增/减 of the 2019 format is signed: -7 is −7, never 7, in every layout.
  Synthetic s;
  s.format = "2019";
  s.year = 2020;
  for (const std::string& separator : {std::string("\n"), std::string(" | "), std::string(" ")}) {
    CAPTURE(separator);
    s.separator = separator;
    std::string text = synthetic(s);
    const std::string row = "行政许可" + separator + "10" + separator + "2" + separator + "35";
    REQUIRE(text.find(row) != std::string::npos);
    text.replace(text.find(row), row.size(), "行政许可" + separator + "10" + separator + "-7" + separator + "35");
    auto r = check(text);
    CHECK(value(r, "p2", "licensing", "change") == -7);
    CHECK(value(r, "p2", "licensing", "previous-items") == 10);
    CHECK(value(r, "p2", "licensing", "decisions") == 35);
  }
  // Flattened without separators: 12-3 is 12 and −3.
  s.separator = " ";
  std::string text = synthetic(s);
  const std::string row = "行政许可 10 2 35";
  REQUIRE(text.find(row) != std::string::npos);
  text.replace(text.find(row), row.size(), "行政许可 12-3 35");
  auto r = check(text);
  CHECK(value(r, "p2", "licensing", "previous-items") == 12);
  CHECK(value(r, "p2", "licensing", "change") == -3);
  CHECK(value(r, "p2", "licensing", "decisions") == 35);
}

TEST_CASE("tables.build.other_handling_single_row_is_the_2019_layout") {
  // A single （六）其他处理 row with its numbers and no sub-rows is the 2019 layout, in text and in an HTML grid
  // where its label spans both label columns: never the 2021 format with three invented rows.
  Synthetic s;
  s.format = "2019";
  s.year = 2020;
  auto text_result = check(synthetic(s));
  for (const Table& t : text_result.tables)
    if (t.id == "p3") CHECK(t.format == "2019");
  CHECK(xxgk::test::count(text_result, "table.row-missing") == 0);
  CHECK(text_result.findings.empty());
  const std::string page = R"(<html><head><meta charset="utf-8"><title>某某县交通运输局2020年政府信息公开工作年度报告</title></head><body>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1">
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan="20">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td colspan="2">（六）其他处理</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td colspan="2">（七）总计</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
<tr><td colspan="3">四、结转下年度继续办理</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table></body></html>)";
  auto html = check(page, "p.html");
  const Cell* other = xxgk::test::cell(html, "p3", "other", "natural");
  REQUIRE(other);
  CHECK(other->value == 1);
  // (The page leaves out rows on purpose; they are missing. The three 2021 sub-rows of （六） are not.)
  for (const Finding& f : html.findings) {
    INFO(f.rule << ": " << f.message);
    CHECK(f.message.find("2021") == std::string::npos);
    CHECK(f.message.find("申请人无正当理由逾期不补正") == std::string::npos);
    CHECK(f.message.find("3.其他") == std::string::npos);
    CHECK(f.rule != "format.version-mismatch");
  }
}

// Part 3 of a synthetic report as a PDF read in reading order gives it: its labels first, then all its numbers.
std::string labels_then_numbers(const std::string& text, const std::function<void(std::vector<std::string>&)>& edit = {}) {
  const size_t begin = text.find("三、收到和处理政府信息公开申请情况");
  const size_t end = text.find("四、政府信息公开行政复议");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  std::string labels, region = text.substr(begin, end - begin);
  std::vector<std::string> numbers;
  for (size_t at = 0; at < region.size();) {
    size_t nl = region.find('\n', at);
    if (nl == std::string::npos) nl = region.size();
    const std::string line = region.substr(at, nl - at);
    const bool number = !line.empty() && std::all_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (number) {
      numbers.push_back(line);
    } else {
      labels.append(line);
      labels.push_back('\n');
    }
    at = nl + 1;
  }
  if (edit) edit(numbers);
  std::string out = text.substr(0, begin);
  out.append(labels);
  for (const std::string& n : numbers) {
    out.append(n);
    out.push_back('\n');
  }
  out.append(text, end, std::string::npos);
  return out;
}

TEST_CASE("tables.build.numbers_after_all_labels_are_placed_when_the_arithmetic_holds") {
  const std::string text = labels_then_numbers(synthetic(Synthetic{}));
  auto r = check(text);
  CHECK(value(r, "p3", "new", "natural") == 5);
  CHECK(value(r, "p3", "open", "total") == 3);
  CHECK(value(r, "p3", "carry-over", "total") == 1);
  const Cell* c = xxgk::test::cell(r, "p3", "unavailable-not-held", "natural");
  REQUIRE(c);
  CHECK(c->value == 2);
  CHECK(c->status == CellStatus::inferred);  // placed by the arithmetic, not read beside its label
  CHECK(r.findings.empty());
}

TEST_CASE("tables.build.numbers_after_all_labels_that_break_the_arithmetic_stay_unread") {
  // One number changed: the zipped table would not balance, so it is not read that way, and nothing is proven.
  const std::string text = labels_then_numbers(synthetic(Synthetic{}), [](std::vector<std::string>& numbers) {
    REQUIRE_FALSE(numbers.empty());
    numbers.front().assign(1, '6');
  });
  auto r = check(text);
  CHECK_FALSE(value(r, "p3", "new", "natural").has_value());
  for (const Finding& f : r.findings)
    if (f.rule.rfind("table.", 0) == 0 || f.rule.rfind("total.", 0) == 0) CHECK(f.status == FindingStatus::uncertain);
  CHECK(xxgk::test::find(r, "table.row-uncertain"));
}

TEST_CASE("tables.build.orphan_numbers_make_the_table_scrambled") {
  // One number too many: no zip; the numbers standing alone that no row took say the text is out of order, so a
  // row without numbers or a label not found is doubt, not the report's defect.
  const std::string text = labels_then_numbers(synthetic(Synthetic{}), [](std::vector<std::string>& numbers) {
    numbers.push_back("0");
  });
  auto r = check(text);
  CHECK(xxgk::test::find(r, "table.row-uncertain"));
  for (const Finding& f : r.findings)
    if (f.rule.rfind("table.", 0) == 0 || f.rule.rfind("total.", 0) == 0) CHECK(f.status == FindingStatus::uncertain);
}

TEST_CASE("tables.build.placeholder_followed_by_words_is_a_word") {
  // 无 法 提 供 (a label spelled out character by character) holds no 无 cell.
  Synthetic s;
  std::string text = labels_then_numbers(synthetic(s));
  const std::string label = "（四）无法提供";
  REQUIRE(text.find(label) != std::string::npos);
  text.replace(text.find(label), label.size(), "（四）无 法 提 供");
  auto r = check(text);
  CHECK(value(r, "p3", "unavailable-not-held", "natural") == 2);
  CHECK(r.findings.empty());
}

TEST_CASE("tables.build.labels_found_by_edit_distance") {
  Synthetic s;
  std::string text = synthetic(s);
  // A misprint (一 character changed) is found and reported as a label variant with both spellings.
  const std::string label = "1.本机关不掌握相关政府信息";
  REQUIRE(text.find(label) != std::string::npos);
  text.replace(text.find(label), label.size(), "1.本机关不掌屋相关政府信息");
  auto r = check(text);
  CHECK(value(r, "p3", "unavailable-not-held", "natural") == 2);
  const Finding* f = xxgk::test::find(r, "table.label-variant");
  REQUIRE(f);
  CHECK(f->status == FindingStatus::fail);
  CHECK(f->message.find("不掌屋") != std::string::npos);
  CHECK(xxgk::test::count(r, "table.row-missing") == 0);
}

TEST_CASE("tables.build.edit_distance_never_confuses_sibling_rows") {
  // The eight 不予公开 rows differ in a few characters; each keeps its own numbers, and a row that is not written
  // is missing rather than found in a sibling's label.
  Synthetic s;
  std::string text = synthetic(s);
  const std::string secret = "1.属于国家秘密\n";
  REQUIRE(text.find(secret) != std::string::npos);
  const size_t at = text.find(secret);
  const size_t row_end = [&] {
    size_t p = at + secret.size();
    for (int i = 0; i < 7; ++i) p = text.find('\n', p) + 1;
    return p;
  }();
  text.erase(at, row_end - at);
  auto r = check(text);
  for (const char* sibling : {"withheld-law", "withheld-security", "withheld-third-party", "withheld-internal",
                              "withheld-process", "withheld-enforcement", "withheld-query"}) {
    CAPTURE(sibling);
    const Cell* c = xxgk::test::cell(r, "p3", sibling, "natural");
    REQUIRE(c);
    CHECK(c->status != CellStatus::missing);
  }
  const Finding* missing = xxgk::test::find(r, "table.row-missing");
  REQUIRE(missing);
  CHECK(missing->message.find("属于国家秘密") != std::string::npos);
  CHECK(xxgk::test::count(r, "table.label-variant") == 0);
}

TEST_CASE("tables.build.an_endless_run_of_values_is_read_in_bounds") {
  // A hundred thousand lines of 0 before part 3 (the hostile mix's million short lines, smaller): the row is doubt,
  // its cells keep no megabyte of text, and what is shown of the run is short.
  std::string text = synthetic(Synthetic{});
  const size_t at = text.find("三、收到和处理政府信息公开申请情况");
  REQUIRE(at != std::string::npos);
  std::string zeros;
  for (int i = 0; i < 100000; ++i) zeros += "0\n";
  text.insert(at, zeros);
  auto r = check(text);
  const Finding* f = xxgk::test::find(r, "table.row-uncertain");
  REQUIRE(f);
  CHECK(f->message.size() < 2000);
  for (const Table& t : r.tables)
    for (const Row& row : t.rows)
      for (const Cell& c : row.cells) CHECK(c.raw.size() < 2000);
}

// Statistics tables of the years before 2019 (tables/indicator_reader.hpp).
namespace {

std::string pre2019_report(const std::string& table) {
  return "某县财政局2012年政府信息公开工作年度报告\n"
         "一、概述\n2012年，我局依照《中华人民共和国政府信息公开条例》做好政府信息公开工作。\n"
         "二、主动公开政府信息的情况\n全年主动公开政府信息。\n"
         "附件：政府信息公开情况统计表 " + table + " 附件下载\n";
}

size_t findings_of(const CheckResult& r, const std::string& rule, FindingStatus status) {
  return static_cast<size_t>(std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
    return f.rule == rule && f.status == status;
  }));
}

}  // namespace

TEST_CASE("tables.indicators.cells_written_apart") {
  auto r = check(pre2019_report(
      "指标名称 计量 单位 2012 年度 历年累计 主动公开信息数 条 425 1516 其中：1.网站公开 条 418 1509 2.政府公报公开 条 7 7 "
      "受理依申请公开信息总数 条 3 9 其中：1.当面申请数 条 1 4 2.网上申请数 条 2 5 行政复议数 件 0 0"));
  CHECK(value(r, "indicators", "active", "year") == 425);
  CHECK(value(r, "indicators", "active", "cumulative") == 1516);
  CHECK(value(r, "indicators", "active-gazette", "cumulative") == 7);
  CHECK(value(r, "indicators", "requests-online", "year") == 2);
  CHECK(value(r, "indicators", "reviews", "cumulative") == 0);
  const Cell* c = xxgk::test::cell(r, "indicators", "active-website", "year");
  REQUIRE(c);
  CHECK(c->status == CellStatus::ok);
  CHECK(c->unit == "条");
  CHECK(findings_of(r, "indicators.sum-mismatch", FindingStatus::fail) == 0);
  CHECK(findings_of(r, "indicators.cumulative-below-year", FindingStatus::fail) == 0);
}

TEST_CASE("tables.indicators.run_together_cells_and_ordinals") {
  // 003's layout: cells and the next part's ordinal glued (条18182.传真申请数 is 18, 18 and 2.).
  auto r = check(pre2019_report(
      "指标名称计量单位2012年度历年累计主动公开信息数条20263542其中：1.网站公开条179533042.政府公报公开条07"
      "受理依申请公开信息总数条2121其中：1.当面申请数条18182.传真申请数条003.电子邮件申请数条334.网上申请数条00"
      "5.信函申请数条006.其它形式申请数条00行政复议数条00"));
  // 21 = 18 + 0 + 3 + 0 + 0 + 0 is the only reading that keeps the complete list of channels.
  CHECK(value(r, "indicators", "requests", "year") == 21);
  CHECK(value(r, "indicators", "requests-in-person", "cumulative") == 18);
  const Cell* total = xxgk::test::cell(r, "indicators", "requests", "year");
  REQUIRE(total);
  CHECK(total->status == CellStatus::inferred);
  const Cell* email = xxgk::test::cell(r, "indicators", "requests-email", "year");
  REQUIRE(email);
  CHECK(email->status == CellStatus::split);
  CHECK(value(r, "indicators", "active-gazette", "cumulative") == 7);
  // 20263542 is 20/263542, 202/63542 or 2026/3542: nothing settles it, so nothing is guessed.
  const Cell* active = xxgk::test::cell(r, "indicators", "active", "year");
  REQUIRE(active);
  CHECK(active->status == CellStatus::uncertain);
  CHECK_FALSE(active->value);
  CHECK(active->raw == "20263542");
  CHECK(findings_of(r, "indicators.sum-mismatch", FindingStatus::fail) == 0);
}

TEST_CASE("tables.indicators.one_column_with_two_digit_ordinals") {
  // 条02、传真申请数: a 0, then the ordinal 2、 (the tokenizer takes 02、 for one ordinal).
  auto r = check(pre2019_report(
      "指标名称计量单位年末统计主动公开信息数条138其中：1、网站公开条1382、政府公报公开条0受理依申请公开信息总数条0"
      "其中：1、当面申请数条02、传真申请数条03、电子邮件申请数条0"));
  CHECK(value(r, "indicators", "active-website", "year") == 138);
  CHECK(value(r, "indicators", "requests-in-person", "year") == 0);
  CHECK(value(r, "indicators", "requests-fax", "year") == 0);
  for (const Table& t : r.tables)
    if (t.id == "indicators")
      for (const Row& row : t.rows) CHECK(row.cells.size() == 1);
}

TEST_CASE("tables.indicators.arithmetic_of_the_table") {
  // Channels of a complete list (其它形式) that do not add up; a part above its total; a year above 历年累计.
  auto r = check(pre2019_report(
      "指标名称 计量单位 2012年度 历年累计 主动公开信息数 条 120 100 其中：1.网站公开 条 130 140 2.政府公报公开 条 2 20 "
      "受理依申请公开信息总数 条 5 12 其中：1.当面申请数 条 2 6 2.传真申请数 条 0 0 3.其它形式申请数 条 1 6"));
  CHECK(findings_of(r, "indicators.sum-mismatch", FindingStatus::fail) == 3);  // 2+0+1 ≠ 5; 130 > 120; 140 > 100
  CHECK(findings_of(r, "indicators.cumulative-below-year", FindingStatus::fail) == 1);  // 120 > 100
  // Parts that may overlap (one document on the website and in the gazette) only bound their total one by one.
  auto overlapping = check(pre2019_report(
      "指标名称 计量单位 年末统计 主动公开信息数 条 10 其中：1.网站公开 条 10 2.政府公报公开 条 3"));
  CHECK(findings_of(overlapping, "indicators.sum-mismatch", FindingStatus::fail) == 0);
  // Without the catch-all part, parts short of their total are no finding.
  auto incomplete = check(pre2019_report(
      "指标名称 计量单位 年末统计 受理依申请公开信息总数 条 5 其中：1.当面申请数 条 2 2.传真申请数 条 0"));
  CHECK(findings_of(incomplete, "indicators.sum-mismatch", FindingStatus::fail) == 0);
}

TEST_CASE("tables.indicators.prose_naming_an_indicator_is_no_table") {
  auto r = check(pre2019_report("全年主动公开信息数较上年有所增加，指标名称详见附表。"));
  for (const Table& t : r.tables) CHECK(t.id != "indicators");
}

TEST_CASE("tables.indicators.prose_against_the_table") {
  const std::string table = "指标名称 计量单位 2012年度 历年累计 主动公开信息数 条 120 560 其中：1.网站公开 条 118 540 "
                            "受理依申请公开信息总数 条 0 3";
  auto agrees = [&](const std::string& prose) {
    auto r = check(pre2019_report(prose + " " + table));
    return findings_of(r, "indicators.prose-mismatch", FindingStatus::fail) == 0;
  };
  CHECK(agrees("2012年主动公开政府信息120条。2012年全县未收到有关政府信息公开的申请。"));
  CHECK_FALSE(agrees("2012年主动公开政府信息150条。"));
  CHECK_FALSE(agrees("2012年全县共收到有关政府信息公开的申请2件。"));
  // Counts of some units, or introduced by 其中, are no claim about the year.
  CHECK(agrees("其中主动公开政府信息100条。各乡镇主动公开政府信息30条。"));
  CHECK(agrees("2012年区管委会、县政府公开办主动公开信息数为121条。"));
}

// Header cells found once per region and picked per zone are what a search of each zone finds: every block of every
// table, on the compact text of corpus reports (tables written every way) and of a text of header words alone,
// for zones cut at random character boundaries.
TEST_CASE("tables.headers.occurrences_picked_per_zone_equal_a_search_of_the_zone") {
  std::string error;
  auto set = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
  REQUIRE_MESSAGE(set, error);
  const Templates templates = build_templates(*set);
  std::vector<std::string> texts;
  for (const char* name : {"000_9d21c7fc33edb949.txt", "013-pingtan-shiyanqu-2019.txt", "023-shanghai-kewei-2024.txt"})
    texts.push_back(set->normalizer().normalize(test::corpus(name)).match.text);
  std::string headers;  // every header word of every block, run together: overlapping occurrences everywhere
  for (const UnionTable& table : templates.tables)
    for (const UnionBlock& block : table.blocks)
      for (const auto& h : block.headers) headers += h.label->key;
  texts.push_back(headers + headers);
  uint64_t state = 12345;
  auto random_below = [&](size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>((state >> 33) % n);
  };
  size_t compared = 0, found = 0;
  for (const UnionTable& table : templates.tables) {
    const LabelMatcher matcher(table);
    for (const std::string& text : texts) {
      const std::vector<std::vector<HeaderHit>> occurrences = matcher.header_occurrences(text, 0, text.size());
      REQUIRE(occurrences.size() == table.blocks.size());
      for (int round = 0; round < 60; ++round) {
        size_t a = utf8::start_of(text, random_below(text.size())), b = utf8::start_of(text, random_below(text.size()));
        if (round == 0) a = 0, b = text.size();
        if (a > b) std::swap(a, b);
        for (size_t block = 0; block < table.blocks.size(); ++block) {
          // The rule, written out: every occurrence inside the zone (by place, then header order), longest first
          // where they overlap, in text order.
          std::vector<HeaderHit> want;
          for (size_t pos = a; pos < b; pos += utf8::sequence_length(static_cast<unsigned char>(text[pos])))
            for (size_t h = 0; h < table.blocks[block].headers.size(); ++h) {
              const std::string& key = table.blocks[block].headers[h].label->key;
              if (!key.empty() && pos + key.size() <= b && text.compare(pos, key.size(), key) == 0)
                want.push_back(HeaderHit{h, pos, pos + key.size()});
            }
          std::stable_sort(want.begin(), want.end(), [](const HeaderHit& x, const HeaderHit& y) {
            return x.end - x.begin > y.end - y.begin;
          });
          std::vector<HeaderHit> kept;
          for (const HeaderHit& hit : want)
            if (std::none_of(kept.begin(), kept.end(), [&](const HeaderHit& k) { return hit.begin < k.end && k.begin < hit.end; }))
              kept.push_back(hit);
          std::sort(kept.begin(), kept.end(), [](const HeaderHit& x, const HeaderHit& y) { return x.begin < y.begin; });
          want = kept;
          for (const auto& got : {LabelMatcher::headers_in(occurrences[block], a, b), matcher.find_headers(text, a, b, block)}) {
            REQUIRE(got.size() == want.size());
            for (size_t i = 0; i < want.size(); ++i) {
              CHECK(got[i].header == want[i].header);
              CHECK(got[i].begin == want[i].begin);
              CHECK(got[i].end == want[i].end);
            }
          }
          ++compared;
          found += want.size();
        }
      }
    }
  }
  CHECK(compared > 500);
  CHECK(found > 1000);
}

// Values read from a region's kept tokens are the values a fresh tokenizer reads, from every place: where a fresh
// tokenizer would start otherwise (after a word or a number, inside a token) the tokens are not used.
TEST_CASE("tables.values.read_from_kept_tokens_equal_a_fresh_read") {
  std::string error;
  auto set = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
  REQUIRE_MESSAGE(set, error);
  const TokenVocabulary& vocabulary = set->common.vocabulary;
  size_t compared = 0, kept_used = 0, values = 0;
  // Everything a run says, in one string.
  auto said = [](const ValueRun& run) {
    std::string out = std::to_string(run.end);
    out += run.stopped_by_text ? "T" : "-";
    out += run.had_bars ? "B" : "-";
    for (const RawValue& v : run.values) {
      for (const size_t n : {static_cast<size_t>(v.kind), size_t{v.token.begin}, size_t{v.token.end}, size_t{v.own_line},
                             size_t{v.dash_before}, size_t{v.blank_lines_before}}) {
        out += ' ';
        out += std::to_string(n);
      }
      for (const std::string* part : {&v.text, &v.digits, &v.unit}) {
        out += ' ';
        out += *part;
      }
    }
    return out;
  };
  for (const char* name : {"000_9d21c7fc33edb949.txt", "023-shanghai-kewei-2024.txt", "040-changchun-xinqu-2025-excerpt.txt"}) {
    std::string source = test::corpus(name);
    Document doc;
    doc.source = source;
    doc.original = source;
    set->normalizer().normalize_document(doc, nullptr, nullptr, nullptr, nullptr);
    const size_t compact_end = doc.compact.text.size();
    for (size_t compact_begin : {size_t{0}, compact_end / 3}) {
      TokenStream kept;
      (void)label_view(doc, compact_begin, compact_end, vocabulary, &kept);
      REQUIRE(kept.tokens.size() > 100);
      const size_t end = kept.end;
      for (size_t begin = kept.begin; begin < end; begin += 1 + begin % 23) {  // every 12 bytes on average, at odd places
        for (size_t skip : {size_t{0}, end}) {
          const ValueRun fresh = read_values(doc, begin, end, vocabulary, skip);
          const ValueRun reused = read_values(doc, begin, end, vocabulary, skip, &kept);
          CHECK(said(reused) == said(fresh));
          ++compared;
          values += fresh.values.size();
          kept_used += kept.fresh_at(begin) < kept.tokens.size();
        }
      }
    }
  }
  CHECK(compared > 500);
  CHECK(kept_used > 50);  // the kept tokens served, not only the fallback
  CHECK(values > 5000);
}
