#include "classify/classify.hpp"

#include <algorithm>
#include <map>
#include <set>

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

// True when the text ends in the middle of a sentence (not 。！？ a bracket, or a date).
bool ends_mid_sentence(const Document& doc) {
  const std::string& text = doc.match.text;
  size_t end = text.size();
  while (end > 0 && Normalizer::is_layout(text[end - 1])) --end;
  if (end == 0) return false;
  size_t p = utf8::start_of(text, end - 1);
  const char32_t last = utf8::next(text, p);
  static const std::u32string kTerminal = U"。!?.…)]》」』\"'";
  if (kTerminal.find(last) != std::u32string::npos) return false;
  if (last == U'日' || last == U'年' || last == U'月') return false;  // a date closes many reports
  return true;
}

Truncation truncation_of(const Document& doc, const sections::SectionTree& sections, const tables::TablesResult& tables,
                         bool pre2019) {
  Truncation t;
  const int last = last_part_seen(sections);
  for (const auto& table : tables.tables)
    if (table.truncated) {
      t.truncated = true;
      t.part = std::max(t.part, table.table->part);
      t.ends = Phrase{"ends.table", {{"part", table.table->part}, {"table", table.table->name}}};
    }
  // The text stops mid-sentence before the last part: an excerpt, or a page cut off by the crawler. Only where the
  // six parts are required: pre-2019 reports have no fixed last part.
  if (!t.truncated && !pre2019 && last > 0 && last < 6 && ends_mid_sentence(doc)) {
    t.truncated = true;
    t.ends = Phrase{"ends.sentence", {{"part", last}}};
  }
  if (t.truncated) t.part = std::max({t.part, last, 1});
  return t;
}

}  // namespace

Expectation expect(const grammar::GrammarSet& g, const sections::Meta& meta) {
  Expectation e;
  if (meta.header_title_year) e.year = Year{meta.header_title_year, "header-title"};
  else if (meta.title_year) e.year = Year{meta.title_year, "title"};
  else if (meta.period_year) e.year = Year{meta.period_year, "period"};
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

Body body_of(const grammar::GrammarSet& g, const std::string& agency) {
  Body body;
  if (agency.empty()) return body;
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
  c.body = body_of(g, meta.agency);
  const size_t tables_found = static_cast<size_t>(
      std::count_if(tables.tables.begin(), tables.tables.end(), [](const auto& t) { return t.found; }));

  // Pre-2019 words decide a report without a year; with a year they say nothing new. PERF: only searched then.
  bool& pre2019 = c.expectation.pre2019;
  bool pre2019_words = false;
  if (g.common.pre2019_markers && (!expectation.year.value || pre2019)) {
    Regex::Match m;
    pre2019_words = g.common.pre2019_markers->search(doc.compact.text, sections.body_begin, m);
  }
  if (!expectation.year.value && !expectation.format && pre2019_words) pre2019 = true;
  c.format = expectation.format ? expectation.format->id : pre2019 ? "pre2019" : "unknown";
  c.tables_format = pre2019 ? "none" : tables_format(tables);

  // Is it an annual report? A title that says so and some structure, or structure enough.
  bool titled = false;
  if (g.common.report_title) {
    Regex::Match m;
    const std::string header_title = meta.header.count("title") ? meta.header.at("title").text : std::string();
    for (const std::string* candidate : {meta.title ? &meta.title->text : nullptr, &header_title})
      if (candidate && !candidate->empty() && g.common.report_title->search(g.normalizer().normalize_label(*candidate), 0, m))
        titled = true;
    // Or the opening lines name it ("本年度报告…编制" under an untitled excerpt).
    std::string_view opening = std::string_view(doc.compact.text).substr(sections.body_begin);
    opening = opening.substr(0, std::min<size_t>(opening.size(), kOpeningChars * 3));
    titled |= g.common.report_title->search(opening, 0, m) && m.end <= opening.size();
  }
  const size_t structure = sections.parts.size() + tables_found + (pre2019 && pre2019_words ? 1 : 0);
  c.is_report = structure >= 2 || (titled && structure >= 1);
  if (!c.is_report)
    c.not_report_reason = Phrase{titled ? "not-a-report.titled" : "not-a-report.untitled",
                                 {{"parts", sections.parts.size()}, {"tables", tables_found}}};

  c.truncation = truncation_of(doc, sections, tables, c.format == "pre2019");
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
  for (const std::string& w : t.words) words += text.find(w) != std::string_view::npos;
  if (words >= t.min_words) return std::nullopt;
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
