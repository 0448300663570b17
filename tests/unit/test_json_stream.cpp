// The streaming JSON writer (output/json_stream.hpp) against nlohmann's dump() of the DOM (output/json_writer.cpp,
// scan/record.cpp): the same bytes, compact and indented, and the scan's digest from values equal to the digest
// read back from the line.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <fstream>
#include <sstream>

#include "output/json_stream.hpp"
#include "scan/record.hpp"
#include "support.hpp"
#include "xxgk/output.hpp"

using namespace xxgk;
using json = nlohmann::ordered_json;

namespace {

std::string streamed(const json& j, int indent) {
  std::string out;
  JsonStream(out, indent).value(j);
  return out;
}

std::string dom_line(const CheckResult& r, const json& tool, int indent) {
  json j = to_json(r);
  j["tool"] = tool;
  return j.dump(indent);
}

std::string stream_line(const CheckResult& r, const json& tool, int indent) {
  std::string out;
  write_check_json(out, r, tool, indent);
  return out;
}

void same_digest(const scan::Digest& a, const scan::Digest& b) {
  CHECK(a.id == b.id);
  CHECK(a.status == b.status);
  CHECK(a.reason == b.reason);
  CHECK(a.reason_kind == b.reason_kind);
  CHECK(a.error_code == b.error_code);
  CHECK(a.format == b.format);
  CHECK(a.level == b.level);
  CHECK(a.kind == b.kind);
  CHECK(a.agency == b.agency);
  CHECK(a.province == b.province);
  CHECK(a.city == b.city);
  CHECK(a.content == b.content);
  CHECK(a.year == b.year);
  CHECK(a.errors == b.errors);
  CHECK(a.warnings == b.warnings);
  CHECK(a.infos == b.infos);
  CHECK(a.uncertain == b.uncertain);
  REQUIRE(a.findings.size() == b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    CHECK(a.findings[i].rule == b.findings[i].rule);
    CHECK(a.findings[i].severity == b.findings[i].severity);
    CHECK(a.findings[i].uncertain == b.findings[i].uncertain);
  }
}

// The scan's line and digest of a document, both ways.
void same_record(const scan::InputDocument& doc, const CheckResult& r, bool with_tables, const json& tool) {
  const Voice voice{};
  const std::string line = scan::document_line(doc, r, with_tables, voice, tool);
  CHECK(line == scan::document_record(doc, r, with_tables, voice, tool).dump());
  same_digest(scan::digest_of(doc, r, voice), scan::digest_of(nlohmann::json::parse(line)));
}

}  // namespace

TEST_CASE("output.json_stream.values_as_nlohmann_dumps_them") {
  const json values = json::parse(R"({"empty object": {}, "empty array": [], "nested": {"a": [1, [], {}, [2, {"b": null}]]},
      "numbers": [0, -7, 18446744073709551615, -9223372036854775808, 0.1, 5.0, 1e300, -2.5e-7, 123456789012345678],
      "text": "引号\"反斜杠\\\b\f\n\r\t\u0001\u001f\u007f/é😀", "bools": [true, false], "null": null})");
  for (const int indent : {-1, 0, 2, 4}) CHECK(streamed(values, indent) == values.dump(indent));
  std::string out;
  JsonStream o(out);
  const double infinity = std::numeric_limits<double>::infinity();
  o.begin_array().value(std::nan("")).value(infinity).value(uint8_t{200}).value(int16_t{-3}).value(0.3f).end_array();
  CHECK(out == json::array({std::nan(""), infinity, uint8_t{200}, int16_t{-3}, 0.3f}).dump());
  // What is not UTF-8 is refused as nlohmann refuses it.
  std::string bad;
  CHECK_THROWS_AS(JsonStream(bad).value(std::string_view("\xff\xfe")), nlohmann::json::type_error);
}

TEST_CASE("output.json_stream.every_field_of_a_result") {
  // A result with every optional part set: pages and boxes, grids, duplicate fact names, candidates, dates.
  test::Synthetic inconsistent;
  inconsistent.carry_over = 2;  // two findings, with evidence terms
  CheckResult r = test::check(test::synthetic(inconsistent), "a.txt");
  REQUIRE(!r.tables.empty());
  REQUIRE(!r.findings.empty());
  r.source.content = InputKind::html;
  r.source.html_body = "markers";
  r.source.html_tables = 3;
  r.source.encoding_note = "注\t\"说明\"";
  r.report.published = Date{2024, 1, 20};
  r.report.period_end = Date{2023, 12, 31};
  r.report.traditional = "converted";
  r.tables[0].location = Location(3, 4, 50, 2, Box{1.5f, 2.25f, 300.1f, 400});
  r.tables[0].confidence = 0.8333333333333334;
  Cell& cell = r.tables[0].rows[0].cells[0];
  cell.grid = GridRef{1, 2, 3};
  cell.location.page = 1;
  cell.value = 12.5;
  cell.decimal = true;
  r.sections[0].number_as_written = 0;
  Finding& f = r.findings[0];
  f.location.page = 2;
  f.location.box = Box{0, 0, 10, 10};
  f.end = Location(9, 2, 80);
  f.evidence.facts = {{"a", "一"}, {"b", "二"}, {"a", "三"}, {"c", ""}, {"a", "四"}};
  f.evidence.candidates = {"1|23", "12|3"};
  f.evidence.reported = 10;
  f.evidence.computed = 9.5;
  f.evidence.difference = 0.5;
  Finding bare;
  bare.rule = "x.y";
  bare.status = FindingStatus::uncertain;
  r.findings.push_back(bare);
  const json tool = tool_json("1.2.3", "2021+2019@abc");
  for (const int indent : {-1, 2}) CHECK(stream_line(r, tool, indent) == dom_line(r, tool, indent));
  r.source.content = InputKind::pdf;
  r.source.pages = 4;
  r.error = InputError{"time-limit", "超时"};
  r.skipped = "not a report";
  for (const int indent : {-1, 2}) CHECK(stream_line(r, tool, indent) == dom_line(r, tool, indent));
}

TEST_CASE("output.json_stream.scan_records") {
  const json tool = tool_json("1.2.3", "g");
  CheckResult r = test::check(test::synthetic({}), "a.txt");
  r.year_facts = YearFacts{};
  r.year_facts->agency = "某某县交通运输局";
  r.year_facts->year = 2023;
  r.year_facts->cells["p3/new/total"] = {5, false, Location(7, 2, 90)};
  r.year_facts->cells["p3/open/total"] = {3.5, true, {}};
  r.year_facts->sentences = {{0xabcdefull, 12}, {1, 3}};
  scan::InputDocument doc;
  doc.id = "crawl.warc.gz@120";
  doc.provenance.container = "crawl.warc.gz";
  doc.provenance.offset = 120;
  doc.provenance.length = 4000;
  doc.provenance.url = "http://www.fujian.gov.cn/a.html";
  doc.provenance.http_status = 200;
  for (const bool tables : {true, false}) {
    same_record(doc, r, tables, tool);
    same_record(doc, r, tables, json());  // no "tool"
  }
  // Not a report: no findings, a zero summary.
  CheckResult skipped = r;
  skipped.report.is_report = false;
  skipped.report.not_report_reason = "没有法定章节";
  same_record(doc, skipped, true, tool);
  // An input error, and a page skipped before the check.
  scan::InputDocument broken = doc;
  broken.error_code = "read-failed";
  CheckResult error;
  error.error = InputError{"read-failed", "坏了"};
  same_record(broken, error, true, tool);
  scan::InputDocument gone = doc;
  gone.skip_reason = "HTTP 404";
  gone.skip_kind = "http-status";
  same_record(gone, CheckResult{}, true, tool);
}

// Every page of the corpus, as `check --format json` (compact and --pretty) and as the scan's line: the bytes
// of the DOM's dump. Its own CTest (json_stream_bytes); the unit run leaves it out.
TEST_CASE("output.json_stream.corpus_bytes" * doctest::skip(true)) {
  Options options;
  options.year_facts = true;  // as a scan checks: the lines carry the facts
  std::string error;
  const auto scanning = Checker::create(options, &error);
  REQUIRE(scanning);
  const json tool = tool_json("0.0.0", scanning->grammar_revision());
  size_t pages = 0;
  for (const auto& entry : std::filesystem::directory_iterator(XXGK_CORPUS_DIR)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".txt" && ext != ".html") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string name = entry.path().filename().string();
    INFO(name);
    const CheckResult plain = test::checker().check(bytes.str(), {name, {}});
    for (const int indent : {-1, 2}) CHECK(stream_line(plain, tool, indent) == dom_line(plain, tool, indent));
    const CheckResult scanned = scanning->check(bytes.str(), {name, {}});
    scan::InputDocument doc;
    doc.id = name;
    doc.provenance.container = name;
    same_record(doc, scanned, true, tool);
    ++pages;
  }
  CHECK(pages > 90);
}

TEST_CASE("output.json_stream.text_not_utf8_as_nlohmann") {
  // Escaping and the UTF-8 check are one pass: every ill-formed sequence (overlong, surrogate, beyond U+10FFFF,
  // cut short, a stray continuation or lead byte) still ends as nlohmann's dump() ends on it, and well-formed
  // sequences of every length pass, at the start, the middle and the end of a text.
  for (const std::string bad : {"\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80",
                                "\xF5\x80\x80\x80", "\xE4\xB8", "\xE4\xB8\x41", "\xFF", "ok\x80", "\x80ok", "中\xE4\xB8"}) {
    std::string out;
    CHECK_THROWS_AS(JsonStream(out, -1).value(std::string_view(bad)), nlohmann::json::type_error);
    CHECK_THROWS_AS(json(bad).dump(), nlohmann::json::type_error);
  }
  for (const std::string good : {"é", "中", "😀", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEF\xBF\xBF",
                                 "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "a中b\"é\n😀\x01", "\"中\""})
    CHECK(streamed(json(good), -1) == json(good).dump());
}
