// Cross-year rules: registered here so that they are listed with the others; they are run by
// crossyear::compare over a body's consecutive reports (xxgk scan), not per document.
#include "checks/registry.hpp"

namespace xxgk::checks {

Family crossyear_rules() {
  return Family{"crossyear",
                {
                    {"crossyear.carryover-mismatch", Severity::error,
                     "上年结转 differs from the previous year's report's 结转下年度继续办理 (scan, consecutive years)"},
                    {"crossyear.stock-mismatch", Severity::warning,
                     "现行有效件数 is not last year's plus 本年制发 less 本年废止 (scan, consecutive years)"},
                    {"crossyear.copied-text", Severity::warning,
                     "most of the prose is last year's report word for word (scan, consecutive years)"},
                },
                [](CheckContext&) {}};
}

}  // namespace xxgk::checks
