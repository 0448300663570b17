#include <doctest/doctest.h>

#include "support.hpp"

using namespace xxgk;
using xxgk::test::check;

namespace {

std::vector<std::pair<int, int>> parts(const CheckResult& r) {
  std::vector<std::pair<int, int>> out;
  for (const Section& s : r.sections) out.emplace_back(s.number, s.number_as_written);
  return out;
}

const std::string kSix =
    "一、总体情况\n正文。\n二、主动公开政府信息情况\n正文。\n三、收到和处理政府信息公开申请情况\n正文。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n正文。\n五、存在的主要问题及改进情况\n正文。\n六、其他需要报告的事项\n无。\n";

}  // namespace

TEST_CASE("sections.parts.numbered_lines") {
  auto r = check("某某局2023年政府信息公开工作年度报告\n" + kSix);
  CHECK(parts(r) == std::vector<std::pair<int, int>>{{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}});
  CHECK(r.sections[3].heading == "四、政府信息公开行政复议、行政诉讼情况");
  CHECK(r.sections[2].location.line == 6);
  CHECK(r.sections[2].location.column == 1);
}

TEST_CASE("sections.parts.run_into_one_line_and_split_over_lines") {
  std::string one_line = kSix;
  for (char& c : one_line)
    if (c == '\n') c = ' ';
  auto r = check("某某局2023年政府信息公开工作年度报告\n" + one_line);
  CHECK(r.sections.size() == 6);
  // A heading broken over two lines (PDF extraction) is still one heading.
  std::string split = kSix;
  split.replace(split.find("行政复议、行政诉讼情况"), std::string("行政复议、行政诉讼情况").size(), "行政复议、\n行政诉讼情况");
  auto s = check("某某局2023年政府信息公开工作年度报告\n" + split);
  CHECK(s.sections.size() == 6);
  CHECK(xxgk::test::count(s, "section.missing") == 0);
}

TEST_CASE("sections.parts.variants_misnumbering_and_order") {
  std::string text =
      "某某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n二、主动公开政府信息情况\n正文。\n三、收到和处理政府信息公开申请情况\n正文。\n"
      "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况\n正文。\n六、政府信息公开工作存在的主要问题及改进情况\n正文。\n"
      "五、其他需要报告的事项\n无。\n";
  auto r = check(text);
  CHECK(parts(r) == std::vector<std::pair<int, int>>{{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 6}, {6, 5}});
  CHECK(xxgk::test::count(r, "section.number-mismatch") == 2);
  CHECK(xxgk::test::count(r, "section.heading-variant") == 2);  // parts 4 and 5
  CHECK(xxgk::test::count(r, "section.missing") == 0);
  // Parts out of order.
  std::string swapped =
      "某某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n三、收到和处理政府信息公开申请情况\n正文。\n二、主动公开政府信息情况\n正文。\n"
      "四、政府信息公开行政复议、行政诉讼情况\n正文。\n五、存在的主要问题及改进情况\n正文。\n六、其他需要报告的事项\n无。\n";
  auto o = check(swapped);
  CHECK(xxgk::test::count(o, "section.order") == 1);
  CHECK(xxgk::test::find(o, "section.order")->location.line == 6);
}

TEST_CASE("sections.parts.subtopics_are_not_parts") {
  std::string text =
      "某某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n二、主动公开工作情况\n本年公开信息。\n三、政府信息管理\n加强管理。\n"
      "二、主动公开政府信息情况\n表格。\n三、收到和处理政府信息公开申请情况\n正文。\n四、政府信息公开行政复议、行政诉讼情况\n正文。\n"
      "五、存在的主要问题及改进情况\n正文。\n六、其他需要报告的事项\n无。\n";
  auto r = check(text);
  CHECK(r.sections.size() == 6);
  CHECK(r.sections[1].location.line == 8);  // the real part 2, not the sub-topic
  // Both sub-topics numbered like parts: one cause, one finding naming both.
  REQUIRE(xxgk::test::count(r, "section.subtopic-as-part") == 1);
  CHECK(xxgk::test::find(r, "section.subtopic-as-part")->evidence.facts.size() == 2);
  // Sub-topics numbered (一)(二) are fine.
  auto fine = check("某某局2023年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开政府信息情况\n正文。\n" + kSix.substr(kSix.find("二、")));
  CHECK(xxgk::test::count(fine, "section.subtopic-as-part") == 0);
  CHECK(fine.sections[1].location.line == 5);
}

TEST_CASE("sections.parts.unnumbered_heading_line") {
  std::string text = kSix;
  text.replace(text.find("五、存在的主要问题及改进情况"), std::string("五、").size(), "");
  auto r = check("某某局2023年政府信息公开工作年度报告\n" + text);
  CHECK(r.sections.size() == 6);
  const Finding* f = xxgk::test::find(r, "section.heading-variant");
  REQUIRE(f);
  CHECK(f->message.find("没有部分编号") != std::string::npos);
}

TEST_CASE("sections.parts.short_part_six_heading") {
  // "六、其他事项" is part 6 worded shortly, not a missing part.
  std::string text = kSix;
  text.replace(text.find("六、其他需要报告的事项"), std::string("六、其他需要报告的事项").size(), "六、其他事项");
  auto r = check("某某局2023年政府信息公开工作年度报告\n" + text);
  REQUIRE(r.sections.size() == 6);
  CHECK(r.sections[5].number == 6);
  CHECK_FALSE(r.sections[5].canonical);
  CHECK(xxgk::test::count(r, "section.missing") == 0);
}

TEST_CASE("sections.meta.title_year_agency_and_dates") {
  auto r = check("登录 注册\n2025年度长春新区管委会政府信息公开工作年度报告\n发布日期:2026-02-03  点击数:\n" + kSix +
                 "本报告所列数据统计期限自2025年1月1日至2025年12月31日止。\n长春新区管委会\n2026年1月20日\n");
  CHECK(r.report.year == 2025);
  CHECK(r.report.year_source == "title");
  CHECK(r.report.agency == "长春新区管委会");
  CHECK(r.report.kind == "government");
  REQUIRE(r.report.published);
  CHECK(r.report.published->iso() == "2026-02-03");
  CHECK(r.report.published_source == "page");
  REQUIRE(r.report.period_end);
  CHECK(r.report.period_end->iso() == "2025-12-31");
  REQUIRE(r.report.signed_on);
  CHECK(r.report.signed_on->iso() == "2026-01-20");
}

TEST_CASE("sections.meta.crawler_header") {
  std::string text =
      "标题: 平潭综合实验区经济发展局2022年度政府信息公开工作年度报告\n发布时间: 2023-01-05 09:00\n文号: \n发布机构: \n"
      "栏目: 政府信息公开年报\n==================== 正文 ====================\n"
      "根据《平潭综合实验区管委会办公室关于编制公布2021年政府信息公开工作年度报告有关事项的通知》要求编制。\n" + kSix;
  auto r = check(text);
  CHECK(r.report.year == 2022);  // not the 2021 of the cited notice
  CHECK(r.report.year_source == "header-title");
  CHECK(r.report.agency == "平潭综合实验区经济发展局");
  CHECK(r.report.kind == "department");
  CHECK(r.report.published_source == "crawler-header");
  CHECK(r.report.published->iso() == "2023-01-05");
  CHECK(r.sections.size() == 6);
}

TEST_CASE("sections.meta.agency_kinds") {
  struct Case {
    const char* title;
    const char* kind;
    const char* level;
  };
  const Case cases[] = {
      {"石柱土家族自治县西沱镇人民政府2025年政府信息公开工作年度报告", "township", "乡镇街道"},
      {"上海市人民政府2024年政府信息公开工作年度报告", "government", "省级"},
      {"杭州市人民政府2024年政府信息公开工作年度报告", "government", "市级"},
      {"平潭县人民政府2012年政府信息公开工作年度报告", "government", "县级"},
      {"国家机关事务管理局2021年政府信息公开工作年度报告", "department", "国务院部门"},
      {"沭阳县发展和改革局2023年政府信息公开工作年度报告", "department", "部门"},
      {"平潭综合实验区2025年度政府信息公开工作年度报告", "government", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.title);
    auto r = check(std::string(c.title) + "\n" + kSix);
    CHECK(r.report.kind == c.kind);
    CHECK(r.report.level == c.level);
  }
  CHECK(check(std::string("沭阳县发展和改革局2023年政府信息公开工作年度报告\n") + kSix).report.admin_level == "县级");
}
