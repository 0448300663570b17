// pdf/assemble.hpp — words and ruling lines of PDF pages → the text of the report, as an HTML page renders.
//
//   tables   from the ruling lines: the distinct x of the vertical rules are column edges, the distinct y of the
//            horizontal rules row edges; two neighbouring slots are one cell when no rule separates them (a
//            spanning header cell, a row label over several rows); a cell's words, wrapped over lines, are
//            joined in its box. A table that ends one page and begins the next with the same column edges is
//            one table, its repeated header rows dropped.
//   lines    the other words, grouped by their vertical extent and put in order from left to right; lines are
//            ordered from the top of the page. A line that runs to the right margin goes on in the next line
//            (a wrapped paragraph), across a page break too.
//   furniture running headers, footers and page numbers: lines at the top or bottom of a page that
//            common.xml's <furniture> pattern matches, or that repeat (digits aside) on most pages.
// The result has the shape html::render gives (RenderedDocument): one line per paragraph, one line per table
// row with " | " between cells, grids, and for every line and cell its page and box.
#pragma once

#include "document/layout.hpp"
#include "grammar/grammar.hpp"
#include "pdf/extract.hpp"

namespace xxgk::pdf {

RenderedDocument assemble(const RawDocument& document, const grammar::GrammarSet& grammars);

}  // namespace xxgk::pdf
