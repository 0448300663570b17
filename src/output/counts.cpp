// output/counts.cpp — how findings are counted and when they fail a run: doubt is not an error, anywhere.
#include "xxgk/output.hpp"

namespace xxgk {

void Tally::add(const Finding& f) {
  if (f.status == FindingStatus::uncertain) {
    ++uncertain;
    return;
  }
  switch (f.severity) {
    case Severity::error: ++errors; break;
    case Severity::warning: ++warnings; break;
    case Severity::info: ++infos; break;
  }
}

void Tally::add(const CheckResult& result) {
  ++files;
  if (result.error) ++input_errors;
  if (!result.skipped.empty()) ++skipped;
  for (const Finding& f : result.findings) add(f);
}

std::optional<FailOn> parse_fail_on(std::string_view name) {
  if (name == "info") return FailOn::info;
  if (name == "warning") return FailOn::warning;
  if (name == "error") return FailOn::error;
  if (name == "uncertain") return FailOn::uncertain;
  if (name == "never") return FailOn::never;
  return std::nullopt;
}

bool fails(Severity severity, FindingStatus status, FailOn threshold) {
  switch (threshold) {
    case FailOn::never: return false;
    case FailOn::uncertain: return status == FindingStatus::uncertain || severity == Severity::error;
    case FailOn::error: return status == FindingStatus::fail && severity == Severity::error;
    case FailOn::warning: return status == FindingStatus::fail && severity != Severity::info;
    case FailOn::info: return status == FindingStatus::fail;
  }
  return false;
}

bool fails(const Finding& f, FailOn threshold) { return fails(f.severity, f.status, threshold); }

const char* kind_of(const Finding& f) {
  if (f.status == FindingStatus::uncertain) return "review";
  return to_string(f.severity);
}

}  // namespace xxgk
