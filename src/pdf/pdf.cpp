#include "pdf/pdf.hpp"

#include <unicode/ucnv.h>

#include <memory>

#include "pdf/assemble.hpp"
#include "util/utf8.hpp"

namespace xxgk::pdf {
namespace {

// A page covered this much by images and without text is a scan.
constexpr double kScannedShare = 0.5;
// Pages with fewer characters say too little to judge their fonts.
constexpr size_t kMinJudgedChars = 40;

std::string page_list(const std::vector<uint32_t>& pages) {
  std::string out;
  for (size_t i = 0; i < pages.size() && i < 10; ++i) out += (i ? ", " : "") + std::to_string(pages[i]);
  if (pages.size() > 10) out += ", …";
  return out;
}

// Whether a Chinese character is in GB2312 (the 6,763 characters of everyday text).
class Gb2312 {
 public:
  Gb2312() {
    UErrorCode status = U_ZERO_ERROR;
    converter_.reset(ucnv_open("GB2312", &status));
    if (U_FAILURE(status)) converter_.reset();
    else ucnv_setFromUCallBack(converter_.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  bool has(char32_t c) {
    if (!converter_ || c > 0xFFFF) return false;
    UChar unit = static_cast<UChar>(c);
    char bytes[8];
    UErrorCode status = U_ZERO_ERROR;
    ucnv_reset(converter_.get());
    ucnv_fromUChars(converter_.get(), bytes, sizeof bytes, &unit, 1, &status);
    return U_SUCCESS(status);
  }

 private:
  struct Close {
    void operator()(UConverter* c) const { ucnv_close(c); }
  };
  std::unique_ptr<UConverter, Close> converter_;
};

}  // namespace

Problem judge_text(const RawDocument& document) {
  std::vector<uint32_t> scanned, garbled;
  size_t characters = 0;
  Gb2312 gb2312;
  for (size_t p = 0; p < document.pages.size(); ++p) {
    const RawPage& page = document.pages[p];
    size_t chars = 0, text = 0, bad = 0, han = 0, han_common = 0;
    for (const Word& w : page.words) {
      if (!utf8::valid(w.text)) {
        bad += w.text.size();
        continue;
      }
      // A word of one character is a list bullet or a symbol (symbol fonts draw from the private-use area): it is
      // text, but says nothing about the fonts.
      if (utf8::length(w.text) < 2) {
        ++text;
        continue;
      }
      for (size_t pos = 0; pos < w.text.size();) {
        const char32_t c = utf8::next(w.text, pos);
        if (c == U' ') continue;
        ++chars;
        if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000 || c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFD) ++bad;
        else if (utf8::is_han(c) && han < 4000) {  // PERF: a sample of each page is enough
          ++han;
          han_common += gb2312.has(c);
        }
      }
    }
    characters += chars + text;
    const double area = static_cast<double>(page.width) * page.height;
    if (chars + text == 0 && area > 0 && page.image_area >= kScannedShare * area) scanned.push_back(static_cast<uint32_t>(p + 1));
    if (chars >= kMinJudgedChars &&
        (bad * 10 > chars || (han >= kMinJudgedChars && han_common * 10 < han * 8)))
      garbled.push_back(static_cast<uint32_t>(p + 1));
  }
  if (characters == 0) return {"no-text-layer", {"input.no-text-layer", {{"pages", document.pages.size()}}}};
  if (!scanned.empty())
    return {"no-text-layer", {"input.pages-without-text", {{"pages", page_list(scanned)}, {"count", scanned.size()}}}};
  if (!garbled.empty())
    return {"no-unicode-map", {"input.pdf-no-unicode-map", {{"pages", page_list(garbled)}, {"count", garbled.size()}}}};
  return {};
}

std::variant<RenderedDocument, Problem> read(std::string_view bytes, const grammar::GrammarSet& grammars, const Limits& limits) {
  auto extracted = extract(bytes, limits);
  if (auto* problem = std::get_if<Problem>(&extracted)) return std::move(*problem);
  const RawDocument& document = std::get<RawDocument>(extracted);
  if (Problem p = judge_text(document); !p.code.empty()) return p;
  RenderedDocument out = assemble(document, grammars);
  if (document.repaired) out.note = Phrase{"note.pdf.repaired", {}};
  return out;
}

}  // namespace xxgk::pdf
