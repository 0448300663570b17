// output/rule_page.hpp — a rule's page for `xxgk explain` and docs/rules/ (documentation tooling, not public).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "checks/examples.hpp"
#include "xxgk/output.hpp"

namespace xxgk {

//! A rule's page (`xxgk explain`, docs/rules/<id>.md): default severity, summary, purpose and basis in the
//! voice's language, and its example — `examples` holds the example run by a checker of each language of
//! messages (run_rule_example), whose messages the page shows. Markdown or plain text.
std::string rule_page(const RuleInfo& rule, const std::vector<std::pair<std::string, RuleExample>>& examples, const Voice& voice,
                      bool markdown);

}  // namespace xxgk
