// grammar/rules.hpp — grammars/rules.xml: every rule's one source of severity, summary, purpose, basis and example.
//
// The checks register a function per rule id (checks/registry.hpp); what a rule is called, how severe it is and why
// it exists lives here, so that the findings, `xxgk rules`, `explain`, SARIF and docs/rules/ say the same.
#pragma once

#include <map>
#include <string>

#include "xxgk/xxgk.hpp"

namespace pugi {
class xml_node;
}

namespace xxgk::grammar {

struct RuleDocs {
  std::string base;  //!< the complete, consistent report the examples change
  std::map<std::string, RuleInfo, std::less<>> rules;
  const RuleInfo* find(std::string_view id) const {
    auto it = rules.find(id);
    return it == rules.end() ? nullptr : &it->second;
  }
};

//! Reads a <rule-docs> element. False with *error when a rule lacks an id, a valid severity or a summary, or an
//! id repeats.
bool load_rule_docs(const pugi::xml_node& root, const std::string& file, RuleDocs& out, std::string* error);

//! The rules.xml built into the library.
const RuleDocs& embedded_rule_docs();

}  // namespace xxgk::grammar
