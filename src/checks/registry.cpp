#include "checks/registry.hpp"

#include <algorithm>

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

const std::vector<RuleInfo>& rules() {
  static const std::vector<RuleInfo> all = [] {
    std::vector<RuleInfo> out;
    for (const checks::Family& family : checks::families())
      for (const checks::RuleDef& rule : family.rules) out.push_back(RuleInfo{rule.id, rule.severity, rule.summary});
    std::sort(out.begin(), out.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    return out;
  }();
  return all;
}

}  // namespace xxgk
