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
      info.purpose = r.child("purpose").text().get();
      if (pugi::xml_node replace = r.child("example").child("replace")) {
        info.example_find = replace.attribute("find").value();
        info.example_with = replace.attribute("with").value();
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

RuleExample run_rule_example(const Checker& checker, const RuleInfo& rule) {
  RuleExample example;
  const std::string& base = rule_docs().base;
  const size_t at = base.find(rule.example_find);
  if (!rule.has_example() || at == std::string::npos) return example;
  example.report = base.substr(0, at) + rule.example_with + base.substr(at + rule.example_find.size());
  // The changed lines, with one line of context either side.
  size_t begin = at, end = at + rule.example_with.size();
  for (int lines = 0; begin > 0 && lines < 2; --begin)
    if (example.report[begin - 1] == '\n') ++lines;
  if (begin > 0) ++begin;
  for (int lines = 0; end < example.report.size() && lines < 2; ++end)
    if (example.report[end] == '\n') ++lines;
  example.excerpt = example.report.substr(begin, end - begin);
  while (!example.excerpt.empty() && example.excerpt.back() == '\n') example.excerpt.pop_back();
  example.result = checker.check(example.report, InputInfo{"example.txt", ""});
  for (const Finding& f : example.result.findings)
    if (f.rule == rule.id) {
      example.finding = f;
      break;
    }
  return example;
}

}  // namespace xxgk
