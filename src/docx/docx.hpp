// docx/docx.hpp — stage 1b for Word files (.docx): word/document.xml → the text of the report, as an HTML page
// renders.
//
// The package is read with libarchive, the XML with pugixml. Paragraphs (and headings) become lines, with the
// numbers Word generates for numbered paragraphs (一、 （一） 1.) written in front as they are shown; tables
// become one line per row with " | " between cells and a grid with w:gridSpan (columns) and w:vMerge (rows)
// expanded as HTML's colspan and rowspan are. No pages: a .docx is laid out only when it is shown.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "document/layout.hpp"

namespace xxgk::docx {

struct Limits {
  uint64_t max_xml_bytes = 256u << 20;  //!< word/document.xml unpacked
  size_t max_words = 2'000'000;         //!< text runs
};

//! True when `bytes` are a zip package holding word/document.xml (decided by content, not by name).
bool is_docx(std::string_view bytes);

std::variant<RenderedDocument, ReadProblem> read(std::string_view bytes, const Limits& limits);

}  // namespace xxgk::docx
