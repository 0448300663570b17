// Fuzz target: the auditor's HTML report (include/xxgk/output.hpp). The input is checked as `check --format html`
// checks it (text kept), and the result is written as a page, alone and as a scan writes it (compact, with an
// index and a cross-year finding). The page must be valid UTF-8 and must never hold markup that came from the
// input. How that is told apart from the writer's own markup, robustly:
// - every text field of the result gets a marker appended — a tag `<xxgk-inj>` and an attribute breaker `"'` —
//   and no element or attribute of that name may appear in the parsed page;
// - the same result with every markup character of every text (the decoded input too, where HTML pages keep
//   their own tags) replaced by a harmless one of the same length is written as well: the two pages must parse
//   (gumbo, as a browser would) into the same elements with the same attributes and the same parse errors.
//   Escaping that works makes the texts differ and nothing else.
#include <gumbo.h>

#include <cstdio>
#include <sstream>

#include "fuzz_common.hpp"
#include "util/utf8.hpp"
#include "xxgk/output.hpp"

namespace {

const xxgk::Checker& report_checker() {
  static const auto instance = [] {
    std::string error;
    xxgk::Options options;
    options.keep_text = true;  // the report shows the source around findings
    auto made = xxgk::Checker::create(options, &error);
    if (!made) std::abort();
    return made;
  }();
  return *instance;
}

constexpr std::string_view kMarker = "<xxgk-inj xxgk-attr=1>\"'&amp;<!--";

// Every text of a result that comes from the input or is shown as text; ids and enumerated values stay as they
// are (the writer matches them), and so do the offsets into `text`.
template <typename Each>
void each_text(xxgk::CheckResult& r, Each each) {
  each(r.source.path);
  each(r.source.encoding);
  each(r.source.encoding_note);
  each(r.skipped);
  if (r.error) each(r.error->message);
  each(r.report.title);
  each(r.report.agency);
  each(r.report.not_report_reason);
  for (auto& s : r.sections) each(s.heading);
  for (auto& t : r.tables) {
    each(t.format);
    for (auto& row : t.rows) {
      each(row.label);
      each(row.label_as_written);
      for (auto& cell : row.cells) {
        each(cell.raw);
        each(cell.unit);
        for (auto& part : cell.column_path) each(part);
      }
    }
  }
  for (auto& f : r.findings) {
    each(f.message);
    for (auto& term : f.evidence.terms) {
      each(term.label);
      each(term.raw);
    }
    for (auto& [name, value] : f.evidence.facts) each(value);
    for (auto& c : f.evidence.candidates) each(c);
  }
}

void neutralise(std::string& s) {
  for (char& c : s) {
    switch (c) {
      case '<': c = '['; break;
      case '>': c = ']'; break;
      case '"': case '\'': c = '`'; break;
      case '&': c = '+'; break;
      default: break;
    }
  }
}

std::string page_of(const xxgk::CheckResult& r, bool scan) {
  std::ostringstream out;
  if (!scan) {
    xxgk::HtmlReport::Settings settings;
    settings.title = "fuzz " + r.source.path;
    xxgk::write_html_report(out, {r}, settings);
    return out.str();
  }
  xxgk::HtmlReport::Settings settings;
  settings.title = "scan " + r.source.path;
  settings.language = "en";
  settings.compact = true;
  xxgk::HtmlReport report(out, settings);
  for (size_t number = 0; number < 2; ++number)
    report.add(report.entry_of(r, number, true), report.section_of(r, number, true));
  if (!r.findings.empty()) report.add_crossyear(r.findings.front(), r.report.agency, r.source.path, r.report.title);
  report.finish();
  return out.str();
}

std::string name_of(const GumboElement& e) {
  if (e.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.tag);
  GumboStringPiece piece = e.original_tag;
  gumbo_tag_from_original_text(&piece);
  return std::string(piece.data, piece.length);
}

// Elements in document order, each as its name and attribute names; aborts on a marker.
void shape(const GumboNode* node, std::string& out) {
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) return;
  const GumboElement& e = node->v.element;
  const std::string name = name_of(e);
  if (name.find("xxgk-inj") != std::string::npos) {
    std::fprintf(stderr, "fuzz_report: an element <%s> from the input is in the page\n", name.c_str());
    std::abort();
  }
  out += '<';
  out += name;
  for (unsigned i = 0; i < e.attributes.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
    if (std::string_view(a->name).find("xxgk-attr") != std::string_view::npos) {
      std::fprintf(stderr, "fuzz_report: an attribute %s from the input is on <%s>\n", a->name, name.c_str());
      std::abort();
    }
    out += ' ';
    out += a->name;
  }
  out += '>';
  for (unsigned i = 0; i < e.children.length; ++i) shape(static_cast<const GumboNode*>(e.children.data[i]), out);
  out += "</>";
}

std::string parsed_shape(const std::string& page) {
  if (!xxgk::utf8::valid(page)) {
    std::fprintf(stderr, "fuzz_report: the page is not valid UTF-8\n");
    std::abort();
  }
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, page.data(), page.size());
  std::string out;
  shape(output->root, out);
  out += " errors " + std::to_string(output->errors.length);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xxgk::CheckResult marked = report_checker().check(xxgk::fuzz::bytes_of(data, size), {.path = "fuzz", .declared_charset = ""});
  each_text(marked, [](std::string& s) { s += kMarker; });
  xxgk::CheckResult plain = marked;
  each_text(plain, neutralise);
  neutralise(plain.text);
  neutralise(plain.rendered);
  for (const bool scan : {false, true}) {
    const std::string a = parsed_shape(page_of(marked, scan)), b = parsed_shape(page_of(plain, scan));
    if (a != b) {
      size_t at = 0;
      while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
      std::fprintf(stderr, "fuzz_report: the page differs from the one without markup characters (%s):\n  %.300s\n  %.300s\n",
                   scan ? "scan" : "check", a.c_str() + (at > 150 ? at - 150 : 0), b.c_str() + (at > 150 ? at - 150 : 0));
      std::abort();
    }
  }
  return 0;
}
