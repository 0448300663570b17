#include "pdf/extract.hpp"

#include <ErrorCodes.h>
#include <GfxState.h>
#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <TextOutputDev.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

#include "util/utf8.hpp"

namespace xxgk::pdf {
namespace {

// Lines thicker than this are shapes (a shaded cell, a logo), not a table's ruling.
constexpr double kMaxRuleThickness = 3.0;
// Shorter segments are glyph parts or underlines of single characters, not rulings.
constexpr double kMinRuleLength = 4.0;
// A page with more drawn segments than this is a drawing (a chart, a map): its rulings are not read.
constexpr size_t kMaxRulesPerPage = 5'000;

void quiet(ErrorCategory, Goffset, const char*) {}

// poppler keeps its settings in one global object; create it once, before the first document, from any thread.
void init_poppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!globalParams) globalParams = std::make_unique<GlobalParams>();
    setErrorCallback(quiet);
  });
}

// A code point from a font's Unicode map or a text string: surrogates and values beyond Unicode (broken maps)
// become U+FFFD, so that the text stays valid UTF-8.
void append_utf8(std::string& out, uint32_t cp) {
  utf8::append(out, (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ? char32_t{0xFFFD} : static_cast<char32_t>(cp));
}

// A PDF text string: UTF-16BE with a byte order mark, or (as Chinese producers write it) UTF-8; anything else
// is given up rather than guessed.
std::string text_string(const GooString* s) {
  if (!s) return {};
  const std::string& raw = s->toStr();
  std::string out;
  if (raw.size() >= 2 && raw[0] == '\xFE' && raw[1] == '\xFF') {
    for (size_t i = 2; i + 1 < raw.size(); i += 2) {
      uint32_t unit = static_cast<uint32_t>(static_cast<unsigned char>(raw[i])) << 8 | static_cast<unsigned char>(raw[i + 1]);
      if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < raw.size()) {
        uint32_t low = static_cast<uint32_t>(static_cast<unsigned char>(raw[i + 2])) << 8 | static_cast<unsigned char>(raw[i + 3]);
        if (low >= 0xDC00 && low < 0xE000) {
          append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
          i += 2;
          continue;
        }
      }
      append_utf8(out, unit);
    }
  } else if (utf8::valid(raw)) {
    out = raw;
  }
  std::erase_if(out, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  return out;
}

Box box_of(double x0, double y0, double x1, double y1) {
  return Box{static_cast<float>(std::min(x0, x1)), static_cast<float>(std::min(y0, y1)), static_cast<float>(std::max(x0, x1)),
             static_cast<float>(std::max(y0, y1))};
}

// The text device of poppler, which also keeps the page's ruling lines (thin axis-aligned strokes and filled
// rectangles: how Word, WPS and browsers draw table borders) and the area its images cover.
class Device : public TextOutputDev {
 public:
  Device() : TextOutputDev(nullptr, false, 0, false, false, /*discardDiag=*/true) {}

  bool needNonText() override { return true; }
  void startPage(int page, GfxState* state, XRef* xref) override {
    rules.clear();
    image_area = 0;
    glyphs = 0;
    TextOutputDev::startPage(page, state, xref);
  }
  void drawChar(GfxState* state, double x, double y, double dx, double dy, double origin_x, double origin_y, CharCode c,
                int n, const Unicode* u, int u_length) override {
    if (++glyphs > max_glyphs) return;  // the page is refused; the glyphs are not collected
    TextOutputDev::drawChar(state, x, y, dx, dy, origin_x, origin_y, c, n, u, u_length);
  }
  // poppler asks between drawing operations whether to stop the page.
  static bool should_stop(void* data) {
    const auto* device = static_cast<const Device*>(data);
    return device->glyphs > device->max_glyphs || device->deadline.passed();
  }
  void stroke(GfxState* state) override {
    collect(state, true);
    TextOutputDev::stroke(state);
  }
  void fill(GfxState* state) override {
    collect(state, false);
    TextOutputDev::fill(state);
  }
  void eoFill(GfxState* state) override {
    collect(state, false);
    TextOutputDev::eoFill(state);
  }
  void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert, bool interpolate,
                     bool inline_image) override {
    add_image(state);
    OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_image);
  }
  void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* color_map,
                 bool interpolate, const int* mask_colors, bool inline_image) override {
    add_image(state);
    OutputDev::drawImage(state, ref, str, width, height, color_map, interpolate, mask_colors, inline_image);
  }
  void drawMaskedImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* color_map,
                       bool interpolate, Stream* mask, int mask_width, int mask_height, bool mask_invert,
                       bool mask_interpolate) override {
    add_image(state);
    OutputDev::drawMaskedImage(state, ref, str, width, height, color_map, interpolate, mask, mask_width, mask_height,
                               mask_invert, mask_interpolate);
  }
  void drawSoftMaskedImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* color_map,
                           bool interpolate, Stream* mask, int mask_width, int mask_height, GfxImageColorMap* mask_map,
                           bool mask_interpolate) override {
    add_image(state);
    OutputDev::drawSoftMaskedImage(state, ref, str, width, height, color_map, interpolate, mask, mask_width, mask_height,
                                   mask_map, mask_interpolate);
  }

  std::vector<Rule> rules;
  double image_area = 0;
  size_t glyphs = 0, max_glyphs = 0;
  Deadline deadline;

 private:
  void add_rule(double x0, double y0, double x1, double y1) {
    Box b = box_of(x0, y0, x1, y1);
    const double w = b.x1 - b.x0, h = b.y1 - b.y0;
    if (std::min(w, h) > kMaxRuleThickness || std::max(w, h) < kMinRuleLength) return;
    if (rules.size() < kMaxRulesPerPage) rules.push_back(Rule{b});
  }

  // Axis-aligned segments of stroked paths (as thin boxes, widened by the line width) and thin filled
  // rectangles. Curves and slanted segments are not rulings.
  void collect(GfxState* state, bool stroked) {
    const GfxPath* path = state->getPath();
    if (!path || rules.size() >= kMaxRulesPerPage) return;
    const double half = stroked ? std::max(0.25, line_width(state) / 2) : 0;
    for (int s = 0; s < path->getNumSubpaths(); ++s) {
      const GfxSubpath* sub = path->getSubpath(s);
      const int n = sub->getNumPoints();
      if (n < 2 || n > 64) continue;
      std::vector<std::pair<double, double>> points;
      bool curved = false;
      for (int i = 0; i < n; ++i) {
        curved |= sub->getCurve(i);
        double x = 0, y = 0;
        state->transform(sub->getX(i), sub->getY(i), &x, &y);
        points.emplace_back(x, y);
      }
      if (curved) continue;
      if (stroked) {
        if (sub->isClosed() && n >= 2) points.push_back(points.front());
        for (size_t i = 1; i < points.size(); ++i) {
          auto [xa, ya] = points[i - 1];
          auto [xb, yb] = points[i];
          if (std::abs(ya - yb) < 0.5) add_rule(std::min(xa, xb), ya - half, std::max(xa, xb), ya + half);
          else if (std::abs(xa - xb) < 0.5) add_rule(xa - half, std::min(ya, yb), xa + half, std::max(ya, yb));
        }
      } else if (n >= 4 && n <= 5) {
        // A filled rectangle: four corners on two x and two y values.
        double x0 = points[0].first, x1 = x0, y0 = points[0].second, y1 = y0;
        for (auto [x, y] : points) {
          x0 = std::min(x0, x);
          x1 = std::max(x1, x);
          y0 = std::min(y0, y);
          y1 = std::max(y1, y);
        }
        bool rectangle = true;
        for (auto [x, y] : points)
          rectangle &= (std::abs(x - x0) < 0.5 || std::abs(x - x1) < 0.5) && (std::abs(y - y0) < 0.5 || std::abs(y - y1) < 0.5);
        if (rectangle) add_rule(x0, y0, x1, y1);
      }
    }
  }

  // The line width in page units (the width is in user space, scaled by the current transformation).
  static double line_width(GfxState* state) {
    double dx = 0, dy = 0;
    state->transformDelta(state->getLineWidth(), 0, &dx, &dy);
    return std::hypot(dx, dy);
  }

  void add_image(GfxState* state) {
    // The unit square in image space, transformed to the page.
    double xs[4], ys[4];
    state->transform(0, 0, &xs[0], &ys[0]);
    state->transform(1, 0, &xs[1], &ys[1]);
    state->transform(0, 1, &xs[2], &ys[2]);
    state->transform(1, 1, &xs[3], &ys[3]);
    const double w = *std::max_element(xs, xs + 4) - *std::min_element(xs, xs + 4);
    const double h = *std::max_element(ys, ys + 4) - *std::min_element(ys, ys + 4);
    image_area += w * h;
  }
};

// A TextPage is reference counted.
struct ReleaseText {
  void operator()(TextPage* page) const { page->decRefCnt(); }
};

// Whether the file ends as a whole PDF does: an %%EOF marker in its last kilobyte.
bool ends_whole(std::string_view bytes) {
  std::string_view tail = bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0);
  return tail.find("%%EOF") != std::string_view::npos;
}

}  // namespace

std::variant<RawDocument, Problem> extract(std::string_view bytes, const Limits& limits) {
  init_poppler();
  RawDocument out;
  bool rebuilt = false;
  // poppler reads from the caller's buffer without copying it; the document never outlives this call.
  auto* stream = new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull));
  PDFDoc doc(stream, GooString(""), GooString(""), nullptr, [&rebuilt] { rebuilt = true; });
  if (!doc.isOk()) {
    if (doc.getErrorCode() == errEncrypted) return Problem{"encrypted", {"input.pdf-encrypted", {}}};
    if (!ends_whole(bytes)) return Problem{"damaged", {"input.pdf-truncated", {{"bytes", bytes.size()}}}};
    return Problem{"damaged", {"input.pdf-damaged", {}}};
  }
  const int pages = doc.getNumPages();
  if (pages <= 0) return Problem{"damaged", {"input.pdf-damaged", {}}};
  if (static_cast<uint32_t>(pages) > limits.max_pages)
    return Problem{"too-complex", {"input.pdf-too-many-pages", {{"pages", pages}, {"limit", limits.max_pages}}}};
  if (rebuilt && !ends_whole(bytes)) return Problem{"damaged", {"input.pdf-truncated", {{"bytes", bytes.size()}}}};
  out.repaired = rebuilt;
  out.title = text_string(doc.getDocInfoTitle().get());

  size_t words = 0;
  for (int p = 1; p <= pages; ++p) {
    // WHY a device per page: poppler's text device gives an empty page after the first takeText().
    Device device;
    device.max_glyphs = limits.max_glyphs_per_page;
    device.deadline = limits.deadline;
    Page* page = doc.getPage(p);
    if (!page) return Problem{"damaged", {"input.pdf-bad-page", {{"page", p}}}};
    const double width = page->getCropWidth(), height = page->getCropHeight();
    if (!(width > 0 && height > 0) || std::max(width, height) > limits.max_page_side)
      return Problem{"too-complex", {"input.pdf-page-size", {{"page", p},
                                                             {"width", static_cast<long>(std::lround(std::isfinite(width) ? width : -1))},
                                                             {"height", static_cast<long>(std::lround(std::isfinite(height) ? height : -1))},
                                                             {"limit", static_cast<long>(limits.max_page_side)}}}};
    doc.displayPage(&device, p, 72, 72, 0, /*useMediaBox=*/false, /*crop=*/true, /*printing=*/false, Device::should_stop,
                    &device);
    if (device.glyphs > limits.max_glyphs_per_page)
      return Problem{"too-complex", {"input.pdf-page-glyphs", {{"page", p}, {"limit", limits.max_glyphs_per_page}}}};
    if (limits.deadline.passed()) return Problem{"time-limit", {"input.pdf-time-limit", {{"page", p}}}};
    std::unique_ptr<TextPage, ReleaseText> text(device.takeText());
    RawPage raw;
    const bool sideways = doc.getPageRotate(p) % 180 != 0;
    raw.width = static_cast<float>(sideways ? height : width);
    raw.height = static_cast<float>(sideways ? width : height);
    raw.rules = std::move(device.rules);
    raw.image_area = device.image_area;
    if (text) {
      std::unique_ptr<TextWordList> list = text->makeWordList(false);
      const int n = list ? list->getLength() : 0;
      words += static_cast<size_t>(std::max(n, 0));
      if (words > limits.max_words)
        return Problem{"too-complex", {"input.too-many-words", {{"words", words}, {"limit", limits.max_words}}}};
      raw.words.reserve(static_cast<size_t>(std::max(n, 0)));
      for (int i = 0; i < n; ++i) {
        const TextWord* w = list->get(i);
        if (w->getRotation() != 0) continue;  // vertical or upside-down text: stamps and margin notes
        Word word;
        for (int c = 0; c < w->getLength(); ++c) append_utf8(word.text, *w->getChar(c));
        if (word.text.empty()) continue;
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        w->getBBox(&x0, &y0, &x1, &y1);
        word.box = box_of(x0, y0, x1, y1);
        word.font_size = static_cast<float>(w->getFontSize());
        word.baseline = static_cast<float>(w->getBaseline());
        word.space_after = w->getSpaceAfter();
        raw.words.push_back(std::move(word));
      }
    }
    out.pages.push_back(std::move(raw));
  }
  return out;
}

}  // namespace xxgk::pdf
