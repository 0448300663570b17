// output/json_reader.cpp — a result read back from its JSON (docs/schema.md, docs/scan.md): `xxgk merge` writes
// SQLite, the HTML page and the workbook from the JSON lines of a distributed scan.
#include "util/numbers.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

using json = nlohmann::json;

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A field out of range or of another type is absent: lines read back may have been damaged or edited, and a
// double cast unchecked to an integer (1e300 to uint32_t) is undefined.
template <typename T>
T number_or(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if constexpr (std::is_floating_point_v<T>) {
    return it->is_number() ? it->get<T>() : fallback;
  } else {
  if (it->is_number_unsigned()) return numbers::narrow<T>(it->get<uint64_t>()).value_or(fallback);
  if (it->is_number_integer()) return numbers::narrow<T>(it->get<int64_t>()).value_or(fallback);
  if (it->is_number_float()) return numbers::integral<T>(it->get<double>()).value_or(fallback);
  return fallback;
  }
}

bool flag_or(const json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::optional<double> optional_number(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

Location location(const json& j, const char* column = "col") {
  Location l;
  l.line = number_or<uint32_t>(j, "line", 0);
  l.column = number_or<uint32_t>(j, column, 0);
  l.offset = number_or<uint32_t>(j, "offset", 0);
  return l;
}

std::optional<Date> date(const json& j, const char* key) {
  const std::string s = text(j, key);
  Date d;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%d-%d-%d", &d.year, &d.month, &d.day) != 3) return std::nullopt;
  return d;
}

Severity severity(const std::string& s) { return s == "info" ? Severity::info : s == "warning" ? Severity::warning : Severity::error; }

CellStatus cell_status(const std::string& s) {
  for (CellStatus c : {CellStatus::ok, CellStatus::split, CellStatus::inferred, CellStatus::empty, CellStatus::uncertain,
                       CellStatus::missing, CellStatus::invalid})
    if (s == to_string(c)) return c;
  return CellStatus::missing;
}

std::optional<CellStatus> term_status(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return cell_status(s);
}

InputKind input_kind(const std::string& s) {
  for (InputKind k : {InputKind::text, InputKind::html, InputKind::pdf, InputKind::docx})
    if (s == to_string(k)) return k;
  return InputKind::none;
}

}  // namespace

CheckResult result_from_json(const json& j) {
  CheckResult r;
  if (auto s = j.find("source"); s != j.end() && s->is_object()) {
    r.source.path = text(*s, "path");
    r.source.bytes = number_or<uint64_t>(*s, "bytes", 0);
    r.source.sha256 = text(*s, "sha256");
    r.source.encoding = text(*s, "encoding");
    r.source.encoding_source = text(*s, "encoding_source");
    r.source.encoding_note = text(*s, "encoding_note");
    r.source.content = input_kind(text(*s, "content"));
    r.source.body_fingerprint = text(*s, "body_fingerprint");
    if (auto h = s->find("html"); h != s->end() && h->is_object()) {
      r.source.html_body = text(*h, "body");
      r.source.html_tables = number_or<uint32_t>(*h, "tables", 0);
    }
  }
  if (r.source.path.empty()) r.source.path = text(j, "id");
  if (auto e = j.find("error"); e != j.end() && e->is_object()) r.error = InputError{text(*e, "code"), text(*e, "message")};
  r.skipped = text(j, "skipped");
  if (auto rep = j.find("report"); rep != j.end() && rep->is_object()) {
    ReportInfo& i = r.report;
    i.title = text(*rep, "title");
    i.agency = text(*rep, "agency");
    i.level = text(*rep, "level");
    i.kind = text(*rep, "kind");
    i.admin_level = text(*rep, "admin_level");
    if (const int y = number_or<int>(*rep, "year", 0); y > 0 && y < 10000) i.year = y;  // year - 1 cannot overflow
    i.year_source = text(*rep, "year_source");
    i.format = text(*rep, "format");
    i.tables_format = text(*rep, "tables_format");
    i.published = date(*rep, "published");
    i.published_source = text(*rep, "published_source");
    if (auto p = rep->find("period"); p != rep->end() && p->is_object()) {
      i.period_start = date(*p, "start");
      i.period_end = date(*p, "end");
    }
    i.signed_on = date(*rep, "signed");
    i.is_report = flag_or(*rep, "is_report", true);
    i.not_report_reason = text(*rep, "not_report_reason");
    i.traditional = text(*rep, "traditional");
  }
  if (auto sections = j.find("sections"); sections != j.end() && sections->is_array())
    for (const json& s : *sections) {
      Section section;
      section.id = text(s, "id");
      section.number = number_or<int>(s, "number", 0);
      section.number_as_written = number_or<int>(s, "number_as_written", 0);
      section.heading = text(s, "heading");
      section.canonical = flag_or(s, "canonical", true);
      section.location = location(s);
      r.sections.push_back(std::move(section));
    }
  if (auto tables = j.find("tables"); tables != j.end() && tables->is_array())
    for (const json& t : *tables) {
      Table table;
      table.part = number_or<int>(t, "part", 0);
      table.id = text(t, "id");
      table.format = text(t, "format");
      table.confidence = number_or<double>(t, "confidence", 0);
      table.location = location(t);
      if (auto rows = t.find("rows"); rows != t.end() && rows->is_array())
        for (const json& rj : *rows) {
          Row row;
          row.id = text(rj, "id");
          row.label = text(rj, "label");
          row.label_as_written = text(rj, "label_as_written");
          row.block = text(rj, "block");
          row.format = text(rj, "format");
          row.location = location(rj);
          if (auto cells = rj.find("cells"); cells != rj.end() && cells->is_array())
            for (const json& cj : *cells) {
              Cell c;
              c.column = text(cj, "column");
              if (auto path = cj.find("column_path"); path != cj.end() && path->is_array())
                for (const json& p : *path)
                  if (p.is_string()) c.column_path.push_back(p.get<std::string>());
              c.raw = text(cj, "raw");
              c.value = optional_number(cj, "value");
              c.decimal = c.value && cj["value"].is_number_float();
              c.unit = text(cj, "unit");
              c.status = cell_status(text(cj, "status"));
              c.location = location(cj);
              if (auto g = cj.find("grid"); g != cj.end() && g->is_object())
                c.grid = GridRef{number_or<uint32_t>(*g, "table", 0), number_or<uint32_t>(*g, "row", 0), number_or<uint32_t>(*g, "column", 0)};
              row.cells.push_back(std::move(c));
            }
          table.rows.push_back(std::move(row));
        }
      r.tables.push_back(std::move(table));
    }
  if (auto findings = j.find("findings"); findings != j.end() && findings->is_array())
    for (const json& fj : *findings) {
      Finding f;
      f.rule = text(fj, "rule");
      f.severity = severity(text(fj, "severity"));
      f.status = text(fj, "status") == "uncertain" ? FindingStatus::uncertain : FindingStatus::fail;
      f.message = text(fj, "message");
      f.location = location(fj, "column");
      if (auto end = fj.find("end"); end != fj.end() && end->is_object()) f.end = location(*end, "column");
      f.fingerprint = text(fj, "fingerprint");
      if (auto ev = fj.find("evidence"); ev != fj.end() && ev->is_object()) {
        if (auto terms = ev->find("terms"); terms != ev->end() && terms->is_array())
          for (const json& tj : *terms) {
            EvidenceTerm term;
            term.side = text(tj, "side");
            term.cell = text(tj, "cell");
            term.label = text(tj, "label");
            term.value = optional_number(tj, "value");
            term.raw = text(tj, "raw");
            term.status = term_status(text(tj, "status"));
            term.location = location(tj);
            f.evidence.terms.push_back(std::move(term));
          }
        f.evidence.reported = optional_number(*ev, "reported");
        f.evidence.computed = optional_number(*ev, "computed");
        f.evidence.difference = optional_number(*ev, "difference");
        if (auto facts = ev->find("facts"); facts != ev->end() && facts->is_object())
          for (auto it = facts->begin(); it != facts->end(); ++it)
            if (it.value().is_string()) f.evidence.facts.emplace_back(it.key(), it.value().get<std::string>());
        if (auto candidates = ev->find("candidates"); candidates != ev->end() && candidates->is_array())
          for (const json& c : *candidates)
            if (c.is_string()) f.evidence.candidates.push_back(c.get<std::string>());
      }
      r.findings.push_back(std::move(f));
    }
  return r;
}

}  // namespace xxgk
