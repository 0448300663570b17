#include <cmath>

#include "util/numbers.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

using json = nlohmann::ordered_json;

json location_fields(json j, const Location& l) {
  if (l.line) {
    j["line"] = l.line;
    j["col"] = l.column;
  } else {
    j["line"] = nullptr;
    j["col"] = nullptr;
  }
  // PDF input (issue 14): the page, `line` being the line of that page, and the box on it (points, y down).
  if (l.page) {
    j["page"] = l.page;
    if (!l.box.empty()) j["box"] = {l.box.x0, l.box.y0, l.box.x1, l.box.y1};
  }
  return j;
}

json number(const std::optional<double>& value, bool decimal) {
  if (!value) return nullptr;
  double v = *value;
  if (!decimal && std::fabs(v) < 9e15)
    if (auto n = numbers::whole(v)) return *n;
  return v;
}

json date(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json table_json(const Table& t) {
  json rows = json::array();
  for (const Row& r : t.rows) {
    json cells = json::array();
    for (const Cell& c : r.cells) {
      json cell = {{"column", c.column},
                   {"column_path", c.column_path},
                   {"raw", c.raw},
                   {"value", number(c.value, c.decimal)},
                   {"unit", text_or_null(c.unit)},
                   {"status", to_string(c.status)}};
      cell = location_fields(std::move(cell), c.location);
      if (c.grid) cell["grid"] = {{"table", c.grid->table}, {"row", c.grid->row}, {"column", c.grid->column}};
      cells.push_back(std::move(cell));
    }
    json row = {{"id", r.id},         {"label", r.label}, {"label_as_written", text_or_null(r.label_as_written)},
                {"block", r.block},   {"format", r.format}};
    row = location_fields(std::move(row), r.location);
    row["cells"] = std::move(cells);
    rows.push_back(std::move(row));
  }
  json table = {{"part", t.part}, {"id", t.id}, {"format", t.format}, {"confidence", t.confidence}};
  table = location_fields(std::move(table), t.location);
  table["rows"] = std::move(rows);
  return table;
}

json head(const CheckResult& r) {
  json j;
  j["schema"] = "xxgk.check/1";
  j["source"] = {{"path", r.source.path},
                 {"bytes", r.source.bytes},
                 {"sha256", r.source.sha256},
                 {"body_fingerprint", text_or_null(r.source.body_fingerprint)},
                 {"encoding", text_or_null(r.source.encoding)},
                 {"encoding_source", text_or_null(r.source.encoding_source)},
                 {"encoding_note", text_or_null(r.source.encoding_note)},
                 {"content", text_or_null(to_string(r.source.content))}};
  if (r.source.content == InputKind::html)
    j["source"]["html"] = {{"body", text_or_null(r.source.html_body)}, {"tables", r.source.html_tables}};
  if (r.source.content == InputKind::pdf) j["source"]["pdf"] = {{"pages", r.source.pages}};  // issue 14
  j["error"] = r.error ? json{{"code", r.error->code}, {"message", r.error->message}} : json(nullptr);
  j["skipped"] = text_or_null(r.skipped);
  const ReportInfo& rep = r.report;
  j["report"] = {{"title", text_or_null(rep.title)},
                 {"agency", text_or_null(rep.agency)},
                 {"level", text_or_null(rep.level)},
                 {"kind", text_or_null(rep.kind)},
                 {"admin_level", text_or_null(rep.admin_level)},
                 {"year", rep.year ? json(*rep.year) : json(nullptr)},
                 {"year_source", text_or_null(rep.year_source)},
                 {"format", rep.format.empty() ? std::string("unknown") : rep.format},
                 {"tables_format", text_or_null(rep.tables_format)},
                 {"published", date(rep.published)},
                 {"published_source", text_or_null(rep.published_source)},
                 {"period", {{"start", date(rep.period_start)}, {"end", date(rep.period_end)}}},
                 {"signed", date(rep.signed_on)},
                 {"is_report", rep.is_report},
                 {"not_report_reason", text_or_null(rep.not_report_reason)},
                 {"traditional", text_or_null(rep.traditional)}};
  return j;
}

}  // namespace

json to_json(const CheckResult& r, bool with_tables) {
  json j = head(r);
  if (with_tables) {
    json sections = json::array();
    for (const Section& s : r.sections) {
      json section = {{"id", s.id},
                      {"number", s.number},
                      {"number_as_written", s.number_as_written ? json(s.number_as_written) : json(nullptr)},
                      {"heading", s.heading},
                      {"canonical", s.canonical}};
      sections.push_back(location_fields(std::move(section), s.location));
    }
    j["sections"] = std::move(sections);
    json tables = json::array();
    for (const Table& t : r.tables) tables.push_back(table_json(t));
    j["tables"] = std::move(tables);
  }
  json findings = json::array();
  Tally tally;
  tally.add(r);
  for (const Finding& f : r.findings) {
    json evidence = json::object();
    if (!f.evidence.terms.empty()) {
      json terms = json::array();
      for (const EvidenceTerm& t : f.evidence.terms) {
        json term = {{"side", t.side},   {"cell", t.cell},     {"label", t.label},
                     {"value", number(t.value, false)}, {"raw", t.raw}, {"status", t.status ? to_string(*t.status) : ""}};
        terms.push_back(location_fields(std::move(term), t.location));
      }
      evidence["terms"] = std::move(terms);
    }
    if (f.evidence.reported) evidence["reported"] = number(f.evidence.reported, true);
    if (f.evidence.computed) evidence["computed"] = number(f.evidence.computed, true);
    if (f.evidence.difference) evidence["difference"] = number(f.evidence.difference, true);
    if (!f.evidence.facts.empty()) {
      json facts = json::object();
      for (const auto& [k, v] : f.evidence.facts) {
        if (facts.contains(k))
          facts[k] = facts[k].get<std::string>() + "; " + v;
        else
          facts[k] = v;
      }
      evidence["facts"] = std::move(facts);
    }
    if (!f.evidence.candidates.empty()) evidence["candidates"] = f.evidence.candidates;
    json finding = {{"rule", f.rule},       {"severity", to_string(f.severity)}, {"status", to_string(f.status)},
                    {"message", f.message}};
    finding = location_fields(std::move(finding), f.location);
    finding["column"] = finding["col"];
    finding.erase("col");
    // Where the text the finding is about ends (exclusive), when it has a range: with line and column, the exact
    // characters to mark.
    finding["end"] = f.end.line ? json{{"line", f.end.line}, {"column", f.end.column}} : json(nullptr);
    finding["fingerprint"] = f.fingerprint;
    finding["evidence"] = std::move(evidence);
    findings.push_back(std::move(finding));
  }
  j["findings"] = std::move(findings);
  j["summary"] = {{"errors", tally.errors}, {"warnings", tally.warnings}, {"info", tally.infos}, {"uncertain", tally.uncertain}};
  return j;
}

json tool_json(const std::string& version, const std::string& grammars) {
  return {{"name", "xxgk"}, {"version", version}, {"grammars", grammars}};
}

json tables_to_json(const CheckResult& r) {
  json j = head(r);
  json tables = json::array();
  for (const Table& t : r.tables) tables.push_back(table_json(t));
  j["tables"] = std::move(tables);
  return j;
}

}  // namespace xxgk
