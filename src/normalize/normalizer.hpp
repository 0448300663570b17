// normalize/normalizer.hpp — stage 2: the matching form of a text, with a byte map back to the source.
//
// PERF: NFKC and the unification map are applied per code point from a table built once for the whole BMP
// (ICU's Normalizer2 fills it). A whole-text normalize could not keep the byte map cheaply, and the per-code
// point form equals string NFKC for Chinese text (no combining sequences). Traditional → simplified is a table of
// the grammar (ICU's Traditional-Simplified per character), applied only on pages judged traditional.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "document/document.hpp"

namespace xxgk {

struct NormalizerConfig {
  std::u32string traditional_markers;  //!< characters that only traditional text uses
  double traditional_min_share = 0.02;   //!< of the Han characters
  size_t traditional_min_count = 8;
  size_t gloss_min_count = 3;  //!< pinyin glosses 機(jī) needed before they are stripped
  //! Han characters that a traditional page writes otherwise, sorted by the traditional form.
  std::vector<std::pair<char32_t, char32_t>> traditional_to_simplified;
};

class Normalizer {
 public:
  explicit Normalizer(NormalizerConfig config);

  struct Output {
    MappedText match;
    bool traditional = false;
    size_t glosses_removed = 0;
  };
  //! The matching form of `source` (valid UTF-8).
  Output normalize(std::string_view source) const;
  //! Fills the document's line index, matching form (page furniture blanked when `furniture` is given) and
  //! compact form from its `source` and `original`.
  //! Markup printed as text (`markup`: Word's conditional comments, entities) is blanked too, so that it hides no
  //! heading or label; the text rules find it in the source.
  //! Header rows with no words (`placeholder_headers`) and page widgets (`chrome`) are blanked without a count.
  void normalize_document(Document& doc, const class Regex* furniture, const class Regex* markup = nullptr,
                          const class Regex* placeholder_headers = nullptr, const class Regex* chrome = nullptr) const;
  //! Matching form of a grammar string (no traditional detection).
  std::string normalize_label(std::string_view text) const;

  //! Replaces every line of `match` that `furniture` matches whole with spaces (page numbers, table rules).
  static size_t blank_lines(MappedText& match, const class Regex& furniture);
  //! Replaces with spaces the running headers and footers of text flattened from pages (pdftotext puts a form
  //! feed between pages): lines at the top or bottom of a page whose text, digits aside, comes back on most pages.
  static size_t blank_running_lines(MappedText& match);
  //! A line's text with its digits masked and blanks dropped: a running header repeats with another page number.
  static std::string repetition_key(std::string_view line);
  //! `match` without whitespace, cell bars and quote marks; parent offsets point into `match`.
  static MappedText compact(const MappedText& match);
  //! True for bytes that compact() drops. WHY quotes: reports print 危及“三安全一稳定” with and without them.
  static constexpr bool is_layout(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '|' || c == '\f' || c == '\v' || c == '"' || c == '\'';
  }

 private:
  NormalizerConfig config_;
  std::vector<bool> marker_;  //!< traditional marker, by BMP code point
  //! The simplified form of a BMP character a traditional page writes (0: none). PERF: looked up for every Han
  //! character of such a page; a search of the ~2,900 pairs cost more than the rest of the mapping.
  std::vector<char16_t> simplified_bmp_;
  static constexpr char16_t kSearchPairs = 0xFFFF;  //!< in simplified_bmp_: the pair leaves the BMP, search them
};

}  // namespace xxgk
