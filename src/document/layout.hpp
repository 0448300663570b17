// document/layout.hpp — where the text of a document stands on its pages, and the text a structure-reading front
// end (PDF, DOCX) renders.
//
// A PDF location is one more coordinate of the document, not a separate path through the checks: the rendered
// text is read by every stage as an HTML page's text is, and a Layout turns an offset into that text into a page,
// the line of that page and the box the text stands in (Document::locate_source).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "document/grid.hpp"
#include "document/phrase.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk {

//! A piece of the rendered text that stands in one box on one page: a physical line of prose, or a table cell.
struct PlacedSpan {
  uint32_t begin = 0, end = 0;  //!< rendered text offsets
  uint32_t page = 0;            //!< 1-based
  uint32_t line = 0;            //!< 1-based line of the page as it shows: prose lines and table rows from the top
  Box box;
};

struct Layout {
  //! Rendered offset at which the text of page i+1 begins (non-decreasing; a paragraph running on from the page
  //! before begins the page in the middle of a rendered line).
  std::vector<uint32_t> page_starts;
  std::vector<PlacedSpan> spans;  //!< by `begin`, not overlapping

  //! The page (1-based) whose text holds `offset`, or 0 before the first page (header lines).
  uint32_t page_of(uint32_t offset) const;
  //! The span that holds `offset` (or, between spans, the one before it), or null before the first.
  const PlacedSpan* span_at(uint32_t offset) const;
};

//! What a front end that reads a document's structure (PDF, DOCX) gives the pipeline: the same shape as an
//! HTML page's rendering — one line per paragraph, one line per table row with " | " between cells, the tables
//! as grids (offsets into `text`) — and where it stood on the pages (PDF only).
struct RenderedDocument {
  std::string text;
  std::vector<Grid> grids;
  Layout layout;          //!< empty for documents without pages (DOCX)
  uint32_t pages = 0;     //!< pages read (PDF)
  std::string title;      //!< the document's own title (PDF Info dictionary, DOCX core properties), may be empty
  Phrase note;            //!< something the reader should know (a repaired cross-reference table…), not yet in words
  size_t furniture_dropped = 0;  //!< running headers, footers and page numbers left out
};

//! Why a front end cannot read a file: a stable code (InputError::code) and a message not yet in words.
struct ReadProblem {
  std::string code;
  Phrase message;
};

}  // namespace xxgk
