// document/document.hpp — the views of one document that later stages read.
//
//   source  decoded UTF-8 as published, or for an HTML page the text rendered from it (html/render.hpp)
//   original the decoded input; locations are reported in it (for plain text it is `source`)
//   match   the matching form: NFKC plus unified brackets, quotes, dashes and spaces, traditional
//           characters mapped to simplified when the page is traditional; every byte knows the source
//           byte it came from
//   compact the matching form without whitespace, cell bars and quotes, for finding words broken over lines
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "document/grid.hpp"
#include "document/layout.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk {

//! Text with, for every byte, the offset of the byte in the parent text it came from (plus a sentinel).
struct MappedText {
  std::string text;
  std::vector<uint32_t> parent;  //!< parent.size() == text.size() + 1

  uint32_t to_parent(size_t pos) const { return parent[pos < parent.size() ? pos : parent.size() - 1]; }
  //! First position whose parent offset is >= `parent_offset` (parent offsets are non-decreasing).
  size_t from_parent(uint32_t parent_offset) const;
};

//! Line starts of the source text; turns byte offsets into line:column.
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view source);
  Location locate(uint32_t offset) const;
  std::string_view line(uint32_t line_number) const;  //!< 1-based, without the line break
  uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }

 private:
  //! Code points in source[0, offset).
  uint32_t chars_before(uint32_t offset) const;

  std::string_view source_;
  std::vector<uint32_t> starts_;
  // PERF: crawled pages put a whole report on one line; a count of code points every kCheckpoint bytes
  // keeps locate() cheap however long the line.
  static constexpr uint32_t kCheckpoint = 64;
  std::vector<uint32_t> checkpoints_;
};

//! A document as the stages after normalisation see it.
struct Document {
  std::string_view source;
  std::string_view original;
  LineIndex lines;                               //!< of `original`
  const std::vector<uint32_t>* origin = nullptr;  //!< source offset → original offset; null: the same
  const std::vector<Grid>* grids = nullptr;  //!< tables of an HTML page, PDF or DOCX, offsets into `source`
  const Layout* layout = nullptr;  //!< PDF: pages and boxes of `source` (then `original` is `source`)
  MappedText match;    //!< parent: source
  MappedText compact;  //!< parent: match
  bool traditional = false;
  size_t glosses_removed = 0;
  size_t furniture_lines = 0;  //!< page numbers and table rules blanked out of the matching form
  size_t markup_blanked = 0;   //!< pieces of markup printed as text blanked out of the matching form

  uint32_t source_of_match(size_t match_pos) const { return match.to_parent(match_pos); }
  uint32_t source_of_compact(size_t compact_pos) const { return match.to_parent(compact.to_parent(compact_pos)); }
  //! Where source offset `source_pos` stands in the original input.
  Location locate_source(size_t source_pos) const {
    if (layout) return locate_on_page(source_pos);
    if (!origin || origin->empty()) return lines.locate(static_cast<uint32_t>(source_pos));
    return lines.locate((*origin)[std::min(source_pos, origin->size() - 1)]);
  }
  //! PDF: the page, the line of that page and the box of source offset `source_pos`.
  Location locate_on_page(size_t source_pos) const;
  Location locate_match(size_t match_pos) const { return locate_source(source_of_match(match_pos)); }
  Location locate_compact(size_t compact_pos) const { return locate_source(source_of_compact(compact_pos)); }
  //! Match offset of source offset `source_pos` (first match byte at or after it).
  size_t match_of_source(size_t source_pos) const { return match.from_parent(static_cast<uint32_t>(source_pos)); }
  //! Compact position of match position `match_pos` (first compact byte at or after it).
  size_t compact_of_match(size_t match_pos) const { return compact.from_parent(static_cast<uint32_t>(match_pos)); }
  //! Match position where compact byte `compact_pos` came from.
  size_t match_of_compact(size_t compact_pos) const { return compact.to_parent(compact_pos); }
  //! Source text of the compact range [begin, end), whole characters, layout inside kept.
  std::string source_text(size_t compact_begin, size_t compact_end) const;
  //! Match offset just after the compact range that ends at `compact_end`.
  size_t match_end(size_t compact_end) const;
};

}  // namespace xxgk
