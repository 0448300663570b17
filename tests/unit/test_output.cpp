#include <doctest/doctest.h>

#include <pugixml.hpp>

#include <sstream>

#include "grammar/grammar.hpp"
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

namespace {

// region_of's definition, written plainly: every name of every place looked for in the whole agency (regions.xml
// read here again). The library indexes the names by their first bytes; both must name the same place.
struct PlainPlace {
  std::string province, city;
  std::vector<std::string> names, prefixes;
};

std::vector<std::string> words(const char* text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

const PlainPlace* plain_named(const std::vector<PlainPlace>& places, std::string_view agency, size_t* at) {
  const PlainPlace* best = nullptr;
  size_t best_at = std::string_view::npos, best_length = 0;
  for (const PlainPlace& p : places) {
    auto consider = [&](const std::string& name, bool start_only) {
      const size_t pos = name.empty() ? std::string_view::npos : agency.find(name);
      if (pos == std::string_view::npos || (start_only && pos != 0)) return;
      if (pos < best_at || (pos == best_at && name.size() > best_length)) best = &p, best_at = pos, best_length = name.size();
    };
    for (const std::string& n : p.names) consider(n, false);
    for (const std::string& n : p.prefixes) consider(n, true);
  }
  *at = best_at;
  return best;
}

}  // namespace

TEST_CASE("output.region_of.same_as_every_name_looked_for") {
  const auto& files = grammar::embedded_grammars();
  const auto it = files.find("regions.xml");
  REQUIRE(it != files.end());
  pugi::xml_document doc;
  REQUIRE(doc.load_buffer(it->second.data(), it->second.size()));
  std::vector<PlainPlace> cities, provinces;
  for (pugi::xml_node p : doc.child("regions").children("province")) {
    PlainPlace province{p.attribute("name").value(), {}, {p.attribute("full").value()}, {p.attribute("name").value()}};
    for (const std::string& also : words(p.attribute("also").value())) province.names.push_back(also);
    for (pugi::xml_node c : p.children("city")) {
      PlainPlace city{province.province, c.attribute("name").value(), {c.attribute("full").value()}, {}};
      for (const std::string& also : words(c.attribute("also").value())) city.names.push_back(also);
      cities.push_back(city);
    }
    provinces.push_back(province);
  }
  REQUIRE(cities.size() > 300);
  std::vector<std::string> pieces;  // every name, and words that are no place
  for (const auto* list : {&cities, &provinces})
    for (const PlainPlace& p : *list) {
      for (const std::string& n : p.names) pieces.push_back(n);
      for (const std::string& n : p.prefixes) pieces.push_back(n);
    }
  for (const char* word : {"人民政府", "办公室", "市", "县", "区", "街道办事处", "a", "", "省"}) pieces.push_back(word);
  uint64_t seed = 17;
  auto next = [&] {  // the high bits: an LCG's low bits repeat with a short period
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 33;
  };
  size_t named_any = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string agency;
    for (uint64_t n = next() % 4 + 1; n-- > 0;) {
      const std::string& piece = pieces[next() % pieces.size()];
      // Half the time a piece is cut (a name's first bytes, a character split).
      agency += next() % 2 ? piece : piece.substr(0, next() % (piece.size() + 1));
    }
    size_t city_at = 0, province_at = 0;
    const PlainPlace* city = plain_named(cities, agency, &city_at);
    const PlainPlace* province = plain_named(provinces, agency, &province_at);
    if (city && province && province->province != city->province && province_at < city_at) city = nullptr;
    const Region want = city ? Region{city->province, city->city} : province ? Region{province->province, {}} : Region{};
    const Region got = region_of(agency);
    CAPTURE(agency);
    CHECK(got.province == want.province);
    CHECK(got.city == want.city);
    named_any += !want.empty();
  }
  CHECK(named_any > 3000);
}
