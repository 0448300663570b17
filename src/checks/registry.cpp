#include "checks/registry.hpp"

#include <algorithm>
#include <map>

#include "checks/examples.hpp"
#include "grammar/grammar.hpp"

namespace xxgk::checks {

const Registry& registry() {
  static const Registry all = [] {
    Registry r;
    register_meta_rules(r);
    register_section_rules(r);
    register_table_rules(r);
    register_total_rules(r);
    register_narrative_rules(r);
    register_text_rules(r);
    register_indicator_rules(r);
    register_crossyear_rules(r);
    return r;
  }();
  return all;
}

namespace {

// Findings of one rule at one place with one status have one cause (rows lost together, parts after one gap): the
// first speaks for them, the others go into its evidence.
void merge_same_cause(CheckContext& ctx) {
  std::vector<Finding>& findings = ctx.findings;
  std::vector<Finding> merged;
  for (size_t i = 0; i < findings.size();) {
    size_t j = i + 1;
    auto same = [&](const Finding& a, const Finding& b) {
      return a.rule == b.rule && a.status == b.status && a.location.offset == b.location.offset && a.location.line == b.location.line;
    };
    while (j < findings.size() && same(findings[i], findings[j])) ++j;
    Finding first = std::move(findings[i]);
    if (j - i > 1) {
      constexpr size_t kNamed = 2;  // the message names a few; the evidence keeps them all
      std::vector<std::string> others;
      for (size_t k = i + 1; k < j; ++k) {
        if (others.size() < kNamed) others.push_back(findings[k].message);
        add_fact(first.evidence, "also", findings[k].message);
      }
      first.message += ctx.say(j - i - 1 > kNamed ? "merged.more.some" : "merged.more",
                               {{"n", j - i - 1}, {"list", ctx.join(others, "list.semicolon")}});
    }
    merged.push_back(std::move(first));
    i = j;
  }
  findings = std::move(merged);
}

}  // namespace

void run_all(CheckContext& ctx) {
  for (const Rule& rule : registry().rules())
    if (rule.run) rule.run(ctx, rule.id);
  std::stable_sort(ctx.findings.begin(), ctx.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.location.offset != b.location.offset) return a.location.offset < b.location.offset;
    return a.rule < b.rule;
  });
  merge_same_cause(ctx);
}

}  // namespace xxgk::checks

namespace xxgk {

const std::vector<RuleInfo>& rules() {
  static const std::vector<RuleInfo> all = [] {
    std::vector<RuleInfo> out;
    for (const checks::Rule& rule : checks::registry().rules())
      if (const RuleInfo* info = grammar::embedded_rule_docs().find(rule.id)) out.push_back(*info);
    std::sort(out.begin(), out.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    return out;
  }();
  return all;
}

const RuleInfo* find_rule_info(std::string_view id) {
  for (const RuleInfo& r : rules())
    if (r.id == id) return &r;
  return nullptr;
}

RuleInfo::Text RuleInfo::text(std::string_view language) const {
  Text t{summary, purpose.empty() ? summary : purpose, basis};
  if (auto it = texts.find(language); it != texts.end()) {
    if (!it->second.summary.empty()) t.summary = it->second.summary;
    if (!it->second.purpose.empty()) t.purpose = it->second.purpose;
    if (!it->second.basis.empty()) t.basis = it->second.basis;
  }
  return t;
}

std::string RuleInfo::help_text() const {
  std::string out = purpose.empty() ? summary : purpose;
  if (!basis.empty()) out += "\nBasis: " + basis;
  return out;
}

std::string RuleInfo::help_markdown() const {
  std::string out = purpose.empty() ? summary : purpose;
  if (!basis.empty()) out += "\n\n**Basis:** " + basis;
  return out;
}

namespace {

// The base report changed by `edits`, and the changed lines with a line of context either side. False when an
// edit no longer finds its text (a stale example).
bool apply_edits(const std::string& base, const std::vector<grammar::RuleExampleSpec::Edit>& edits, std::string& report,
                 std::string& excerpt) {
  report = base;
  std::vector<std::pair<size_t, size_t>> changed;  // ranges of the changed report to show
  for (const grammar::RuleExampleSpec::Edit& edit : edits) {
    size_t at = report.find(edit.find);
    if (edit.find.empty() || at == std::string::npos) return false;
    if (edit.cut) {
      report.resize(at + edit.find.size());
      changed.emplace_back(at, report.size());
      continue;
    }
    changed.emplace_back(at, at + edit.with.size());  // of a replace-all, the first place shows
    for (; at != std::string::npos; at = edit.all ? report.find(edit.find, at + edit.with.size()) : std::string::npos)
      report.replace(at, edit.find.size(), edit.with);
  }
  for (auto& [begin, end] : changed) {
    begin = std::min(begin, report.size());
    end = std::min(end, report.size());
    for (int lines = 0; begin > 0 && lines < 2; --begin)
      if (report[begin - 1] == '\n') ++lines;
    if (begin > 0) ++begin;
    for (int lines = 0; end < report.size() && lines < 2; ++end)
      if (report[end] == '\n') ++lines;
  }
  // Places close together show as one piece.
  std::sort(changed.begin(), changed.end());
  std::vector<std::pair<size_t, size_t>> pieces;
  for (const auto& range : changed) {
    if (!pieces.empty() && range.first <= pieces.back().second) pieces.back().second = std::max(pieces.back().second, range.second);
    else pieces.push_back(range);
  }
  for (const auto& [begin, end] : pieces) {
    std::string piece = report.substr(begin, end - begin);
    while (!piece.empty() && piece.back() == '\n') piece.pop_back();
    if (!excerpt.empty()) excerpt += "\n…\n";
    excerpt += piece;
  }
  return true;
}

}  // namespace

bool has_example(const RuleInfo& rule) { return !grammar::embedded_rule_docs().example_of(rule.id).empty(); }

RuleExample run_rule_example(const Checker& checker, const RuleInfo& rule) {
  RuleExample example;
  const std::string& base = grammar::embedded_rule_docs().base;
  const grammar::RuleExampleSpec& spec = grammar::embedded_rule_docs().example_of(rule.id);
  if (spec.empty()) return example;
  if (!spec.page.empty()) {
    example.name = "example.html";
    // The page as shown is the page checked, so that the finding's line is the excerpt's.
    example.excerpt = spec.page;
    while (!example.excerpt.empty() && (example.excerpt.back() == '\n' || example.excerpt.back() == ' ')) example.excerpt.pop_back();
    while (!example.excerpt.empty() && example.excerpt.front() == '\n') example.excerpt.erase(0, 1);
    example.report = example.excerpt + "\n";
  } else if (!apply_edits(base, spec.example, example.report, example.excerpt)) {
    return RuleExample{};
  }
  example.result = checker.check(example.report, InputInfo{example.name, ""});
  std::vector<Finding> findings = example.result.findings;
  if (!spec.previous.empty() || !spec.previous_page.empty()) {
    // A cross-year rule: this report against the year before, as a scan compares them.
    std::string previous_report;
    if (!spec.previous_page.empty()) {
      previous_report = example.previous_excerpt = spec.previous_page;
    } else if (!apply_edits(base, spec.previous, previous_report, example.previous_excerpt)) {
      return RuleExample{};
    }
    const CheckResult previous = checker.check(previous_report, InputInfo{"previous.txt", ""});
    if (!previous.year_facts || !example.result.year_facts) return example;
    findings = checker.compare_years(*previous.year_facts, *example.result.year_facts);
  }
  for (const Finding& f : findings)
    if (f.rule == rule.id) {
      example.finding = f;
      break;
    }
  return example;
}

}  // namespace xxgk
