#include "scan/summary.hpp"

#include <algorithm>

namespace xxgk::scan {

namespace {

// Skip reasons in a few kinds: the reason of each document is in its own line.
std::string skip_kind(const std::string& reason) {
  if (reason.rfind("HTTP status", 0) == 0) return reason;
  if (reason.rfind("not a report", 0) == 0) return "not a report (checked)";
  return "triage (few statutory words)";
}

}  // namespace

void Summary::add(const Digest& d) {
  ++documents_;
  ++status_[d.status];
  if (d.status == "skipped") ++skipped_[skip_kind(d.reason)];
  if (d.status == "error") ++errors_by_code_[d.error_code.empty() ? "unknown" : d.error_code];
  if (d.status != "checked") return;
  ++format_[d.format.empty() ? "unknown" : d.format];
  ++year_[d.year ? std::to_string(*d.year) : "unknown"];
  ++level_[d.level.empty() ? "unknown" : d.level];
  for (const auto& f : d.findings) {
    auto& r = rules_[f.rule];
    (f.uncertain ? r.second : r.first)++;
    ++severity_[f.uncertain ? std::string("review") : f.severity];  // doubt is counted apart, never as an error
  }
  if (d.errors == 0) return;
  top_.emplace_back(d.errors, d.id);
  std::sort(top_.begin(), top_.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  if (top_.size() > kTop) top_.pop_back();
}

void Summary::add_crossyear(const Finding& f) {
  auto& r = crossyear_[f.rule];
  (f.status == FindingStatus::uncertain ? r.second : r.first)++;
}

nlohmann::ordered_json Summary::to_json() const {
  using json = nlohmann::ordered_json;
  auto counts = [](const std::map<std::string, size_t>& m) {
    json j = json::object();
    for (const auto& [k, v] : m) j[k] = v;
    return j;
  };
  auto rule_counts = [](const std::map<std::string, std::pair<size_t, size_t>>& m) {
    json j = json::object();
    for (const auto& [k, v] : m) j[k] = {{"fail", v.first}, {"uncertain", v.second}};
    return j;
  };
  json top = json::array();
  for (const auto& [errors, id] : top_) top.push_back({{"id", id}, {"errors", errors}});
  return {{"schema", "xxgk.scan-summary/1"},
          {"documents", documents_},
          {"status", counts(status_)},
          {"skipped", counts(skipped_)},
          {"errors_by_code", counts(errors_by_code_)},
          {"reports_by_format", counts(format_)},
          {"reports_by_year", counts(year_)},
          {"reports_by_level", counts(level_)},
          {"findings_by_severity", counts(severity_)},
          {"findings_by_rule", rule_counts(rules_)},
          {"crossyear_by_rule", rule_counts(crossyear_)},
          {"most_errors", std::move(top)}};
}

void Summary::print(std::ostream& out) const {
  auto get = [](const std::map<std::string, size_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? size_t{0} : it->second;
  };
  out << documents_ << " documents: " << get(status_, "checked") << " reports checked, " << get(status_, "skipped")
      << " skipped, " << get(status_, "error") << " errors\n";
  for (const auto& [k, v] : skipped_) out << "  skipped, " << k << ": " << v << "\n";
  for (const auto& [k, v] : errors_by_code_) out << "  error " << k << ": " << v << "\n";
  if (!format_.empty()) {
    out << "reports by format:";
    for (const auto& [k, v] : format_) out << " " << k << " " << v;
    out << "\nreports by year:";
    for (const auto& [k, v] : year_) out << " " << k << " " << v;
    out << "\nreports by level:";
    for (const auto& [k, v] : level_) out << " " << k << " " << v;
    out << "\n";
  }
  if (!rules_.empty()) {
    out << "findings by rule (fail / uncertain):\n";
    std::vector<std::pair<std::string, std::pair<size_t, size_t>>> sorted(rules_.begin(), rules_.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second.first + a.second.second > b.second.first + b.second.second;
    });
    for (const auto& [rule, n] : sorted) out << "  " << rule << ": " << n.first << " / " << n.second << "\n";
  }
  for (const auto& [rule, n] : crossyear_) out << "  " << rule << ": " << n.first << " / " << n.second << "\n";
  if (!top_.empty()) {
    out << "most errors:\n";
    for (size_t i = 0; i < top_.size() && i < 10; ++i) out << "  " << top_[i].first << "  " << top_[i].second << "\n";
  }
}

}  // namespace xxgk::scan
