// pipeline/checker.cpp — the pipeline: ingest → html | pdf | docx → normalise → sections → tables → classify → checks, one
// document at a time: a list of stage calls, each returning a plain value; the decisions are the stages'.
#include <algorithm>
#include <map>
#include <set>

#include "checks/registry.hpp"
#include "classify/classify.hpp"
#include "crossyear/crossyear.hpp"
#include "grammar/grammar.hpp"
#include "docx/docx.hpp"
#include "html/render.hpp"
#include "ingest/ingest.hpp"
#include "ingest/sniff.hpp"
#include "normalize/normalizer.hpp"
#include "pipeline/stage_clock.hpp"
#include "pdf/pdf.hpp"
#include "sections/meta.hpp"
#include "sections/parts.hpp"
#include "tables/indicator_reader.hpp"
#include "tables/table_builder.hpp"
#include "util/deadline.hpp"
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

const char* to_string(InputKind k) {
  switch (k) {
    case InputKind::none: return "";
    case InputKind::text: return "text";
    case InputKind::html: return "html";
    case InputKind::pdf: return "pdf";
    case InputKind::docx: return "docx";
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
  // PERF: written through a pointer into a buffer of the largest size (push_back checked its capacity per byte).
  std::string masked(compact.size() - std::min(body_begin, compact.size()), '\0');
  char* out = masked.data();
  char* const first = out;
  for (size_t i = std::min(body_begin, compact.size()); i < compact.size(); ++i) {
    const char c = compact[i];
    if (c >= '0' && c <= '9') {
      if (out == first || out[-1] != '#') *out++ = '#';
    } else {
      *out++ = c;
    }
  }
  masked.resize(static_cast<size_t>(out - first));
  return sha256_hex(masked).substr(0, 32);
}

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

}  // namespace

namespace {

// A result for an input that was not checked: no report, format unknown; the text only when kept.
void not_checked(CheckResult& result, bool keep_text) {
  result.report = ReportInfo{};
  result.report.is_report = false;
  result.report.format = "unknown";
  result.sections.clear();
  result.tables.clear();
  result.findings.clear();
  if (!keep_text) result.text.clear();
}

// The public facts about the report, from what the stages found and decided.
void fill_report_info(const sections::Meta& meta, const classify::Classification& c, bool traditional, ReportInfo& report) {
  if (meta.title) report.title = meta.title->text;
  report.agency = meta.agency;
  report.kind = c.body.kind;
  report.level = c.body.level;
  report.admin_level = c.body.admin_level;
  report.published = meta.published;
  report.published_source = meta.published_source;
  report.period_start = meta.period_start;
  report.period_end = meta.period_end;
  report.signed_on = meta.signed_on;
  if (traditional) report.traditional = "converted";
  report.year = c.expectation.year.value;
  report.year_source = c.expectation.year.source;
  report.format = c.format;
  report.tables_format = c.tables_format;
  report.is_report = c.is_report;
}

}  // namespace

CheckResult Checker::check(std::string_view bytes, const InputInfo& info) const {
  const grammar::GrammarSet& g = *impl_->grammars;
  const Options& o = impl_->options;
  auto say = [&](const Phrase& phrase) { return g.messages.render(o.language, phrase); };
  pipeline::StageLap lap;  // tools/bench's stage prices; reads no clock unless the bench asks
  CheckResult result;
  result.source.path = utf8::escape_invalid(info.path);  // results are UTF-8 (JSON takes nothing else)
  result.source.bytes = bytes.size();
  result.source.sha256 = sha256_hex(bytes);

  // A time budget is checked between stages; every stage is bounded by the input, this catches the rest.
  const Deadline deadline = Deadline::after(o.time_budget_ms);
  auto out_of_time = [&](const char* stage) {  // stage: a message id (stage.html…)
    if (!deadline.passed()) return false;
    not_checked(result, o.keep_text);
    result.error = InputError{"time-limit", say({"input.time-limit", {{"ms", o.time_budget_ms}, {"stage", say({stage, {}})}}})};
    return true;
  };

  // 1. Ingest. A PDF or Word file (decided by content) is read by its front end into the text and grids an HTML
  // page renders to (docs/pdf.md); every stage after reads it the same way.
  const ingest::Container container = ingest::sniff_container(bytes);
  const bool structured = (container == ingest::Container::pdf || container == ingest::Container::docx) &&
                          bytes.size() <= o.max_input_bytes;
  bool html = false;
  RenderedDocument rendered;
  if (structured) {
    result.source.content = container == ingest::Container::pdf ? InputKind::pdf : InputKind::docx;
    pdf::Limits pdf_limits;
    pdf_limits.max_pages = o.max_pdf_pages;
    pdf_limits.max_page_side = o.max_pdf_page_side;
    pdf_limits.max_words = o.max_document_words;
    pdf_limits.deadline = deadline;
    auto outcome = container == ingest::Container::pdf ? pdf::read(bytes, g, pdf_limits)
                                                       : docx::read(bytes, {uint64_t{8} * o.max_input_bytes, o.max_document_words});
    if (auto* problem = std::get_if<ReadProblem>(&outcome)) {
      result.error = InputError{problem->code, say(problem->message)};
      not_checked(result, o.keep_text);
      return result;
    }
    rendered = std::move(std::get<RenderedDocument>(outcome));
    result.source.encoding = "UTF-8";
    result.source.encoding_source = to_string(result.source.content);
    if (!rendered.note.empty()) result.source.encoding_note = say(rendered.note);
    result.source.pages = rendered.pages;
    result.text = rendered.text;
    if (out_of_time("stage.document")) return result;
  } else {
    auto decoded = ingest::decode(bytes, info.declared_charset, o.max_input_bytes);
    if (auto* error = std::get_if<ingest::Error>(&decoded)) {
      result.error = InputError{error->code, say(error->message)};
      not_checked(result, o.keep_text);
      return result;
    }
    auto& text = std::get<ingest::Decoded>(decoded);
    result.source.encoding = text.encoding;
    result.source.encoding_source = text.encoding_source;
    if (!text.note.empty()) result.source.encoding_note = say(text.note);
    result.source.content = text.html ? InputKind::html : InputKind::text;
    html = text.html;
    result.text = std::move(text.text);
  }

  // Bulk scans: a page that is plainly not a report is not checked.
  if (o.triage)
    if (auto reason = classify::triage(g, result.text, html)) {
      not_checked(result, o.keep_text);
      result.skipped = say(*reason);
      return result;
    }

  // 1b. An HTML page becomes the text of its report body, every byte mapped back into the page.
  Document doc;
  html::Page page;
  if (html) {
    const html::HtmlShape shape = html::measure_shape(result.text);
    if (shape.depth > o.max_html_depth || shape.elements > o.max_html_elements) {
      const bool deep = shape.depth > o.max_html_depth;
      not_checked(result, o.keep_text);
      result.error = deep ? InputError{"too-deep", say({"input.too-deep", {{"depth", shape.depth}, {"limit", o.max_html_depth}}})}
                          : InputError{"too-complex", say({"input.too-complex", {{"elements", shape.elements}, {"limit", o.max_html_elements}}})};
      return result;
    }
    page = html::render(result.text, g);
    if (out_of_time("stage.html")) return result;
    result.source.html_body = page.body_via;
    result.source.html_tables = static_cast<uint32_t>(page.tables);
    doc.source = page.text;
    doc.origin = &page.origin;
    doc.grids = &page.grids;
  } else if (structured) {
    // The text as read is what locations point into; a PDF's lines and cells also know their page and box.
    doc.source = result.text;
    doc.grids = &rendered.grids;
    if (!rendered.layout.page_starts.empty()) doc.layout = &rendered.layout;
  } else {
    doc.source = result.text;
  }
  doc.original = result.text;
  lap(pipeline::Stage::ingest);

  // 2. Normalise.
  g.normalizer().normalize_document(doc, g.common.furniture ? &*g.common.furniture : nullptr,
                                    g.common.markup_residue ? &*g.common.markup_residue : nullptr,
                                    g.common.placeholder_headers ? &*g.common.placeholder_headers : nullptr,
                                    g.common.page_chrome ? &*g.common.page_chrome : nullptr);
  lap(pipeline::Stage::normalise);
  if (out_of_time("stage.normalize")) return result;

  // 3. What the page says about itself; the year and the format it must follow.
  const sections::Meta meta = sections::extract_meta(doc, g.common);
  classify::Expectation expectation = classify::expect(g, meta);

  // 4. Sections.
  const sections::SectionTree tree = sections::find_parts(doc, g.parts_of(expectation.format), g.common, meta.body_start);
  result.source.body_fingerprint = body_fingerprint(doc.compact.text, tree.body_begin);
  lap(pipeline::Stage::sections);
  if (out_of_time("stage.sections")) return result;

  // 5. Tables (pre-2019 reports have none of the statutory ones). Without a year, the format the tables follow
  // is the one the report is judged against, and they are read again with it in mind.
  tables::TablesResult tables;
  if (!expectation.pre2019) {
    tables = impl_->builder->build(doc, tree, expectation.format);
    if (!expectation.year.value)
      if (const grammar::Format* by_tables = classify::format_of_tables(g, tables)) {
        expectation.format = by_tables;
        tables = impl_->builder->build(doc, tree, expectation.format);
      }
  }
  // Reports before 2019 attached a statistics table of their own making (指标名称 / 计量单位 / 历年累计).
  if (std::none_of(tables.tables.begin(), tables.tables.end(), [](const tables::TableResult& t) { return t.found; }))
    tables.indicators = tables::read_indicators(doc, g.indicators, g.common.vocabulary);
  // 6. What the document is.
  const classify::Classification classification = classify::classify(g, doc, meta, tree, tables, expectation);
  fill_report_info(meta, classification, doc.traditional, result.report);
  if (!classification.is_report) result.report.not_report_reason = say(classification.not_report_reason);
  lap(pipeline::Stage::tables);
  if (out_of_time("stage.tables")) return result;

  // 7. Checks.
  checks::CheckContext ctx{doc, g, o, meta, tree, tables, result.report, classification,
                           classification.is_report ? classification.expected() : nullptr, result.findings};
  checks::run_all(ctx);
  apply_severities(o, result.findings);
  for (Finding& f : result.findings) end_at_cell(doc, f);
  lap(pipeline::Stage::checks);
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
  if (tables.indicators) result.tables.push_back(*tables.indicators);
  if (o.year_facts && result.report.is_report && result.report.year && !result.report.agency.empty())
    result.year_facts = crossyear::facts_of(g, result, doc, meta.body_start);
  if (o.keep_text) {
    if (html) {
      result.rendered = std::move(page.text);
      result.rendered_origin = std::move(page.origin);
    } else if (structured) {
      result.rendered = std::move(rendered.text);
    }
  } else {
    result.text.clear();
  }
  lap(pipeline::Stage::results);
  return result;
}

}  // namespace xxgk
