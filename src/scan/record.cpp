#include "scan/record.hpp"

#include <bit>
#include <cmath>

#include "output/json_stream.hpp"
#include "util/hash.hpp"
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

// The sentences of year facts as a record writes them: "print:chars", comma-separated (prints in 16 hex digits;
// PERF: by hand, snprintf was a sixth of writing a scan record).
std::string sentences_text(const YearFacts& f) {
  std::string out;
  for (const auto& [print, chars] : f.sentences) {
    if (!out.empty()) out.push_back(',');
    out.append(hex64(print)).append(":").append(std::to_string(chars));
  }
  return out;
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

namespace {

void provenance_members(JsonStream& o, const Provenance& p) {
  o.member("container", p.container).key("member").text_or_null(p.member).key("offset");
  if (p.offset) o.value(*p.offset);
  else o.null();
  o.key("length");
  if (p.length) o.value(*p.length);
  else o.null();
  o.key("offset_in");
  if (p.offset) o.value(p.offset_in_file ? "file" : "decompressed");
  else o.null();
  o.key("url").text_or_null(p.url);
  o.key("date").text_or_null(p.date);
  o.key("record_type").text_or_null(p.record_type);
  o.key("http_status");
  if (p.http_status) o.value(p.http_status);
  else o.null();
  o.key("content_type").text_or_null(p.content_type);
}

void facts_object(JsonStream& o, const YearFacts& f) {
  o.begin_object().member("agency", f.agency).member("year", f.year).key("cells").begin_object();
  for (const auto& [key, v] : f.cells) {
    o.key(key).begin_object().member("value", v.value).member("inferred", v.inferred);
    if (v.location.line) o.member("line", v.location.line).member("col", v.location.column).member("offset", v.location.offset);
    o.end_object();
  }
  o.end_object();
  o.member("sentences", sentences_text(f)).end_object();
}

}  // namespace

std::string document_line(const InputDocument& doc, const CheckResult& result, bool with_tables, const Voice& voice,
                          const json& tool) {
  std::string line;
  JsonStream o(line);
  o.begin_object().member("schema", "xxgk.scan/1").member("id", doc.id);
  const std::string status = status_of(doc, result);
  o.member("status", status);
  const SkipReason reason = skip_reason_of(doc, result, voice);
  o.key("reason").text_or_null(reason.text).key("reason_kind").text_or_null(reason.kind);
  o.key("provenance").begin_object();
  provenance_members(o, doc.provenance);
  o.end_object();
  write_check_members(o, result, {.schema = false, .with_tables = with_tables, .findings_left_out = status == "skipped"});
  o.key("year_facts");
  if (status == "checked" && result.year_facts) facts_object(o, *result.year_facts);
  else o.null();
  const Region region = status == "checked" ? region_of(result.report.agency, doc.provenance.url) : Region{};
  o.key("region");
  if (region.empty()) o.null();
  else o.begin_object().member("province", region.province).key("city").text_or_null(region.city).end_object();
  if (!tool.is_null()) o.key("tool").value(tool);
  o.end_object();
  return line;
}

Digest digest_of(const InputDocument& doc, const CheckResult& result, const Voice& voice) {
  Digest d;
  d.id = doc.id;
  d.status = status_of(doc, result);
  const SkipReason reason = skip_reason_of(doc, result, voice);
  d.reason = reason.text;
  d.reason_kind = reason.kind;
  if (result.error) d.error_code = result.error->code;
  const ReportInfo& rep = result.report;
  d.format = rep.format.empty() ? "unknown" : rep.format;
  d.level = rep.level;
  d.kind = rep.kind;
  d.agency = rep.agency;
  if (rep.year && *rep.year > 0 && *rep.year < 10000) d.year = *rep.year;
  d.content = to_string(result.source.content);
  if (d.status == "checked") {
    const Region region = region_of(rep.agency, doc.provenance.url);
    if (!region.empty()) {
      d.province = region.province;
      d.city = region.city;
    }
  }
  if (d.status != "skipped") {
    Tally tally;
    tally.add(result);
    d.errors = static_cast<uint32_t>(tally.errors);
    d.warnings = static_cast<uint32_t>(tally.warnings);
    d.infos = static_cast<uint32_t>(tally.infos);
    d.uncertain = static_cast<uint32_t>(tally.uncertain);
    for (const Finding& f : result.findings)
      d.findings.push_back({f.rule, to_string(f.severity), f.status == FindingStatus::uncertain});
  }
  return d;
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
  return {{"agency", f.agency}, {"year", f.year}, {"cells", std::move(cells)}, {"sentences", sentences_text(f)}};
}

namespace {

// WHY these readers: --resume and merge read lines back from files that a killed scan, a damaged disk or a
// person may have changed. A field of the wrong type or beyond its range is taken as absent: nlohmann's value()
// throws on a type mismatch and casts a number of another kind unchecked (1e300 to an unsigned is undefined).
template <typename Json>
std::string text_at(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->template get<std::string>() : std::string();
}

template <typename T, typename Json>
std::optional<T> integer_at(const Json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number_unsigned()) return numbers::narrow<T>(it->template get<uint64_t>());
  if (it->is_number_integer()) return numbers::narrow<T>(it->template get<int64_t>());
  if (it->is_number_float()) return numbers::integral<T>(it->template get<double>());
  return std::nullopt;
}

// A report year as a record can hold it; anything else is no year (and cannot overflow `year - 1`).
template <typename Json>
int year_at(const Json& j, const char* key) {
  const auto year = integer_at<int>(j, key);
  return year && *year > 0 && *year < 10000 ? *year : 0;
}

template <typename Json>
const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

template <typename Json>
Digest digest_from(const Json& r) {
  Digest d;
  d.id = text_at(r, "id");
  d.status = text_at(r, "status");
  d.reason = text_at(r, "reason");
  d.reason_kind = text_at(r, "reason_kind");
  d.error_code = text_at(member(r, "error"), "code");
  const Json& rep = member(r, "report");
  d.format = text_at(rep, "format");
  d.level = text_at(rep, "level");
  d.kind = text_at(rep, "kind");
  d.agency = text_at(rep, "agency");
  if (const int year = year_at(rep, "year")) d.year = year;
  d.content = text_at(member(r, "source"), "content");
  d.province = text_at(member(r, "region"), "province");
  d.city = text_at(member(r, "region"), "city");
  const Json& s = member(r, "summary");
  d.errors = integer_at<uint32_t>(s, "errors").value_or(0);
  d.warnings = integer_at<uint32_t>(s, "warnings").value_or(0);
  d.infos = integer_at<uint32_t>(s, "info").value_or(integer_at<uint32_t>(s, "infos").value_or(0));
  d.uncertain = integer_at<uint32_t>(s, "uncertain").value_or(0);
  const Json& findings = member(r, "findings");
  if (findings.is_array())
    for (const auto& f : findings)
      d.findings.push_back({text_at(f, "rule"), text_at(f, "severity"), text_at(f, "status") == "uncertain"});
  return d;
}

}  // namespace

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

namespace {

// The store's byte form: little-endian integers, IEEE doubles, strings as a length and their bytes.
void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void put_text(std::string& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

class Unpacker {
 public:
  explicit Unpacker(std::string_view bytes) : bytes_(bytes) {}
  bool u32(uint32_t& v) {
    uint64_t wide = 0;
    if (!bytes(4, wide)) return false;
    v = static_cast<uint32_t>(wide);
    return true;
  }
  bool u64(uint64_t& v) { return bytes(8, v); }
  bool u8(uint64_t& v) { return bytes(1, v); }
  bool text(std::string& s) {
    uint32_t n = 0;
    if (!u32(n) || n > bytes_.size() - at_) return false;
    s.assign(bytes_.substr(at_, n));
    at_ += n;
    return true;
  }

 private:
  bool bytes(size_t n, uint64_t& v) {
    if (bytes_.size() - at_ < n) return false;
    v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(bytes_[at_ + i])} << (8 * i);
    at_ += n;
    return true;
  }
  std::string_view bytes_;
  size_t at_ = 0;
};

// A report year as a record holds it (year_at): anything else is no year.
int record_year(int64_t year) { return year > 0 && year < 10000 ? static_cast<int>(year) : 0; }

}  // namespace

// PERF: the cross-year pass read every report's facts back through a JSON parse (and the scan wrote them through a
// JSON DOM): about a twentieth of a scan's instructions beside the checks.
std::string pack_facts(const YearFacts& f) {
  std::string out;
  put_text(out, f.agency);
  put_u32(out, static_cast<uint32_t>(record_year(f.year)));
  uint32_t cells = 0;
  for (const auto& [key, v] : f.cells) cells += std::isfinite(v.value);  // JSON writes what is not finite as null
  put_u32(out, cells);
  for (const auto& [key, v] : f.cells) {
    if (!std::isfinite(v.value)) continue;
    put_text(out, key);
    put_u64(out, std::bit_cast<uint64_t>(v.value));
    out.push_back(v.inferred ? 1 : 0);
    // JSON keeps the column and offset only beside a line.
    put_u32(out, v.location.line);
    put_u32(out, v.location.line ? v.location.column : 0);
    put_u32(out, v.location.line ? v.location.offset : 0);
  }
  put_u32(out, static_cast<uint32_t>(f.sentences.size()));
  for (const auto& [print, chars] : f.sentences) {
    put_u64(out, print);
    put_u32(out, chars);
  }
  return out;
}

YearFacts unpack_facts(std::string_view packed) {
  YearFacts f;
  Unpacker in(packed);
  uint32_t year = 0, cells = 0, sentences = 0;
  if (!in.text(f.agency) || !in.u32(year)) return f;
  f.year = record_year(year);
  if (!in.u32(cells)) return f;
  for (uint32_t i = 0; i < cells; ++i) {
    std::string key;
    uint64_t bits = 0, inferred = 0;
    uint32_t line = 0, column = 0, offset = 0;
    if (!in.text(key) || !in.u64(bits) || !in.u8(inferred) || !in.u32(line) || !in.u32(column) || !in.u32(offset)) return f;
    YearFacts::Value v;
    v.value = std::bit_cast<double>(bits);
    v.inferred = inferred != 0;
    v.location.line = line;
    v.location.column = column;
    v.location.offset = offset;
    f.cells[key] = v;
  }
  if (!in.u32(sentences)) return f;
  for (uint32_t i = 0; i < sentences; ++i) {
    uint64_t print = 0;
    uint32_t chars = 0;
    if (!in.u64(print) || !in.u32(chars)) return f;
    f.sentences.emplace_back(print, chars);
  }
  return f;
}

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
  d.size = integer_at<uint64_t>(member(r, "source"), "bytes").value_or(0);
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
