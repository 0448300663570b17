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
      for (pugi::xml_node edit : r.child("example").children())
        info.example.push_back(RuleInfo::Edit{edit.attribute("find").value(), edit.attribute("with").value(),
                                              std::string_view(edit.name()) == "cut-after"});
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
  if (!rule.has_example()) return example;
  example.report = base;
  std::vector<std::pair<size_t, size_t>> changed;  // ranges of the changed report to show
  for (const RuleInfo::Edit& edit : rule.example) {
    const size_t at = example.report.find(edit.find);
    if (edit.find.empty() || at == std::string::npos) return RuleExample{};  // a stale example produces nothing
    if (edit.cut) {
      example.report.resize(at + edit.find.size());
      changed.emplace_back(at, example.report.size());
    } else {
      example.report.replace(at, edit.find.size(), edit.with);
      changed.emplace_back(at, at + edit.with.size());
    }
  }
  // Each changed place with one line of context either side.
  for (auto [begin, end] : changed) {
    for (int lines = 0; begin > 0 && lines < 2; --begin)
      if (example.report[begin - 1] == '\n') ++lines;
    if (begin > 0) ++begin;
    for (int lines = 0; end < example.report.size() && lines < 2; ++end)
      if (example.report[end] == '\n') ++lines;
    std::string piece = example.report.substr(begin, end - begin);
    while (!piece.empty() && piece.back() == '\n') piece.pop_back();
    if (!example.excerpt.empty()) example.excerpt += "\n…\n";
    example.excerpt += piece;
  }
  example.result = checker.check(example.report, InputInfo{"example.txt", ""});
  for (const Finding& f : example.result.findings)
    if (f.rule == rule.id) {
      example.finding = f;
      break;
    }
  return example;
}

}  // namespace xxgk
