// Cross-year rules: registered here so that they are rules like the others; they are run by crossyear::compare
// over a body's consecutive reports (xxgk scan, xxgk compare), not on one document.
#include "checks/registry.hpp"

namespace xxgk::checks {

void register_crossyear_rules(Registry& r) {
  r.add("crossyear.carryover-mismatch", nullptr);
  r.add("crossyear.stock-mismatch", nullptr);
  r.add("crossyear.cumulative-mismatch", nullptr);
  r.add("crossyear.copied-text", nullptr);
}

}  // namespace xxgk::checks
