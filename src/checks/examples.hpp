// checks/examples.hpp — a rule's example run (grammars/rules.xml <example>): what `xxgk explain`, docs/rules/ and
// the rule tests show. Documentation tooling, not part of the public API.
#pragma once

#include <optional>
#include <string>

#include "xxgk/xxgk.hpp"

namespace xxgk {

//! A rule's example run: the changed report, its check, and the finding of the rule (null if none came).
struct RuleExample {
  std::string name = "example.txt";  //!< the name the example is checked under
  std::string report;   //!< the base report with the example's change
  std::string excerpt;  //!< the changed lines with a line of context either side
  std::string previous_excerpt;  //!< cross-year rules: the changed lines of the year before
  CheckResult result;
  std::optional<Finding> finding;  //!< the first finding of the rule
};

//! True when rules.xml gives `rule` an example.
bool has_example(const RuleInfo& rule);
//! A cross-year example needs a checker with Options::year_facts.
RuleExample run_rule_example(const Checker& checker, const RuleInfo& rule);

}  // namespace xxgk
