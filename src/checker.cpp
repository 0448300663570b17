// checker.cpp — the pipeline: ingest → normalise → sections → tables → checks, one document at a time.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "checks/registry.hpp"
#include "crossyear/crossyear.hpp"
#include "grammar/grammar.hpp"
#include "html/render.hpp"
#include "ingest/ingest.hpp"
#include "normalize/normalizer.hpp"
#include "sections/meta.hpp"
#include "sections/parts.hpp"
#include "tables/table_builder.hpp"
#include "util/hash.hpp"
#include "util/utf8.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "?";
}

const char* to_string(FindingStatus s) { return s == FindingStatus::fail ? "fail" : "uncertain"; }

const char* to_string(CellStatus s) {
  switch (s) {
    case CellStatus::ok: return "ok";
    case CellStatus::split: return "split";
    case CellStatus::inferred: return "inferred";
    case CellStatus::empty: return "empty";
    case CellStatus::uncertain: return "uncertain";
    case CellStatus::missing: return "missing";
    case CellStatus::invalid: return "invalid";
  }
  return "?";
}

const Row* Table::row(std::string_view row_id) const {
  for (const Row& r : rows)
    if (r.id == row_id) return &r;
  return nullptr;
}

struct Checker::Impl {
  Options options;
  std::string grammar_revision;
  std::unique_ptr<grammar::GrammarSet> grammars;
  std::unique_ptr<tables::TableBuilder> builder;
};

Checker::Checker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Checker::~Checker() = default;

std::unique_ptr<Checker> Checker::create(const Options& options, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  std::map<std::string, std::string> files;
  if (options.grammar_dir.empty()) {
    files = grammar::embedded_grammars();
  } else {
    files = grammar::read_grammar_dir(options.grammar_dir, error);
    if (files.empty()) {
      if (error && error->empty()) *error = "no grammar files in " + options.grammar_dir;
      return nullptr;
    }
  }
  impl->grammars = grammar::GrammarSet::load(files, error);
  if (!impl->grammars) return nullptr;
  if (!impl->grammars->messages.has_language(options.language)) {
    if (error) {
      *error = "unknown language '" + options.language + "' (messages.xml has";
      for (const std::string& l : impl->grammars->messages.languages()) *error += " " + l;
      *error += ")";
    }
    return nullptr;
  }
  impl->builder = std::make_unique<tables::TableBuilder>(*impl->grammars);
  std::string all;  // every grammar file by name, in name order
  for (const auto& [name, content] : files) all += name + "\n" + content + "\n";
  for (const auto& f : impl->grammars->formats) impl->grammar_revision += (impl->grammar_revision.empty() ? "" : "+") + f.id;
  impl->grammar_revision += "@" + sha256_hex(all).substr(0, 12);
  return std::unique_ptr<Checker>(new Checker(std::move(impl)));
}

namespace {
// Configured severities (xxgk.toml [rules]): a rule set to "off" reports nothing.
void apply_severities(const Options& options, std::vector<Finding>& findings) {
  if (options.rule_severity.empty()) return;
  std::erase_if(findings, [&](Finding& f) {
    auto it = options.rule_severity.find(f.rule);
    if (it == options.rule_severity.end()) return false;
    if (!it->second) return true;
    f.severity = *it->second;
    return false;
  });
}
}  // namespace

std::vector<Finding> Checker::compare_years(const YearFacts& previous, const YearFacts& current) const {
  std::vector<Finding> found = crossyear::compare(*impl_->grammars, impl_->options.language, previous, current);
  apply_severities(impl_->options, found);
  return found;
}

const std::string& Checker::grammar_revision() const { return impl_->grammar_revision; }

std::vector<std::string> Checker::formats() const {
  std::vector<std::string> out;
  for (const auto& f : impl_->grammars->formats) out.push_back(f.id);
  return out;
}

namespace {

// Public table rows from the builder's result; the cells are moved (the builder's result is done with).
Table public_table(tables::TableResult& t) {
  Table table;
  table.part = t.table->part;
  table.id = t.table->id;
  table.confidence = t.confidence;
  table.location = t.location;
  std::set<std::string> formats;
  for (const auto& b : t.blocks)
    if (b.found && b.distinctive) formats.insert(b.format);
  if (formats.empty())
    for (const auto& b : t.blocks)
      if (b.found) formats.insert(b.format);  // blocks alike in every revision: the one they were read with
  table.format = formats.size() == 1 ? *formats.begin() : formats.empty() ? std::string() : std::string("mixed");
  for (tables::RowResult& r : t.rows) {
    if (!r.found && !r.in_block_format) continue;
    Row row;
    row.id = r.id;
    row.label = checks::row_label(r);
    row.label_as_written = r.label_written;
    row.block = r.block;
    row.format = r.format;
    row.location = r.location;
    row.cells = std::move(r.cells);
    table.rows.push_back(std::move(row));
  }
  return table;
}

// Which format the found blocks follow: one id, "mixed", or "none". Blocks that are alike in every revision
// say nothing.
std::string tables_format(const tables::TablesResult& tables, std::map<std::string, int>* counts = nullptr) {
  std::map<std::string, int> n;
  bool any = false;
  for (const auto& t : tables.tables)
    for (const auto& b : t.blocks) {
      if (!t.found) continue;
      any |= b.found;
      if (b.found && b.distinctive) ++n[b.format];
    }
  if (n.empty() && any)
    for (const auto& t : tables.tables)
      for (const auto& b : t.blocks)
        if (t.found && b.found) ++n[b.format];
  if (counts) *counts = n;
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

// A finding that starts at a cell and has no end of its own ends where the cell's text does, when the input holds
// that text there as written (Finding::end: the checks set it where they know better).
void end_at_cell(const Document& doc, Finding& f) {
  if (f.end.line || !f.location.line || f.location.offset > doc.original.size()) return;
  for (const EvidenceTerm& t : f.evidence.terms) {
    if (t.location.offset != f.location.offset || t.raw.empty()) continue;
    if (doc.original.substr(f.location.offset, t.raw.size()) != t.raw) continue;
    f.end = doc.lines.locate(static_cast<uint32_t>(f.location.offset + t.raw.size()));
    return;
  }
}

// The report's own text, whitespace and digits left out: what a re-crawl with another visit counter keeps.
std::string body_fingerprint(std::string_view compact, size_t body_begin) {
  std::string masked;
  masked.reserve(compact.size() - std::min(body_begin, compact.size()));
  for (size_t i = std::min(body_begin, compact.size()); i < compact.size(); ++i) {
    const char c = compact[i];
    if (c >= '0' && c <= '9') {
      if (masked.empty() || masked.back() != '#') masked.push_back('#');
    } else {
      masked.push_back(c);
    }
  }
  return sha256_hex(masked).substr(0, 32);
}

// Why a page is plainly not an annual report, or nothing when it may be one (common.xml <triage>).
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
      for (size_t n = 0; end < text.size() && n < t.opening_chars; ++n) end += utf8::sequence_length(static_cast<unsigned char>(text[end]));
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
  return Phrase{titled ? "triage.titled" : "triage.untitled",
                {{"words", words}, {"needs", titled ? t.titled_min_words : t.min_words}}};
}

}  // namespace

CheckResult Checker::check(std::string_view bytes, const InputInfo& info) const {
  const grammar::GrammarSet& g = *impl_->grammars;
  CheckResult result;
  result.source.path = info.path;
  result.source.bytes = bytes.size();
  result.source.sha256 = sha256_hex(bytes);

  // 1. Ingest.
  auto decoded = ingest::decode(bytes, info.declared_charset, impl_->options.max_input_bytes);
  if (auto* error = std::get_if<ingest::Error>(&decoded)) {
    result.error = InputError{error->code, g.messages.render(impl_->options.language, error->message)};
    result.report.is_report = false;
    result.report.format = "unknown";
    return result;
  }
  auto& text = std::get<ingest::Decoded>(decoded);
  result.source.encoding = text.encoding;
  result.source.encoding_source = text.encoding_source;
  if (!text.note.empty()) result.source.encoding_note = g.messages.render(impl_->options.language, text.note);
  result.source.content = text.html ? "html" : "text";
  result.text = std::move(text.text);

  // Bulk scans: a page that is plainly not a report is not checked.
  if (impl_->options.triage) {
    if (auto reason = triage(g, result.text, text.html)) {
      result.skipped = g.messages.render(impl_->options.language, *reason);
      result.report.is_report = false;
      result.report.format = "unknown";
      if (!impl_->options.keep_text) result.text.clear();
      return result;
    }
  }
  // A time budget is checked between stages; every stage is bounded by the input, this catches the rest.
  const auto started = std::chrono::steady_clock::now();
  auto out_of_time = [&](const char* stage) {  // stage: a message id (stage.html…)
    if (!impl_->options.time_budget_ms) return false;
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (spent.count() <= impl_->options.time_budget_ms) return false;
    result.error = InputError{"time-limit", g.messages.render(impl_->options.language, "input.time-limit",
                                                              {{"ms", impl_->options.time_budget_ms},
                                                               {"stage", g.messages.render(impl_->options.language, stage, {})}})};
    result.report = ReportInfo{};
    result.report.is_report = false;
    result.report.format = "unknown";
    result.sections.clear();
    result.tables.clear();
    result.findings.clear();
    if (!impl_->options.keep_text) result.text.clear();
    return true;
  };

  // 1b. An HTML page becomes the text of its report body, every byte mapped back into the page.
  Document doc;
  html::Page page;
  if (text.html) {
    const html::HtmlShape shape = html::measure_shape(result.text);
    const Options& o = impl_->options;
    if (shape.depth > o.max_html_depth || shape.elements > o.max_html_elements) {
      result.error = shape.depth > o.max_html_depth
                         ? InputError{"too-deep", g.messages.render(o.language, "input.too-deep",
                                                                    {{"depth", shape.depth}, {"limit", o.max_html_depth}})}
                         : InputError{"too-complex", g.messages.render(o.language, "input.too-complex",
                                                                       {{"elements", shape.elements}, {"limit", o.max_html_elements}})};
      result.report.is_report = false;
      result.report.format = "unknown";
      if (!o.keep_text) result.text.clear();
      return result;
    }
    page = html::render(result.text, g);
    if (out_of_time("stage.html")) return result;
    result.source.html_body = page.body_via;
    result.source.html_tables = static_cast<uint32_t>(page.tables);
    doc.source = page.text;
    doc.origin = &page.origin;
    doc.grids = &page.grids;
  } else {
    doc.source = result.text;
  }
  doc.original = result.text;

  // 2. Normalise.
  doc.lines = LineIndex(doc.original);
  auto normal = g.normalizer().normalize(doc.source);
  doc.match = std::move(normal.match);
  doc.traditional = normal.traditional;
  doc.glosses_removed = normal.glosses_removed;
  if (g.common.furniture) doc.furniture_lines = Normalizer::blank_lines(doc.match, *g.common.furniture);
  doc.compact = Normalizer::compact(doc.match);
  if (out_of_time("stage.normalize")) return result;

  // 3. What the page says about itself, and the year.
  sections::Meta meta = sections::extract_meta(doc, g.common);
  ReportInfo& report = result.report;
  if (meta.title) report.title = meta.title->text;
  report.agency = meta.agency;
  auto cls = sections::classify_agency(g.normalizer().normalize_label(report.agency), g.common);
  report.kind = cls.kind;
  report.level = cls.level;
  report.admin_level = cls.admin_level;
  report.published = meta.published;
  report.published_source = meta.published_source;
  report.period_start = meta.period_start;
  report.period_end = meta.period_end;
  report.signed_on = meta.signed_on;
  if (doc.traditional) report.traditional = "converted";
  if (meta.header_title_year) {
    report.year = meta.header_title_year;
    report.year_source = "header-title";
  } else if (meta.title_year) {
    report.year = meta.title_year;
    report.year_source = "title";
  } else if (meta.period_year) {
    report.year = meta.period_year;
    report.year_source = "period";
  } else if (meta.published) {
    report.year = meta.published->year - 1;
    report.year_source = "published";
  }

  // 4. Format by year; pre-2019 reports get no table rules.
  const grammar::Format* expected = nullptr;
  bool pre2019 = false;
  if (report.year) {
    expected = g.format_for_year(*report.year);
    pre2019 = !expected && *report.year < g.formats.front().from_year;
  }

  // 5. Sections.
  sections::SectionTree tree = sections::find_parts(doc, g.parts_of(expected), g.common, meta.body_start);
  result.source.body_fingerprint = body_fingerprint(doc.compact.text, tree.body_begin);

  if (out_of_time("stage.sections")) return result;

  // 6. Tables.
  tables::TablesResult tables;
  if (!pre2019) {
    tables = impl_->builder->build(doc, tree, expected);
    if (!report.year) {
      // No year: judge the report by the format its tables follow (the one most blocks follow, newest on ties).
      std::map<std::string, int> counts;
      tables_format(tables, &counts);
      const grammar::Format* best = nullptr;
      for (const auto& f : g.formats)
        if (counts.count(f.id) && (!best || counts[f.id] >= counts[best->id])) best = &f;
      if (best) {
        expected = best;
        tables = impl_->builder->build(doc, tree, expected);
      }
    }
  }
  const size_t tables_found = static_cast<size_t>(
      std::count_if(tables.tables.begin(), tables.tables.end(), [](const auto& t) { return t.found; }));
  bool pre2019_words = false;
  if (g.common.pre2019_markers && (!report.year || pre2019)) {  // PERF: only needed without a year, or pre-2019
    Regex::Match m;
    pre2019_words = g.common.pre2019_markers->search(doc.compact.text, tree.body_begin, m);
  }
  if (!report.year && !expected && pre2019_words) pre2019 = true;
  report.format = expected ? expected->id : pre2019 ? "pre2019" : "unknown";
  report.tables_format = pre2019 ? "none" : tables_format(tables);

  // Is it an annual report? A title that says so and some structure, or structure enough.
  {
    bool titled = false;
    Regex::Match m;
    if (g.common.report_title) {
      for (const auto& candidate : {report.title, meta.header.count("title") ? meta.header.at("title").text : std::string()})
        if (!candidate.empty() && g.common.report_title->search(g.normalizer().normalize_label(candidate), 0, m)) titled = true;
      // Or the opening lines name it ("本年度报告…编制" under an untitled excerpt).
      std::string_view opening = std::string_view(doc.compact.text).substr(tree.body_begin);
      opening = opening.substr(0, std::min<size_t>(opening.size(), 600 * 3));
      titled |= g.common.report_title->search(opening, 0, m) && m.end <= opening.size();
    }
    const size_t structure = tree.parts.size() + tables_found + (pre2019 && pre2019_words ? 1 : 0);
    report.is_report = structure >= 2 || (titled && structure >= 1);
    if (!report.is_report)
      report.not_report_reason = g.messages.render(impl_->options.language, titled ? "not-a-report.titled" : "not-a-report.untitled",
                                                   {{"parts", tree.parts.size()}, {"tables", tables_found}});
  }

  if (out_of_time("stage.tables")) return result;

  // 7. Checks.
  checks::CheckContext ctx{doc, g, impl_->options, meta, tree, tables, report, report.is_report ? expected : nullptr, result.findings};
  checks::run_all(ctx);
  apply_severities(impl_->options, result.findings);
  for (Finding& f : result.findings) end_at_cell(doc, f);
  if (out_of_time("stage.checks")) return result;

  // 8. Results.
  for (const sections::Heading& h : tree.parts) {
    Section s;
    s.id = h.id;
    s.number = h.part;
    s.number_as_written = h.number_written;
    s.heading = h.text;
    s.canonical = h.canonical;
    s.location = h.location;
    result.sections.push_back(std::move(s));
  }
  for (auto& t : tables.tables)
    if (t.found) result.tables.push_back(public_table(t));
  if (impl_->options.year_facts && report.is_report && report.year && !report.agency.empty())
    result.year_facts = crossyear::facts_of(g, result, doc, meta.body_start);
  if (impl_->options.keep_text) {
    if (text.html) {
      result.rendered = std::move(page.text);
      result.rendered_origin = std::move(page.origin);
    }
  } else {
    result.text.clear();
  }
  return result;
}

}  // namespace xxgk
