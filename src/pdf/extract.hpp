// pdf/extract.hpp — the words of a PDF with their boxes, and the ruling lines of its pages (poppler).
//
// This is the only file that speaks to the PDF library; everything after it (pdf/assemble.hpp) works on these
// plain values, so that the geometry can be tested on made-up pages and the library could be exchanged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "document/layout.hpp"
#include "util/deadline.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::pdf {

//! A word as the PDF library assembled it from glyphs: its text, box (points, y down) and font size.
struct Word {
  std::string text;  //!< UTF-8
  Box box;
  float font_size = 0;
  float baseline = 0;
  bool space_after = false;  //!< the library saw a space (or a gap) after it
};

//! A thin horizontal or vertical line drawn on the page (a table's ruling), as a box.
struct Rule {
  Box box;
  bool horizontal() const { return box.x1 - box.x0 >= box.y1 - box.y0; }
};

struct RawPage {
  float width = 0, height = 0;
  std::vector<Word> words;  //!< in the library's reading order
  std::vector<Rule> rules;
  double image_area = 0;  //!< area covered by images (points²): a scanned page is one image
};

struct RawDocument {
  std::vector<RawPage> pages;
  std::string title;  //!< Info dictionary /Title, UTF-8 (may be empty)
  bool repaired = false;  //!< the cross-reference table was rebuilt (a damaged file that could still be read)
};

using Problem = ReadProblem;

struct Limits {
  uint32_t max_pages = 2000;
  double max_page_side = 14400;
  size_t max_words = 2'000'000;
  //! Glyphs one page may draw. WHY: poppler sorts a page's glyphs into words and lines in time that grows faster
  //! than their number (two seconds for 20,000); a dense page of Chinese has two or three thousand.
  size_t max_glyphs_per_page = 10'000;
  Deadline deadline;  //!< reading stops here (between glyphs) with a "time-limit" Problem
};

//! Opens `bytes` (a PDF, %PDF- found by the caller) and reads every page. Encrypted files are opened with the
//! empty password (most "encrypted" reports only forbid editing); others are a Problem, as are damaged files
//! with no readable page, truncated files, and files beyond `limits`.
std::variant<RawDocument, Problem> extract(std::string_view bytes, const Limits& limits);

}  // namespace xxgk::pdf
