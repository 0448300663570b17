#include "config/config.hpp"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "util/hash.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

namespace xxgk::config {
namespace fs = std::filesystem;

std::string find_config(const std::string& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec);
  if (ec) return {};
  for (; !dir.empty(); dir = dir.parent_path()) {
    fs::path candidate = dir / "xxgk.toml";
    std::error_code missing;  // a folder without the file is not an error
    if (fs::is_regular_file(candidate, missing)) return candidate.lexically_normal().string();
    if (dir == dir.parent_path()) break;
  }
  return {};
}

bool load_config(const std::string& path, Options& options, std::string* error, const Voice& say) {
  auto fail = [&](std::string_view id, const Words::Args& args = {}) {
    if (error) *error = path + ": " + say(id, args);
    return false;
  };
  toml::table config;
  try {
    config = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return fail("ui.config.syntax", {{"detail", std::string(e.description())}, {"line", std::to_string(e.source().begin.line)}});
  }
  static const std::set<std::string> kSections = {"rules", "deadline", "money", "messages"};
  for (const auto& [key, value] : config)
    if (!kSections.count(std::string(key.str()))) return fail("ui.config.unknown-section", {{"section", std::string(key.str())}});

  if (const toml::table* rules = config["rules"].as_table()) {
    for (const auto& [key, value] : *rules) {
      const std::string id(key.str());
      if (!find_rule_info(id)) return fail("ui.config.no-rule", {{"rule", id}});
      const auto* level = value.as_string();
      const std::string s = level ? level->get() : std::string();
      if (s == "off") options.rule_severity[id] = std::nullopt;
      else if (s == "info") options.rule_severity[id] = Severity::info;
      else if (s == "warning") options.rule_severity[id] = Severity::warning;
      else if (s == "error") options.rule_severity[id] = Severity::error;
      else return fail("ui.config.bad-severity", {{"rule", id}, {"value", s}});
    }
  }
  if (const toml::table* deadline = config["deadline"].as_table()) {
    for (const auto& [key, value] : *deadline) {
      if (key.str() != "township") return fail("ui.config.unknown-key", {{"key", "deadline." + std::string(key.str())}});
      const auto* text = value.as_string();
      int month = 0, day = 0, used = 0;
      static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      if (!text || std::sscanf(text->get().c_str(), "%2d-%2d%n", &month, &day, &used) != 2 ||
          static_cast<size_t>(used) != text->get().size() || month < 1 || month > 12 || day < 1 || day > kDays[month - 1])
        return fail("ui.config.bad-deadline");
      options.township_deadline_month = month;
      options.township_deadline_day = day;
    }
  }
  if (const toml::table* messages = config["messages"].as_table()) {
    for (const auto& [key, value] : *messages) {
      if (key.str() != "language") return fail("ui.config.unknown-key", {{"key", "messages." + std::string(key.str())}});
      std::optional<std::string> v = value.value<std::string>();
      if (!v || !say.catalogue().speaks(*v)) return fail("ui.config.bad-language", {{"value", v.value_or("")}});
      options.language = *v;  // checked against grammars/messages.xml when the checker is made
    }
  }
  if (const toml::table* money = config["money"].as_table()) {
    for (const auto& [key, value] : *money) {
      if (key.str() != "tolerance") return fail("ui.config.unknown-key", {{"key", "money." + std::string(key.str())}});
      std::optional<double> v = value.value<double>();
      if (!v || !(*v >= 0 && *v <= 1e6)) return fail("ui.config.bad-tolerance");  // nan too
      options.money_tolerance = *v;
    }
  }
  return true;
}

std::string subject_of(const Finding& f) {
  std::string about;
  auto number = [](const std::optional<double>& v) {
    char buffer[32] = "-";
    if (v) std::snprintf(buffer, sizeof buffer, "%.10g", *v);
    return std::string(buffer);
  };
  for (const EvidenceTerm& t : f.evidence.terms) about += t.cell + "=" + t.raw + "/" + number(t.value) + "/" + (t.status ? to_string(*t.status) : "") + ";";
  about += number(f.evidence.reported) + ";" + number(f.evidence.computed) + ";" + number(f.evidence.difference) + ";";
  for (const std::string& c : f.evidence.candidates) about += c + ";";
  // The numbers of the facts only: their words follow the language of the run, the numbers do not.
  for (const auto& [name, value] : f.evidence.facts) {
    about += name + ":";
    for (char c : value)
      if (c >= '0' && c <= '9') about.push_back(c);
      else if (!about.empty() && about.back() != ',') about.push_back(',');
    about += ";";
  }
  return fingerprint_hex(about);
}

const Waiver* Baseline::waiver_for(const Source& source, const Finding& finding) const {
  std::string subject;  // computed once, when a waiver of another crawl asks for it
  for (const Waiver& w : waivers) {
    if (w.fingerprint != finding.fingerprint) continue;
    if (!w.document.empty() && w.document == source.sha256) return &w;
    if (w.body.empty() || w.body != source.body_fingerprint) continue;
    if (subject.empty()) subject = subject_of(finding);
    if (w.subject.empty() || w.subject == subject) return &w;
  }
  return nullptr;
}

std::optional<Baseline> load_baseline(const std::string& path, std::string* error, const Voice& say) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = say("ui.cli.cannot-read", {{"path", path}});
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  // WHY not j.value("schema", ""): it throws when "schema" is there but not a string ({"schema": []}, fuzz_config).
  const auto schema = j.is_object() ? j.find("schema") : j.end();
  if (j.is_discarded() || !j.is_object() || schema == j.end() || !schema->is_string() ||
      schema->get<std::string>() != "xxgk.baseline/1" || !j.contains("waivers") ||
      !j["waivers"].is_array()) {
    if (error) *error = path + ": " + say("ui.baseline.not-a-baseline");
    return std::nullopt;
  }
  Baseline b;
  size_t n = 0;
  for (const auto& w : j["waivers"]) {
    ++n;
    auto text = [&](const char* key) { return w.is_object() && w.contains(key) && w[key].is_string() ? w[key].get<std::string>() : std::string(); };
    Waiver waiver{text("document"), text("body"), text("fingerprint"), text("subject"), text("rule"), text("reason"), text("path")};
    if ((waiver.document.empty() && waiver.body.empty()) || waiver.fingerprint.empty()) {
      if (error) *error = path + ": " + say("ui.baseline.incomplete", {{"n", std::to_string(n)}});
      return std::nullopt;
    }
    if (waiver.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      if (error) *error = path + ": " + say("ui.baseline.no-reason", {{"n", std::to_string(n)}, {"rule", waiver.rule}});
      return std::nullopt;
    }
    b.waivers.push_back(std::move(waiver));
  }
  return b;
}

bool write_baseline(const std::string& path, const std::vector<CheckResult>& results, const std::string& reason,
                    std::string* error, const Voice& say) {
  nlohmann::ordered_json waivers = nlohmann::ordered_json::array();
  for (const CheckResult& r : results)
    for (const Finding& f : r.findings)
      waivers.push_back({{"document", r.source.sha256},
                         {"body", r.source.body_fingerprint},
                         {"fingerprint", f.fingerprint},
                         {"subject", subject_of(f)},
                         {"rule", f.rule},
                         {"path", r.source.path},
                         {"message", f.message},
                         {"reason", reason}});
  nlohmann::ordered_json out = {{"schema", "xxgk.baseline/1"}, {"waivers", std::move(waivers)}};
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << out.dump(2) << "\n";
  if (!file) {
    if (error) *error = say("ui.cli.cannot-write", {{"path", path}, {"reason", std::strerror(errno)}});
    return false;
  }
  return true;
}

size_t apply_baseline(const Baseline& baseline, CheckResult& result, std::vector<WaivedFinding>* waived) {
  const size_t before = result.findings.size();
  std::erase_if(result.findings, [&](const Finding& f) {
    const Waiver* w = baseline.waiver_for(result.source, f);
    if (w && waived) waived->push_back({f, w->reason});
    return w != nullptr;
  });
  return before - result.findings.size();
}

}  // namespace xxgk::config
