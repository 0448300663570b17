// output/sarif_writer.cpp — SARIF 2.1.0 (OASIS) and JUnit XML, for CI systems and code-scanning dashboards.
#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <sstream>

#include "util/utf8.hpp"
#include "xxgk/output.hpp"

#ifndef XXGK_RULE_DOCS_URI
#define XXGK_RULE_DOCS_URI "file:///usr/local/share/doc/xxgk/rules/"
#endif

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

// Code points of `text` before byte `offset`: SARIF counts characters of the file (columnKind
// unicodeCodePoints), and the decoded text has the file's characters (a GB18030 file's too), not its bytes.
uint32_t code_points(std::string_view text, uint32_t offset) {
  uint32_t n = 0;
  const size_t end = std::min<size_t>(offset, text.size());
  for (size_t i = 0; i < end; ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return n;
}

// `artifact`: index into the run's artifacts, or -1 for a location outside them (tool notifications).
json sarif_location(const std::string& uri, long artifact, const Finding* f, const CheckResult* r) {
  json physical = {{"artifactLocation", {{"uri", uri}}}};
  if (artifact >= 0) physical["artifactLocation"]["index"] = artifact;
  if (f && f->location.line) {
    json region = {{"startLine", f->location.line}, {"startColumn", std::max<uint32_t>(1, f->location.column)}};
    const bool ends = f->end.line && (f->end.line > f->location.line ||
                                      (f->end.line == f->location.line && f->end.column > f->location.column));
    if (ends) {
      region["endLine"] = f->end.line;
      region["endColumn"] = std::max<uint32_t>(1, f->end.column);
    }
    // Offsets only where the text is at hand to count them in characters; never a byte offset. A PDF's text is
    // what was read from it, not the file's characters: no offsets there.
    if (r && !r->text.empty() && !f->location.page && f->location.offset <= r->text.size()) {
      const uint32_t begin = code_points(r->text, f->location.offset);
      region["charOffset"] = begin;
      if (ends && f->end.offset > f->location.offset) region["charLength"] = code_points(r->text, f->end.offset) - begin;
    }
    physical["region"] = std::move(region);
  }
  json location = {{"physicalLocation", std::move(physical)}};
  // PDF input (issue 14): the region's line is a line of this page (as `xxgk text` prints the pages).
  if (f && f->location.page) {
    const Location& l = f->location;
    location["properties"] = {{"page", l.page}};
    if (!l.box.empty()) location["properties"]["box"] = {l.box.x0, l.box.y0, l.box.x1, l.box.y1};
    location["message"] = {{"text", "page " + std::to_string(l.page) + ", line " + std::to_string(l.line)}};
  }
  return location;
}

std::string rule_docs_uri(const Run& run) {
  std::string base = run.rule_docs_uri.empty() ? std::string(XXGK_RULE_DOCS_URI) : run.rule_docs_uri;
  if (!base.empty() && base.back() != '/') base.push_back('/');
  return base;
}

}  // namespace

json to_sarif(const Run& run) {
  const Voice& say = run.voice;
  const std::string docs = rule_docs_uri(run);
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  for (const RuleInfo& r : xxgk::rules()) {
    rule_index[r.id] = rules.size();
    const RuleInfo::Text text = r.text(say.language);
    std::string help = text.purpose, help_markdown = text.purpose;
    if (!text.basis.empty()) {
      // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
      help.append("\n").append(say("ui.rule.basis-plain")).append(text.basis);
      help_markdown.append("\n\n**").append(say("ui.rule.basis")).append("** ").append(text.basis);
    }
    rules.push_back({{"id", r.id},
                     {"name", r.id},
                     {"shortDescription", {{"text", text.summary}}},
                     {"fullDescription", {{"text", text.purpose}}},
                     {"defaultConfiguration", {{"level", sarif_level(r.severity)}}},
                     {"helpUri", docs + r.id + ".md"},
                     {"help", {{"text", help}, {"markdown", help_markdown}}},
                     {"properties", {{"basis", text.basis}}}});
  }
  json artifacts = json::array();
  json out_results = json::array();
  json notifications = json::array();
  auto result_of = [&](const Finding& f, const std::string& uri, long artifact, const CheckResult& source) {
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
    r["locations"] = json::array({sarif_location(uri, artifact, &f, &source)});
    r["partialFingerprints"] = {{"xxgkFingerprint/v1", f.fingerprint}};
    r["properties"] = {{"severity", to_string(f.severity)}, {"status", to_string(f.status)}};
    return r;
  };
  for (size_t i = 0; i < run.results.size(); ++i) {
    const CheckResult& result = run.results[i];
    const long artifact = static_cast<long>(artifacts.size());
    const std::string uri = artifact_uri(result.source.path);
    json a = {{"location", {{"uri", uri}}}, {"length", result.source.bytes}};
    if (!result.source.sha256.empty()) a["hashes"] = {{"sha-256", result.source.sha256}};
    if (!result.source.encoding.empty()) a["encoding"] = result.source.encoding;
    a["mimeType"] = result.source.content == InputKind::html ? "text/html" : "text/plain";
    artifacts.push_back(std::move(a));
    if (result.error) {
      // An unreadable input is a tool notification, not a finding about the report.
      notifications.push_back({{"level", "error"},
                               {"message", {{"text", result.source.path + ": " + result.error->message}}},
                               {"descriptor", {{"id", "input." + result.error->code}}},
                               {"locations", json::array({sarif_location(uri, -1, nullptr, nullptr)})}});
      continue;
    }
    for (const Finding& f : result.findings) out_results.push_back(result_of(f, uri, artifact, result));
    // Waived findings stay in the log, suppressed (kind external: the waiver file), with the waiver's reason.
    if (i < run.waived.size())
      for (const WaivedFinding& w : run.waived[i]) {
        json r = result_of(w.finding, uri, artifact, result);
        r["suppressions"] = json::array({{{"kind", "external"}, {"status", "accepted"}, {"justification", w.reason}}});
        out_results.push_back(std::move(r));
      }
  }
  json run_json = {{"tool",
                    {{"driver",
                      {{"name", "xxgk"},
                       {"version", run.version},
                       {"semanticVersion", run.version},
                       {"properties", {{"grammars", run.grammars}}},
                       {"rules", std::move(rules)}}}}},
                   {"invocations", json::array({{{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notifications)}}})},
                   {"language", say.language == "zh" ? "zh-CN" : say.language},
                   {"artifacts", std::move(artifacts)},
                   {"columnKind", "unicodeCodePoints"},
                   {"results", std::move(out_results)}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({std::move(run_json)})}};
}

namespace {
// XML 1.0 forbids control characters (bar tab and line breaks) even escaped: they become U+FFFD.
std::string clean(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += "\xEF\xBF\xBD";
    else out.push_back(c);
  }
  return out;
}
}  // namespace

void write_junit(std::ostream& out, const Run& run) {
  // One test suite per document; one test case per finding, named by rule and fingerprint so that a line shift
  // keeps its history (failure for proven errors and warnings, skipped for findings to review and waived ones,
  // passing for info); a document without findings is one passing case.
  const Voice& say = run.voice;
  pugi::xml_document doc;
  pugi::xml_node suites = doc.append_child("testsuites");
  suites.append_attribute("name") = "xxgk";
  size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  double total_time = 0;
  auto seconds_text = [](double s) {
    std::ostringstream t;
    t.precision(3);
    t << std::fixed << s;
    return t.str();
  };
  for (size_t i = 0; i < run.results.size(); ++i) {
    const CheckResult& r = run.results[i];
    const double seconds = i < run.seconds.size() ? run.seconds[i] : 0.0;
    total_time += seconds;
    pugi::xml_node suite = suites.append_child("testsuite");
    const std::string path = clean(r.source.path);
    suite.append_attribute("name") = path.c_str();
    size_t s_tests = 0, s_failures = 0, s_errors = 0, s_skipped = 0;
    pugi::xml_node properties = suite.append_child("properties");
    for (const auto& [name, value] : {std::pair<const char*, std::string>{"xxgk.version", run.version}, {"xxgk.grammars", run.grammars}}) {
      pugi::xml_node p = properties.append_child("property");
      p.append_attribute("name") = name;
      p.append_attribute("value") = value.c_str();
    }
    auto test_case = [&](const std::string& name, const Finding* f) {
      ++s_tests;
      pugi::xml_node c = suite.append_child("testcase");
      c.append_attribute("classname") = path.c_str();
      c.append_attribute("name") = clean(name).c_str();
      c.append_attribute("file") = path.c_str();
      if (f && f->location.line) c.append_attribute("line") = f->location.line;
      c.append_attribute("time") = "0";
      return c;
    };
    if (r.error) {
      ++s_errors;
      pugi::xml_node e = test_case("input." + r.error->code, nullptr).append_child("error");
      e.append_attribute("type") = ("input." + r.error->code).c_str();
      e.append_attribute("message") = clean(r.error->message).c_str();
    }
    for (const Finding& f : r.findings) {
      pugi::xml_node c = test_case(f.rule + " " + f.fingerprint, &f);
      if (f.status == FindingStatus::uncertain) {
        ++s_skipped;
        c.append_child("skipped").append_attribute("message") = clean(say("ui.prefix.review") + f.message).c_str();
      } else if (f.severity != Severity::info) {
        ++s_failures;
        pugi::xml_node failure = c.append_child("failure");
        failure.append_attribute("type") = to_string(f.severity);
        failure.append_attribute("message") = clean(f.message).c_str();
        std::string where = path;
        if (f.location.line) where.append(":").append(std::to_string(f.location.line)).append(":").append(std::to_string(f.location.column));
        failure.text() = clean(where + ": " + say(std::string("ui.prefix.") + kind_of(f)) + f.message + " [" + f.rule + "]").c_str();
      } else {
        c.append_child("system-out").text() = clean(f.message).c_str();
      }
    }
    if (i < run.waived.size())
      for (const WaivedFinding& w : run.waived[i]) {
        ++s_skipped;
        test_case(w.finding.rule + " " + w.finding.fingerprint, &w.finding).append_child("skipped").append_attribute("message") =
            clean(say("ui.waived", {{"reason", w.reason}, {"message", w.finding.message}})).c_str();
      }
    if (s_tests == 0) test_case("report", nullptr);
    suite.append_attribute("tests") = static_cast<unsigned long long>(std::max<size_t>(s_tests, 1));
    suite.append_attribute("failures") = static_cast<unsigned long long>(s_failures);
    suite.append_attribute("errors") = static_cast<unsigned long long>(s_errors);
    suite.append_attribute("skipped") = static_cast<unsigned long long>(s_skipped);
    suite.append_attribute("time") = seconds_text(seconds).c_str();
    tests += std::max<size_t>(s_tests, 1), failures += s_failures, errors += s_errors, skipped += s_skipped;
  }
  suites.append_attribute("tests") = static_cast<unsigned long long>(tests);
  suites.append_attribute("failures") = static_cast<unsigned long long>(failures);
  suites.append_attribute("errors") = static_cast<unsigned long long>(errors);
  suites.append_attribute("skipped") = static_cast<unsigned long long>(skipped);
  suites.append_attribute("time") = seconds_text(total_time).c_str();
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

}  // namespace xxgk
