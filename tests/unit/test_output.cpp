#include <doctest/doctest.h>

#include <sstream>

#include "support.hpp"
#include "xxgk/output.hpp"

using namespace xxgk;
using xxgk::test::check;
using xxgk::test::Synthetic;
using xxgk::test::synthetic;

TEST_CASE("output.json.schema_keys") {
  Synthetic s;
  s.carry_over = 2;
  auto j = to_json(check(synthetic(s), "a.txt"));
  CHECK(j["schema"] == "xxgk.check/1");
  for (const char* key : {"path", "bytes", "sha256", "encoding", "encoding_source"}) CHECK(j["source"].contains(key));
  for (const char* key : {"title", "agency", "level", "year", "format", "published"}) CHECK(j["report"].contains(key));
  CHECK(j["report"]["year"] == 2023);
  CHECK(j["report"]["format"] == "2021");
  REQUIRE(j["sections"].size() == 6);
  for (const char* key : {"id", "number", "heading", "line"}) CHECK(j["sections"][0].contains(key));
  REQUIRE(j["tables"].size() == 3);
  const auto& cell = j["tables"][1]["rows"][0]["cells"][6];
  for (const char* key : {"column", "column_path", "raw", "value", "unit", "status", "line", "col"}) CHECK(cell.contains(key));
  CHECK(cell["column"] == "total");
  CHECK(cell["value"] == 5);
  CHECK(cell["column_path"] == nlohmann::ordered_json::array({"申请人情况", "总计"}));
  REQUIRE(j["findings"].size() == 2);
  const auto& f = j["findings"][0];
  for (const char* key : {"rule", "severity", "status", "message", "line", "column", "fingerprint", "evidence"})
    CHECK(f.contains(key));
  CHECK(f["evidence"]["terms"].size() == 4);
  CHECK(j["source"]["sha256"].get<std::string>().size() == 64);
}

TEST_CASE("output.json.input_error") {
  auto r = check("", "empty.txt");
  auto j = to_json(r);
  CHECK(j["error"]["code"] == "empty");
  CHECK(j["findings"].empty());
}

TEST_CASE("output.text.compiler_style") {
  Synthetic s;
  s.carry_over = 2;
  auto r = check(synthetic(s), "r.txt");
  TextStyle english;
  english.voice.language = "en";
  std::ostringstream out;
  write_text(out, r, english);
  std::string text = out.str();
  CHECK(text.find("r.txt:") == 0);
  CHECK(text.find(": error: ") != std::string::npos);
  CHECK(text.find("[total.balance]") != std::string::npos);
  CHECK(text.find("    ^") != std::string::npos);  // caret under the source line
  Tally tally;
  tally.add(r);
  std::ostringstream summary;
  write_summary(summary, tally, english);
  CHECK(summary.str() == "1 file: 2 errors, 0 warnings, 0 info, 0 to review\n");
  // Chinese by default: the prefix and the summary too.
  std::ostringstream chinese;
  write_text(chinese, r, TextStyle{});
  CHECK(chinese.str().find(": 错误：") != std::string::npos);
  CHECK(summary_line(tally, Voice{}) == "1个文件：错误2个，警告0个，提示0个，存疑0个");
}

TEST_CASE("output.doubt_is_not_an_error") {
  // An uncertain finding of error severity: counted to review, prefixed review:, and it never fails a run unless
  // asked (--fail-on uncertain).
  Synthetic s;
  s.carry_over = 2;
  auto r = check(synthetic(s), "r.txt");
  REQUIRE(!r.findings.empty());
  for (Finding& f : r.findings) f.status = FindingStatus::uncertain;
  Tally tally;
  tally.add(r);
  CHECK(tally.errors == 0);
  CHECK(tally.uncertain == r.findings.size());
  TextStyle english;
  english.voice.language = "en";
  std::ostringstream out;
  write_text(out, r, english);
  CHECK(out.str().find(": review: ") != std::string::npos);
  CHECK(out.str().find(": error: ") == std::string::npos);
  const Finding& f = r.findings.front();
  CHECK(f.severity == Severity::error);
  CHECK(!fails(f, FailOn::error));
  CHECK(!fails(f, FailOn::info));
  CHECK(fails(f, FailOn::uncertain));
  CHECK(!fails(f, FailOn::never));
  Finding proven = f;
  proven.status = FindingStatus::fail;
  CHECK(fails(proven, FailOn::error));
  CHECK(fails(proven, FailOn::uncertain));
  CHECK(std::string(kind_of(f)) == "review");
  CHECK(std::string(kind_of(proven)) == "error");
  CHECK(parse_fail_on("uncertain") == FailOn::uncertain);
  CHECK(!parse_fail_on("fatal"));
}

TEST_CASE("output.csv.cells") {
  auto r = check(synthetic(Synthetic{}), "with,comma.txt");
  std::ostringstream out;
  write_csv_header(out);
  write_csv(out, r);
  std::string csv = out.str();
  CHECK(csv.rfind("path,part,table,block,row,label,column,column_path,raw,value,unit,status,line,col\n", 0) == 0);
  CHECK(csv.find("\"with,comma.txt\",2,p2,art20-1,normative,行政规范性文件,in-force,现行有效件数,12,12,,ok,") != std::string::npos);
  size_t lines = static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n'));
  CHECK(lines == 1 + 10 + 25 * 7 + 15);  // header + every cell of the 2021 format
}

TEST_CASE("output.html.scan_page_streams_sections_and_index") {
  // Compact (scan) mode: every document in the index, sections only for findings and errors, the index last in
  // the file, report text escaped.
  Synthetic wrong;
  wrong.carry_over = 2;
  const CheckResult with_findings = check(synthetic(wrong), "wrong<b>.txt");
  const CheckResult clean = check(synthetic(Synthetic{}), "clean.txt");
  const CheckResult unreadable = check("", "empty.txt");
  REQUIRE_FALSE(with_findings.findings.empty());
  REQUIRE(clean.findings.empty());
  std::ostringstream page;
  {
    HtmlReport::Settings settings;
    settings.title = "scan";
    settings.language = "en";
    settings.compact = true;
    HtmlReport report(page, settings);
    report.add(with_findings);
    report.add(clean);
    report.add(unreadable);
    Finding f = with_findings.findings.front();
    report.add_crossyear(f, "某某局", "b.txt", "a.txt");
  }  // the destructor finishes the page
  const std::string html = page.str();
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
    return n;
  };
  CHECK(count("<section class=\"report\" id=\"r") == 2);  // findings and error; none for the clean report
  CHECK(count("<tr class=\"doc-") == 3);  // every document in the overview's table
  CHECK(count("id=\"crossyear\"") == 1);
  CHECK(html.find("id=\"index\"") > html.find("id=\"crossyear\""));
  CHECK(html.find("data-start-lang=\"en\"") != std::string::npos);
  CHECK(html.find("wrong<b>") == std::string::npos);
  CHECK(html.find("wrong&lt;b&gt;.txt") != std::string::npos);
  CHECK(html.rfind("</html>\n") == html.size() - 8);
}

TEST_CASE("output.rules_speak_both_languages") {
  // Every rule has its summary and purpose in Chinese and its basis in English (grammars/rules.xml), so that
  // `xxgk rules`, `explain` and SARIF speak one language per run.
  auto has_cjk = [](const std::string& s) {
    for (size_t i = 0; i + 2 < s.size(); ++i)
      if (static_cast<unsigned char>(s[i]) == 0xE4 || static_cast<unsigned char>(s[i]) == 0xE5 ||
          static_cast<unsigned char>(s[i]) == 0xE6 || static_cast<unsigned char>(s[i]) == 0xE7 ||
          static_cast<unsigned char>(s[i]) == 0xE8 || static_cast<unsigned char>(s[i]) == 0xE9)
        return true;
    return false;
  };
  for (const RuleInfo& r : rules()) {
    INFO(r.id);
    const RuleInfo::Text zh = r.text("zh"), en = r.text("en");
    CHECK(zh.summary != r.summary);
    CHECK(has_cjk(zh.summary));
    CHECK(zh.purpose != r.purpose);
    CHECK(en.basis != r.basis);
    CHECK(en.summary == r.summary);
    CHECK(en.purpose == r.purpose);
  }
}
