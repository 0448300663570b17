// pdf/pdf.hpp — stage 1b for PDF files: bytes → the text of the report as read from the pages, or why it
// cannot be read.
//
// extract (poppler: words with boxes, ruling lines, images) → assemble (reading order, furniture, tables) →
// a RenderedDocument of the same shape as an HTML page's rendering, read by every later stage unchanged.
// A PDF that cannot be read as the report it shows is a per-file Problem, never a document of garbage:
// encrypted with a password, damaged or truncated, pages without a text layer (scans), fonts without a usable
// Unicode map (the text comes out as private-use characters or characters unrelated to what is shown: few of
// them are among the common Chinese characters), more pages, words or page area than any report has.
#pragma once

#include <string_view>
#include <variant>

#include "document/layout.hpp"
#include "grammar/grammar.hpp"
#include "pdf/extract.hpp"

namespace xxgk::pdf {

std::variant<RenderedDocument, Problem> read(std::string_view bytes, const grammar::GrammarSet& grammars, const Limits& limits);

//! Why the text of these pages cannot be trusted, or an empty Problem: share of characters that are private-use,
//! control or replacement characters, and share of Chinese characters outside GB2312 (common text has almost
//! none; text from a font without a Unicode map has mostly such).
Problem judge_text(const RawDocument& document);

}  // namespace xxgk::pdf
