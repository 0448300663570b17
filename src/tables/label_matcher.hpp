// tables/label_matcher.hpp — where the labels of a table template stand in a report's compact text.
//
// Every occurrence of every label core is a candidate, scored by length, kind of wording and whether the
// label's ordinal (1. (三) 一、) stands before it. A dynamic programme then keeps the best chain of
// candidates whose items follow the template order and do not overlap: rows missing, extra text between
// rows, labels broken over lines (compact text) and digits glued to the next ordinal ("00000002.其他法律")
// all fall out of it. Header cells are matched separately, in any order, inside each block's header zone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tables/templates.hpp"

namespace xxgk::tables {

struct LabelHit {
  size_t item = 0;   //!< index into UnionTable::items
  size_t label = 0;  //!< index into UnionItem::labels
  size_t begin = 0, end = 0;  //!< compact offsets, begin includes the ordinal when found
  bool with_ordinal = false;
  int score = 0;
  //! Found by edit distance (a misprint, OCR's look-alike, words of a neighbouring cell between its characters):
  //! characters changed or missing, and characters standing between its own.
  int edits = 0, inserted = 0;
  //! The report's own misprint (a character changed, dropped or doubled), not a layout's interleaving.
  bool misprint = false;
};

struct HeaderHit {
  size_t header = 0;  //!< index into UnionBlock::headers
  size_t begin = 0, end = 0;
};

class LabelMatcher {
 public:
  explicit LabelMatcher(const UnionTable& table);

  //! Best chain of item labels within compact[begin, end).
  std::vector<LabelHit> align(std::string_view compact, size_t begin, size_t end) const;
  //! Non-overlapping occurrences of block `block`'s header cells within compact[begin, end), longest first,
  //! returned in text order.
  std::vector<HeaderHit> find_headers(std::string_view compact, size_t begin, size_t end, size_t block) const;
  //! Every occurrence of every block's header cells within compact[begin, end), per block, in text order, overlaps
  //! not yet resolved. PERF: a table's blocks look for their headers in zones of one region; one pass finds them
  //! for all (blocks without rows found each searched up to the region's end).
  std::vector<std::vector<HeaderHit>> header_occurrences(std::string_view compact, size_t begin, size_t end) const;
  //! find_headers for the zone [begin, end) from a block's occurrences over a range that holds the zone.
  static std::vector<HeaderHit> headers_in(const std::vector<HeaderHit>& occurrences, size_t begin, size_t end);

 private:
  struct Entry {
    size_t item, label;
  };
  // Labels by their first character. PERF: a bitmap of the BMP answers "starts nothing" for most
  // characters before the sorted list is searched.
  struct Index {
    std::vector<std::pair<char32_t, std::vector<Entry>>> entries;  // sorted by char
    std::vector<uint64_t> starts = std::vector<uint64_t>(0x10000 / 64, 0);
  };
  static const std::vector<Entry>* lookup(const Index& index, char32_t c) {
    // PERF: inline, for most characters the bitmap answers.
    if (c < 0x10000 && !(index.starts[c / 64] & (uint64_t{1} << (c % 64)))) return nullptr;
    return search(index, c);
  }
  static const std::vector<Entry>* search(const Index& index, char32_t c);
  //! A label's characters and their bits (char_bit), for the approximate match: worked out once per table.
  struct FuzzyLabel {
    std::u32string chars;
    std::vector<uint64_t> bits;
  };
  //! Approximate candidates for the labels of items `wanted` (items no label of which stands in the text as written).
  void fuzzy_candidates(std::string_view compact, size_t begin, size_t end, const std::vector<bool>& wanted,
                        std::vector<LabelHit>& out) const;
  const UnionTable& table_;
  Index by_first_char_;
  std::vector<std::vector<FuzzyLabel>> fuzzy_labels_;  // per item, per label
  Index headers_by_first_char_;  // every block's headers; Entry::item is the header index, Entry::label the block
};

//! Length of an ordinal equal to `ordinal` ending right before `pos` in `text`, or 0.
size_t ordinal_before(std::string_view text, size_t begin, size_t pos, std::string_view ordinal);

}  // namespace xxgk::tables
