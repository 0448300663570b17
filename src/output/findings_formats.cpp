// output/findings_formats.cpp — findings for the tools people put them into: a CSV for spreadsheets, GitHub
// Actions annotations, and counts by rule (`--statistics`).
#include <algorithm>
#include <map>
#include <tuple>

#include "xxgk/output.hpp"

namespace xxgk {
namespace {

// RFC 4180 quoting; text a spreadsheet would evaluate (= + - @ at the start) gets a leading apostrophe.
std::string csv_field(const std::string& s, bool text = true) {
  std::string v = s;
  if (text && !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number_or_empty(uint32_t line, uint32_t value) { return line ? std::to_string(value) : std::string(); }

// GitHub workflow commands: data escapes %, CR, LF; properties also : and ,.
std::string github_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string github_property(const std::string& s) {
  std::string out;
  for (char c : github_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

}  // namespace

void write_findings_csv_header(std::ostream& out) {
  out << "\xEF\xBB\xBF"
         "path,line,column,end_line,end_column,rule,severity,status,kind,message,fingerprint\r\n";
}

void write_findings_csv(std::ostream& out, const CheckResult& r) {
  for (const Finding& f : r.findings)
    out << csv_field(r.source.path) << ',' << number_or_empty(f.location.line, f.location.line) << ','
        << number_or_empty(f.location.line, f.location.column) << ',' << number_or_empty(f.end.line, f.end.line) << ','
        << number_or_empty(f.end.line, f.end.column) << ',' << csv_field(f.rule) << ',' << to_string(f.severity) << ','
        << to_string(f.status) << ',' << kind_of(f) << ',' << csv_field(f.message) << ',' << csv_field(f.fingerprint, false) << "\r\n";
}

void write_github(std::ostream& out, const CheckResult& r, const Voice& say) {
  const std::string file = github_property(r.source.path);
  if (r.error) {
    out << "::error file=" << file << ",title=" << github_property("xxgk input." + r.error->code) << "::" << github_data(r.error->message)
        << "\n";
    return;
  }
  for (const Finding& f : r.findings) {
    const std::string kind = kind_of(f);
    // Proven errors and warnings keep their level; info and everything to review are notices.
    const char* command = kind == "error" ? "error" : kind == "warning" ? "warning" : "notice";
    out << "::" << command << " file=" << file;
    if (f.location.line) {
      out << ",line=" << f.location.line << ",col=" << std::max<uint32_t>(1, f.location.column);
      if (f.end.line) out << ",endLine=" << f.end.line << ",endColumn=" << f.end.column;
    }
    std::string title = "xxgk " + f.rule;
    if (kind == "review") title += " (" + say("ui.kind.review") + ")";
    out << ",title=" << github_property(title) << "::" << github_data(f.message) << "\n";
  }
}

void write_statistics(std::ostream& out, const std::vector<CheckResult>& results, const Voice& say) {
  std::map<std::pair<std::string, std::string>, size_t> counts;  // (rule, kind) -> findings
  for (const CheckResult& r : results)
    for (const Finding& f : r.findings) ++counts[{f.rule, kind_of(f)}];
  std::vector<std::tuple<size_t, std::string, std::string>> rows;
  for (const auto& [key, n] : counts) rows.emplace_back(n, key.first, key.second);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  size_t rule_width = 0, count_width = 1;
  for (const auto& [n, rule, kind] : rows) {
    rule_width = std::max(rule_width, rule.size());
    count_width = std::max(count_width, std::to_string(n).size());
  }
  for (const auto& [n, rule, kind] : rows) {
    const std::string count = std::to_string(n);
    const RuleInfo* info = find_rule_info(rule);
    out << std::string(count_width - count.size(), ' ') << count << "  " << rule << std::string(rule_width - rule.size() + 2, ' ')
        << say("ui.kind." + kind) << "  " << (info ? info->text(say.language).summary : std::string()) << "\n";
  }
}

}  // namespace xxgk
