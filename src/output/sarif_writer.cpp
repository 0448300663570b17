// output/sarif_writer.cpp — SARIF 2.1.0 (OASIS) and JUnit XML, for CI systems and code-scanning dashboards.
#include <algorithm>
#include <map>
#include <set>

#include "output/layout.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

using json = nlohmann::ordered_json;

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "note";
  }
  return "none";
}

// A relative path stays relative (SARIF resolves it against the run's working directory); "-" is stdin.
std::string artifact_uri(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    // RFC 3986: keep unreserved characters, '/', and UTF-8 bytes of non-ASCII text percent-encoded.
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// `artifact`: index into the run's artifacts, or -1 for a location outside them (tool notifications).
json sarif_location(const std::string& uri, long artifact, const Location& l) {
  json physical = {{"artifactLocation", {{"uri", uri}}}};
  if (artifact >= 0) physical["artifactLocation"]["index"] = artifact;
  if (l.line) physical["region"] = {{"startLine", l.line}, {"startColumn", std::max<uint32_t>(1, l.column)}, {"charOffset", l.offset}};
  json location = {{"physicalLocation", std::move(physical)}};
  // PDF input (issue 14): the region's line is a line of this page (as `xxgk text` prints the pages).
  if (l.page) {
    location["properties"] = {{"page", l.page}};
    if (!l.box.empty()) location["properties"]["box"] = {l.box.x0, l.box.y0, l.box.x1, l.box.y1};
    location["message"] = {{"text", "page " + std::to_string(l.page) + ", line " + std::to_string(l.line)}};
  }
  return location;
}

}  // namespace

json to_sarif(const std::vector<CheckResult>& results, const std::string& tool_version) {
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  for (const RuleInfo& r : xxgk::rules()) {
    rule_index[r.id] = rules.size();
    json rule = {{"id", r.id},
                 {"name", r.id},
                 {"shortDescription", {{"text", r.summary}}},
                 {"fullDescription", {{"text", r.purpose.empty() ? r.summary : r.purpose}}},
                 {"defaultConfiguration", {{"level", sarif_level(r.severity)}}},
                 {"help", {{"text", r.help_text()}, {"markdown", r.help_markdown()}}},
                 {"properties", {{"basis", r.basis}}}};
    rules.push_back(std::move(rule));
  }
  json artifacts = json::array();
  json out_results = json::array();
  for (const CheckResult& result : results) {
    const long artifact = static_cast<long>(artifacts.size());
    const std::string uri = artifact_uri(result.source.path);
    json a = {{"location", {{"uri", uri}}}, {"length", result.source.bytes}};
    if (!result.source.sha256.empty()) a["hashes"] = {{"sha-256", result.source.sha256}};
    if (!result.source.encoding.empty()) a["encoding"] = result.source.encoding;
    a["mimeType"] = result.source.content == "html" ? "text/html" : "text/plain";
    artifacts.push_back(std::move(a));
    if (result.error) {
      // An unreadable input is a tool notification, not a finding about the report.
      continue;
    }
    size_t reported = 0;
    for (const Finding& f : result.findings) {
      json r = {{"ruleId", f.rule}};
      if (auto it = rule_index.find(f.rule); it != rule_index.end()) r["ruleIndex"] = it->second;
      // fail: the report is wrong; uncertain: extraction doubt, for a person to review.
      if (f.status == FindingStatus::fail) {
        r["kind"] = "fail";
        r["level"] = sarif_level(f.severity);
      } else {
        r["kind"] = "review";
        r["level"] = "none";
      }
      r["message"] = {{"text", f.message}};
      r["locations"] = json::array({sarif_location(uri, artifact, f.location)});
      r["partialFingerprints"] = {{"xxgkFingerprint/v1", f.fingerprint}};
      r["properties"] = {{"severity", to_string(f.severity)}, {"status", to_string(f.status)}};
      out_results.push_back(std::move(r));
      ++reported;
    }
    if (reported == 0) {
      out_results.push_back({{"kind", "pass"},
                             {"level", "none"},
                             {"message", {{"text", "no findings"}}},
                             {"locations", json::array({sarif_location(uri, artifact, {})})}});
    }
  }
  json notifications = json::array();
  for (const CheckResult& result : results)
    if (result.error)
      notifications.push_back({{"level", "error"},
                               {"message", {{"text", result.source.path + ": " + result.error->message}}},
                               {"descriptor", {{"id", "input." + result.error->code}}},
                               {"locations", json::array({sarif_location(artifact_uri(result.source.path), -1, {})})}});
  json run = {{"tool",
               {{"driver",
                 {{"name", "xxgk"},
                  {"version", tool_version},
                  {"semanticVersion", tool_version},
                  {"rules", std::move(rules)}}}}},
              {"invocations", json::array({{{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notifications)}}})},
              {"artifacts", std::move(artifacts)},
              {"columnKind", "unicodeCodePoints"},
              {"results", std::move(out_results)}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
}

void write_junit(std::ostream& out, const std::vector<CheckResult>& results) {
  // One test suite per document; one test case per finding (failure for fail findings of warning or error,
  // skipped for uncertain ones, passing for info); a document without findings is one passing case.
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  std::string body;
  for (const CheckResult& r : results) {
    size_t s_tests = 0, s_failures = 0, s_errors = 0, s_skipped = 0;
    std::string cases;
    const std::string suite = output::escape_markup(r.source.path);
    if (r.error) {
      ++s_tests, ++s_errors;
      cases += "    <testcase classname=\"" + suite + "\" name=\"input." + output::escape_markup(r.error->code) + "\">\n"
               "      <error type=\"input." + output::escape_markup(r.error->code) + "\" message=\"" + output::escape_markup(r.error->message) + "\"/>\n"
               "    </testcase>\n";
    }
    for (const Finding& f : r.findings) {
      ++s_tests;
      std::string where;  // built step by step: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string
      if (f.location.line) where.append(":").append(std::to_string(f.location.line)).append(":").append(std::to_string(f.location.column));
      cases += "    <testcase classname=\"" + suite + "\" name=\"" + output::escape_markup(f.rule + where) + "\" file=\"" + suite + "\"";
      if (f.location.line) cases += " line=\"" + std::to_string(f.location.line) + "\"";
      cases += ">\n";
      if (f.status == FindingStatus::uncertain) {
        ++s_skipped;
        cases += "      <skipped message=\"uncertain: " + output::escape_markup(f.message) + "\"/>\n";
      } else if (f.severity != Severity::info) {
        ++s_failures;
        cases += "      <failure type=\"" + std::string(to_string(f.severity)) + "\" message=\"" + output::escape_markup(f.message) + "\">" +
                 output::escape_markup(r.source.path + where + ": " + f.message + " [" + f.rule + "]") + "</failure>\n";
      } else {
        cases += "      <system-out>" + output::escape_markup(f.message) + "</system-out>\n";
      }
      cases += "    </testcase>\n";
    }
    if (s_tests == 0) {
      ++s_tests;
      cases += "    <testcase classname=\"" + suite + "\" name=\"report\"/>\n";
    }
    body += "  <testsuite name=\"" + suite + "\" tests=\"" + std::to_string(s_tests) + "\" failures=\"" +
            std::to_string(s_failures) + "\" errors=\"" + std::to_string(s_errors) + "\" skipped=\"" +
            std::to_string(s_skipped) + "\">\n" + cases + "  </testsuite>\n";
    tests += s_tests, failures += s_failures, errors += s_errors, skipped += s_skipped;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"xxgk\" tests=\"" << tests << "\" failures=\""
      << failures << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\">\n"
      << body << "</testsuites>\n";
}

}  // namespace xxgk
