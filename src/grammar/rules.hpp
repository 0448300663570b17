// grammar/rules.hpp — grammars/rules.xml: every rule's one source of severity, summary, purpose, basis and example.
//
// The checks register a function per rule id (checks/registry.hpp); what a rule is called, how severe it is and why
// it exists lives here, so that the findings, `xxgk rules`, `explain`, SARIF and docs/rules/ say the same.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace pugi {
class xml_node;
}

namespace xxgk::grammar {

//! A rule's example (rules.xml <example>): the base report changed by these edits, in order, violates the rule. An
//! edit replaces the first occurrence of `find` with `with`; with `cut`, the report ends after `find`. What the
//! documentation (`explain`, docs/rules/) and the rule tests run; not part of the public RuleInfo.
struct RuleExampleSpec {
  struct Edit {
    std::string find, with;
    bool cut = false;
    bool all = false;  //!< replace every occurrence
  };
  std::vector<Edit> example;
  //! Cross-year rules: the base report changed by these edits is the year before; the example compares the two.
  std::vector<Edit> previous;
  //! An example that is a page of its own (an HTML page, for rules only HTML tables can break).
  std::string page;
  //! Cross-year rules on reports unlike the base report (before 2019): the year before as a page of its own.
  std::string previous_page;
  bool empty() const { return example.empty() && previous.empty() && page.empty() && previous_page.empty(); }
};

struct RuleDocs {
  std::string base;  //!< the complete, consistent report the examples change
  std::map<std::string, RuleInfo, std::less<>> rules;
  std::map<std::string, RuleExampleSpec, std::less<>> examples;  //!< by rule id, for the rules that have one
  const RuleInfo* find(std::string_view id) const {
    auto it = rules.find(id);
    return it == rules.end() ? nullptr : &it->second;
  }
  //! The example of rule `id` (an empty one when it has none).
  const RuleExampleSpec& example_of(std::string_view id) const {
    static const RuleExampleSpec none;
    auto it = examples.find(id);
    return it == examples.end() ? none : it->second;
  }
};

//! Reads a <rule-docs> element. False with *error when a rule lacks an id, a valid severity or a summary, or an
//! id repeats.
bool load_rule_docs(const pugi::xml_node& root, const std::string& file, RuleDocs& out, std::string* error);

//! The rules.xml built into the library.
const RuleDocs& embedded_rule_docs();

}  // namespace xxgk::grammar
