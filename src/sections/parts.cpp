#include "sections/parts.hpp"

#include <algorithm>

#include "util/dates.hpp"
#include "util/utf8.hpp"

namespace xxgk::sections {
namespace {

// Scores of a heading candidate: wording first, then numbering.
constexpr int kCanonicalTitle = 10;
constexpr int kVariantTitle = 6;
constexpr int kNumbered = 4;
constexpr int kRightNumber = 2;
constexpr int kExtraWords = -3;
constexpr int kGluedToText = -4;
constexpr size_t kMaxHeadingLine = 40 * 3;  // bytes of an unnumbered heading line

struct Candidate {
  Heading heading;
  size_t title_begin = 0;  // compact offset
};

// The character before match offset `pos`, skipping nothing; 0 at the start or after whitespace.
char32_t char_before(const Document& doc, size_t match_pos) {
  if (match_pos == 0) return 0;
  size_t start = utf8::start_of(doc.match.text, match_pos - 1);
  size_t p = start;
  char32_t c = utf8::next(doc.match.text, p);
  if (c == U' ' || c == U'\n' || c == U'\t' || c == U'|') return 0;
  return c;
}

void add_title_candidates(const Document& doc, const std::vector<grammar::Part>& parts, size_t title_begin,
                          size_t number_begin, int number, bool glued, std::vector<Candidate>& out) {
  std::string_view compact = doc.compact.text;
  for (const grammar::Part& part : parts) {
    for (const grammar::PartTitle& title : part.titles) {
      Regex::Match m;
      if (!title.pattern.search(compact, title_begin, m) || m.begin != title_begin) continue;
      bool extra = !group_text(compact, m, title.pattern.group("gap")).empty();
      Candidate c;
      Heading& h = c.heading;
      h.part = part.number;
      h.id = part.id;
      h.number_written = number;
      h.extra_words = extra;
      h.canonical = title.canonical && !extra;
      h.score = (title.canonical ? kCanonicalTitle : kVariantTitle) + (number > 0 ? kNumbered : 0) +
                (number == part.number ? kRightNumber : 0) + (extra ? kExtraWords : 0) + (glued ? kGluedToText : 0);
      if (glued && !title.canonical) continue;  // only a canonical title may follow text without a break
      h.begin = number_begin;
      h.end = m.end;
      c.title_begin = title_begin;
      out.push_back(std::move(c));
      break;  // titles are tried canonical first
    }
  }
}

}  // namespace

const Heading* SectionTree::part(int number) const {
  for (const Heading& h : parts)
    if (h.part == number) return &h;
  return nullptr;
}

std::optional<std::pair<size_t, size_t>> SectionTree::region(int number) const {
  const Heading* h = part(number);
  if (!h) return std::nullopt;
  size_t end = body_end;
  for (const Heading& other : parts)
    if (other.begin > h->begin) end = std::min(end, other.begin);
  return std::make_pair(h->begin, end);
}

SectionTree find_parts(const Document& doc, const std::vector<grammar::Part>& parts, const grammar::Common& common,
                       size_t body_start_match) {
  SectionTree tree;
  std::string_view compact = doc.compact.text;
  tree.body_begin = doc.compact_of_match(body_start_match);
  tree.body_end = compact.size();

  struct NumberHit {
    size_t begin, title_begin;
    int number;
    bool glued;
  };
  std::vector<NumberHit> numbers;
  std::vector<Candidate> candidates;
  if (common.heading_number) {
    // PERF: a heading number ends with a mark (、 . , : 部分): find the marks, then search only the few characters
    // before each (`reach`), instead of running the pattern over the whole text.
    const Regex& re = *common.heading_number;
    std::vector<std::pair<size_t, size_t>> found;  // begin, end
    for (const std::string& mark : common.heading_marks) {
      for (size_t p = compact.find(mark, tree.body_begin); p != std::string_view::npos; p = compact.find(mark, p + mark.size())) {
        if (p <= tree.body_begin) continue;
        // Only where a digit of a heading number stands right before the mark.
        size_t last = utf8::start_of(compact, p - 1), q = last;
        if (!common.heading_digits.empty() && common.heading_digits.find(utf8::next(compact, q)) == std::u32string::npos)
          continue;
        size_t start = p;
        for (size_t k = 0; k < common.heading_reach && start > tree.body_begin; ++k) start = utf8::start_of(compact, start - 1);
        // The window ends just after the mark (a trailing ':' may follow 部分).
        size_t window_end = std::min(compact.size(), p + mark.size() + 1);
        std::string_view window = compact.substr(0, window_end);
        Regex::Match m;
        if (re.search(window, start, m) && m.end >= p + mark.size()) found.emplace_back(m.begin, m.end);
      }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    for (const auto& [begin, end] : found) {
      Regex::Match m;
      re.search(compact, begin, m);
      std::string_view written = group_text(compact, m, re.group("num"));
      if (written.empty()) written = group_text(compact, m, re.group("num2"));
      auto number = parse_numeral(written);
      if (!number || *number < 1 || *number > 20) continue;
      char32_t before = char_before(doc, doc.match_of_compact(begin));
      bool glued = before != 0 && utf8::is_han(before);
      numbers.push_back(NumberHit{begin, end, *number, glued});
      add_title_candidates(doc, parts, end, begin, *number, glued, candidates);
    }
  }

  // Unnumbered headings: a short line that is exactly a title.
  {
    std::string_view text = doc.match.text;
    size_t pos = body_start_match;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      size_t b = pos, e = end;
      while (b < e && (text[b] == ' ' || text[b] == '\t')) ++b;
      while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) --e;
      // A title line starts with a Han character and is short (a cell line "0" or "规章" cannot be one).
      const bool han_start = e > b && static_cast<unsigned char>(text[b]) >= 0xE3;
      if (han_start && e - b >= 4 * 3 && e - b <= kMaxHeadingLine) {
        std::string_view line = text.substr(b, e - b);
        for (const grammar::Part& part : parts) {
          bool found = false;
          for (const grammar::PartTitle& title : part.titles) {
            Regex::Match m;
            if (!title.line.search(line, 0, m) || m.begin != 0) continue;
            Candidate c;
            c.heading.part = part.number;
            c.heading.id = part.id;
            c.heading.canonical = title.canonical;
            c.heading.score = title.canonical ? kCanonicalTitle : kVariantTitle;
            c.heading.begin = doc.compact_of_match(b);
            c.heading.end = doc.compact_of_match(e);
            c.title_begin = c.heading.begin;
            candidates.push_back(std::move(c));
            found = true;
            break;
          }
          if (found) break;
        }
      }
      pos = end + 1;
    }
  }

  // Best candidate per part; a place in the text serves one part.
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.heading.score != b.heading.score) return a.heading.score > b.heading.score;
    return a.heading.begin < b.heading.begin;
  });
  std::vector<bool> taken(parts.size() + 8, false);
  std::vector<size_t> used_positions;
  for (const Candidate& c : candidates) {
    size_t slot = static_cast<size_t>(c.heading.part);
    if (slot >= taken.size() || taken[slot]) continue;
    if (std::find(used_positions.begin(), used_positions.end(), c.heading.begin) != used_positions.end()) continue;
    taken[slot] = true;
    used_positions.push_back(c.heading.begin);
    Heading h = c.heading;
    h.text = doc.source_text(h.begin, h.end);
    h.location = doc.locate_compact(h.begin);
    tree.parts.push_back(std::move(h));
  }
  std::sort(tree.parts.begin(), tree.parts.end(), [](const Heading& a, const Heading& b) { return a.begin < b.begin; });

  // Sub-topics of part 1 numbered like parts (一、总体情况 … 三、主动公开工作情况 …).
  const Heading* first = tree.part(1);
  const grammar::Part* overview = nullptr;
  for (const grammar::Part& part : parts)
    if (part.number == 1) overview = &part;
  if (first && overview) {
    auto region = tree.region(1);
    for (const NumberHit& hit : numbers) {
      if (hit.begin <= first->begin || hit.begin >= region->second || hit.number < 2 || hit.glued) continue;
      if (std::find(used_positions.begin(), used_positions.end(), hit.begin) != used_positions.end()) continue;
      for (const grammar::Subtopic& sub : overview->subtopics) {
        Regex::Match m;
        // A few words may come first ("三、推进主动公开").
        size_t limit = std::min(compact.size(), hit.title_begin + 4 * 3);
        bool matched = false;
        for (size_t start = hit.title_begin; start <= limit && start < compact.size();
             start += utf8::sequence_length(static_cast<unsigned char>(compact[start]))) {
          if (sub.pattern.search(compact, start, m) && m.begin == start) {
            matched = true;
            break;
          }
        }
        if (!matched) continue;
        Heading h;
        h.id = sub.id;
        h.number_written = hit.number;
        h.begin = hit.begin;
        // The heading as written runs to the first sentence mark or line end, at most 30 characters.
        size_t end = m.end;
        size_t line_end = doc.match.text.find('\n', doc.match_of_compact(m.end > 0 ? m.end - 1 : 0));
        size_t stop = std::min(compact.size(), m.end + 30 * 3);
        if (line_end != std::string::npos) stop = std::min(stop, doc.compact_of_match(line_end));
        while (end < stop) {
          size_t p = end;
          char32_t c = utf8::next(compact, p);
          if (c == U'。' || c == U',' || c == U';' || c == U':' || c == U'(' || (c >= U'0' && c <= U'9')) break;
          end = p;
        }
        h.end = end;
        h.text = doc.source_text(h.begin, h.end);
        h.location = doc.locate_compact(h.begin);
        tree.subtopics_as_parts.push_back(std::move(h));
        break;
      }
    }
  }
  return tree;
}

}  // namespace xxgk::sections
