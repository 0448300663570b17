#include <doctest/doctest.h>

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>

#include "grammar/grammar.hpp"
#include "tables/templates.hpp"
#include "util/regex.hpp"
#include "util/utf8.hpp"

using namespace xxgk;

namespace {

std::unique_ptr<grammar::GrammarSet> load(std::map<std::string, std::string> files, std::string* error) {
  return grammar::GrammarSet::load(files, error);
}

}  // namespace

TEST_CASE("grammar.embedded.loads_both_formats") {
  std::string error;
  auto g = load(grammar::embedded_grammars(), &error);
  REQUIRE_MESSAGE(g, error);
  REQUIRE(g->formats.size() == 2);
  CHECK(g->formats[0].id == "2019");
  CHECK(g->formats[1].id == "2021");
  CHECK(g->format_for_year(2018) == nullptr);
  CHECK(g->format_for_year(2019)->id == "2019");
  CHECK(g->format_for_year(2020)->id == "2019");
  CHECK(g->format_for_year(2021)->id == "2021");
  CHECK(g->format_for_year(2030)->id == "2021");
  CHECK(g->common.parts.size() == 6);
}

TEST_CASE("grammar.labels.keys_split_ordinals") {
  std::string error;
  auto g = load(grammar::embedded_grammars(), &error);
  REQUIRE(g);
  const grammar::TableTemplate* p3 = g->format("2021")->table("p3");
  REQUIRE(p3);
  const grammar::Item* security = nullptr;
  for (const auto& b : p3->blocks)
    for (const auto& i : b.items)
      if (i.id == "withheld-security") security = &i;
  REQUIRE(security);
  CHECK(security->canonical().text == "3.危及“三安全一稳定”");
  CHECK(security->canonical().ordinal == "3.");
  CHECK(security->canonical().core == "危及三安全一稳定");  // quotes and spaces are not part of a key
  // Part 3 has 25 rows in 2021 and 23 in 2019 (format-spec §1.5, §2.4); part 2 has 10 and 22 cells.
  auto rows = [](const grammar::TableTemplate& t) {
    size_t n = 0;
    for (const auto& b : t.blocks)
      for (const auto& i : b.items) n += i.kind == grammar::ItemKind::row;
    return n;
  };
  auto cells = [](const grammar::TableTemplate& t) {
    size_t n = 0;
    for (const auto& b : t.blocks)
      for (const auto& i : b.items)
        if (i.kind == grammar::ItemKind::row) n += t.columns_of(b).size();
    return n;
  };
  CHECK(rows(*p3) == 25);
  CHECK(rows(*g->format("2019")->table("p3")) == 23);
  CHECK(cells(*g->format("2021")->table("p2")) == 10);
  CHECK(cells(*g->format("2019")->table("p2")) == 22);
  CHECK(cells(*g->format("2021")->table("p4")) == 15);
}

TEST_CASE("grammar.union.merges_revisions_by_id") {
  std::string error;
  auto g = load(grammar::embedded_grammars(), &error);
  REQUIRE(g);
  auto templates = tables::build_templates(*g);
  REQUIRE(templates.tables.size() == 3);
  const auto& p2 = templates.tables[0];
  std::vector<std::string> blocks;
  for (const auto& b : p2.blocks) blocks.push_back(b.id);
  CHECK(blocks == std::vector<std::string>{"art20-1", "art20-5", "art20-6", "art20-8", "art20-9"});
  const auto* normative = p2.item("normative");
  REQUIRE(normative);
  CHECK(normative->in.size() == 2);
  const auto* other = templates.tables[1].item("other");
  REQUIRE(other);
  CHECK(other->kind_in("2021") == grammar::ItemKind::group);
  CHECK(other->kind_in("2019") == grammar::ItemKind::row);
  CHECK(other->counts_differ);
}

TEST_CASE("grammar.errors_name_the_file") {
  std::string error;
  auto files = grammar::embedded_grammars();
  CHECK_FALSE(load({}, &error));
  CHECK(error.find("common.xml") != std::string::npos);

  auto broken = files;
  broken["format-2021.xml"] = "<format id='2021' from-year='2021'><table";
  CHECK_FALSE(load(broken, &error));
  CHECK(error.find("format-2021.xml") != std::string::npos);

  auto bad_relation = files;
  std::string& text = bad_relation["format-2021.xml"];
  size_t at = text.find("addends=\"natural business");
  REQUIRE(at != std::string::npos);
  text.replace(at + 9, 7, "no-such-column");  // addends="natural → addends="no-such-column
  CHECK_FALSE(load(bad_relation, &error));
  CHECK(error.find("no-such-column") != std::string::npos);

  auto bad_pattern = files;
  std::string& common = bad_pattern["common.xml"];
  at = common.find("<report-title><![CDATA[");
  REQUIRE(at != std::string::npos);
  const std::string opening = "<report-title><![CDATA[";
  common.replace(at, opening.size(), opening + "(");
  CHECK_FALSE(load(bad_pattern, &error));
  CHECK(error.find("report-title") != std::string::npos);
}

TEST_CASE("grammar.load.refuses_invalid_utf8") {
  // Found by fuzz_grammar: a header label with a cut UTF-8 sequence was read past the end of its string.
  auto files = grammar::embedded_grammars();
  std::string& format = files.at("format-2021.xml");
  const size_t at = format.find("本年制发件数");
  REQUIRE(at != std::string::npos);
  format.insert(at + 3, 1, static_cast<char>(0xE4));
  std::string error;
  CHECK_FALSE(grammar::GrammarSet::load(files, &error));
  CHECK(error == "format-2021.xml: not valid UTF-8");
}

TEST_CASE("grammar.messages.render") {
  std::string error;
  auto g = load(grammar::embedded_grammars(), &error);
  REQUIRE_MESSAGE(g, error);
  const grammar::Messages& m = g->messages;
  CHECK(m.languages() == std::vector<std::string>{"zh", "en"});
  CHECK(m.render("zh", "section.missing", {{"part", 5}, {"heading", "五、存在的主要问题及改进情况"}}) ==
        "未找到第五部分“五、存在的主要问题及改进情况”");
  CHECK(m.render("en", "section.missing", {{"part", 5}, {"heading", "五、x"}}) == "part 5 '五、x' was not found");
  // A value not given stays visible; an unknown id keeps its values.
  CHECK(m.render("en", "section.missing", {{"part", 5}}) == "part 5 '{heading}' was not found");
  CHECK(m.render("zh", "no.such-message", {{"a", "1"}, {"b", 2}}) == "no.such-message a=1 b=2");
  CHECK(m.join("zh", {"a", "b", "c"}) == "a、b、c");
  CHECK(m.join("en", {"a", "b"}, "list.semicolon") == "a; b");
  CHECK(grammar::chinese_numeral(1) == "一");
  CHECK(grammar::chinese_numeral(10) == "十");
  CHECK(grammar::chinese_numeral(12) == "十二");
  CHECK(grammar::chinese_numeral(25) == "二十五");
  CHECK(grammar::chinese_numeral(0) == "0");
  CHECK(grammar::chinese_numeral(120) == "120");
}

TEST_CASE("grammar.messages.errors") {
  auto with_messages = [](const std::string& xml) {
    auto files = grammar::embedded_grammars();
    files["messages.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml;
    std::string error;
    auto g = load(files, &error);
    return g ? std::string() : error;
  };
  CHECK(with_messages("<messages languages=\"zh en\"><message id=\"a\"><zh>甲</zh><en>a</en></message></messages>").empty());
  CHECK(with_messages("<messages languages=\"zh en\"><message id=\"a\"><zh>甲</zh></message></messages>")
            .find("message a has no en text") != std::string::npos);
  CHECK(with_messages("<messages languages=\"zh en\"><message id=\"a\"><zh>{x</zh><en>a</en></message></messages>")
            .find("unclosed") != std::string::npos);
  CHECK(with_messages("<messages languages=\"zh en\"><message id=\"a\"><zh>{x|up}</zh><en>a</en></message></messages>")
            .find("|cn") != std::string::npos);
  CHECK(with_messages("<messages languages=\"zh en\"><message id=\"a\"><zh>甲</zh><en>a</en></message>"
                      "<message id=\"a\"><zh>乙</zh><en>b</en></message></messages>")
            .find("defined twice") != std::string::npos);
  // The catalogue spans messages.xml and interface.xml: they speak the same languages, and an id is in one only.
  CHECK(with_messages("<messages languages=\"zh\"><message id=\"a\"><zh>甲</zh></message></messages>")
            .find("languages of the other message files") != std::string::npos);
  CHECK(with_messages("<messages languages=\"zh en\"><message id=\"ui.kind.error\"><zh>甲</zh><en>a</en></message></messages>")
            .find("defined twice") != std::string::npos);
  CHECK(with_messages("<messages><message id=\"a\"><zh>甲</zh></message></messages>").find("languages") != std::string::npos);
  // A grammar folder without messages.xml speaks with the built-in words.
  auto files = grammar::embedded_grammars();
  files.erase("messages.xml");
  std::string error;
  auto g = load(files, &error);
  REQUIRE_MESSAGE(g, error);
  CHECK(g->messages.has_language("zh"));
}

TEST_CASE("grammar.triage.traditional_forms_are_icus") {
  // The triage words are searched in pages before normalisation, so the grammar lists their traditional forms;
  // they must be ICU's Simplified-Traditional forms of the words, every one of them (a word added without its
  // form fails here).
  std::string error;
  auto g = load(grammar::embedded_grammars(), &error);
  REQUIRE_MESSAGE(g, error);
  const std::vector<std::string>& words = g->common.triage.words;
  REQUIRE(words.size() > 10);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> to_traditional(
      icu::Transliterator::createInstance("Simplified-Traditional", UTRANS_FORWARD, status));
  REQUIRE(U_SUCCESS(status));
  size_t simplified = 0;
  for (const std::string& w : words) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
    icu::UnicodeString t = u;
    to_traditional->transliterate(t);
    if (t != u) ++simplified;
    std::string traditional;
    t.toUTF8String(traditional);
    CHECK_MESSAGE(std::find(words.begin(), words.end(), traditional) != words.end(), w << " lacks " << traditional);
  }
  CHECK(simplified > 10);
  // And the `traditional` attribute lists those forms and nothing else (a stray word would widen the triage).
  const std::string common = grammar::embedded_grammars().at("common.xml");
  const size_t triage = common.find("<triage ");
  REQUIRE(triage != std::string::npos);
  const size_t attribute = common.find("traditional=\"", triage) + 13;
  const size_t close = common.find('"', attribute);
  const size_t text = common.find('>', close) + 1;
  const size_t end = common.find("</triage>", text);
  REQUIRE((attribute > 13 && close != std::string::npos && end != std::string::npos));
  auto split = [](const std::string& all) {
    std::vector<std::string> out;
    for (size_t pos = 0; pos < all.size();) {
      size_t next = all.find_first_of(" \n\t", pos);
      if (next == std::string::npos) next = all.size();
      if (next > pos) out.push_back(all.substr(pos, next - pos));
      pos = next + 1;
    }
    return out;
  };
  std::vector<std::string> expected;
  for (const std::string& w : split(common.substr(text, end - text))) {
    icu::UnicodeString t = icu::UnicodeString::fromUTF8(w);
    to_traditional->transliterate(t);
    std::string traditional;
    t.toUTF8String(traditional);
    if (traditional != w) expected.push_back(traditional);
  }
  CHECK(split(common.substr(attribute, close - attribute)) == expected);
}

TEST_CASE("grammar.traditional_markers_need_the_table") {
  auto files = grammar::embedded_grammars();
  std::string& common = files.at("common.xml");
  const size_t begin = common.find("<traditional-simplified>");
  const size_t end = common.find("</traditional-simplified>");
  REQUIRE((begin != std::string::npos && end != std::string::npos));
  common.erase(begin, end + std::string("</traditional-simplified>").size() - begin);
  std::string error;
  CHECK_FALSE(load(files, &error));
  CHECK(error.find("traditional-simplified") != std::string::npos);
}

// No grammar pattern backtracks without bound on the text real pages hold: long runs of spaces (pdftotext -layout
// pads its lines), cell bars, rules, digits, Han characters, marks. A search that gives up at the bound reads as no
// match, silently: a blanking pattern that gave up once left the rest of the page unblanked, and cost seconds.
TEST_CASE("grammar.patterns_backtrack_within_bounds") {
  std::string error;
  auto set = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
  REQUIRE_MESSAGE(set, error);
  REQUIRE(set->patterns.size() > 50);
  auto repeat = [](std::string_view piece, size_t bytes) {
    std::string out;
    while (out.size() < bytes) out += piece;
    return out;
  };
  std::vector<std::string> subjects;
  for (std::string_view piece : {" ", "  |", "| ", "|  ", "|---", "-", "0", "0 ", "12 ", "\t", "一", "年", "、", "(", "（",
                                 "[", "0|", "数据1 ", "第1", "。", "一、", "1."})
    subjects.push_back(repeat(piece, 3000));
  // Lines of spaces between lines of text, as a layout conversion writes them.
  subjects.push_back(repeat(std::string(400, ' ') + "\n" + "| 类别 | 数据1 | 总计 |\n", 6000));
  subjects.push_back(repeat(std::string(300, ' ') + "0\n", 6000));
  for (const grammar::PatternSource& source : set->patterns) {
    std::optional<Regex> regex = Regex::compile(source.pattern, &error, source.anchored);
    REQUIRE_MESSAGE(regex, source.where);
    const size_t hits_before = Regex::limit_hits();
    for (const std::string& subject : subjects) {
      if (source.anchored) {
        Regex::Match m;
        for (size_t at = 0; at < subject.size(); at += 61) (void)regex->search(subject, utf8::start_of(subject, at), m);
      } else {
        (void)regex->find_all(subject);
      }
      if (Regex::limit_hits() != hits_before) {
        FAIL_CHECK(source.where << " gives up on " << subject.substr(0, 12) << "…: " << source.pattern);
        break;
      }
    }
  }
}
