// Numbers in the prose checked like tables: a stated total against its listed parts (narrative.sum-mismatch), and
// the outcomes of reviews and lawsuits against part 4. Each trap — a sentence that can be read two ways — must give
// no proven fault.
#include <doctest/doctest.h>

#include "checks/prose_sums.hpp"
#include "checks/word_finder.hpp"
#include "grammar/grammar.hpp"
#include "support.hpp"

using namespace xxgk;
using xxgk::test::check;
using xxgk::test::count;
using xxgk::test::find;
using xxgk::test::rules_of;
using xxgk::test::Synthetic;
using xxgk::test::synthetic;
using checks::prose::ListEnd;
using checks::prose::SumVerdict;

namespace {

const grammar::GrammarSet& grammars() {
  static const auto set = [] {
    std::string error;
    auto loaded = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
    REQUIRE_MESSAGE(loaded, error);
    return loaded;
  }();
  return *set;
}

// Statements of `compact` (the compact matching form: ASCII , ; : ( ), no spaces).
std::vector<checks::prose::SumStatement> read(std::string_view compact) {
  const auto& common = grammars().common;
  return checks::prose::read_sum_statements(compact, common.sums, common.label_ordinal ? &*common.label_ordinal : nullptr);
}

SumVerdict::Kind verdict_of(std::string_view compact) {
  auto statements = read(compact);
  REQUIRE(statements.size() >= 1);
  return checks::prose::judge(statements.front(), grammars().common.sums).kind;
}

// The sum-mismatch findings of a synthetic report whose part 1 says `prose`: "rule" (fail) or "rule?" (uncertain).
std::multiset<std::string> sum_findings(const std::string& prose) {
  Synthetic s;
  s.extra_overview = prose;
  std::multiset<std::string> out;
  for (const std::string& rule : rules_of(check(synthetic(s))))
    if (rule.rfind("narrative.sum-mismatch", 0) == 0) out.insert(rule);
  return out;
}

const std::multiset<std::string> kFail{"narrative.sum-mismatch"};
const std::multiset<std::string> kUncertain{"narrative.sum-mismatch?"};
const std::multiset<std::string> kNone{};

}  // namespace

TEST_CASE("prose.sums.reads_total_parts_and_how_the_list_ends") {
  auto st = read("全年主动公开政府信息300条,其中机构职能类20条、政策、规范性文件类30条、其他类250条。");
  REQUIRE(st.size() == 1);
  CHECK(st[0].total.value == 300);
  CHECK(st[0].total.unit == "条");
  CHECK(st[0].total_words == "全年主动公开政府信息");
  REQUIRE(st[0].parts.size() == 3);
  CHECK(st[0].parts[1].words == "政策、规范性文件类");  // 、 inside a part's words
  CHECK(st[0].parts[1].count.value == 30);
  CHECK(st[0].parts[2].catch_all);
  CHECK_FALSE(st[0].parts[0].catch_all);
  CHECK(st[0].end_kind == ListEnd::hard);
  CHECK(checks::prose::judge(st[0], grammars().common.sums).kind == SumVerdict::Kind::none);

  // A separator stronger than the list's ends it, hard; a stop word or another unit ends it softly.
  st = read("发布信息50条,其中动态20条、通知10条;办理申请5件。");
  REQUIRE(st.size() == 1);
  CHECK(st[0].parts.size() == 2);
  CHECK(st[0].end_kind == ListEnd::hard);
  st = read("发布信息50条,其中动态20条,通知10条,另有图片5条。");
  CHECK(st[0].parts.size() == 2);
  CHECK(st[0].end_kind == ListEnd::soft);
  st = read("发布信息50条,其中动态20条、通知10条、办理申请5件。");
  CHECK(st[0].parts.size() == 2);
  CHECK(st[0].end_kind == ListEnd::soft);
  // A list in parentheses ends at its closing one; a part's remark (a share, a parenthesis) is skipped.
  st = read("收到申请14件(其中信件申请10件,网络申请4件),已办结12件。");
  CHECK(st[0].parts.size() == 2);
  CHECK(st[0].end_kind == ListEnd::hard);
  st = read("办结81件,其中:予以公开42件,占51.85%;不予公开5件(6.17%);无法提供34件。");
  REQUIRE(st[0].parts.size() == 3);
  CHECK(st[0].parts[2].count.value == 34);
  // Bare digits are a count where the clause ends with them (信息数169,), not before 年.
  st = read("印发公文类政府信息共510条,其中主动公开信息数169,依申请公开信息数317条,不予公开24条;全年…");
  REQUIRE(st[0].parts.size() == 3);
  CHECK(st[0].parts[0].count.value == 169);
  st = read("发布信息393件,其中包括:行政规范性文件13件;规划计划文件2件;2024年度部门预算。");
  CHECK(st[0].parts.size() == 2);
  CHECK(st[0].end_kind == ListEnd::soft);
  // A stronger separator, then another part in the unit: the list may go on or may have ended (soft); then words
  // without a count or another unit: it ended there (hard).
  st = read("发布信息50条,其中动态20条,通知10条;图片5条。");
  CHECK(st[0].parts.size() == 2);
  CHECK(st[0].end_kind == ListEnd::soft);
  st = read("发布信息50条,其中动态20条,通知10条;图片较多。");
  CHECK(st[0].parts.size() == 2);
  CHECK(st[0].end_kind == ListEnd::hard);
  // 等 and 主要有: only some parts are named.
  CHECK(read("发布信息50条,其中动态20条、通知10条等。")[0].some);
  CHECK(read("发布信息50条,主要有动态20条、通知10条。")[0].some);
  CHECK_FALSE(read("发布信息50条,其中动态20条、通知10条。")[0].some);
}

TEST_CASE("prose.sums.counts_not_read_for_certain_leave_the_statement_unread") {
  CHECK(read("主动公开信息120条,其中政策文件类二十条、其他类10条。").empty());  // Chinese numerals
  CHECK(read("主动公开信息120条,其中政策文件类约20条、其他类10条。").empty());  // approximate
  CHECK(read("主动公开信息120条,其中政策文件类20余条、其他类10条。").empty());
  CHECK(read("主动公开信息1,120条,其中政策文件类20条、其他类10条。").empty());  // thousands separator
  CHECK(read("主动公开信息约120条,其中政策文件类20条、其他类10条。").empty());
  // A share is no part: nothing to add up.
  auto st = read("主动公开信息6条,其中全文电子化达100%。");
  REQUIRE(st.size() == 1);
  CHECK(st[0].parts.empty());
}

TEST_CASE("prose.sums.nested_enumerator_makes_both_lists_unclear") {
  auto st = read("办结申请10件,其中予以公开6件,其中部分公开2件,无法提供3件。");
  REQUIRE(st.size() == 2);
  CHECK(st[0].parts.size() == 1);
  CHECK(st[0].end_kind == ListEnd::soft);
  CHECK(st[1].nested);
  CHECK(checks::prose::judge(st[0], grammars().common.sums).kind == SumVerdict::Kind::none);
  CHECK(checks::prose::judge(st[1], grammars().common.sums).kind == SumVerdict::Kind::none);
}

TEST_CASE("prose.sums.verdicts") {
  // Complete by a partition's kinds, or by a last part that is everything else: short of the total is a fault.
  CHECK(verdict_of("制作、获取政府信息总数50条,其中主动公开政府信息30条,依申请公开信息数10条,不予公开信息数5条。") ==
        SumVerdict::Kind::fail);
  CHECK(verdict_of("主动公开信息120条,其中政策文件类20条、工作动态类80条、其他类10条。") == SumVerdict::Kind::fail);
  // Kinds of a partition never overlap: more than the total is a fault even when not all are named.
  CHECK(verdict_of("办结申请5件,其中予以公开3件、无法提供4件。") == SumVerdict::Kind::fail);
  // Short of the total, but maybe only some parts: nothing.
  CHECK(verdict_of("主动公开信息120条,其中政策文件类20条、工作动态类80条。") == SumVerdict::Kind::none);
  CHECK(verdict_of("制作、获取政府信息总数50条,其中主动公开30条、依申请公开10条。") == SumVerdict::Kind::none);
  // Requests received may still be open: the six outcomes are not all of them.
  CHECK(verdict_of("共受理政府信息公开申请10件,其中予以公开3件、部分公开1件、不予公开1件、无法提供1件、不予处理1件、其他处理1件。") ==
        SumVerdict::Kind::none);
  CHECK(verdict_of("共受理政府信息公开申请10件,其中予以公开3件、部分公开1件、不予公开1件、无法提供1件、不予处理1件、其他处理1件、结转下年度1件。") ==
        SumVerdict::Kind::fail);
  // Other parts beyond the total may count one part within another: doubt.
  CHECK(verdict_of("全年发布信息100条,其中动态信息80条、政务信息30条。") == SumVerdict::Kind::uncertain);
  // 等 after an "everything else": only some parts after all.
  CHECK(verdict_of("主动公开信息120条,其中政策文件类20条、其他类10条等。") == SumVerdict::Kind::none);
  // "Everything else" before the last part is a kind's name (其它公开答复), not the list's end.
  CHECK(verdict_of("答复总数21条,其中同意公开答复数17条,其它公开答复数2条,免于公开答复数1条;未收到复议申请。") ==
        SumVerdict::Kind::none);
  // 其他法律行政法规禁止公开 is one of the reasons, not "every other".
  CHECK(verdict_of("不予公开5件,其中属于国家秘密1件、其他法律行政法规禁止公开2件。") == SumVerdict::Kind::none);
}

TEST_CASE("prose.sums.sums_compared_within_the_arithmetic_tolerance") {
  // Sums of decimals carry rounding error (0.1 + 0.2 != 0.3 in binary): equal within tables::kArithmeticTolerance.
  checks::prose::SumStatement st;
  st.total.value = 0.3;
  st.total.unit = "条";
  st.end_kind = ListEnd::hard;
  for (double v : {0.1, 0.2}) {
    checks::prose::SumPart part;
    part.count.value = v;
    part.count.unit = "条";
    st.parts.push_back(part);
  }
  st.parts.back().catch_all = true;
  CHECK(checks::prose::judge(st, grammars().common.sums).kind == SumVerdict::Kind::none);
  st.total.value = 0.4;  // short of its total with an "everything else" last: still a fault
  CHECK(checks::prose::judge(st, grammars().common.sums).kind == SumVerdict::Kind::fail);
}

TEST_CASE("rules.narrative.sum_mismatch.fail_shows_total_and_every_addend") {
  Synthetic s;
  s.extra_overview = "全年主动公开政府信息120条，其中政策文件类20条、工作动态类80条、其他类10条。";
  auto r = check(synthetic(s));
  REQUIRE(count(r, "narrative.sum-mismatch") == 1);
  const Finding* f = find(r, "narrative.sum-mismatch");
  CHECK(f->status == FindingStatus::fail);
  CHECK(f->evidence.reported == 120);
  CHECK(f->evidence.computed == 110);
  CHECK(f->evidence.difference == 10);
  REQUIRE(f->evidence.terms.size() == 4);
  CHECK(f->evidence.terms[0].side == "total");
  CHECK(f->evidence.terms[3].label == "其他类");
  for (const char* words : {"全年主动公开政府信息120条", "政策文件类 20", "工作动态类 80", "其他类 10", "相差10"})
    CHECK_MESSAGE(f->message.find(words) != std::string::npos, words);
  // The same list adding up says nothing.
  CHECK(sum_findings("全年主动公开政府信息110条，其中政策文件类20条、工作动态类80条、其他类10条。") == kNone);
}

TEST_CASE("rules.narrative.sum_mismatch.two_readings_give_no_fault") {
  // Where the list ends is unclear and one reading adds up (以及 may continue the verb, not the list).
  CHECK(sum_findings("发布法定主动公开内容1条，包括机构概况1条，以及三公经费信息2条。") == kNone);
  CHECK(sum_findings("共发布信息30条，其中政策文件10条、动态20条、图片5条。") == kNone);
  // The list may belong to an earlier total of the sentence (…共6件，撤销申请1件，其中…).
  CHECK(sum_findings("答复申请共6件，撤销申请1件，其中予以公开3件、无法提供3件。") == kNone);
  // A part that is itself a total of parts that follow.
  CHECK(sum_findings("办结申请10件，其中予以公开6件，其中部分公开2件，无法提供3件。") == kNone);
  // Parts in another unit, numbers not read for certain, percentages.
  CHECK(sum_findings("主动公开信息120条，其中政策文件类20件、其他类10条。") == kNone);
  CHECK(sum_findings("主动公开信息120条，其中政策文件类二十条、其他类10条。") == kNone);
  CHECK(sum_findings("主动公开信息120条，其中全文电子化达100%。") == kNone);
  // "Everything else" not last, or the list's end unknown after it.
  CHECK(sum_findings("主动公开信息120条，其中其他类10条、政策文件类20条。") == kNone);
  CHECK(sum_findings("主动公开信息120条，其中政策文件类20条、其他类10条、办理申请5件。") == kNone);
  // A stronger separator followed by another part: the list may go on (…22条，…2条；…7条).
  CHECK(sum_findings("主动公开信息120条，其中政策文件类20条，其他类10条；工作动态类90条。") == kNone);
  // A total beyond its listed parts, "among which": nothing; parts beyond their total: doubt, not a fault.
  CHECK(sum_findings("通过门户网站公开政府信息3636条，其中财政信息9条；保障性住房信息7条；食品安全信息1条。") == kNone);
  CHECK(sum_findings("全年发布信息100条，其中动态信息80条、政务信息30条。") == kUncertain);
  // The heading on the line before (（二）依申请公开) is not the total's words: 发布信息 is no total of outcomes, and
  // the outcomes may overlap what it counts.
  CHECK(sum_findings("全年发布信息5件，其中予以公开3件、无法提供4件。") == kUncertain);
}

TEST_CASE("rules.narrative.sum_mismatch.partitions") {
  CHECK(sum_findings("2023年制作、获取政府信息总数50条，其中主动公开政府信息30条，依申请公开信息数10条，不予公开信息数5条。") == kFail);
  CHECK(sum_findings("2023年制作、获取政府信息总数45条，其中主动公开政府信息30条，依申请公开信息数10条，不予公开信息数5条。") == kNone);
  CHECK(sum_findings("全年办结申请5件，其中予以公开3件、无法提供4件。") == kFail);
  CHECK(sum_findings("全年办结申请10件，其中予以公开5件，占50%；部分公开1件；不予公开1件；无法提供1件；不予处理1件（10%）；其他处理0件。") ==
        kFail);
  CHECK(sum_findings("全年办结申请9件，其中予以公开5件，占50%；部分公开1件；不予公开1件；无法提供1件；不予处理1件（10%）；其他处理0件。") ==
        kNone);
  // In parentheses, ended by the closing one.
  CHECK(sum_findings("主动公开信息120条（其中政策文件类20条、其他类10条），均已公开。") == kFail);
}

TEST_CASE("rules.narrative.sum_mismatch.real_reports") {
  // 056: 制作、获取政府信息总数32条 but 主动公开 26 + 依申请公开 0 + 不予公开 0 (a pre-2019 report: the rule needs no table).
  auto r = check(xxgk::test::corpus("056-pingtan-caizhengjinrongju-2013.txt"), "056.txt");
  REQUIRE(count(r, "narrative.sum-mismatch") == 1);
  const Finding* f = find(r, "narrative.sum-mismatch");
  CHECK(f->status == FindingStatus::fail);
  CHECK(f->evidence.reported == 32);
  CHECK(f->evidence.computed == 26);
  // 023: 2139 条 against 1744 + 393 + 21 + 2 — the 21 解读 are probably within another part: uncertain.
  r = check(xxgk::test::corpus("023-shanghai-kewei-2024.txt"), "023.txt");
  REQUIRE(count(r, "narrative.sum-mismatch") == 1);
  CHECK(find(r, "narrative.sum-mismatch")->status == FindingStatus::uncertain);
  // 017: the outcomes add up to 办结81件 before the list runs on into 行政复议/行政诉讼 counts.
  CHECK(count(check(xxgk::test::corpus("017-pingtan-shiyanqu-2023.txt"), "017.txt"), "narrative.sum-mismatch") == 0);
}

TEST_CASE("rules.narrative.sentence_start.equals_the_last_end_of_every_kind") {
  // The backward walk against its definition: the greatest rfind(end, pos) + end.size(), over texts with each end,
  // none, an end at `pos` itself, ends of several bytes; an empty end marks nothing.
  // An end may stand inside a longer one without ending where it does (… in ……。): the longer one counts.
  const std::vector<std::vector<std::string>> end_sets = {{"。", "!", "?"}, {"!"}, {"。", "。。"}, {"", "。"}, {},
                                                          {"……。", "…"}, {"…", "……。"}};
  const std::vector<std::string> texts = {"", "。", "共10件。其中5件!另有3件?余下", "没有句号的一段话123",
                                          "a!b!c", "前。。后", "!。?。", "……。X", "前…后……。又…"};
  for (const auto& ends : end_sets)
    for (const std::string& text : texts)
      for (size_t pos = 0; pos <= text.size() + 2; ++pos) {
        size_t expected = 0;
        for (const std::string& e : ends)
          if (size_t at = std::string_view(text).rfind(e, pos); !e.empty() && at != std::string_view::npos)
            expected = std::max(expected, at + e.size());
        CAPTURE(text);
        CAPTURE(pos);
        CHECK(checks::prose::sentence_start(text, pos, ends) == expected);
      }
}

TEST_CASE("rules.narrative.next_digit.equals_a_byte_scan") {
  // Eight bytes at a time against its definition, on random texts of every byte value where digits are rare, come
  // in runs, stand at the ends and next to '/' and ':' (the bytes either side of '0'..'9'), from every start.
  uint32_t state = 777;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t size = static_cast<size_t>(round % 41);
    for (size_t i = 0; i < size; ++i) {
      state = state * 1103515245u + 12345u;
      const unsigned pick = (state >> 16) % 16;
      state = state * 1103515245u + 12345u;
      const auto any = static_cast<char>((state >> 16) & 0xFF);
      text += pick == 0 ? static_cast<char>('0' + (state >> 20) % 10) : pick == 1 ? '/' : pick == 2 ? ':' : any;
    }
    for (size_t pos = 0; pos <= text.size(); ++pos) {
      size_t expected = pos;
      while (expected < text.size() && !(text[expected] >= '0' && text[expected] <= '9')) ++expected;
      CAPTURE(text);
      CAPTURE(pos);
      CHECK(checks::prose::next_digit(text, pos) == expected);
    }
  }
}

TEST_CASE("rules.narrative.word_finder.equals_a_search_per_word") {
  // One pass for all words against its definition (a left-to-right search per word, resuming after each find),
  // on random texts over a small alphabet where words overlap, nest, repeat and stand at the very end, and where
  // three-byte characters (passed over in one step) are cut short or lose a byte (\xE5, \xE5\xAE, \xAE).
  // Then the same with a word that starts inside a character (a continuation byte), and with one that is the start
  // of a character only, which the pass must not step over.
  for (const std::string stray_word : {"", "\xAE\xA1", "\xE5\xAE"}) {  // the last two bytes of 审, its first two
    std::vector<std::string> words = {"审结", "审理", "结转", "上年结转", "申请", "a", "aa", "ab", "申", "", "申请",
                                      "\xE5" "ab", "请\xE5"};
    if (!stray_word.empty()) words.push_back(stray_word);
    const std::vector<std::string> alphabet = {"审", "结", "理", "转", "上", "年", "申", "请", "a", "b", "\xE5", "。",
                                               "\xE5\xAE", "\xAE", "𠀀"};
    checks::WordFinder finder(words);
    CHECK(finder.index_of("") == checks::WordFinder::npos);
    CHECK(finder.index_of("审") == checks::WordFinder::npos);
    uint32_t state = 12345;
    for (int round = 0; round < 3000; ++round) {
      std::string text;
      const size_t pieces = round % 40;
      for (size_t i = 0; i < pieces; ++i) {
        state = state * 1103515245u + 12345u;
        text += alphabet[(state >> 16) % alphabet.size()];
      }
      const auto found = finder.find_in(text);
      for (const std::string& w : words) {
        if (w.empty()) continue;
        std::vector<size_t> expected;
        for (size_t at = text.find(w); at != std::string::npos; at = text.find(w, at + w.size())) expected.push_back(at);
        CAPTURE(text);
        CAPTURE(w);
        const size_t index = finder.index_of(w);
        REQUIRE(index < found.size());
        CHECK(found[index] == expected);
      }
    }
  }
}
