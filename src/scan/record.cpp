#include "scan/record.hpp"

#include <cstdio>

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

SkipReason skip_reason_of(const InputDocument& doc, const CheckResult& result, const Voice& voice) {
  if (!doc.skip_reason.empty()) return {doc.skip_reason, doc.skip_kind};
  if (!result.skipped.empty()) return {result.skipped, "triage"};
  if (status_of(doc, result) == "skipped") return {voice("skip.not-a-report", {{"reason", result.report.not_report_reason}}), "not-a-report"};
  return {};
}

json document_record(const InputDocument& doc, const CheckResult& result, bool with_tables, const Voice& voice, const json& tool) {
  json j;
  j["schema"] = "xxgk.scan/1";
  j["id"] = doc.id;
  const std::string status = status_of(doc, result);
  j["status"] = status;
  const SkipReason reason = skip_reason_of(doc, result, voice);
  j["reason"] = text_or_null(reason.text);
  j["reason_kind"] = text_or_null(reason.kind);
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
  if (status == "skipped") j["summary"] = {{"errors", 0}, {"warnings", 0}, {"info", 0}, {"uncertain", 0}};
  j["year_facts"] = status == "checked" && result.year_facts ? facts_json(*result.year_facts) : json(nullptr);
  // Where the body is: from its name, else from the host the page was crawled from.
  const Region region = status == "checked" ? region_of(result.report.agency, doc.provenance.url) : Region{};
  j["region"] = region.empty() ? json(nullptr) : json{{"province", region.province}, {"city", text_or_null(region.city)}};
  if (!tool.is_null()) j["tool"] = tool;
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
  f.agency = j.value("agency", "");
  f.year = j.value("year", 0);
  if (j.contains("cells"))
    for (auto it = j["cells"].begin(); it != j["cells"].end(); ++it) {
      YearFacts::Value v;
      v.value = it.value().value("value", 0.0);
      v.inferred = it.value().value("inferred", false);
      v.location.line = it.value().value("line", 0u);
      v.location.column = it.value().value("col", 0u);
      v.location.offset = it.value().value("offset", 0u);
      f.cells[it.key()] = v;
    }
  const std::string sentences = j.value("sentences", "");
  for (size_t pos = 0; pos < sentences.size();) {
    size_t comma = sentences.find(',', pos);
    if (comma == std::string::npos) comma = sentences.size();
    std::string item = sentences.substr(pos, comma - pos);
    size_t colon = item.find(':');
    if (colon != std::string::npos)
      f.sentences.emplace_back(std::stoull(item.substr(0, colon), nullptr, 16),
                               static_cast<uint32_t>(std::stoul(item.substr(colon + 1))));
    pos = comma + 1;
  }
  return f;
}

namespace {
template <typename Json>
Digest digest_from(const Json& r) {
  Digest d;
  auto text = [](const auto& v) { return v.is_string() ? v.template get<std::string>() : std::string(); };
  d.id = text(r.value("id", Json()));
  d.status = text(r.value("status", Json()));
  d.reason = text(r.value("reason", Json()));
  d.reason_kind = text(r.value("reason_kind", Json()));
  if (r.contains("error") && r["error"].is_object()) d.error_code = text(r["error"].value("code", Json()));
  if (r.contains("report") && r["report"].is_object()) {
    const auto& rep = r["report"];
    d.format = text(rep.value("format", Json()));
    d.level = text(rep.value("level", Json()));
    d.kind = text(rep.value("kind", Json()));
    d.agency = text(rep.value("agency", Json()));
    if (rep.contains("year") && rep["year"].is_number_integer()) d.year = rep["year"].template get<int>();
  }
  if (r.contains("source") && r["source"].is_object()) d.content = text(r["source"].value("content", Json()));
  if (r.contains("region") && r["region"].is_object()) {
    d.province = text(r["region"].value("province", Json()));
    d.city = text(r["region"].value("city", Json()));
  }
  if (r.contains("summary") && r["summary"].is_object()) {
    d.errors = r["summary"].value("errors", 0u);
    d.warnings = r["summary"].value("warnings", 0u);
    d.infos = r["summary"].value("info", r["summary"].value("infos", 0u));
    d.uncertain = r["summary"].value("uncertain", 0u);
  }
  if (r.contains("findings") && r["findings"].is_array())
    for (const auto& f : r["findings"])
      d.findings.push_back({text(f.value("rule", Json())), text(f.value("severity", Json())),
                            text(f.value("status", Json())) == "uncertain"});
  return d;
}

}  // namespace

Digest digest_of(const nlohmann::json& r) { return digest_from(r); }
Digest digest_of(const nlohmann::ordered_json& r) { return digest_from(r); }

InputDocument document_of(const nlohmann::json& r) {
  auto text = [](const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  InputDocument d;
  d.id = text(r, "id");
  if (auto p = r.find("provenance"); p != r.end() && p->is_object()) {
    Provenance& v = d.provenance;
    v.container = text(*p, "container");
    v.member = text(*p, "member");
    if (auto o = p->find("offset"); o != p->end() && o->is_number_unsigned()) v.offset = o->get<uint64_t>();
    if (auto l = p->find("length"); l != p->end() && l->is_number_unsigned()) v.length = l->get<uint64_t>();
    v.offset_in_file = text(*p, "offset_in") != "decompressed";
    v.url = text(*p, "url");
    v.date = text(*p, "date");
    v.record_type = text(*p, "record_type");
    if (auto h = p->find("http_status"); h != p->end() && h->is_number_integer()) v.http_status = h->get<int>();
    v.content_type = text(*p, "content_type");
  }
  if (auto s = r.find("source"); s != r.end() && s->is_object()) d.size = s->value("bytes", uint64_t{0});
  d.skip_kind = text(r, "reason_kind");
  if (text(r, "status") == "skipped" && (d.skip_kind == "http-status" || d.skip_kind == "data-table" || d.skip_kind == "own-output"))
    d.skip_reason = text(r, "reason");
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
