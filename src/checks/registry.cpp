#include "checks/registry.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <map>

#include "grammar/grammar.hpp"

namespace xxgk::checks {

const std::vector<Family>& families() {
  static const std::vector<Family> all = {
      meta_rules(), section_rules(), table_rules(), total_rules(), narrative_rules(), text_rules(), crossyear_rules(),
  };
  return all;
}

const RuleDef* find_rule(const std::string& id) {
  for (const Family& family : families())
    for (const RuleDef& rule : family.rules)
      if (rule.id == id) return &rule;
  return nullptr;
}

void run_all(CheckContext& ctx) {
  for (const Family& family : families()) family.run(ctx);
  std::stable_sort(ctx.findings.begin(), ctx.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.location.offset != b.location.offset) return a.location.offset < b.location.offset;
    return a.rule < b.rule;
  });
}

}  // namespace xxgk::checks

namespace xxgk {
namespace {

struct RuleDocs {
  std::string base;
  std::map<std::string, RuleInfo, std::less<>> rules;
};

// grammars/rules.xml, built into the library with the grammars.
const RuleDocs& rule_docs() {
  static const RuleDocs docs = [] {
    RuleDocs d;
    const auto& files = grammar::embedded_grammars();
    auto it = files.find("rules.xml");
    if (it == files.end()) return d;
    pugi::xml_document xml;
    if (!xml.load_buffer(it->second.data(), it->second.size(), pugi::parse_default, pugi::encoding_utf8)) return d;
    pugi::xml_node root = xml.child("rule-docs");
    d.base = root.child("base").text().get();
    for (pugi::xml_node r : root.children("rule")) {
      RuleInfo info;
      info.id = r.attribute("id").value();
      info.basis = r.attribute("basis").value();
      // The untagged <purpose> is the English one; texts in other words carry lang="…".
      for (pugi::xml_node purpose : r.children("purpose"))
        if (purpose.attribute("lang").empty()) info.purpose = purpose.text().get();
      for (pugi::xml_node text : r.children()) {
        const std::string language = text.attribute("lang").value();
        const std::string_view name = text.name();
        if (language.empty()) continue;
        RuleInfo::Text& t = info.texts[language];
        (name == "summary" ? t.summary : name == "purpose" ? t.purpose : t.basis) = text.text().get();
      }
      auto edit_of = [](const pugi::xml_node& edit) {
        const std::string_view kind = edit.name();
        return RuleInfo::Edit{edit.attribute("find").value(), edit.attribute("with").value(), kind == "cut-after",
                              kind == "replace-all"};
      };
      for (pugi::xml_node edit : r.child("example").children()) {
        const std::string_view kind = edit.name();
        if (kind == "page") {
          info.page = edit.text().get();
        } else if (kind == "previous") {
          for (pugi::xml_node p : edit.children()) info.previous.push_back(edit_of(p));
        } else {
          info.example.push_back(edit_of(edit));
        }
      }
      d.rules[info.id] = std::move(info);
    }
    return d;
  }();
  return docs;
}

}  // namespace

const std::vector<RuleInfo>& rules() {
  static const std::vector<RuleInfo> all = [] {
    std::vector<RuleInfo> out;
    for (const checks::Family& family : checks::families())
      for (const checks::RuleDef& rule : family.rules) {
        RuleInfo info;
        if (auto it = rule_docs().rules.find(rule.id); it != rule_docs().rules.end()) info = it->second;
        info.id = rule.id;
        info.severity = rule.severity;
        info.summary = rule.summary;
        out.push_back(std::move(info));
      }
    std::sort(out.begin(), out.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    return out;
  }();
  return all;
}

const RuleInfo* find_rule_info(std::string_view id) {
  for (const RuleInfo& r : rules())
    if (r.id == id) return &r;
  return nullptr;
}

RuleInfo::Text RuleInfo::text(std::string_view language) const {
  Text t{summary, purpose.empty() ? summary : purpose, basis};
  if (auto it = texts.find(language); it != texts.end()) {
    if (!it->second.summary.empty()) t.summary = it->second.summary;
    if (!it->second.purpose.empty()) t.purpose = it->second.purpose;
    if (!it->second.basis.empty()) t.basis = it->second.basis;
  }
  return t;
}

std::string RuleInfo::help_text() const {
  std::string out = purpose.empty() ? summary : purpose;
  if (!basis.empty()) out += "\nBasis: " + basis;
  return out;
}

std::string RuleInfo::help_markdown() const {
  std::string out = purpose.empty() ? summary : purpose;
  if (!basis.empty()) out += "\n\n**Basis:** " + basis;
  return out;
}

namespace {

// The base report changed by `edits`, and the changed lines with a line of context either side. False when an
// edit no longer finds its text (a stale example).
bool apply_edits(const std::string& base, const std::vector<RuleInfo::Edit>& edits, std::string& report, std::string& excerpt) {
  report = base;
  std::vector<std::pair<size_t, size_t>> changed;  // ranges of the changed report to show
  for (const RuleInfo::Edit& edit : edits) {
    size_t at = report.find(edit.find);
    if (edit.find.empty() || at == std::string::npos) return false;
    if (edit.cut) {
      report.resize(at + edit.find.size());
      changed.emplace_back(at, report.size());
      continue;
    }
    changed.emplace_back(at, at + edit.with.size());  // of a replace-all, the first place shows
    for (; at != std::string::npos; at = edit.all ? report.find(edit.find, at + edit.with.size()) : std::string::npos)
      report.replace(at, edit.find.size(), edit.with);
  }
  for (auto& [begin, end] : changed) {
    begin = std::min(begin, report.size());
    end = std::min(end, report.size());
    for (int lines = 0; begin > 0 && lines < 2; --begin)
      if (report[begin - 1] == '\n') ++lines;
    if (begin > 0) ++begin;
    for (int lines = 0; end < report.size() && lines < 2; ++end)
      if (report[end] == '\n') ++lines;
  }
  // Places close together show as one piece.
  std::sort(changed.begin(), changed.end());
  std::vector<std::pair<size_t, size_t>> pieces;
  for (const auto& range : changed) {
    if (!pieces.empty() && range.first <= pieces.back().second) pieces.back().second = std::max(pieces.back().second, range.second);
    else pieces.push_back(range);
  }
  for (const auto& [begin, end] : pieces) {
    std::string piece = report.substr(begin, end - begin);
    while (!piece.empty() && piece.back() == '\n') piece.pop_back();
    if (!excerpt.empty()) excerpt += "\n…\n";
    excerpt += piece;
  }
  return true;
}

}  // namespace

RuleExample run_rule_example(const Checker& checker, const RuleInfo& rule) {
  RuleExample example;
  const std::string& base = rule_docs().base;
  if (!rule.has_example()) return example;
  if (!rule.page.empty()) {
    example.name = "example.html";
    // The page as shown is the page checked, so that the finding's line is the excerpt's.
    example.excerpt = rule.page;
    while (!example.excerpt.empty() && (example.excerpt.back() == '\n' || example.excerpt.back() == ' ')) example.excerpt.pop_back();
    while (!example.excerpt.empty() && example.excerpt.front() == '\n') example.excerpt.erase(0, 1);
    example.report = example.excerpt + "\n";
  } else if (!apply_edits(base, rule.example, example.report, example.excerpt)) {
    return RuleExample{};
  }
  example.result = checker.check(example.report, InputInfo{example.name, ""});
  std::vector<Finding> findings = example.result.findings;
  if (!rule.previous.empty()) {
    // A cross-year rule: this report against the year before, as a scan compares them.
    std::string previous_report;
    if (!apply_edits(base, rule.previous, previous_report, example.previous_excerpt)) return RuleExample{};
    const CheckResult previous = checker.check(previous_report, InputInfo{"previous.txt", ""});
    if (!previous.year_facts || !example.result.year_facts) return example;
    findings = checker.compare_years(*previous.year_facts, *example.result.year_facts);
  }
  for (const Finding& f : findings)
    if (f.rule == rule.id) {
      example.finding = f;
      break;
    }
  return example;
}

}  // namespace xxgk
