#include "classify/classify.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "util/dates.hpp"
#include "util/regex.hpp"
#include "util/utf8.hpp"

namespace xxgk::classify {
namespace {

constexpr size_t kOpeningChars = 600;  // where an untitled excerpt may still name itself a report

// Format id → number of blocks found that follow it. Blocks alike in every revision say nothing, unless nothing
// else was found.
std::map<std::string, int> block_formats(const tables::TablesResult& tables, bool* any_found = nullptr) {
  std::map<std::string, int> n;
  bool any = false;
  for (const auto& t : tables.tables) {
    if (!t.found) continue;
    for (const auto& b : t.blocks) {
      any |= b.found;
      if (b.found && b.distinctive) ++n[b.format];
    }
  }
  if (n.empty() && any)
    for (const auto& t : tables.tables)
      if (t.found)
        for (const auto& b : t.blocks)
          if (b.found) ++n[b.format];
  if (any_found) *any_found = any;
  return n;
}

std::string tables_format(const tables::TablesResult& tables) {
  auto n = block_formats(tables);
  if (n.empty()) return "none";
  return n.size() == 1 ? n.begin()->first : "mixed";
}

// Text of the first <title> element and of <meta name="ArticleTitle">, found without parsing the page.
std::vector<std::string> html_titles(std::string_view html) {
  std::vector<std::string> out;
  std::string head(html.substr(0, std::min<size_t>(html.size(), 64 * 1024)));
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (size_t t = lower.find("<title"); t != std::string::npos) {
    size_t b = lower.find('>', t), e = lower.find("</title", t);
    if (b != std::string::npos && e != std::string::npos && e > b) out.push_back(head.substr(b + 1, e - b - 1));
  }
  if (size_t m = lower.find("articletitle"); m != std::string::npos) {
    size_t c = lower.find("content=", m);
    if (c != std::string::npos && c < m + 200 && c + 9 < head.size()) {
      char quote = head[c + 8];
      size_t e = head.find(quote, c + 9);
      if ((quote == '"' || quote == '\'') && e != std::string::npos) out.push_back(head.substr(c + 9, e - c - 9));
    }
  }
  return out;
}

int last_part_seen(const sections::SectionTree& sections) {
  int last = 0;
  for (const auto& h : sections.parts) last = std::max(last, h.part);
  return last;
}

// The parts the introduction announces ("本报告由…等六个部分组成"), 0 when it does not say.
int announced_parts(const grammar::Common& common, const Document& doc, const sections::SectionTree& sections) {
  const auto& re = common.truncation.announced_parts;
  if (!re) return 0;
  std::string_view intro = std::string_view(doc.compact.text).substr(sections.body_begin);
  size_t end = 0;
  for (size_t n = 0; end < intro.size() && n < common.truncation.intro_chars; ++n)
    end += utf8::sequence_length(static_cast<unsigned char>(intro[end]));
  intro = intro.substr(0, std::min(end, intro.size()));
  Regex::Match m;
  if (!re->search(intro, 0, m)) return 0;
  auto n = parse_numeral(group_text(intro, m, re->group("n")));
  return n && *n >= 2 && *n <= 12 ? static_cast<int>(*n) : 0;
}

// True when `text` holds numbers the way a flattened table does: at least two that no unit, date word or closing
// bracket follows (prose writes 受理申请3件 and 〔2015〕15号, a table 申请数 件 3 or 申请数件3). The last number
// counts when a unit stands before it (数件0): the cut may have taken what followed it.
bool table_like(const grammar::Common& common, std::string_view text) {
  constexpr int kTableNumbers = 2;
  static const std::u32string kAfterNumber = U"年月日号%余多个])》";
  auto unit_at = [&](std::string_view rest) {
    if (rest.empty()) return false;
    if (std::any_of(common.vocabulary.units.begin(), common.vocabulary.units.end(),
                    [&](const std::string& u) { return rest.substr(0, u.size()) == u; }))
      return true;
    size_t p = 0;
    return kAfterNumber.find(utf8::next(rest, p)) != std::u32string::npos;
  };
  auto unit_before = [&](size_t at) {
    return std::any_of(common.vocabulary.units.begin(), common.vocabulary.units.end(), [&](const std::string& u) {
      return at >= u.size() && text.substr(at - u.size(), u.size()) == u;
    });
  };
  int bare = 0;
  for (size_t pos = 0; pos < text.size();) {
    if (text[pos] < '0' || text[pos] > '9') {
      pos += utf8::sequence_length(static_cast<unsigned char>(text[pos]));
      continue;
    }
    size_t begin = pos;
    while (begin > 0 && text[begin - 1] == ' ') --begin;
    while (pos < text.size() && ((text[pos] >= '0' && text[pos] <= '9') || text[pos] == '.' || text[pos] == ',')) ++pos;
    size_t next = pos;
    while (next < text.size() && text[next] == ' ') ++next;
    const bool last = next >= text.size();
    if (last ? unit_before(begin) : !unit_at(text.substr(next))) ++bare;
    if (bare >= kTableNumbers) return true;
  }
  return false;
}

// True for a short line that signs a text: it names the agency, or ends with what bodies are called.
bool signature(const grammar::Common& common, const sections::Meta& meta, std::string_view line) {
  if (!meta.agency.empty() && line.find(meta.agency) != std::string_view::npos) return true;
  Regex::Match m;
  return common.truncation.signature && common.truncation.signature->search(line, 0, m);
}

// How the text's last line ends: mid-sentence, on an unfinished heading, or as a text ends.
struct Ending {
  bool mid_sentence = false;
  bool unfinished_heading = false;
  std::string tail;  //!< the unfinished heading, as written
  size_t tail_compact = SIZE_MAX;
};

Ending ending_of(const grammar::Common& common, const Document& doc, const sections::Meta& meta,
                 const sections::SectionTree& sections) {
  Ending e;
  const std::string& text = doc.match.text;
  const std::u32string& ends = common.truncation.sentence_end;
  size_t end = text.size();
  while (end > 0 && Normalizer::is_layout(text[end - 1])) --end;
  if (end == 0) return e;
  size_t line_begin = text.rfind('\n', end - 1);
  line_begin = line_begin == std::string::npos ? 0 : line_begin + 1;
  while (line_begin < end && Normalizer::is_layout(text[line_begin])) ++line_begin;
  const std::string_view line = std::string_view(text).substr(line_begin, end - line_begin);
  // A sentence ends with its mark, a signature with its date (2024年1月20日).
  auto ends_here = [&](char32_t c, char32_t before) {
    return ends.find(c) != std::u32string::npos ||
           (common.truncation.date_end.find(c) != std::u32string::npos && before >= U'0' && before <= U'9');
  };
  // The text after the line's last sentence end (a point is left out: 1.当面申请数 numbers a list).
  // PERF: read from the line's end back to that mark: a page that is one long line is not read whole.
  auto code_point_before = [&](size_t at, size_t& start) -> char32_t {  // the one that ends at `at`; 0 at the start
    if (at == 0) return 0;
    start = utf8::start_of(line, at - 1);
    size_t pos = start;
    return utf8::next(line, pos);
  };
  size_t tail_begin = 0;
  bool after_sentence = false;
  size_t last_start = 0, unused = 0;
  const char32_t last = code_point_before(line.size(), last_start);
  const char32_t before_last = code_point_before(last_start, unused);
  for (size_t at = line.size(); at > 0;) {
    size_t start = 0, before_start = 0;
    const char32_t c = code_point_before(at, start);
    if (ends_here(c, code_point_before(start, before_start))) {
      tail_begin = at;
      after_sentence = true;
      break;
    }
    at = start;
  }
  if (last == U'.' || ends_here(last, before_last)) return e;  // it ends as a sentence or a date does
  while (tail_begin < line.size() && Normalizer::is_layout(line[tail_begin])) ++tail_begin;
  const std::string_view tail = line.substr(tail_begin);
  Regex::Match m;
  if (common.truncation.unfinished_heading && common.truncation.unfinished_heading->search(tail, 0, m)) {
    // A heading that was found whole is a heading with nothing after it, not an unfinished one.
    const size_t tail_compact = doc.compact_of_match(line_begin + tail_begin);
    const bool found_whole = std::any_of(sections.parts.begin(), sections.parts.end(),
                                         [&](const sections::Heading& h) { return h.begin >= tail_compact; });
    if (!found_whole) {
      e.unfinished_heading = true;
      e.tail = doc.source_text(tail_compact, doc.compact_of_match(end));
      e.tail_compact = tail_compact;
      return e;
    }
  }
  // The numbers of a flattened table end many complete reports (pre-2019 statistics: 行政复议数 件 0).
  if (table_like(common, tail)) return e;
  // Page chrome closes a text wherever it stands (…2015年1月30日 附件下载); a signature stands on a line of its own.
  Regex::Match chrome;
  if (common.truncation.chrome && common.truncation.chrome->search(tail, 0, chrome)) return e;
  // A sentence begun after another on the same line and stopped (…。积极探索政府), a paragraph with no end, or a
  // short line that is no signature ((本列数据的勾稽).
  e.mid_sentence = after_sentence || utf8::length(tail) >= common.truncation.min_line_chars || !signature(common, meta, tail);
  return e;
}

Truncation truncation_of(const grammar::Common& common, const Document& doc, const sections::Meta& meta,
                         const sections::SectionTree& sections, const tables::TablesResult& tables, bool fixed_parts) {
  Truncation t;
  const int last = last_part_seen(sections);
  t.announced_parts = announced_parts(common, doc, sections);
  for (const auto& table : tables.tables)
    if (table.truncated) {
      t.truncated = true;
      t.part = std::max(t.part, table.table->part);
      t.ends = Phrase{"ends.table", {{"part", table.table->part}, {"table", table.table->name}}};
    }
  if (t.truncated) t.evidence.push_back(t.ends);
  const Ending ending = ending_of(common, doc, meta, sections);
  // Where the six parts are required, a text that reached part 6 is whole whatever its last line says.
  const bool before_the_end = !fixed_parts || last < 6;
  if (!t.truncated && before_the_end && ending.unfinished_heading) {
    t.truncated = true;
    t.ends = fixed_parts ? Phrase{"ends.heading", {{"heading", ending.tail}, {"part", std::max(last, 1)}}}
                         : Phrase{"ends.heading.free", {{"heading", ending.tail}}};
    t.unfinished_at = ending.tail_compact;
    t.evidence.push_back(t.ends);
  }
  if (!t.truncated && before_the_end && ending.mid_sentence) {
    t.truncated = true;
    t.ends = fixed_parts ? Phrase{"ends.sentence", {{"part", std::max(last, 1)}}} : Phrase{"ends.sentence.free", {}};
    t.evidence.push_back(t.ends);
  }
  const bool unsigned_end = !meta.signed_on;
  const bool announced_unseen = t.announced_parts > last;
  if (!t.truncated && fixed_parts && unsigned_end && announced_unseen && last > 0 && last <= common.truncation.early_part) {
    t.truncated = true;
    t.ends = Phrase{"ends.early", {{"part", last}}};
    t.evidence.push_back(t.ends);
  }
  if (!t.truncated) return t;
  if (announced_unseen) t.evidence.push_back(Phrase{"truncation.announced", {{"announced", t.announced_parts}, {"seen", last}}});
  if (unsigned_end) t.evidence.push_back(Phrase{"truncation.unsigned", {}});
  // The part the text ends in: the last one seen, or the one whose table it ends in; an unfinished heading of
  // the next part does not count (its text was not seen). Nothing seen: the text ends before part 1.
  t.part = std::max(t.part, last);
  t.complete_through = ending.unfinished_heading && t.ends.id.rfind("ends.heading", 0) == 0 ? t.part : t.part - 1;
  return t;
}

// Distinct part-1 sub-topics (（一）主动公开, （二）依申请公开…) written under part 1's heading.
size_t part_one_subtopics(const grammar::GrammarSet& g, const Document& doc, const sections::SectionTree& sections) {
  const auto region = sections.region(1);
  if (!region) return 0;
  std::string_view text = std::string_view(doc.compact.text).substr(0, region->second);
  std::set<std::string> found;
  for (const grammar::Part& part : g.common.parts) {
    if (part.number != 1) continue;
    for (size_t at = text.find('(', region->first); at != std::string_view::npos; at = text.find('(', at + 1)) {
      const size_t close = text.find(')', at);
      if (close == std::string_view::npos || close - at > 4 * 3) continue;
      Regex::Match m;
      for (const grammar::Subtopic& s : part.subtopics)
        if (s.pattern.search(text, close + 1, m) && m.begin == close + 1) found.insert(s.id);
    }
  }
  return found.size();
}

// True when the introduction names at least three of the statutory parts by their titles.
bool names_the_parts(const grammar::GrammarSet& g, const Document& doc, const sections::SectionTree& sections) {
  constexpr size_t kNamed = 3;
  size_t end = sections.parts.empty() ? doc.compact.text.size() : sections.parts.front().begin;
  end = std::min(end, sections.body_begin + g.common.truncation.intro_chars * 3);
  std::string_view intro = std::string_view(doc.compact.text).substr(0, utf8::start_of(doc.compact.text, std::min(end, doc.compact.text.size())));
  if (sections.body_begin >= intro.size()) return false;
  size_t named = 0;
  for (const grammar::Part& part : g.common.parts) {
    const size_t mark = part.heading.find("、");
    const std::string title = g.normalizer().normalize_label(mark == std::string::npos ? part.heading : part.heading.substr(mark + std::string("、").size()));
    named += intro.find(title, sections.body_begin) != std::string_view::npos;
  }
  return named >= kNamed;
}

}  // namespace

Expectation expect(const grammar::GrammarSet& g, const sections::Meta& meta) {
  Expectation e;
  if (meta.header_title_year) e.year = Year{meta.header_title_year, "header-title"};
  else if (meta.title_year) e.year = Year{meta.title_year, "title"};
  else if (meta.period_year) e.year = Year{meta.period_year, "period"};
  else if (meta.mention_year) e.year = Year{meta.mention_year, "mention"};
  else if (meta.overview_year) e.year = Year{meta.overview_year, "overview"};
  else if (meta.published) e.year = Year{meta.published->year - 1, "published"};
  if (e.year.value) {
    e.format = g.format_for_year(*e.year.value);
    e.pre2019 = !e.format && *e.year.value < g.formats.front().from_year;
  }
  return e;
}

const grammar::Format* format_of_tables(const grammar::GrammarSet& g, const tables::TablesResult& tables) {
  auto counts = block_formats(tables);
  const grammar::Format* best = nullptr;
  for (const auto& f : g.formats)
    if (counts.count(f.id) && (!best || counts[f.id] >= counts[best->id])) best = &f;
  return best;
}

Body body_of(const grammar::GrammarSet& g, const std::string& agency, const Document& doc, size_t body_begin) {
  Body body;
  if (agency.empty()) {
    // Its words for itself: the kind it names most often (我镇…, 本局…).
    std::string_view text = std::string_view(doc.compact.text).substr(std::min(body_begin, doc.compact.text.size()));
    text = text.substr(0, utf8::start_of(text, std::min(text.size(), g.common.self_reference_chars * 3)));
    size_t best = 0;
    for (const auto& kind : g.common.self_reference) {
      const size_t n = kind.pattern.find_all(text).size();
      if (n > best) {
        best = n;
        body.kind = kind.kind;
        body.level = kind.level;
        body.admin_level = kind.admin;
      }
    }
    return body;
  }
  const std::string key = g.normalizer().normalize_label(agency);
  Regex::Match m;
  for (const auto& kind : g.common.agency_kinds) {
    if (!kind.pattern.search(key, 0, m)) continue;
    body.kind = kind.kind;
    body.level = kind.level;
    body.admin_level = kind.admin;
    break;
  }
  if (body.admin_level.empty())
    for (const auto& level : g.common.admin_levels)
      if (level.pattern.search(key, 0, m)) {
        body.admin_level = level.name;
        break;
      }
  return body;
}

Classification classify(const grammar::GrammarSet& g, const Document& doc, const sections::Meta& meta,
                        const sections::SectionTree& sections, const tables::TablesResult& tables,
                        const Expectation& expectation) {
  Classification c;
  c.expectation = expectation;
  c.body = body_of(g, meta.agency, doc, sections.body_begin);
  const size_t tables_found = static_cast<size_t>(
      std::count_if(tables.tables.begin(), tables.tables.end(), [](const auto& t) { return t.found; }));

  // Pre-2019 words decide a report without a year; with a year they say nothing new. PERF: only searched then.
  bool& pre2019 = c.expectation.pre2019;
  Regex::Match pre2019_match;
  auto pre2019_words = [&] {
    return g.common.pre2019_markers && g.common.pre2019_markers->search(doc.compact.text, sections.body_begin, pre2019_match);
  };
  const bool pre2019_found = (!expectation.year.value || pre2019) && pre2019_words();
  if (!expectation.year.value && !expectation.format && pre2019_found) pre2019 = true;
  c.format = expectation.format ? expectation.format->id : pre2019 ? "pre2019" : "unknown";
  c.tables_format = pre2019 ? "none" : tables_format(tables);
  c.truncation = truncation_of(g.common, doc, meta, sections, tables, c.format != "pre2019");
  // A report with a format but neither part 1 nor a statutory table may be written in the old structure (not when
  // the text was cut off: the cut may have taken them).
  if (expectation.format && tables_found == 0 && !sections.part(1) && !c.truncation.truncated && pre2019_words()) {
    c.old_structure = true;
    c.old_structure_words = doc.source_text(pre2019_match.begin, pre2019_match.end);
  }

  // Is it an annual report? A title that says so and some structure, or structure enough.
  // `titled`: the page names itself a report; `entitled`: by its own title, its statistics period or by naming its
  // parts — enough, with a cut, to call a text with no structure yet a report (a column name in the opening of a
  // list page is not).
  bool titled = false, entitled = false;
  if (g.common.report_title) {
    Regex::Match m;
    const std::string header_title = meta.header.count("title") ? meta.header.at("title").text : std::string();
    for (const std::string* candidate : {meta.title ? &meta.title->text : nullptr, &header_title})
      if (candidate && !candidate->empty() && g.common.report_title->search(g.normalizer().normalize_label(*candidate), 0, m))
        entitled = true;
    // A statistics period ("本报告所列数据的统计期限…") is said only by reports.
    entitled |= meta.period_year.has_value();
    titled = entitled;
    // Or the opening lines name it: a report title, or the way a report introduces itself.
    std::string_view opening = std::string_view(doc.compact.text).substr(sections.body_begin);
    opening = opening.substr(0, std::min<size_t>(opening.size(), kOpeningChars * 3));
    titled |= g.common.report_title->search(opening, 0, m) && m.end <= opening.size();
    if (g.common.report_intro && g.common.report_intro->search(opening, 0, m) && m.end <= opening.size()) titled = entitled = true;
  }
  // The introduction names the parts a report has ("本报告由总体情况、主动公开政府信息情况…组成").
  if (names_the_parts(g, doc, sections)) titled = entitled = true;
  const size_t structure = sections.parts.size() + tables_found + (pre2019 && pre2019_found ? 1 : 0) +
                           (part_one_subtopics(g, doc, sections) > 0 ? 1 : 0);
  // A text cut off early shows little structure: a title is enough then.
  // A text cut off early shows little: its own title, its introduction or part 1's heading is enough then.
  c.is_report = structure >= 2 || (titled && structure >= 1) || (c.truncation.truncated && (entitled || sections.part(1)));
  if (!c.is_report)
    c.not_report_reason = Phrase{titled ? "not-a-report.titled" : "not-a-report.untitled",
                                 {{"parts", sections.parts.size()}, {"tables", tables_found}}};

  return c;
}

bool beyond_truncation(const tables::TableResult& table, const tables::RowResult& row) {
  return table.truncated && std::none_of(table.rows.begin(), table.rows.end(), [&](const tables::RowResult& f) {
           return f.found && f.item > row.item;
         });
}

std::optional<Phrase> triage(const grammar::GrammarSet& g, std::string_view text, bool html) {
  const auto& t = g.common.triage;
  if (t.words.empty()) return std::nullopt;
  size_t words = 0;
  // PERF: a report names enough of the words early; the rest of the list is not searched (each find may read the
  // whole text).
  for (const std::string& w : t.words)
    if ((words += text.find(w) != std::string_view::npos) >= t.min_words) return std::nullopt;
  bool titled = false;
  if (g.common.report_title) {
    std::vector<std::string> titles;
    if (html) {
      titles = html_titles(text);
    } else {
      size_t end = 0;
      for (size_t n = 0; end < text.size() && n < t.opening_chars; ++n)
        end += utf8::sequence_length(static_cast<unsigned char>(text[end]));
      titles.emplace_back(text.substr(0, std::min(end, text.size())));
    }
    Regex::Match m;
    for (const std::string& title : titles) {
      if (!utf8::valid(title)) continue;
      std::string key;
      for (char c : g.normalizer().normalize_label(title))
        if (!Normalizer::is_layout(c)) key.push_back(c);
      titled |= g.common.report_title->search(key, 0, m);
    }
  }
  if (titled && words >= t.titled_min_words) return std::nullopt;
  return Phrase{std::string(titled ? "triage.titled" : "triage.untitled") + (words == 1 ? ".one" : ""),
                {{"words", words}, {"needed", titled ? t.titled_min_words : t.min_words}}};
}

}  // namespace xxgk::classify
