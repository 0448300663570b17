#include "scan/summary.hpp"

#include <algorithm>

namespace xxgk::scan {

namespace {

// The kind of a skip, for the counts (the reason of each document is in its own line).
std::string skip_kind(const Digest& d) {
  if (!d.reason_kind.empty()) return d.reason_kind;
  if (d.reason.rfind("HTTP status", 0) == 0) return "http-status";  // lines of scans before reason_kind
  return "triage";
}

size_t kind_index(const Digest::Rule& f) {
  if (f.uncertain) return 3;
  return f.severity == "error" ? 0 : f.severity == "warning" ? 1 : 2;
}

const char* const kKindNames[] = {"errors", "warnings", "info", "to_review"};

std::string or_unknown(const std::string& s) { return s.empty() ? "unknown" : s; }

}  // namespace

void Summary::add(const Digest& d) {
  ++documents_;
  ++status_[d.status];
  if (d.status == "skipped") ++skipped_[skip_kind(d)];
  if (d.status == "error") ++errors_by_code_[or_unknown(d.error_code)];
  if (d.status != "checked") return;
  const std::string year = d.year ? std::to_string(*d.year) : "unknown";
  ++format_[or_unknown(d.format)];
  ++year_[year];
  ++level_[or_unknown(d.level)];
  ++province_[or_unknown(d.province)];
  if (!d.city.empty()) ++city_[d.province + " " + d.city];
  for (const auto& f : d.findings) {
    auto& r = rules_[f.rule];
    (f.uncertain ? r.second : r.first)++;
    ++severity_[f.uncertain ? std::string("review") : f.severity];  // doubt is counted apart, never as an error
    const size_t k = kind_index(f);
    ++by_year_[year][k];
    ++by_level_[or_unknown(d.level)][k];
    ++by_province_[or_unknown(d.province)][k];
  }
  if (d.errors == 0) return;  // proven errors only: doubt never ranks a document
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
  auto kind_counts = [](const std::map<std::string, Kinds>& m) {
    json j = json::object();
    for (const auto& [k, v] : m) {
      json one = json::object();
      for (size_t i = 0; i < v.size(); ++i) one[kKindNames[i]] = v[i];
      j[k] = std::move(one);
    }
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
          {"reports_by_province", counts(province_)},
          {"reports_by_city", counts(city_)},
          {"findings_by_severity", counts(severity_)},
          {"findings_by_rule", rule_counts(rules_)},
          {"findings_by_year", kind_counts(by_year_)},
          {"findings_by_level", kind_counts(by_level_)},
          {"findings_by_province", kind_counts(by_province_)},
          {"crossyear_by_rule", rule_counts(crossyear_)},
          {"most_errors", std::move(top)}};
}

void Summary::print(std::ostream& out, const Voice& say) const {
  auto get = [](const std::map<std::string, size_t>& m, const std::string& k) {
    auto it = m.find(k);
    return std::to_string(it == m.end() ? size_t{0} : it->second);
  };
  auto name = [&](const std::string& k) { return k == "unknown" ? say("ui.unknown") : k; };
  out << say("ui.scan.totals", {{"documents", std::to_string(documents_)},
                                {"checked", get(status_, "checked")},
                                {"skipped", get(status_, "skipped")},
                                {"errors", get(status_, "error")}})
      << "\n";
  for (const auto& [k, v] : skipped_)
    out << "  " << say("ui.scan.skipped-kind", {{"kind", say("ui.skip-kind." + k)}, {"n", std::to_string(v)}}) << "\n";
  for (const auto& [k, v] : errors_by_code_) out << "  " << say("ui.scan.error-code", {{"code", k}, {"n", std::to_string(v)}}) << "\n";
  auto line = [&](const char* id, const std::map<std::string, size_t>& m) {
    if (m.empty()) return;
    out << say(id);
    for (const auto& [k, v] : m) out << " " << name(k) << " " << v;
    out << "\n";
  };
  line("ui.scan.by-format", format_);
  line("ui.scan.by-year", year_);
  line("ui.scan.by-level", level_);
  line("ui.scan.by-province", province_);
  if (!rules_.empty()) {
    out << say("ui.scan.by-rule") << "\n";
    std::vector<std::pair<std::string, std::pair<size_t, size_t>>> sorted(rules_.begin(), rules_.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.second.first + a.second.second > b.second.first + b.second.second;
    });
    for (const auto& [rule, n] : sorted) out << "  " << rule << ": " << n.first << " / " << n.second << "\n";
  }
  for (const auto& [rule, n] : crossyear_) out << "  " << rule << ": " << n.first << " / " << n.second << "\n";
  if (!top_.empty()) {
    out << say("ui.scan.most-errors") << "\n";
    for (size_t i = 0; i < top_.size() && i < 10; ++i) out << "  " << top_[i].first << "  " << top_[i].second << "\n";
  }
}

}  // namespace xxgk::scan
