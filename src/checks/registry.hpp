// checks/registry.hpp — every rule the checker reports: one registration per rule id.
//
// A rule is a function that looks at the CheckContext and adds findings under its id. What the rule is called,
// how severe it is and why it exists live in grammars/rules.xml, the one source the findings, `xxgk rules`,
// `explain`, SARIF and docs/rules/ read. Ids never change; a test holds the registrations and rules.xml together.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "checks/context.hpp"

namespace xxgk::checks {

using RuleFn = void (*)(CheckContext& ctx, const std::string& id);

struct Rule {
  std::string id;
  RuleFn run = nullptr;  //!< null: a rule run elsewhere (the cross-year rules compare two reports)
};

class Registry {
 public:
  void add(std::string id, RuleFn run) { rules_.push_back(Rule{std::move(id), run}); }
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

//! Every registered rule, in the order they run.
const Registry& registry();

// One per file (checks/<family>_rules.cpp): registers the file's rules.
void register_meta_rules(Registry& registry);
void register_section_rules(Registry& registry);
void register_table_rules(Registry& registry);
void register_total_rules(Registry& registry);
void register_narrative_rules(Registry& registry);
void register_text_rules(Registry& registry);
void register_crossyear_rules(Registry& registry);
void register_indicator_rules(Registry& registry);

//! Runs every rule on the document; findings end in text order.
void run_all(CheckContext& ctx);

}  // namespace xxgk::checks
