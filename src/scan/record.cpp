#include "scan/record.hpp"

#include <cstdio>

#include "util/numbers.hpp"
#include "xxgk/output.hpp"

namespace xxgk::scan {
namespace {

using json = nlohmann::ordered_json;

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json provenance_json(const Provenance& p) {
  json j;
  j["container"] = p.container;
  j["member"] = text_or_null(p.member);
  j["offset"] = p.offset ? json(*p.offset) : json(nullptr);
  j["length"] = p.length ? json(*p.length) : json(nullptr);
  j["offset_in"] = p.offset ? json(p.offset_in_file ? "file" : "decompressed") : json(nullptr);
  j["url"] = text_or_null(p.url);
  j["date"] = text_or_null(p.date);
  j["record_type"] = text_or_null(p.record_type);
  j["http_status"] = p.http_status ? json(p.http_status) : json(nullptr);
  j["content_type"] = text_or_null(p.content_type);
  return j;
}

// WHY these readers: --resume and merge read lines back from files that a killed scan, a damaged disk or a
// person may have changed. A field of the wrong type or beyond its range is taken as absent: nlohmann's value()
// throws on a type mismatch and casts a number of another kind unchecked (1e300 to an unsigned is undefined).
std::string text_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <typename T>
std::optional<T> integer_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number_unsigned()) return numbers::narrow<T>(it->get<uint64_t>());
  if (it->is_number_integer()) return numbers::narrow<T>(it->get<int64_t>());
  if (it->is_number_float()) return numbers::integral<T>(it->get<double>());
  return std::nullopt;
}

// A report year as a record can hold it; anything else is no year (and cannot overflow `year - 1`).
int year_at(const nlohmann::json& j, const char* key) {
  const auto year = integer_at<int>(j, key);
  return year && *year > 0 && *year < 10000 ? *year : 0;
}

std::string hex(uint64_t v) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(v));
  return buffer;
}

}  // namespace

std::string status_of(const InputDocument& doc, const CheckResult& result) {
  if (!doc.error_code.empty() || result.error) return "error";
  if (!doc.skip_reason.empty() || !result.skipped.empty() || !result.report.is_report) return "skipped";
  return "checked";
}

json document_record(const InputDocument& doc, const CheckResult& result, bool with_tables) {
  json j;
  j["schema"] = "xxgk.scan/1";
  j["id"] = doc.id;
  const std::string status = status_of(doc, result);
  j["status"] = status;
  std::string reason;
  if (!doc.skip_reason.empty()) reason = doc.skip_reason;
  else if (!result.skipped.empty()) reason = result.skipped;
  else if (status == "skipped") reason = "not a report: " + result.report.not_report_reason;
  j["reason"] = text_or_null(reason);
  j["provenance"] = provenance_json(doc.provenance);
  json check = to_json(result, with_tables);
  for (auto it = check.begin(); it != check.end(); ++it) {
    if (it.key() == "schema") continue;
    if (status == "skipped" && it.key() == "findings") {
      j["findings"] = json::array();  // a page that is not a report has nothing to answer for
      continue;
    }
    j[it.key()] = std::move(it.value());
  }
  if (status == "skipped") j["summary"] = {{"errors", 0}, {"warnings", 0}, {"infos", 0}, {"uncertain", 0}};
  j["year_facts"] = status == "checked" && result.year_facts ? facts_json(*result.year_facts) : json(nullptr);
  return j;
}

json facts_json(const YearFacts& f) {
  json cells = json::object();
  for (const auto& [key, v] : f.cells) {
    json cell = {{"value", v.value}, {"inferred", v.inferred}};
    if (v.location.line) {
      cell["line"] = v.location.line;
      cell["col"] = v.location.column;
      cell["offset"] = v.location.offset;
    }
    cells[key] = std::move(cell);
  }
  std::string sentences;
  for (const auto& [print, chars] : f.sentences) {
    if (!sentences.empty()) sentences.push_back(',');
    sentences += hex(print) + ":" + std::to_string(chars);
  }
  return {{"agency", f.agency}, {"year", f.year}, {"cells", std::move(cells)}, {"sentences", sentences}};
}

YearFacts facts_from_json(const nlohmann::json& j) {
  YearFacts f;
  f.agency = text_at(j, "agency");
  f.year = year_at(j, "year");
  if (j.is_object() && j.contains("cells") && j["cells"].is_object())
    for (auto it = j["cells"].begin(); it != j["cells"].end(); ++it) {
      const nlohmann::json& cell = it.value();
      if (!cell.is_object() || !cell.contains("value") || !cell["value"].is_number()) continue;
      YearFacts::Value v;
      v.value = cell["value"].get<double>();
      v.inferred = cell.contains("inferred") && cell["inferred"].is_boolean() && cell["inferred"].get<bool>();
      v.location.line = integer_at<uint32_t>(cell, "line").value_or(0);
      v.location.column = integer_at<uint32_t>(cell, "col").value_or(0);
      v.location.offset = integer_at<uint32_t>(cell, "offset").value_or(0);
      f.cells[it.key()] = v;
    }
  const std::string sentences = text_at(j, "sentences");
  for (size_t pos = 0; pos < sentences.size();) {
    size_t comma = sentences.find(',', pos);
    if (comma == std::string::npos) comma = sentences.size();
    const std::string_view item = std::string_view(sentences).substr(pos, comma - pos);
    const size_t colon = item.find(':');
    if (colon != std::string_view::npos) {
      const auto print = numbers::parse_size(item.substr(0, colon), 16);
      const auto chars = numbers::parse_size(item.substr(colon + 1), 10, UINT32_MAX);
      if (print && chars) f.sentences.emplace_back(*print, static_cast<uint32_t>(*chars));
    }
    pos = comma + 1;
  }
  return f;
}

Digest digest_of(const nlohmann::json& r) {
  Digest d;
  d.id = text_at(r, "id");
  d.status = text_at(r, "status");
  d.reason = text_at(r, "reason");
  if (r.contains("error")) d.error_code = text_at(r["error"], "code");
  if (r.contains("report") && r["report"].is_object()) {
    const auto& rep = r["report"];
    d.format = text_at(rep, "format");
    d.level = text_at(rep, "level");
    d.kind = text_at(rep, "kind");
    d.agency = text_at(rep, "agency");
    if (const int year = year_at(rep, "year")) d.year = year;
  }
  if (r.contains("summary")) {
    const auto& s = r["summary"];
    d.errors = integer_at<uint32_t>(s, "errors").value_or(0);
    d.warnings = integer_at<uint32_t>(s, "warnings").value_or(0);
    d.infos = integer_at<uint32_t>(s, "infos").value_or(0);
    d.uncertain = integer_at<uint32_t>(s, "uncertain").value_or(0);
  }
  if (r.contains("findings") && r["findings"].is_array())
    for (const auto& f : r["findings"])
      d.findings.push_back({text_at(f, "rule"), text_at(f, "severity"), text_at(f, "status") == "uncertain"});
  return d;
}

std::optional<YearFacts> facts_of(const nlohmann::json& r) {
  if (!r.contains("year_facts") || !r["year_facts"].is_object()) return std::nullopt;
  return facts_from_json(r["year_facts"]);
}

json crossyear_record(const Finding& f, const std::string& document, const std::string& previous,
                      const YearFacts& current, const YearFacts& before) {
  // The finding's own JSON, as in a document's findings, with both documents named.
  CheckResult one;
  one.findings.push_back(f);
  json findings = to_json(one)["findings"];
  json j;
  j["schema"] = "xxgk.crossyear/1";
  j["agency"] = current.agency;
  j["year"] = current.year;
  j["previous_year"] = before.year;
  j["document"] = document;
  j["previous_document"] = previous;
  for (auto it = findings[0].begin(); it != findings[0].end(); ++it) j[it.key()] = it.value();
  return j;
}

}  // namespace xxgk::scan
