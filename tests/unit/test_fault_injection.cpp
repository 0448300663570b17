// Fault injection: from clean real reports, change one thing at a time and assert exactly what is reported.
#include <doctest/doctest.h>
#include <unicode/translit.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <memory>

#include "support.hpp"

using namespace xxgk;
using xxgk::test::rules_of;

namespace {

using Rules = std::multiset<std::string>;

struct Base {
  const char* file;
  const char* format;
  const char* cell_from;  // a part-3 row as written, and the same row with one cell changed
  const char* cell_to;
  const char* headers_from;  // 第二十条第（一）项 headers, and the other format's
  const char* headers_to;
};

const Base kBases[] = {
    {"063-pingtan-caizhengjinrongju-2020.txt", "2019", "一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0",
     "一、本年新收政府信息公开申请数量 2 0 0 0 0 0 0", "本年新制作数量 本年新公开数量 对外公开总数量",
     "本年制发件数 本年废止件数 现行有效件数"},
    {"065-pingtan-caizhengjinrongju-2022.txt", "2021", "一、本年新收政府信息公开申请数量1 0 0 0 0 01",
     "一、本年新收政府信息公开申请数量2 0 0 0 0 01", "本年制发件数本年废止件数现行有效件数",
     "本年新制作数量本年新公开数量对外公开总数量"},
};

std::string replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

// Body of a crawled page: everything after the crawler header's ===== line.
size_t body_start(const std::string& text) { return text.find('\n', text.find("=====")) + 1; }


std::string to_traditional(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance("Simplified-Traditional", UTRANS_FORWARD, status));
  REQUIRE(U_SUCCESS(status));
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

TEST_CASE("faults.unchanged_reports_are_clean") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    auto r = xxgk::test::check(xxgk::test::corpus(base.file));
    CHECK(r.findings.empty());
    CHECK(r.report.format == base.format);
    CHECK(r.report.tables_format == base.format);
  }
}

TEST_CASE("faults.one_table_cell_changed") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    auto r = xxgk::test::check(replace(xxgk::test::corpus(base.file), base.cell_from, base.cell_to));
    // One changed figure breaks a column's balance and its row's sum: one finding, pointing at it.
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings.front().rule.rfind("total.", 0) == 0);
    CHECK(r.findings.front().status == FindingStatus::fail);
  }
}

TEST_CASE("faults.section_dropped") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    std::string text = xxgk::test::corpus(base.file);
    size_t five = text.find("五、存在的主要问题及改进情况"), six = text.find("六、其他需要报告的事项");
    REQUIRE(five < six);
    auto r = xxgk::test::check(text.erase(five, six - five));
    CHECK(rules_of(r) == Rules{"section.missing"});
    CHECK(xxgk::test::find(r, "section.missing")->message.find("第五部分") != std::string::npos);
  }
}

TEST_CASE("faults.sections_reordered") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    std::string text = xxgk::test::corpus(base.file);
    size_t five = text.find("五、存在的主要问题及改进情况"), six = text.find("六、其他需要报告的事项");
    size_t six_end = text.find("。", six) + std::string("。").size();
    std::string part5 = text.substr(five, six - five), part6 = text.substr(six, six_end - six);
    std::string moved = text.substr(0, five) + part6 + " " + part5 + text.substr(six_end);
    auto r = xxgk::test::check(moved);
    CHECK(rules_of(r) == Rules{"section.order"});
  }
}

TEST_CASE("faults.block_swapped_to_the_other_format") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    auto r = xxgk::test::check(replace(xxgk::test::corpus(base.file), base.headers_from, base.headers_to));
    // One finding for the block; its headers are the reason, in the evidence (never a second finding).
    CHECK(rules_of(r) == Rules{"format.version-mismatch"});
    CHECK(xxgk::test::find(r, "format.version-mismatch")->message.find("第二十条第（一）项") != std::string::npos);
  }
}

TEST_CASE("faults.lines_split_and_merged") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    std::string text = xxgk::test::corpus(base.file);
    const size_t body = body_start(text);
    // One cell per line: every space of the body becomes a line break.
    std::string split = text;
    for (size_t i = body; i < split.size(); ++i)
      if (split[i] == ' ') split[i] = '\n';
    // Labels and headings broken in the middle.
    split = replace(split, "收到和处理政府信息公开申请情况", "收到和处理政府信息\n公开申请情况");
    split = replace(split, "二、上年结转政府信息公开申请数量", "二、上年结转政府\n信息公开申请数量");
    split = replace(split, "本机关不掌握相关政府信息", "本机关不掌握\n相关政府信息");
    auto r = xxgk::test::check(split);
    CHECK(r.findings.empty());
    // And merged back into one line with single spaces.
    std::string merged = split.substr(0, body);
    for (size_t i = body; i < split.size(); ++i) merged.push_back(split[i] == '\n' ? ' ' : split[i]);
    CHECK(xxgk::test::check(merged).findings.empty());
  }
}

TEST_CASE("faults.reencoded_as_gb18030") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    auto r = xxgk::test::checker().check(xxgk::test::encode(xxgk::test::corpus(base.file), "GB18030"), {"gb.txt", {}});
    CHECK(r.source.encoding == "GB18030");
    CHECK(r.findings.empty());
    CHECK(r.report.format == base.format);
  }
}

TEST_CASE("faults.converted_to_traditional_characters") {
  for (const Base& base : kBases) {
    CAPTURE(base.file);
    auto r = xxgk::test::check(to_traditional(xxgk::test::corpus(base.file)));
    CHECK(r.report.traditional == "converted");
    CHECK(rules_of(r) == Rules{});
    CHECK(r.sections.size() == 6);
  }
}
