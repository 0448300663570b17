// sections/parts.hpp — stage 3b: the six statutory parts, found by their headings.
//
// Candidates are numbered headings (一、… 第三部分) anywhere in the compact text, whose title matches a part's
// canonical or variant wording, and unnumbered lines that consist of a title. Each part takes its best
// candidate; order, numbering and wording are judged afterwards by the checks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "grammar/grammar.hpp"
#include "document/document.hpp"

namespace xxgk::sections {

struct Heading {
  int part = 0;            //!< statutory number 1–6 (0 for a sub-topic heading)
  std::string id;          //!< part id, or the sub-topic id
  int number_written = 0;  //!< 0 when unnumbered
  bool canonical = true;   //!< canonical title with nothing added
  bool extra_words = false;
  int score = 0;
  size_t begin = 0, end = 0;  //!< compact offsets: number marker .. end of title
  std::string text;           //!< as written in the source
  Location location;
};

struct SectionTree {
  std::vector<Heading> parts;                //!< at most one per part, in text order
  std::vector<Heading> subtopics_as_parts;   //!< part-1 sub-topics numbered like parts
  size_t body_begin = 0, body_end = 0;       //!< compact offsets of the page text

  const Heading* part(int number) const;
  //! Compact offsets [begin, end) of part `number`'s text: from its heading to the next found heading.
  std::optional<std::pair<size_t, size_t>> region(int number) const;
};

SectionTree find_parts(const Document& doc, const std::vector<grammar::Part>& parts, const grammar::Common& common,
                       size_t body_start_match);

}  // namespace xxgk::sections
