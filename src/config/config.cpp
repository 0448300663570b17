#include "config/config.hpp"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
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

bool load_config(const std::string& path, Options& options, std::string* error) {
  auto fail = [&](const std::string& why) {
    if (error) *error = path + ": " + why;
    return false;
  };
  toml::table config;
  try {
    config = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return fail(std::string(e.description()) + " (line " + std::to_string(e.source().begin.line) + ")");
  }
  static const std::set<std::string> kSections = {"rules", "deadline", "money", "messages"};
  for (const auto& [key, value] : config)
    if (!kSections.count(std::string(key.str()))) return fail("unknown section [" + std::string(key.str()) + "]");

  if (const toml::table* rules = config["rules"].as_table()) {
    for (const auto& [key, value] : *rules) {
      const std::string id(key.str());
      if (!find_rule_info(id)) return fail("[rules] names no rule '" + id + "' (see xxgk rules)");
      const auto* level = value.as_string();
      if (!level) return fail("[rules] " + id + " must be \"off\", \"info\", \"warning\" or \"error\"");
      const std::string s = level->get();
      if (s == "off") options.rule_severity[id] = std::nullopt;
      else if (s == "info") options.rule_severity[id] = Severity::info;
      else if (s == "warning") options.rule_severity[id] = Severity::warning;
      else if (s == "error") options.rule_severity[id] = Severity::error;
      else return fail("[rules] " + id + " must be \"off\", \"info\", \"warning\" or \"error\", not \"" + s + "\"");
    }
  }
  if (const toml::table* deadline = config["deadline"].as_table()) {
    for (const auto& [key, value] : *deadline) {
      if (key.str() != "township") return fail("unknown key deadline." + std::string(key.str()));
      const auto* text = value.as_string();
      int month = 0, day = 0, used = 0;
      static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      if (!text || std::sscanf(text->get().c_str(), "%2d-%2d%n", &month, &day, &used) != 2 ||
          static_cast<size_t>(used) != text->get().size() || month < 1 || month > 12 || day < 1 || day > kDays[month - 1])
        return fail("deadline.township must be \"MM-DD\"");
      options.township_deadline_month = month;
      options.township_deadline_day = day;
    }
  }
  if (const toml::table* messages = config["messages"].as_table()) {
    for (const auto& [key, value] : *messages) {
      if (key.str() != "language") return fail("unknown key messages." + std::string(key.str()));
      std::optional<std::string> v = value.value<std::string>();
      if (!v || v->empty()) return fail("messages.language must be a language of the messages, \"zh\" or \"en\"");
      options.language = *v;  // checked against grammars/messages.xml when the checker is made
    }
  }
  if (const toml::table* money = config["money"].as_table()) {
    for (const auto& [key, value] : *money) {
      if (key.str() != "tolerance") return fail("unknown key money." + std::string(key.str()));
      std::optional<double> v = value.value<double>();
      if (!v || !(*v >= 0 && *v <= 1e6)) return fail("money.tolerance must be a number of 万元, 0 or more");  // nan too
      options.money_tolerance = *v;
    }
  }
  return true;
}

bool Baseline::waives(const std::string& document, const Finding& finding) const {
  return std::any_of(waivers.begin(), waivers.end(),
                     [&](const Waiver& w) { return w.document == document && w.fingerprint == finding.fingerprint; });
}

std::optional<Baseline> load_baseline(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = "cannot read " + path;
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("schema", "") != "xxgk.baseline/1" || !j.contains("waivers") ||
      !j["waivers"].is_array()) {
    if (error) *error = path + ": not an xxgk baseline (schema xxgk.baseline/1 with a waivers array)";
    return std::nullopt;
  }
  Baseline b;
  size_t n = 0;
  for (const auto& w : j["waivers"]) {
    ++n;
    auto text = [&](const char* key) { return w.is_object() && w.contains(key) && w[key].is_string() ? w[key].get<std::string>() : std::string(); };
    Waiver waiver{text("document"), text("fingerprint"), text("rule"), text("reason"), text("path")};
    if (waiver.document.empty() || waiver.fingerprint.empty()) {
      if (error) *error = path + ": waiver " + std::to_string(n) + " needs a document hash and a fingerprint";
      return std::nullopt;
    }
    if (waiver.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      if (error) *error = path + ": waiver " + std::to_string(n) + " (" + waiver.rule + ") has no reason; every waiver needs one";
      return std::nullopt;
    }
    b.waivers.push_back(std::move(waiver));
  }
  return b;
}

bool write_baseline(const std::string& path, const std::vector<CheckResult>& results, const std::string& reason,
                    std::string* error) {
  nlohmann::ordered_json waivers = nlohmann::ordered_json::array();
  for (const CheckResult& r : results)
    for (const Finding& f : r.findings)
      waivers.push_back({{"document", r.source.sha256},
                         {"fingerprint", f.fingerprint},
                         {"rule", f.rule},
                         {"path", r.source.path},
                         {"message", f.message},
                         {"reason", reason}});
  nlohmann::ordered_json out = {{"schema", "xxgk.baseline/1"}, {"waivers", std::move(waivers)}};
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << out.dump(2) << "\n";
  if (!file) {
    if (error) *error = "cannot write " + path;
    return false;
  }
  return true;
}

size_t apply_baseline(const Baseline& baseline, CheckResult& result) {
  const size_t before = result.findings.size();
  std::erase_if(result.findings, [&](const Finding& f) { return baseline.waives(result.source.sha256, f); });
  return before - result.findings.size();
}

}  // namespace xxgk::config
