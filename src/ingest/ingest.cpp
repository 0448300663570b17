#include "ingest/ingest.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <vector>

#include "ingest/sniff.hpp"
#include "xxgk/xxgk.hpp"  // known_charset: its exported declaration
#include "util/utf8.hpp"

namespace xxgk::ingest {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Decodes strictly: any illegal or unmappable sequence makes the whole decode fail.
std::optional<std::string> convert_strict(std::string_view bytes, const std::string& charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open(charset.c_str(), &status), ucnv_close);
  if (U_FAILURE(status)) return std::nullopt;
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return std::nullopt;
  std::vector<UChar> utf16(bytes.size() + 16);
  int32_t length = ucnv_toUChars(converter.get(), utf16.data(), static_cast<int32_t>(utf16.size()), bytes.data(),
                                 static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) return std::nullopt;
  std::string out;
  out.resize(static_cast<size_t>(length) * 3 + 4);
  int32_t out_length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length, utf16.data(), length, &status);
  if (U_FAILURE(status)) return std::nullopt;
  out.resize(static_cast<size_t>(out_length));
  return out;
}

// ICU charset detection on a prefix. PERF: ~1 ms per 8 KB, so it runs only when nothing cheaper decided.
std::string detect(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status), ucsdet_close);
  if (U_FAILURE(status)) return {};
  auto sample = bytes.substr(0, std::min<size_t>(bytes.size(), 8192));
  ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  const UCharsetMatch* match = ucsdet_detect(detector.get(), &status);
  if (U_FAILURE(status) || !match) return {};
  const char* name = ucsdet_getName(match, &status);
  return U_SUCCESS(status) && name ? std::string(name) : std::string();
}

bool looks_binary(std::string_view bytes) {
  if (bytes.find('\0') != std::string_view::npos) return true;
  // A control character: 01–1F but for the blanks, line breaks and ESC (NUL is memchr's, above).
  // PERF: byte-wide sums the compiler turns into vector instructions, sixteen bytes at a time (a table lookup per
  // byte cost eight instructions a byte); the five allowed bytes are subtracted one by one, as comparisons joined
  // by | become a bit test on a 64-bit mask, which does not vectorize.
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t controls = 0;
  for (size_t at = 0; at < bytes.size();) {
    const size_t length = std::min<size_t>(bytes.size() - at, 255);  // a byte-wide sum holds 255
    uint8_t block = 0;
    for (size_t k = 0; k < length; ++k) {
      const uint8_t b = p[at + k];
      block = static_cast<uint8_t>(block + (static_cast<uint8_t>(b - 1) < 0x1F) - (b == '\t') - (b == '\n') -
                                   (b == '\f') - (b == '\r') - (b == 0x1B));
    }
    controls += block;
    at += length;
  }
  return controls * 100 > bytes.size() + 100;  // more than ~1 % control characters
}

// Bytes at the end that begin a UTF-8 sequence without completing it (0 when there are none).
size_t incomplete_utf8_tail(std::string_view bytes) {
  for (size_t k = 1; k <= 3 && k <= bytes.size(); ++k) {
    const auto lead = static_cast<unsigned char>(bytes[bytes.size() - k]);
    if ((lead & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

// "UTF-16LE" or "UTF-16BE" when the NUL bytes of a text of even length stand mostly on one side of its pairs
// and there are enough of them to be the high bytes of ASCII characters (digits, line breaks).
std::optional<std::string> utf16_without_bom(std::string_view bytes) {
  if (bytes.size() < 16 || bytes.size() % 2) return std::nullopt;
  if (bytes.find('\0') == std::string_view::npos) return std::nullopt;  // PERF: the common case, by memchr
  size_t even = 0, odd = 0;
  for (size_t i = 0; i < bytes.size(); ++i)
    if (bytes[i] == '\0') ++(i % 2 ? odd : even);
  const size_t pairs = bytes.size() / 2;
  // A Han character can have a NUL byte too (U+4E00), so one side must merely dominate.
  if (odd > 3 * even && odd * 50 >= pairs) return std::string("UTF-16LE");
  if (even > 3 * odd && even * 50 >= pairs) return std::string("UTF-16BE");
  return std::nullopt;
}

}  // namespace

std::string canonical_charset(std::string_view label) {
  std::string l = lower(label);
  l.erase(std::remove_if(l.begin(), l.end(), [](char c) { return c == '"' || c == '\'' || c == ' '; }), l.end());
  if (l.empty()) return {};
  static const char* const kGb[] = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "euc-cn",
                                    "csgb2312", "gb_2312-80", "ms936", "x-euc-cn", "chinese", "iso-ir-58"};
  for (const char* gb : kGb)
    if (l == gb) return "GB18030";
  if (l == "utf8" || l == "utf-8") return "UTF-8";
  if (l == "big5" || l == "big5-hkscs" || l == "x-x-big5" || l == "cn-big5") return "Big5";
  if (l == "utf-16le" || l == "utf-16be" || l == "utf-32le" || l == "utf-32be") {
    std::string upper = l;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper;
  }
  // Any other label ICU knows is kept as written (ICU opens converters by alias).
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(std::string(label).c_str(), &status);
  if (U_FAILURE(status)) return {};
  ucnv_close(converter);
  return std::string(label);
}

}  // namespace xxgk::ingest

namespace xxgk {
bool known_charset(std::string_view label) { return !ingest::canonical_charset(label).empty(); }
}  // namespace xxgk

namespace xxgk::ingest {

Outcome decode(std::string_view bytes, std::string_view declared_label, uint64_t max_bytes) {
  if (bytes.empty()) return Error{"empty", {"input.empty", {}}};
  max_bytes = std::min(max_bytes, kMaxDocumentBytes);
  if (bytes.size() > max_bytes)
    return Error{"too-large", {"input.too-large", {{"bytes", bytes.size()}, {"limit", max_bytes}}}};

  // 0. An old binary Word file cannot be read; say how to make one that can (a .docx or PDF is read).
  if (sniff_container(bytes) == Container::ole2) return Error{"word-binary", {"input.word-binary", {}}};

  // 1. Byte order marks.
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    auto rest = bytes.substr(3);
    if (!utf8::valid(rest)) return Error{"undecodable", {"input.bad-utf8-bom", {}}};
    return Decoded{std::string(rest), "UTF-8", "bom", {}, looks_like_html(rest)};
  }
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
    std::string charset = bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    if (auto text = convert_strict(bytes.substr(2), charset)) {
      bool html = looks_like_html(*text);
      return Decoded{std::move(*text), charset, "bom", {}, html};
    }
    return Error{"undecodable", {"input.bad-utf16-bom", {{"charset", charset}}}};
  }

  // 2a. UTF-16 without a byte order mark: the NUL high bytes of its ASCII characters (digits, line breaks)
  // all stand on one side of the code unit pairs.
  if (auto utf16 = utf16_without_bom(bytes)) {
    auto text = convert_strict(bytes, *utf16);
    if (text && !looks_binary(std::string_view(*text).substr(0, std::min<size_t>(text->size(), 1 << 16))) &&
        text->find('\0') == std::string::npos) {
      bool html = looks_like_html(*text);
      return Decoded{std::move(*text), *utf16, "detected", {"note.utf16-without-bom", {}}, html};
    }
  }

  // 2. Binary content is not a report.
  if (looks_binary(bytes.substr(0, std::min<size_t>(bytes.size(), 1 << 16))) ||
      bytes.find('\0') != std::string_view::npos)
    return Error{"not-text", {"input.not-text", {}}};

  const bool html = looks_like_html(bytes);
  // Labels come from outside (an HTTP header, the page's bytes) and go into notes: no charset name is anything but
  // ASCII, so bytes that are not UTF-8 are shown escaped (a result's texts are UTF-8; fuzz_check found a <meta>
  // label of GBK bytes that made the JSON writer throw).
  const std::string declared_text = utf8::escape_invalid(declared_label);
  const std::string_view declared_charset = declared_text;
  const std::string meta_charset = html ? utf8::escape_invalid(prescan_charset(bytes)) : std::string();
  // where: "declared" or "meta"; outcome: ignored, unknown, not-utf8, unclean, too-narrow (note.* messages).
  auto declared_note = [](std::string_view label, std::string_view where, std::string_view outcome) {
    return Phrase{"note." + std::string(where) + "." + std::string(outcome), {{"label", std::string(label)}}};
  };

  // 3. Valid UTF-8 stays as it is; a declaration of another charset is stale. A download cut off inside the
  // last character is still UTF-8: the incomplete character is dropped.
  const size_t cut = incomplete_utf8_tail(bytes);
  if (utf8::valid(bytes.substr(0, bytes.size() - cut))) {
    Decoded out{std::string(bytes.substr(0, bytes.size() - cut)), "UTF-8", "valid-utf8", {}, html};
    if (cut) out.note = Phrase{"note.utf8-cut", {{"bytes", cut}}};
    for (auto [label, where] : {std::pair<std::string_view, std::string_view>{declared_charset, "declared"},
                                std::pair<std::string_view, std::string_view>{meta_charset, "meta"}}) {
      std::string charset = canonical_charset(label);
      if (!label.empty() && charset != "UTF-8" && out.note.empty())
        out.note = declared_note(label, where, "ignored");
    }
    return out;
  }

  // 4. A declared transport charset, then the page's own declaration.
  Phrase note;
  auto try_declared = [&](std::string_view label, std::string_view where, const char* source) -> std::optional<Decoded> {
    if (label.empty()) return std::nullopt;
    std::string charset = canonical_charset(label);
    if (charset.empty()) {
      if (note.empty()) note = declared_note(label, where, "unknown");
      return std::nullopt;
    }
    if (charset == "UTF-8") {
      if (note.empty()) note = declared_note(label, where, "not-utf8");
      return std::nullopt;
    }
    auto text = convert_strict(bytes, charset);
    if (!text) {
      if (note.empty()) note = declared_note(label, where, "unclean");
      return std::nullopt;
    }
    Decoded out{std::move(*text), charset, source, note, html};
    // GB2312 is declared for pages full of GBK-only characters (e.g. 旸, 喆); say so.
    std::string l(label);
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (charset == "GB18030" && l.find("2312") != std::string::npos && !convert_strict(bytes, "GB2312"))
      out.note = declared_note(label, where, "too-narrow");
    return out;
  };
  if (auto out = try_declared(declared_charset, "declared", "declared")) return std::move(*out);
  if (auto out = try_declared(meta_charset, "meta", "meta")) return std::move(*out);

  // 5. ICU detection. WHY: a detector answer of a single-byte Latin charset decodes anything into
  // mojibake, so for this corpus of Chinese pages GB18030 is tried before such an answer.
  std::string detected = bytes.size() >= 256 ? canonical_charset(detect(bytes)) : std::string();
  const bool detected_cjk = detected == "GB18030" || detected == "Big5" || detected.rfind("UTF-16", 0) == 0 ||
                            detected.rfind("UTF-32", 0) == 0 || detected == "Shift_JIS" || detected == "EUC-JP" ||
                            detected == "EUC-KR" || detected == "ISO-2022-CN";
  if (detected_cjk) {
    if (auto text = convert_strict(bytes, detected)) return Decoded{std::move(*text), detected, "detected", note, html};
  }
  if (auto text = convert_strict(bytes, "GB18030"))
    return Decoded{std::move(*text), "GB18030", detected == "GB18030" ? "detected" : "fallback", note, html};
  if (!detected.empty() && !detected_cjk && detected != "UTF-8") {
    if (auto text = convert_strict(bytes, detected)) return Decoded{std::move(*text), detected, "detected", note, html};
  }
  return Error{"undecodable", {"input.undecodable", {}}};
}

}  // namespace xxgk::ingest
