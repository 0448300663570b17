#include "sections/meta.hpp"

#include <algorithm>

#include "util/dates.hpp"
#include "util/utf8.hpp"

namespace xxgk::sections {
namespace {

// Backs `pos` up or down to a code point boundary.
size_t clamp_boundary(std::string_view text, size_t pos) {
  if (pos >= text.size()) return text.size();
  return utf8::start_of(text, pos);
}

// First Y-M-D date written with digits (header values such as "2026-03-10 12:56").
std::optional<Date> digit_date(std::string_view text) {
  for (size_t i = 0; i + 4 <= text.size(); ++i) {
    auto digits = [&](size_t p, size_t max) {
      size_t n = 0;
      while (p + n < text.size() && n < max && text[p + n] >= '0' && text[p + n] <= '9') ++n;
      return n;
    };
    if (digits(i, 4) != 4 || (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9')) continue;
    size_t p = i + 4;
    if (p >= text.size() || (text[p] >= '0' && text[p] <= '9')) continue;
    ++p;
    size_t m = digits(p, 2);
    if (m == 0 || p + m >= text.size()) continue;
    size_t q = p + m + 1;
    size_t d = digits(q, 2);
    if (d == 0) continue;
    if (auto date = make_date(text.substr(i, 4), text.substr(p, m), text.substr(q, d))) return date;
  }
  return std::nullopt;
}

void read_crawler_header(const Document& doc, const grammar::Common& common, Meta& meta) {
  const auto& config = common.crawler_header;
  if (!config.separator || !config.field) return;
  std::string_view text = doc.match.text;
  size_t pos = 0;
  // Leading blank lines are not part of a header.
  std::map<std::string, FoundText> fields;
  size_t field_lines = 0;
  for (size_t line = 0; line < config.max_lines && pos < text.size(); ++line) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(pos, end - pos);
    Regex::Match m;
    if (config.separator->search(content, 0, m) && m.begin == 0) {
      if (field_lines >= 2) {
        meta.header = std::move(fields);
        meta.body_start = std::min(end + 1, text.size());
      }
      return;
    }
    if (config.field->search(content, 0, m) && m.begin == 0) {
      std::string key(group_text(content, m, config.field->group("key")));
      auto it = config.keys.find(key);
      ++field_lines;
      if (it != config.keys.end()) {
        int value_group = config.field->group("value");
        std::string value(group_text(content, m, value_group));
        size_t value_pos = pos + m.groups[static_cast<size_t>(value_group)].begin;
        if (!value.empty()) fields[it->second] = FoundText{value, doc.locate_match(value_pos)};
      }
    }
    pos = end + 1;
  }
}

// Bytes at the start of `agency` that a sentence puts before a name (现将, 根据…), or Markdown marks.
size_t leading_trim(const grammar::Common& common, std::string_view agency) {
  if (!common.agency_trim) return 0;
  Regex::Match m;
  if (common.agency_trim->search(agency, 0, m) && m.begin == 0) return m.end;
  return 0;
}

// `agency` without the words a sentence puts around a name, wherever they stand.
std::string trim_agency(const grammar::Common& common, std::string agency) {
  if (!common.agency_trim) return agency;
  std::string kept;
  size_t from = 0;
  for (const Regex::Match& junk : common.agency_trim->find_all(agency)) {
    kept.append(agency, from, junk.begin - from);
    from = junk.end;
  }
  kept.append(agency, from, std::string::npos);
  return kept;
}

// A title written over several lines, as one line: a line break between two Chinese characters goes, one between
// Latin words or digits becomes a space.
std::string one_line(const std::string& text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    if (text[pos] != '\n' && text[pos] != '\r') {
      out.push_back(text[pos++]);
      continue;
    }
    size_t end = pos;
    while (end < text.size() && (text[end] == '\n' || text[end] == '\r' || text[end] == ' ' || text[end] == '\t')) ++end;
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    const bool ascii_before = !out.empty() && static_cast<unsigned char>(out.back()) < 0x80;
    const bool ascii_after = end < text.size() && static_cast<unsigned char>(text[end]) < 0x80;
    if (ascii_before && ascii_after) out.push_back(' ');
    pos = end;
  }
  return out;
}

// True when match range [begin, end) stands on lines of its own: only layout before it on its first line, and
// after it on its last line at most a few characters with no sentence mark (（全文）).
bool own_line(const Document& doc, size_t begin, size_t end) {
  constexpr size_t kMaxAfterChars = 8;
  std::string_view text = doc.match.text;
  for (size_t p = begin; p > 0 && text[p - 1] != '\n'; --p)
    if (!Normalizer::is_layout(text[p - 1]) && text[p - 1] != '#' && text[p - 1] != '*') return false;
  const size_t line_end = std::min(text.size(), text.find('\n', end));
  std::string_view after = text.substr(end, line_end - end);
  return utf8::length(after) <= kMaxAfterChars && after.find_first_of(",:;") == std::string_view::npos &&
         after.find("。") == std::string_view::npos;
}

// The agency on a line of its own just before or after the title (match offsets of the title), when that line is
// short, has no sentence marks and names a body the grammar knows (its kind is not only "some department").
std::string agency_beside(const Document& doc, const grammar::Common& common, size_t title_begin, size_t title_end) {
  constexpr size_t kMaxAgencyChars = 40;
  std::string_view text = doc.match.text;
  auto agency_line = [&](size_t begin, size_t end) -> std::string {
    while (begin < end && Normalizer::is_layout(text[begin])) ++begin;
    while (end > begin && Normalizer::is_layout(text[end - 1])) --end;
    std::string line(text.substr(begin, end - begin));
    line = trim_agency(common, line);
    if (line.empty() || utf8::length(line) > kMaxAgencyChars || line.find_first_of(",:;!?") != std::string::npos ||
        line.find("。") != std::string::npos)
      return {};
    Regex::Match m;
    for (const auto& kind : common.agency_kinds)
      if (kind.pattern.search(line, 0, m)) return line;
    if (common.truncation.signature && common.truncation.signature->search(line, 0, m)) return line;
    return {};
  };
  // The line before the title.
  const size_t line_start = title_begin == 0 ? std::string_view::npos : text.rfind('\n', title_begin - 1);
  if (line_start != std::string_view::npos && line_start > 0) {
    // Only when the title starts its line.
    bool starts_line = true;
    for (size_t p = line_start + 1; p < title_begin; ++p) starts_line &= Normalizer::is_layout(text[p]);
    size_t before = line_start;
    while (before > 0 && text[before - 1] == '\n') --before;  // blank lines between
    const size_t prev_start = text.rfind('\n', before > 0 ? before - 1 : 0);
    if (starts_line)
      if (std::string a = agency_line(prev_start == std::string_view::npos ? 0 : prev_start + 1, before); !a.empty()) return a;
  }
  // The line after it.
  size_t next = text.find('\n', title_end);
  if (next == std::string_view::npos) return {};
  while (next < text.size() && (text[next] == '\n' || text[next] == ' ')) ++next;
  const size_t next_end = std::min(text.size(), text.find('\n', next));
  return agency_line(next, next_end);
}

}  // namespace

Meta extract_meta(const Document& doc, const grammar::Common& common) {
  Meta meta;
  read_crawler_header(doc, common, meta);
  std::string_view compact = doc.compact.text;
  const size_t body_compact = doc.compact_of_match(meta.body_start);

  // Title and agency.
  auto read_title = [&](std::string_view subject, size_t base_compact, bool in_body) -> bool {
    if (!common.title) return false;
    Regex::Match m;
    const int year_group = common.title->group("year");
    for (size_t from = 0;; from = m.begin + 1) {
      if (!common.title->search(subject, from, m)) return false;
      // A title inside 《…》 is a document the report cites, not the report's own title.
      size_t open = subject.rfind("《", m.begin), close = subject.rfind("》", m.begin);
      if (open == std::string_view::npos || (close != std::string_view::npos && close > open)) break;
      if (m.begin + 1 >= subject.size()) return false;
    }
    // The agency: up to 40 characters before the year, back to a mark or the start of the title's line.
    size_t agency_begin = m.begin;
    for (int n = 0; n < 40 && agency_begin > 0; ++n) {
      size_t prev = utf8::start_of(subject, agency_begin - 1);
      size_t p = prev;
      char32_t c = utf8::next(subject, p);
      static const std::u32string kStops = U",。:;!?\"《》()[]、";
      if (kStops.find(c) != std::u32string::npos) break;
      if (in_body) {
        size_t here = doc.match_of_compact(base_compact + agency_begin);
        size_t there = doc.match_of_compact(base_compact + prev);
        if (doc.match.text.find('\n', there) < here) break;  // a line break stands between
      }
      agency_begin = prev;
    }
    // Words a sentence puts before the name (现将…) are not part of the title either.
    std::string agency(subject.substr(agency_begin, m.begin - agency_begin));
    const size_t lead = leading_trim(common, agency);
    agency_begin += lead;
    agency = trim_agency(common, agency.substr(lead));
    const size_t begin_compact = base_compact + agency_begin;
    if (agency.empty()) agency = trim_agency(common, std::string(group_text(subject, m, common.title->group("agency2"))));
    auto year = parse_numeral(group_text(subject, m, year_group));
    if (in_body && !own_line(doc, doc.match_of_compact(begin_compact), doc.match_of_compact(base_compact + m.end - 1) + 1)) {
      // A sentence that names the report is no title; its year is still the report's, and its body when the words
      // before the year are the name of one (…特公布贵州省2018年…; not …以及2009年海关系统各直属海关单位…).
      meta.mention_year = year;
      Regex::Match kind;
      if (!std::any_of(common.agency_kinds.begin(), common.agency_kinds.end(),
                       [&](const auto& k) { return k.pattern.search(agency, 0, kind); }))
        agency.clear();
    } else if (in_body) {
      meta.title = FoundText{one_line(doc.source_text(begin_compact, base_compact + m.end)), doc.locate_compact(begin_compact)};
      meta.title_year = year;
      // A title without its agency: the agency may stand on the line before or after it, on a line of its own.
      if (agency.empty()) agency = agency_beside(doc, common, doc.match_of_compact(begin_compact), doc.match_of_compact(base_compact + m.end));
    } else {
      meta.header_title_year = year;
    }
    if (!agency.empty() && meta.agency.empty()) {
      meta.agency = agency;
      meta.agency_source = in_body ? "title" : "header";
    }
    return true;
  };
  if (auto it = meta.header.find("title"); it != meta.header.end()) {
    std::string key;
    for (char c : it->second.text)
      if (!Normalizer::is_layout(c)) key.push_back(c);
    read_title(key, 0, false);
  }
  {
    size_t limit = std::min(compact.size(), body_compact + common.title_search_chars * 3);
    limit = clamp_boundary(compact, limit);
    read_title(compact.substr(body_compact, limit - body_compact), body_compact, true);
  }
  if (auto it = meta.header.find("title"); it != meta.header.end()) {
    // The crawler's title is the page's own; a title found in the body stays as evidence (title_year).
    meta.page_title = meta.title;
    meta.title = it->second;
  }
  if (auto it = meta.header.find("agency"); it != meta.header.end() && meta.agency.empty()) {
    meta.agency = it->second.text;
    meta.agency_source = "header";
  }

  // How 一、总体情况 opens: the year, and the body when nothing named it.
  if (common.overview_opening) {
    const size_t limit = clamp_boundary(compact, body_compact + common.overview_opening_chars * 3);
    std::string_view window = compact.substr(0, limit);
    Regex::Match m;
    if (body_compact < limit && common.overview_opening->search(window, body_compact, m)) {
      meta.overview_year = parse_numeral(group_text(window, m, common.overview_opening->group("year")));
      const int agency_group = common.overview_opening->group("agency");
      std::string agency = trim_agency(common, std::string(group_text(window, m, agency_group)));
      if (meta.agency.empty() && !agency.empty()) {
        meta.agency = std::move(agency);
        meta.agency_source = "overview";
      }
    }
  }

  // Publication date: crawler header first, then the page.
  if (auto it = meta.header.find("published"); it != meta.header.end()) {
    if (auto date = digit_date(it->second.text)) {
      meta.published = date;
      meta.published_source = "crawler-header";
      meta.published_location = it->second.location;
    }
  }
  if (!meta.published && common.published) {
    std::string_view text = doc.match.text;
    size_t limit = clamp_boundary(text, meta.body_start + common.published_search_chars * 3);
    std::string_view window = text.substr(meta.body_start, limit - meta.body_start);
    Regex::Match m;
    if (common.published->search(window, 0, m)) {
      auto date = make_date(group_text(window, m, common.published->group("y")),
                            group_text(window, m, common.published->group("m")),
                            group_text(window, m, common.published->group("d")));
      if (date) {
        meta.published = date;
        meta.published_source = "page";
        meta.published_location = doc.locate_match(meta.body_start + m.begin);
      }
    }
  }

  // Statistics period.
  std::string_view body = compact.substr(body_compact);
  body = body.substr(0, clamp_boundary(body, common.period_search_chars * 3));
  for (const Regex& period : common.periods) {
    Regex::Match m;
    if (!period.search(body, 0, m)) continue;
    auto y1 = parse_numeral(group_text(body, m, period.group("y1")));
    if (!y1) continue;
    meta.period_year = y1;
    meta.period_location = doc.locate_compact(body_compact + m.begin);
    if (period.group("m1") > 0) {
      std::string_view y2 = group_text(body, m, period.group("y2"));
      meta.period_start = make_date(group_text(body, m, period.group("y1")), group_text(body, m, period.group("m1")),
                                    group_text(body, m, period.group("d1")));
      meta.period_end = make_date(y2.empty() ? group_text(body, m, period.group("y1")) : y2,
                                  group_text(body, m, period.group("m2")), group_text(body, m, period.group("d2")));
    }
    break;
  }

  // Signing date: the last date near the end.
  if (common.signed_date) {
    std::string_view text = doc.match.text;
    size_t from = text.size() > common.signed_tail_chars * 3 ? clamp_boundary(text, text.size() - common.signed_tail_chars * 3) : 0;
    from = std::max(from, meta.body_start);
    std::string_view tail = text.substr(from);
    auto matches = common.signed_date->find_all(tail);
    if (!matches.empty() && utf8::length(tail.substr(matches.back().end)) <= common.signed_after_chars) {
      const Regex::Match& m = matches.back();
      auto date = make_date(group_text(tail, m, common.signed_date->group("y")),
                            group_text(tail, m, common.signed_date->group("m")),
                            group_text(tail, m, common.signed_date->group("d")));
      if (date) {
        meta.signed_on = date;
        meta.signed_location = doc.locate_match(from + m.begin);
        // Signed by the body: the line above the date names it, when nothing else did.
        if (meta.agency.empty()) {
          const size_t date_at = from + m.begin;
          size_t line_start = text.rfind('\n', date_at > 0 ? date_at - 1 : 0);
          if (line_start != std::string_view::npos) {
            std::string agency = agency_beside(doc, common, line_start + 1, date_at);
            if (!agency.empty()) {
              meta.agency = std::move(agency);
              meta.agency_source = "signature";
            }
          }
        }
      }
    }
  }
  return meta;
}

}  // namespace xxgk::sections
