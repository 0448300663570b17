// checks/registry.hpp — every rule the checker reports, by family, with one registration line per family.
//
// A family is a function that looks at the CheckContext and adds findings; its rules (stable ids, default
// severity, one-line summary) are declared beside it. Ids never change; docs/rules.md lists them.
#pragma once

#include <string>
#include <vector>

#include "checks/context.hpp"

namespace xxgk::checks {

struct RuleDef {
  std::string id;
  Severity severity;
  std::string summary;
};

struct Family {
  std::string name;
  std::vector<RuleDef> rules;
  void (*run)(CheckContext&);
};

const std::vector<Family>& families();
//! The rule `id`, or nullptr.
const RuleDef* find_rule(const std::string& id);

// One function per family (checks/<family>_rules.cpp).
Family section_rules();
Family table_rules();
Family total_rules();
Family narrative_rules();
Family text_rules();
Family meta_rules();
Family crossyear_rules();  //!< listed only: run by crossyear::compare

//! Runs every family on the document.
void run_all(CheckContext& ctx);

}  // namespace xxgk::checks
