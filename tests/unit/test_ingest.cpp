#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unicode/ucnv.h>

#include <string>
#include <variant>

#include "ingest/ingest.hpp"
#include "support.hpp"

using namespace xxgk;

namespace {


ingest::Decoded ok(const ingest::Outcome& o) {
  REQUIRE(std::holds_alternative<ingest::Decoded>(o));
  return std::get<ingest::Decoded>(o);
}

const std::string kReport =
    "石柱土家族自治县西沱镇人民政府2025年政府信息公开工作年度报告\n一、总体情况\n2025年，西沱镇坚持以习近平新时代中国特色社会主义思想为指导，"
    "全面贯彻党的二十大精神。朱镕基同志曾强调政务公开。二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年制发件数\n";

}  // namespace

TEST_CASE("ingest.decode.utf8_stays") {
  auto d = ok(ingest::decode(kReport, "", 1 << 20));
  CHECK(d.encoding == "UTF-8");
  CHECK(d.encoding_source == "valid-utf8");
  CHECK(d.text == kReport);
}

TEST_CASE("ingest.decode.bom") {
  auto d = ok(ingest::decode("\xEF\xBB\xBF" + kReport, "", 1 << 20));
  CHECK(d.encoding_source == "bom");
  CHECK(d.text == kReport);
  std::string utf16 = xxgk::test::encode(kReport, "UTF-16LE");
  auto u = ok(ingest::decode("\xFF\xFE" + utf16, "", 1 << 20));
  CHECK(u.encoding == "UTF-16LE");
  CHECK(u.text == kReport);
}

TEST_CASE("ingest.decode.gb18030_undeclared") {
  std::string gb = xxgk::test::encode(kReport, "GB18030");
  auto d = ok(ingest::decode(gb, "", 1 << 20));
  CHECK(d.encoding == "GB18030");
  CHECK(d.text == kReport);
}

TEST_CASE("ingest.decode.gb2312_label_decodes_gbk_characters") {
  // 镕 is not in GB2312: a strict GB2312 converter loses it; every GB label decodes as GB18030.
  std::string gb = xxgk::test::encode(kReport, "GB18030");
  for (const char* label : {"gb2312", "GBK", "gb18030", "cp936"}) {
    CAPTURE(label);
    auto d = ok(ingest::decode(gb, label, 1 << 20));
    CHECK(d.encoding == "GB18030");
    CHECK(d.encoding_source == "declared");
    CHECK(d.text.find("朱镕基") != std::string::npos);
  }
}

TEST_CASE("ingest.decode.wrong_declaration_falls_back") {
  std::string gb = xxgk::test::encode(kReport, "GB18030");
  auto d = ok(ingest::decode(gb, "Shift_JIS", 1 << 20));
  CHECK(d.encoding == "GB18030");
  CHECK(d.encoding_source != "declared");
  CHECK(test::english(d.note).find("Shift_JIS") != std::string::npos);
  CHECK(d.text == kReport);
}

TEST_CASE("ingest.decode.errors") {
  CHECK(std::get<ingest::Error>(ingest::decode("", "", 100)).code == "empty");
  CHECK(std::get<ingest::Error>(ingest::decode(std::string(200, 'a'), "", 100)).code == "too-large");
  {
    // Above 1 GiB whatever the caller allows (offsets are 32-bit): a mapping that is never touched stands for it.
    const size_t size = ingest::kMaxDocumentBytes + 1;
    void* huge = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    REQUIRE(huge != MAP_FAILED);
    const auto o = ingest::decode(std::string_view(static_cast<const char*>(huge), size), "", UINT64_MAX);
    munmap(huge, size);
    REQUIRE(std::holds_alternative<ingest::Error>(o));
    CHECK(std::get<ingest::Error>(o).code == "too-large");
  }
  CHECK(std::get<ingest::Error>(ingest::decode(std::string("abc\0def", 7), "", 100)).code == "not-text");
  std::string binary;
  for (int i = 0; i < 300; ++i) binary.push_back(static_cast<char>(i % 32 == 10 ? 1 : (i * 37) % 256 | 1));
  auto o = ingest::decode(binary, "", 1 << 20);
  REQUIRE(std::holds_alternative<ingest::Error>(o));
  CHECK_FALSE(std::get<ingest::Error>(o).message.empty());
}

TEST_CASE("ingest.decode.control_character_share") {
  // Binary when more than about 1 % of the first 64 KB are control characters: 01-1F but for tab, line feed, form
  // feed, carriage return and ESC, which do not count however many there are.
  const std::string counted = "\x01\x02\x03\x04\x05\x06\x07\x08\x0B\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18"
                              "\x19\x1A\x1C\x1D\x1E\x1F";
  const std::string allowed = "\t\n\f\r\x1B";
  auto page = [&](size_t controls) {  // 20,000 bytes: the controls, 2,000 allowed bytes, the rest letters
    std::string text(20000, 'a');
    for (size_t i = 0; i < 2000; ++i) text[1000 + 3 * i] = allowed[i % allowed.size()];
    for (size_t i = 0; i < controls; ++i) text[9000 + i] = counted[i % counted.size()];
    return text;
  };
  // controls * 100 > 20,000 + 100: 202 controls are binary, 201 are not.
  CHECK(std::holds_alternative<ingest::Decoded>(ingest::decode(page(201), "", 1 << 20)));
  const auto binary = ingest::decode(page(202), "", 1 << 20);
  REQUIRE(std::holds_alternative<ingest::Error>(binary));
  CHECK(std::get<ingest::Error>(binary).code == "not-text");
  // A long run of them counts whole (more than a byte-wide count holds).
  std::string run(30000, 'a');
  for (size_t i = 0; i < 400; ++i) run[5000 + i] = '\x01';
  CHECK(std::holds_alternative<ingest::Error>(ingest::decode(run, "", 1 << 20)));
  // Only the first 64 KB are looked at.
  std::string long_text(80000, 'a');
  for (size_t i = 0; i < 5000; ++i) long_text[65536 + i] = '\x01';
  CHECK(std::holds_alternative<ingest::Decoded>(ingest::decode(long_text, "", 1 << 20)));
}

TEST_CASE("ingest.canonical_charset") {
  CHECK(ingest::canonical_charset("GB2312") == "GB18030");
  CHECK(ingest::canonical_charset("x-gbk") == "GB18030");
  CHECK(ingest::canonical_charset("utf8") == "UTF-8");
  CHECK(ingest::canonical_charset("no-such-charset").empty());
}

TEST_CASE("ingest.decode.utf16_without_bom") {
  // Text with digits and line breaks: their NUL high bytes give the byte order away.
  const std::string text = kReport + "本年新收政府信息公开申请数量 12\n上年结转 3\n总计 15\n";
  for (const char* charset : {"UTF-16LE", "UTF-16BE"}) {
    auto d = ok(ingest::decode(xxgk::test::encode(text, charset), "", 1 << 20));
    CHECK(d.encoding == charset);
    CHECK(d.encoding_source == "detected");
    CHECK(d.text == text);
  }
  // Binary data with NUL bytes on both sides is still not text.
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7) % 5 == 0 ? 0 : i % 251));
  auto b = ingest::decode(binary, "", 1 << 20);
  REQUIRE(std::holds_alternative<ingest::Error>(b));
  CHECK(std::get<ingest::Error>(b).code == "not-text");
}

TEST_CASE("ingest.decode.cut_inside_the_last_character") {
  // A download cut off in the middle of the last character is UTF-8 all the same.
  const std::string cut = kReport + "申请";
  auto d = ok(ingest::decode(cut.substr(0, cut.size() - 2), "", 1 << 20));
  CHECK(d.encoding == "UTF-8");
  CHECK(d.text == kReport + "申");
  CHECK(test::english(d.note).find("ends inside a UTF-8 character") != std::string::npos);
  // Damage anywhere else is not repaired that way.
  auto damaged = ingest::decode(kReport.substr(0, 20) + "\xE4" + kReport.substr(20), "", 1 << 20);
  if (auto* other = std::get_if<ingest::Decoded>(&damaged)) CHECK(other->encoding != "UTF-8");
}

TEST_CASE("ingest.decode.labels_from_outside_are_shown_as_utf8") {
  // A <meta> label of GBK bytes once went into the note as it was, and the JSON writer threw (fuzz_check).
  const auto d = ok(ingest::decode("<meta charset=\"\xB1\xA8\"><p>\xB1\xA8\xB8\xE6</p>", "", 1 << 20));
  CHECK(test::english(d.note).find("\\xB1\\xA8") != std::string::npos);
  const auto declared = ok(ingest::decode("\xB1\xA8\xB8\xE6", "gb\xFF", 1 << 20));
  CHECK(test::english(declared.note).find("gb\\xFF") != std::string::npos);
}
