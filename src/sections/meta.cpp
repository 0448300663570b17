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
    const size_t begin_compact = base_compact + agency_begin;
    std::string agency(subject.substr(agency_begin, m.begin - agency_begin));
    if (common.agency_trim) {
      std::string kept;
      size_t from = 0;
      for (const Regex::Match& junk : common.agency_trim->find_all(agency)) {
        kept.append(agency, from, junk.begin - from);
        from = junk.end;
      }
      kept.append(agency, from, std::string::npos);
      agency = std::move(kept);
    }
    if (agency.empty()) agency = std::string(group_text(subject, m, common.title->group("agency2")));
    auto year = parse_numeral(group_text(subject, m, year_group));
    if (in_body) {
      meta.title = FoundText{doc.source_text(begin_compact, base_compact + m.end), doc.locate_compact(begin_compact)};
      meta.title_year = year;
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
      }
    }
  }
  return meta;
}

}  // namespace xxgk::sections
