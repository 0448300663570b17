// One behaviour per case: each rule fires on a faulty report and stays quiet on the clean one.
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <fstream>

#include "grammar/grammar.hpp"
#include "support.hpp"

using namespace xxgk;
using xxgk::test::check;
using xxgk::test::count;
using xxgk::test::find;
using xxgk::test::rules_of;
using xxgk::test::Synthetic;
using xxgk::test::synthetic;

namespace {

std::string replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("checks.clean_synthetic_reports_have_no_findings") {
  for (const char* format : {"2021", "2019"}) {
    CAPTURE(format);
    Synthetic s;
    s.format = format;
    s.year = std::string(format) == "2019" ? 2020 : 2023;
    s.published = std::to_string(s.year + 1) + "-01-20";
    auto r = check(synthetic(s));
    CHECK(r.findings.empty());
    CHECK(r.report.format == format);
    CHECK(r.report.tables_format == format);
    CHECK(r.sections.size() == 6);
    CHECK(r.tables.size() == 3);
  }
}

TEST_CASE("checks.total.balance") {
  Synthetic s;
  s.carry_over = 2;  // 5 + 1 ≠ 5 + 2 in 自然人 and 总计
  auto r = check(synthetic(s));
  CHECK(rules_of(r) == std::multiset<std::string>{"total.balance", "total.balance"});
  const Finding* f = find(r, "total.balance");
  CHECK(f->status == FindingStatus::fail);
  CHECK(f->severity == Severity::error);
  CHECK(f->evidence.reported == 6);
  CHECK(f->evidence.computed == 7);
  CHECK(f->evidence.terms.size() == 4);
  CHECK(f->message.find("一、本年新收政府信息公开申请数量 5") != std::string::npos);
}

TEST_CASE("checks.total.row_sum_and_outcome_sum") {
  std::string text = synthetic(Synthetic{});
  // （一）予以公开: 自然人 3 but 总计 4. The row's sum and the 总计 column's outcome sum both fail, and both hold with
  // 3 there: one wrong figure, one finding (under the first of its relations), the other relation in its evidence.
  text = replace(text, "（一）予以公开\n3\n0\n0\n0\n0\n0\n3", "（一）予以公开\n3\n0\n0\n0\n0\n0\n4");
  auto r = check(text);
  CHECK(rules_of(r) == std::multiset<std::string>{"total.row-sum"});
  CHECK(find(r, "total.row-sum")->evidence.reported == 4);
  CHECK(find(r, "total.row-sum")->evidence.computed == 3);
  CHECK(find(r, "total.row-sum")->message.find("（一）予以公开 申请人情况 / 总计 = 4") == 0);
  // Two independent errors stay two findings.
  text = replace(text, "二、上年结转政府信息公开申请数量\n1\n0\n0\n0\n0\n0\n1", "二、上年结转政府信息公开申请数量\n1\n0\n0\n0\n0\n0\n2");
  CHECK(check(text).findings.size() == 2);
}

TEST_CASE("checks.total.review_sum") {
  std::string text = synthetic(Synthetic{});
  text = replace(text, "\n1\n0\n0\n0\n1\n0\n", "\n1\n0\n0\n0\n2\n0\n");  // 复议 总计 2 ≠ 1
  auto r = check(text);
  CHECK(rules_of(r) == std::multiset<std::string>{"total.review-sum"});
  // The prose agrees with the table: 行政复议1件.
  Synthetic s;
  s.extra_overview = "全年发生行政复议1件。";
  CHECK(check(synthetic(s)).findings.empty());
}

TEST_CASE("checks.narrative.table_mismatch") {
  Synthetic s;  // 新收 5, 上年结转 1, 办结 5
  s.extra_overview = "全年共收到政府信息公开申请7件，办结5件。";
  auto r = check(synthetic(s));
  CHECK(rules_of(r) == std::multiset<std::string>{"narrative.table-mismatch"});
  CHECK(find(r, "narrative.table-mismatch")->evidence.reported == 7);
  // 收到 counts this year's requests (新收); 受理 may also be read as every request taken up this year (新收 + 结转).
  s.extra_overview = "全年共收到政府信息公开申请6件，办结5件。";
  CHECK(rules_of(check(synthetic(s))) == std::multiset<std::string>{"narrative.table-mismatch"});
  s.extra_overview = "全年共收到政府信息公开申请5件，办结5件。";
  CHECK(check(synthetic(s)).findings.empty());
  s.extra_overview = "全年共接到政府信息公开申请7件。";  // near 接到, the claim's second word
  CHECK(rules_of(check(synthetic(s))) == std::multiset<std::string>{"narrative.table-mismatch"});
  s.extra_overview = "全年共受理政府信息公开申请6件，办结5件。";
  CHECK(check(synthetic(s)).findings.empty());
  // Where the wording counts the carried-over requests in, 新收 + 结转 is what it states.
  s.extra_overview = "全年共收到政府信息公开申请6件（含上年结转1件）。";
  CHECK(check(synthetic(s)).findings.empty());
  s.extra_overview = "全年共收到政府信息公开申请5件（含上年结转1件）。";
  CHECK(rules_of(check(synthetic(s))) == std::multiset<std::string>{"narrative.table-mismatch"});
  s.extra_overview = "加上上年结转1件，共处理政府信息公开申请6件。";
  CHECK(check(synthetic(s)).findings.empty());
  s.extra_overview = "全年共办理政府信息公开申请5件。";  // 办理 as 办结
  CHECK(check(synthetic(s)).findings.empty());
  // Applications of other kinds (审批, 咨询投诉) are not requests for information.
  s.extra_overview = "政务服务中心共受理申请121510件。共收到咨询投诉件100件，已办结90件。";
  CHECK(check(synthetic(s)).findings.empty());
  s.extra_overview = "收到政府信息公开申请5件，已办结4件。";
  CHECK(find(check(synthetic(s)), "narrative.table-mismatch")->evidence.reported == 4);
  s.extra_overview = "本年度未收到政府信息公开申请。";
  CHECK(rules_of(check(synthetic(s))) == std::multiset<std::string>{"narrative.table-mismatch"});
  s.extra_overview = "未发生政府信息公开行政复议和行政诉讼。";
  CHECK(rules_of(check(synthetic(s))) == std::multiset<std::string>{"narrative.table-mismatch"});
}

TEST_CASE("checks.narrative.appeal_outcomes") {
  Synthetic s;  // 行政复议: 1 维持, 0 纠正, 0 其他, 0 尚未审结; no lawsuits
  auto narrative = [&](const std::string& prose) {
    s.extra_overview = prose;
    return rules_of(check(synthetic(s)));
  };
  const std::multiset<std::string> none, one{"narrative.table-mismatch"}, doubt{"narrative.table-mismatch?"};
  CHECK(narrative("行政复议1件，均获维持。") == none);
  CHECK(narrative("行政复议案件均获维持。") == none);
  CHECK(narrative("行政复议1件，已审结。") == none);
  CHECK(narrative("行政复议案件1件，未被纠错。") == none);
  CHECK(narrative("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。") == none);
  CHECK(narrative("行政复议1件，被纠错1件。") == one);
  CHECK(narrative("行政复议1件，被纠正1件。") == one);  // a claim found near any of its words (纠错|纠正)
  CHECK(narrative("行政复议1件，1件被撤销。") == one);
  CHECK(narrative("行政复议1件，尚未审结1件。") == one);
  // The review still open: "all upheld" and "concluded" are contradicted; "1 pending" holds.
  s.review_upheld = 0;
  s.review_pending = 1;
  CHECK(narrative("行政复议1件，均获维持。") == one);
  const CheckResult upheld = check(synthetic(s));  // kept: the finding lives in it
  const Finding* f = find(upheld, "narrative.table-mismatch");
  REQUIRE(f);
  CHECK(f->message.find("行政复议 / 结果维持") != std::string::npos);
  CHECK(f->message.find("行政复议 / 总计") != std::string::npos);
  CHECK(narrative("行政复议案件均获维持。") == one);
  CHECK(narrative("行政复议1件，已审结。") == one);
  CHECK(narrative("行政复议1件，尚未审结1件。") == none);
  CHECK(narrative("行政复议1件，目前正在审理中。") == none);
  // A stated count other than the table's is the count's finding alone, not also "all of them".
  CHECK(narrative("行政复议2件，均尚未审结。") == one);
  // 被撤销 is one way of 纠正: it may be fewer than the corrected ones.
  s = Synthetic{};
  std::string text = synthetic(s);
  const std::string row = "\n1\n0\n0\n0\n1\n0\n", corrected = "\n1\n2\n0\n0\n3\n0\n";
  REQUIRE(text.find(row) != std::string::npos);
  text.replace(text.find(row), row.size(), corrected);
  text.replace(text.find("扎实推进政府信息公开工作。"), std::string("扎实推进政府信息公开工作。").size(),
               "扎实推进政府信息公开工作。行政复议3件，其中1件被撤销。");
  CHECK(check(text).findings.empty());
  // Whose outcome a sentence naming both reviews and lawsuits gives is unclear: the counts are checked, not the outcome.
  s = Synthetic{};
  CHECK(narrative("行政复议1件、行政诉讼1件，尚未审结1件。") == one);  // 行政诉讼1件 against 0
  CHECK(find(check(synthetic(s)), "narrative.table-mismatch")->evidence.reported == 1);
  CHECK(narrative("行政复议1件、行政诉讼0件，均获维持。") == none);
  // Doubt in the table: a blank cell makes "all upheld" uncertain, never proven.
  s = Synthetic{};
  s.extra_overview = "行政复议1件，均获维持。";
  text = synthetic(s);
  text.replace(text.find(row), row.size(), "\n—\n0\n0\n0\n1\n0\n");
  auto r = check(text);
  CHECK(count(r, "narrative.table-mismatch") == 1);
  CHECK(find(r, "narrative.table-mismatch")->status == FindingStatus::uncertain);
}

TEST_CASE("checks.table.missing_and_row_missing") {
  std::string text = synthetic(Synthetic{});
  std::string no_part4 = text.substr(0, text.find("行政复议\n行政诉讼")) + text.substr(text.find("五、存在的主要问题"));
  // Nothing at all under the heading: the table may have been an image; doubt, not a defect.
  CHECK(rules_of(check(no_part4)) == std::multiset<std::string>{"table.missing?"});
  // Prose instead of the table: the table is missing.
  std::string prose_part4 = text.substr(0, text.find("行政复议\n行政诉讼")) + "本年度发生行政复议1件。\n" + text.substr(text.find("五、存在的主要问题"));
  CHECK(rules_of(check(prose_part4)) == std::multiset<std::string>{"table.missing"});
  std::string no_row = replace(text, "2.重复申请\n0\n0\n0\n0\n0\n0\n0\n", "");
  auto r = check(no_row);
  CHECK(rules_of(r) == std::multiset<std::string>{"table.row-missing"});
  CHECK(find(r, "table.row-missing")->message.find("2.重复申请") != std::string::npos);
}

TEST_CASE("checks.format.version_mismatch_and_variants") {
  // A 2023 report whose tables follow the 2019 trial format.
  Synthetic s;
  s.format = "2019";
  s.year = 2023;
  auto r = check(synthetic(s));
  CHECK(r.report.format == "2021");
  CHECK(r.report.tables_format == "2019");
  // Table 2 follows the 2019 format throughout: one finding naming (一)(五)(六)(八)(九); in table 3 only （六）其他处理
  // does: one finding for that block. Headers, labels and the 2021 rows they lack follow from them: evidence, not
  // findings of their own.
  CHECK(count(r, "format.version-mismatch") == 2);
  CHECK(find(r, "format.version-mismatch")->message.find("第二十条第（九）项") != std::string::npos);
  CHECK(count(r, "table.header-variant") == 0);
  CHECK(count(r, "table.label-variant") == 0);
  CHECK(count(r, "table.row-missing") == 0);
  bool sub_rows = false, label = false;
  for (const Finding& f : r.findings)
    for (const auto& [name, value] : f.evidence.facts) {
      sub_rows |= name == "rows of format 2021 not found" && value.find("3.其他") != std::string::npos;
      label |= name == "labels of format 2019" && value.find("规范性文件 → 行政规范性文件") != std::string::npos;
    }
  CHECK(sub_rows);
  CHECK(label);
  CHECK(count(r, "total.row-sum") + count(r, "total.balance") + count(r, "total.outcome-sum") == 0);
  // A 2020 report with the 2021 tables is just as wrong.
  Synthetic t;
  t.year = 2020;
  CHECK(count(check(synthetic(t)), "format.version-mismatch") == 2);
}

TEST_CASE("checks.pre2019_reports_get_no_table_findings") {
  Synthetic s;
  s.year = 2017;
  auto r = check(synthetic(s));
  CHECK(r.report.format == "pre2019");
  CHECK(r.tables.empty());
  for (const Finding& f : r.findings) CHECK(f.rule.rfind("meta.", 0) == 0);
}

TEST_CASE("checks.text.garbled_date_and_brackets") {
  Synthetic s;
  s.extra_overview = "202511日至1231日，按照国办函〔2020109号要求。依据《条例》（2019年修订）执行。";
  auto r = check(synthetic(s));
  CHECK(rules_of(r) == std::multiset<std::string>{"text.garbled-date", "text.unbalanced-bracket"});
  s.extra_overview = "2025年1月1日至12月31日，按照国办函〔2020〕109号要求。";
  CHECK(check(synthetic(s)).findings.empty());
}

TEST_CASE("checks.meta.year_mismatch") {
  std::string text = synthetic(Synthetic{});
  text = replace(text, "统计期限自2023年1月1日起至2023年12月31日止", "统计期限自2022年1月1日起至2022年12月31日止");
  auto r = check(text);
  CHECK(rules_of(r) == std::multiset<std::string>{"meta.year-mismatch"});
}

TEST_CASE("checks.meta.late_publication_by_kind_of_body") {
  Synthetic s;
  s.published = "2024-02-10";
  CHECK(rules_of(check(synthetic(s))) == std::multiset<std::string>{"meta.late-publication"});  // department: 1月31日
  s.agency = "某某县人民政府";
  CHECK(check(synthetic(s)).findings.empty());  // a county government: 3月31日
  s.published = "2024-04-01";
  CHECK(rules_of(check(synthetic(s))) == std::multiset<std::string>{"meta.late-publication"});
  // Township deadline is configurable.
  Synthetic t;
  t.agency = "某某县某某镇人民政府";
  t.published = "2024-02-15";
  CHECK(count(check(synthetic(t)), "meta.late-publication") == 1);
  Options options;
  options.township_deadline_month = 2;
  options.township_deadline_day = 20;
  std::string error;
  auto lenient = Checker::create(options, &error);
  REQUIRE(lenient);
  CHECK(lenient->check(synthetic(t), {"t.txt", {}}).findings.empty());
}

TEST_CASE("checks.narrative.table_mismatch.near_words_of_other_grammars") {
  // The claims' near words are found by a finder kept from one document to the next (per thread): a checker whose
  // grammars give a claim other near words must not be answered with the words of the grammars checked before it,
  // nor they with its words afterwards.
  Synthetic s;
  s.extra_overview = "全年共收到政府信息公开申请7件，办结5件。";
  const std::string report = synthetic(s);
  CHECK(count(check(report), "narrative.table-mismatch") == 1);
  const auto dir = std::filesystem::temp_directory_path() / "xxgk-test-near-words";
  std::filesystem::create_directories(dir);
  for (const auto& [name, text] : grammar::embedded_grammars()) {
    std::string written = text;
    if (name == "common.xml") written = replace(written, "near=\"收到|接到|接收|新收\"", "near=\"接到|接收|新收\"");
    std::ofstream(dir / name, std::ios::binary) << written;
  }
  Options options;
  options.grammar_dir = dir.string();
  std::string error;
  auto other = Checker::create(options, &error);
  REQUIRE_MESSAGE(other, error);
  // Without 收到 among its near words, the claim is not looked for around it.
  CHECK(count(other->check(report, {"t.txt", {}}), "narrative.table-mismatch") == 0);
  s.extra_overview = "全年共接到政府信息公开申请7件。";
  CHECK(count(other->check(synthetic(s), {"t.txt", {}}), "narrative.table-mismatch") == 1);
  CHECK(count(check(report), "narrative.table-mismatch") == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("checks.value.impossible") {
  Synthetic s;
  s.agency = "某某县某某镇人民政府";
  s.regulations_issued = 2;
  auto r = check(synthetic(s));
  CHECK(rules_of(r) == std::multiset<std::string>{"value.impossible", "value.impossible"});
  s.agency = "某某省人民政府";
  CHECK(check(synthetic(s)).findings.empty());
}

TEST_CASE("checks.not_a_report") {
  auto r = check("栏目: 政府信息公开年报\n列表页\n某某局2025年度政府信息公开工作年度报告 2026-01-16\n某某局2024年度政府信息公开工作年度报告 2025-01-20\n");
  CHECK(rules_of(r) == std::multiset<std::string>{"meta.not-a-report"});
  CHECK_FALSE(r.report.is_report);
}

TEST_CASE("checks.truncated_documents_are_uncertain_not_wrong") {
  std::string text = synthetic(Synthetic{});
  text = text.substr(0, text.find("（四）无法提供"));
  auto r = check(text);
  CHECK(rules_of(r) == std::multiset<std::string>{"text.truncated?"});
  const Finding* f = find(r, "text.truncated");
  REQUIRE(f);
  CHECK(f->message.find("第四部分") != std::string::npos);
}

TEST_CASE("checks.fingerprints_are_stable_under_line_shifts") {
  Synthetic s;
  s.carry_over = 2;
  auto a = check(synthetic(s));
  auto b = check("\n\n" + synthetic(s));
  REQUIRE(a.findings.size() == b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    CHECK(a.findings[i].fingerprint == b.findings[i].fingerprint);
    CHECK(a.findings[i].location.line + 2 == b.findings[i].location.line);
  }
}

TEST_CASE("checks.rules_are_registered_once") {
  std::set<std::string> ids;
  for (const RuleInfo& r : rules()) {
    CHECK(ids.insert(r.id).second);
    CHECK_FALSE(r.summary.empty());
  }
  for (const char* id : {"section.missing", "section.order", "section.number-mismatch", "section.heading-variant",
                         "section.subtopic-as-part", "format.version-mismatch", "table.missing", "table.row-missing",
                         "table.row-unexpected", "table.label-variant", "table.header-variant", "table.cell-missing",
                         "table.cell-invalid", "total.balance", "total.row-sum", "total.outcome-sum", "total.review-sum",
                         "narrative.table-mismatch", "text.garbled-date", "text.unbalanced-bracket", "meta.year-mismatch",
                         "meta.late-publication", "value.impossible"})
    CHECK_MESSAGE(ids.count(id), id);
}

TEST_CASE("checks.messages.chinese_by_default_english_on_request") {
  std::string text = synthetic(Synthetic{});
  text = replace(text, "（一）予以公开\n3\n0\n0\n0\n0\n0\n3", "（一）予以公开\n4\n0\n0\n0\n0\n0\n4");
  Options options;
  options.language = "en";
  std::string error;
  auto english = Checker::create(options, &error);
  REQUIRE_MESSAGE(english, error);
  auto zh = check(text);
  auto en = english->check(text, {"t.txt", {}});
  const Finding* z = find(zh, "total.outcome-sum");
  const Finding* e = find(en, "total.outcome-sum");
  REQUIRE(z);
  REQUIRE(e);
  // The stated total by row and column, its value, the computed sum and the addends that are not zero (all of them
  // are in the evidence).
  CHECK_MESSAGE(z->message == "（七）总计 申请人情况 / 自然人 = 5，但各项之和 = 6（（一）予以公开 4 + 1.本机关不掌握相关政府信息 2，其余19项为0）",
                z->message);
  CHECK(z->evidence.terms.size() == 22);
  CHECK_MESSAGE(e->message.rfind("column '申请人情况 / 自然人': （七）总计 5, but the sum is 6 (（一）予以公开 4 + ", 0) == 0,
                e->message);
  // Only the words change: the same findings, places, fingerprints and evidence.
  REQUIRE(zh.findings.size() == en.findings.size());
  for (size_t i = 0; i < zh.findings.size(); ++i) {
    CHECK(zh.findings[i].rule == en.findings[i].rule);
    CHECK(zh.findings[i].fingerprint == en.findings[i].fingerprint);
    CHECK(zh.findings[i].evidence.terms.size() == en.findings[i].evidence.terms.size());
  }
  // Input errors too: the code is the same, the words follow the language.
  auto empty_zh = check("");
  auto empty_en = english->check("", {"e.txt", {}});
  REQUIRE(empty_zh.error);
  REQUIRE(empty_en.error);
  CHECK(empty_zh.error->code == "empty");
  CHECK(empty_en.error->code == "empty");
  CHECK(empty_zh.error->message == "文件为空");
  CHECK(empty_en.error->message == "the file is empty");
  options.language = "fr";
  CHECK_FALSE(Checker::create(options, &error));
  CHECK(error.find("unknown language 'fr'") != std::string::npos);
}

TEST_CASE("checks.table.blank_conventions_are_decided_once_per_table") {
  // A page that fills only 自然人 and 总计 of part 3, its relations holding with the blanks read as 0: the table
  // leaves its zeros blank, said once (info); no missing numbers, no sums.
  Synthetic s;
  s.separator = " | ";
  std::string text = synthetic(s);
  // In part 3, every row "label | N | 0 | 0 | 0 | 0 | 0 | T" becomes "label | N |  |  |  |  |  | T".
  const std::string zeros = " | 0 | 0 | 0 | 0 | 0 | ";
  const size_t part3 = text.find("三、收到和处理政府信息公开申请情况"), part4 = text.find("四、政府信息公开行政复议");
  REQUIRE(part3 < part4);
  size_t replaced = 0;
  for (size_t at = text.find(zeros, part3); at != std::string::npos && at < part4; at = text.find(zeros, at + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(text[at - 1]))) continue;  // the label's bar, not the first value's
    text.replace(at, zeros.size(), " |  |  |  |  |  | ");
    ++replaced;
  }
  REQUIRE(replaced >= 20);
  auto r = check(text);
  REQUIRE(r.findings.size() == 1);
  const Finding* f = find(r, "table.blank-zero");
  REQUIRE(f);
  CHECK(f->severity == Severity::info);
  CHECK(f->message.find("第三部分的表格") != std::string::npos);
  // A placeholder where 自然人 had 3 breaks the convention: blanks stay blanks. The five blank columns are one
  // finding, the row's placeholder its own; the sums the placeholder takes part in fail only with it read as 0:
  // doubt, never a proven error; the row's 总计 over nothing but blanks is no sum at all.
  const size_t row = text.find("（一）予以公开 | 3 |");
  REQUIRE(row != std::string::npos);
  text.replace(row, std::string("（一）予以公开 | 3 |").size(), "（一）予以公开 | - |");
  auto more = check(text);
  CHECK(count(more, "table.cell-missing") == 2);
  CHECK(count(more, "table.blank-zero") == 0);
  for (const Finding& finding : more.findings) {
    INFO(finding.rule << ": " << finding.message);
    if (finding.rule.rfind("total.", 0) == 0) CHECK(finding.status == FindingStatus::uncertain);
    CHECK(finding.rule != "total.row-sum");
  }
  CHECK(count(more, "total.outcome-sum") == 1);
}

TEST_CASE("checks.findings_point_at_their_range") {
  // A finding's range (location .. end) is the exact text it is about: a cell's number, a sentence, a heading.
  Synthetic s;
  s.extra_overview = "本年度未收到政府信息公开申请。";
  std::string text = synthetic(s);
  text = replace(text, "（一）予以公开\n3\n0\n0\n0\n0\n0\n3", "（一）予以公开\n3\n0\n0\n0\n0\n0\n4");
  auto r = check(text);
  size_t ranged = 0;
  for (const Finding& f : r.findings) {
    INFO(f.rule << ": " << f.message);
    REQUIRE(f.end.line);
    CHECK(f.end.offset > f.location.offset);
    const std::string marked = text.substr(f.location.offset, f.end.offset - f.location.offset);
    if (f.rule == "total.row-sum") CHECK(marked == "4");
    if (f.rule == "narrative.table-mismatch") CHECK(marked.find("未收到政府信息公开申请") != std::string::npos);
    ++ranged;
  }
  CHECK(ranged == 2);
}
