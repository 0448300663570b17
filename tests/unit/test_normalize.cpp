#include <doctest/doctest.h>

#include <unicode/translit.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>

#include "grammar/grammar.hpp"
#include "normalize/normalizer.hpp"
#include "normalize/tokenizer.hpp"
#include "util/utf8.hpp"

using namespace xxgk;

namespace {

const grammar::GrammarSet& grammars() {
  static auto g = [] {
    std::string error;
    auto set = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
    REQUIRE_MESSAGE(set, error);
    return set;
  }();
  return *g;
}

std::string match_form(const std::string& s) { return grammars().normalizer().normalize(s).match.text; }

}  // namespace

TEST_CASE("normalize.match_form.unifies") {
  CHECK(match_form("第二十条第（一）项") == "第二十条第(一)项");
  CHECK(match_form("本年收费金额（单位：万元）") == "本年收费金额(单位:万元)");
  CHECK(match_form("国办函〔2020〕109号") == "国办函[2020]109号");
  CHECK(match_form("【字体】") == "[字体]");
  CHECK(match_form("危及“三安全一稳定”") == "危及\"三安全一稳定\"");
  CHECK(match_form("１２３　ＡＢＣ") == "123 ABC");
  CHECK(match_form("a\u00A0b") == "a b");
  CHECK(match_form("——") == "--");
  CHECK(match_form("①属于") == "(1)属于");
  CHECK(match_form("a\r\nb") == "a\nb");
  CHECK(match_form("零\u200B宽") == "零宽");
}

TEST_CASE("normalize.match_form.maps_back_to_source") {
  std::string source = "（一）主动公开";
  auto out = grammars().normalizer().normalize(source);
  REQUIRE(out.match.text == "(一)主动公开");
  CHECK(out.match.parent.size() == out.match.text.size() + 1);
  CHECK(out.match.to_parent(0) == 0);                   // "(" came from "（" at byte 0
  CHECK(out.match.to_parent(1) == 3);                   // "一" at byte 3
  CHECK(out.match.to_parent(out.match.text.size()) == source.size());
  CHECK(out.match.from_parent(3) == 1);
}

TEST_CASE("normalize.traditional_pages_are_converted") {
  std::string traditional = "本年度報告由國家機關事務管理局根據《中華人民共和國政府信息公開條例》編制。一、總體情況。收到和處理政府信息公開申請情況";
  auto out = grammars().normalizer().normalize(traditional);
  CHECK(out.traditional);
  CHECK(out.match.text.find("国家机关事务管理局") != std::string::npos);
  CHECK(out.match.text.find("收到和处理政府信息公开申请情况") != std::string::npos);
  // Simplified text is left alone even with a stray traditional character.
  auto simple = grammars().normalizer().normalize("收到和处理政府信息公开申请情况，於");
  CHECK_FALSE(simple.traditional);
}

TEST_CASE("normalize.traditional_table_is_icus") {
  // The grammar's table (common.xml <traditional-simplified>) is ICU's Traditional-Simplified given one Han
  // character at a time: every character ICU changes to one other character is in it, with ICU's form, and
  // nothing else is (a character ICU can change lies in its source set).
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> to_simplified(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  REQUIRE(U_SUCCESS(status));
  icu::UnicodeSet source;
  to_simplified->getSourceSet(source);
  std::map<char32_t, char32_t> icu;
  for (int32_t r = 0; r < source.getRangeCount(); ++r)
    for (UChar32 c = source.getRangeStart(r); c <= source.getRangeEnd(r); ++c) {
      if (!utf8::is_han(static_cast<char32_t>(c))) continue;
      icu::UnicodeString s(c);
      to_simplified->transliterate(s);
      const UChar32 mapped = s.char32At(0);
      if (s.length() == U16_LENGTH(mapped) && mapped != c) icu[static_cast<char32_t>(c)] = static_cast<char32_t>(mapped);
    }
  const auto& table = grammars().common.normalizer.traditional_to_simplified;
  CHECK(icu.size() > 2000);
  CHECK(table.size() == icu.size());
  size_t differ = 0;
  for (const auto& [traditional, simplified] : table) {
    auto it = icu.find(traditional);
    differ += it == icu.end() || it->second != simplified;
  }
  CHECK(differ == 0);
}

// On a traditional page every character of the table becomes its simplified form and no other Han character changes
// (the table is looked up by code point, not searched).
TEST_CASE("normalize.traditional_pages_map_every_pair_and_nothing_else") {
  const auto& pairs = grammars().common.normalizer.traditional_to_simplified;
  REQUIRE(pairs.size() > 2000);
  // A page of the pairs' traditional characters, then Han characters no pair names, each on a line of its own.
  std::string page, want;
  for (const auto& [traditional, simplified] : pairs) {
    utf8::append(page, traditional);
    page += '\n';
    utf8::append(want, simplified);
    want += '\n';
  }
  size_t unpaired = 0;
  for (char32_t c = 0x4E00; c <= 0x9FA5; c += 61) {
    if (std::binary_search(pairs.begin(), pairs.end(), std::pair<char32_t, char32_t>{c, 0},
                           [](const auto& a, const auto& b) { return a.first < b.first; }))
      continue;
    std::string one;
    utf8::append(one, c);
    page += one + '\n';
    want += grammars().normalizer().normalize_label(one) + '\n';
    ++unpaired;
  }
  CHECK(unpaired > 200);
  const auto out = grammars().normalizer().normalize(page);
  REQUIRE(out.traditional);
  CHECK(out.match.text == want);
}

TEST_CASE("normalize.pinyin_glosses_are_stripped") {
  std::string spam = "國家機(jī)關(guān)事務(wù)管理局根據(jù)條例,推進(jìn)公開";
  auto out = grammars().normalizer().normalize(spam);
  CHECK(out.glosses_removed == 5);
  CHECK(out.match.text.find("(j") == std::string::npos);
  CHECK(out.match.text.find("機關事務管理局") != std::string::npos);
  // A single parenthesised word is not a gloss page.
  CHECK(grammars().normalizer().normalize("公开(gongkai)").glosses_removed == 0);
}

TEST_CASE("normalize.compact_drops_layout_and_quotes") {
  auto out = grammars().normalizer().normalize("社会公益 组织\n| 3.危及“三安全 一稳定” |");
  MappedText compact = Normalizer::compact(out.match);
  CHECK(compact.text == "社会公益组织3.危及三安全一稳定");
  CHECK(compact.parent.size() == compact.text.size() + 1);
  CHECK(out.match.text.substr(compact.to_parent(12), 3) == "组");
}

TEST_CASE("normalize.furniture_lines_are_blanked") {
  MappedText m = grammars().normalizer().normalize("行政事业性收费 0\n— 4 —\n|---|---|\n第二十条").match;
  REQUIRE(grammars().common.furniture);
  CHECK(Normalizer::blank_lines(m, *grammars().common.furniture) == 2);
  CHECK(m.text.find('4') == std::string::npos);
  CHECK(m.text.find("---") == std::string::npos);
  CHECK(m.text.find("第二十条") != std::string::npos);
}

TEST_CASE("normalize.running_headers_and_footers_of_pages_are_blanked") {
  // Three pages as pdftotext writes a browser's print: a dated header and a footer with the page, on every page.
  std::string pages;
  for (int page = 1; page <= 3; ++page) {
    if (page > 1) pages += "\f";
    pages += "12/7/26, 6:14 AM  某县2021年度政府信息公开工作年度报告\n";
    pages += page == 2 ? "0  0  0  0  0  0  0\n（一）予以公开  3  0  0  0  0  0  3\n0  0  0  0  0  0  0\n"
                       : std::string(page == 1 ? "一、总体情况" : "六、其他需要报告的事项") + "\n0  0  0  0  0  0  0\n";
    pages += "file:///tmp/report.html  " + std::to_string(page) + "/3\n";
  }
  MappedText m = grammars().normalizer().normalize(pages).match;
  CHECK(Normalizer::blank_running_lines(m) == 6);
  CHECK(m.text.find("AM") == std::string::npos);
  CHECK(m.text.find("file") == std::string::npos);
  // A row of values at the edge of every page is no furniture, nor is a line that comes back on one page only.
  CHECK(m.text.find("0  0  0  0  0  0  0") != std::string::npos);
  CHECK(m.text.find("予以公开") != std::string::npos);
  // Without page breaks, nothing is a running line.
  MappedText one = grammars().normalizer().normalize("页眉\n正文\n页眉\n").match;
  CHECK(Normalizer::blank_running_lines(one) == 0);
}

TEST_CASE("normalize.tokenizer.kinds") {
  const auto& vocabulary = grammars().common.vocabulary;
  std::string text = "1.属于国家秘密 0 | 无 | 251000元 1,295 -3 / 4166.241619 (一)予以公开 一、本年";
  auto tokens = tokenize(text, 0, text.size(), vocabulary);
  std::vector<std::string> kinds, words;
  for (const Token& t : tokens) {
    if (t.is_separator()) continue;
    kinds.push_back(to_string(t.kind));
    words.push_back(text.substr(t.begin, t.end - t.begin));
  }
  std::vector<std::string> expected_words = {"1.", "属于国家秘密", "0", "无", "251000元", "1,295", "-3", "/",
                                             "4166.241619", "(一)", "予以公开", "一、", "本年"};
  std::vector<std::string> expected_kinds = {"ordinal", "text", "number", "placeholder", "number", "number", "number",
                                             "placeholder", "number", "ordinal", "text", "ordinal", "text"};
  CHECK(words == expected_words);
  CHECK(kinds == expected_kinds);
  auto number = [&](const std::string& s) {
    auto t = tokenize(s, 0, s.size(), vocabulary);
    REQUIRE(!t.empty());
    return t.front();
  };
  CHECK(number("251000元").digits_end == 6);
  CHECK(number("4166.24").decimal);
  CHECK(number("1,295").grouped);
  CHECK(number("-3").negative);
  // Digits glued to the next ordinal stay one number: the table reader splits them.
  const std::string glued = "00000002.其他", word = "无法提供";
  CHECK(tokenize(glued, 0, glued.size(), vocabulary).front().kind == TokenKind::number);
  // 无 inside a word is text, not a placeholder.
  CHECK(tokenize(word, 0, word.size(), vocabulary).front().kind == TokenKind::text);
}

// The one-pass normalize (it maps as for a simplified page while counting, and maps again only a traditional or
// glossed page; ASCII copied a run at a time) against the rule written plainly: count, decide, then map each code
// point on its own — on random texts of the pieces where the fast paths branch.
TEST_CASE("normalize.fast_paths_equal_the_plain_rule") {
  NormalizerConfig config;
  config.traditional_markers = U"國機關";
  config.traditional_min_count = 2;
  config.traditional_min_share = 0.3;
  config.gloss_min_count = 2;
  config.traditional_to_simplified = {{U'國', U'国'}, {U'機', U'机'}, {U'關', U'关'}};
  const Normalizer normalizer(config);

  auto gloss_at = [](const std::string& s, size_t pos, bool& tone) -> size_t {
    static const std::u32string kTone = U"āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";
    size_t p = pos;
    const char32_t open = utf8::next(s, p);
    if (open != U'(' && open != U'（') return 0;
    size_t letters = 0;
    tone = false;
    while (p < s.size()) {
      size_t q = p;
      const char32_t c = utf8::next(s, q);
      if (c == U')' || c == U'）') return letters >= 1 && letters <= 7 ? q - pos : 0;
      const bool toned = kTone.find(c) != std::u32string::npos;
      if (!((c >= U'a' && c <= U'z') || c == U'ü' || c == U'ê' || toned)) return 0;
      tone |= toned;
      ++letters;
      p = q;
    }
    return 0;
  };
  auto plain = [&](const std::string& s) {
    size_t han = 0, markers = 0, glosses = 0;
    bool previous_han = false;
    for (size_t pos = 0; pos < s.size();) {
      const size_t at = pos;
      const char32_t c = utf8::next(s, pos);
      if (utf8::is_han(c)) {
        ++han;
        markers += config.traditional_markers.find(c) != std::u32string::npos;
      } else if (previous_han && (c == U'(' || c == U'（')) {
        bool tone = false;
        glosses += gloss_at(s, at, tone) && tone;
      }
      previous_han = utf8::is_han(c);
    }
    Normalizer::Output out;
    out.traditional = markers >= config.traditional_min_count &&
                      static_cast<double>(markers) >= config.traditional_min_share * static_cast<double>(han);
    const bool strip = glosses >= config.gloss_min_count;
    previous_han = false;
    for (size_t pos = 0; pos < s.size();) {
      bool tone = false;
      if (strip && previous_han)
        if (const size_t skip = gloss_at(s, pos, tone)) {
          pos += skip;
          ++out.glosses_removed;
          continue;
        }
      const size_t at = pos;
      char32_t c = utf8::next(s, pos);
      previous_han = utf8::is_han(c);
      if (out.traditional && previous_han)
        for (const auto& [traditional, simplified] : config.traditional_to_simplified)
          if (c == traditional) c = simplified;
      std::string one;
      utf8::append(one, c);
      const std::string mapped = normalizer.normalize_label(one);
      out.match.text += mapped;
      out.match.parent.insert(out.match.parent.end(), mapped.size(), static_cast<uint32_t>(at));
    }
    out.match.parent.push_back(static_cast<uint32_t>(s.size()));
    return out;
  };

  const std::vector<std::string> pieces = {"國", "機", "關", "公", "开", "政", "a", "Z", "1", " ", "\n", "\r", "|",
                                           "(", ")", "（", "）", "jī", "guān", "wù", "gongkai", "ü", "ǎ", "㈠", "１",
                                           "，", "。", "(jī)", "（guān）", "(ab)", "(abcdefgh)", "\u00A0", "〔"};
  uint64_t state = 0x9E3779B97F4A7C15u;
  auto random = [&](size_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<size_t>(state % n);
  };
  size_t traditional = 0, glossed = 0, differ = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string s;
    for (size_t n = random(40); n > 0; --n) s += pieces[random(pieces.size())];
    const Normalizer::Output fast = normalizer.normalize(s);
    const Normalizer::Output expected = plain(s);
    traditional += expected.traditional;
    glossed += expected.glosses_removed > 0;
    if (fast.match.text != expected.match.text || fast.match.parent != expected.match.parent ||
        fast.traditional != expected.traditional || fast.glosses_removed != expected.glosses_removed) {
      if (++differ <= 3) MESSAGE("differs on: " << s);
    }
  }
  CHECK(differ == 0);
  // The random texts reach both second passes.
  CHECK(traditional > 100);
  CHECK(glossed > 50);
}
