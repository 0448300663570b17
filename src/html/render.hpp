// html/render.hpp — stage 1b: an HTML page → the text of its report body, with a map back into the page.
//
// The page is parsed with gumbo (an HTML5 tree builder: broken markup is repaired as browsers do) and rendered
// as text: one line per paragraph, heading or list item, one line per table row with its cells separated by
// " | ". The body of the report is then chosen (the smallest element that holds nearly all the words of the
// statutory headings outside links, or a CMS article container) and page chrome is dropped from it. The
// page's own title and date (national CMS meta tags, the 信息公开 directory table) become header lines in the
// shape common.xml's crawler header describes, so that the stages after this one read a page like a text.
// Every byte of the result knows the offset in the decoded HTML it came from.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "grammar/grammar.hpp"
#include "document/grid.hpp"
#include "util/regex.hpp"

namespace xxgk::html {

struct Page {
  std::string text;              //!< header lines, separator, report body
  std::vector<uint32_t> origin;  //!< text.size() + 1 entries: decoded-HTML offset of each byte
  std::vector<Grid> grids;       //!< tables of the body; offsets into `text`
  std::string body_via;          //!< how the body was found: "markers", "container" or "page"
  uint32_t body_origin = 0;      //!< decoded-HTML offset of the element chosen as the body
  size_t tables = 0;             //!< <table> elements in the whole page
  size_t chrome_dropped = 0;     //!< chrome elements and lines dropped from the body
};

//! Renders `html` (valid UTF-8). Never fails: a page without markup renders as its text.
Page render(std::string_view html, const grammar::GrammarSet& grammars);

//! How deep the page nests elements, estimated from its tags alone (void elements and elements whose end tag
//! may be left out do not count; script, style and comments are skipped). WHY: gumbo's tree builder takes time
//! quadratic in the nesting depth (300,000 nested <div>s ran for minutes), so a page nested far deeper than any
//! real page (they stay below 30) is refused before it is parsed.
size_t estimate_nesting_depth(std::string_view html);

//! The nesting depth as above and the number of start tags, in one pass. WHY the count: gumbo keeps a node of
//! some hundred bytes per element, so a page of a million table cells needs most of a gigabyte; real report
//! pages have a few thousand elements.
struct HtmlShape {
  size_t depth = 0;
  size_t elements = 0;
};
HtmlShape measure_shape(std::string_view html);

//! True when the first match of `pattern` in a class or id token is the whole token (an empty, very long or
//! invalid UTF-8 token matches nothing). The page rules name the report container and page chrome this way.
bool token_matches(const Regex& pattern, std::string_view token);

//! token_matches for the container and the chrome pattern, remembered per token for one page.
//! PERF: a page repeats a few class names on thousands of elements; each is matched once, not once per element
//! and pattern.
class TokenMatcher {
 public:
  struct Verdict {
    bool container = false;
    bool chrome = false;
  };
  //! Either pattern may be null (matches nothing). Both must outlive the matcher.
  TokenMatcher(const Regex* container, const Regex* chrome) : container_(container), chrome_(chrome) {}

  Verdict of(std::string_view token);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  const Regex* container_;
  const Regex* chrome_;
  std::unordered_map<std::string, Verdict, Hash, std::equal_to<>> seen_;
};

}  // namespace xxgk::html
