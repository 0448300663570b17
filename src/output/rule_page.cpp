// output/rule_page.cpp — a rule's page for `xxgk explain`, `xxgk rules` and docs/rules/: summary, purpose,
// basis, an example excerpt and the message the example gives (run live), in the language asked for.
#include <algorithm>
#include <sstream>

#include "output/rule_page.hpp"

namespace xxgk {
namespace {

std::string message_line(const RuleExample& example, const Finding& f, const Voice& say) {
  std::string where = example.name + ":";
  if (f.location.line) where += std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + ":";
  return where + " " + say(std::string("ui.prefix.") + kind_of(f)) + f.message + " [" + f.rule + "]";
}

}  // namespace

std::string rule_page(const RuleInfo& rule, const std::vector<std::pair<std::string, RuleExample>>& examples, const Voice& say,
                      bool markdown) {
  std::ostringstream out;
  const RuleInfo::Text text = rule.text(say.language);
  const std::string severity = say(std::string("ui.kind.") + to_string(rule.severity));
  // A basis put into other words keeps the standard's own words beside it.
  const std::string basis = text.basis.empty() ? "—"
                            : text.basis == rule.basis || rule.basis.empty()
                                ? text.basis
                                : say("ui.rule.basis-original", {{"basis", text.basis}, {"original", rule.basis}});
  const RuleExample* first = examples.empty() ? nullptr : &examples.front().second;
  const std::string excerpt = first ? first->excerpt : std::string();
  const std::string previous = first ? first->previous_excerpt : std::string();
  if (markdown) {
    out << "# `" << rule.id << "`\n\n" << say("ui.rule.generated") << "\n\n**" << say("ui.rule.default-severity") << "** " << severity
        << "  \n**" << say("ui.rule.reports") << "** " << text.summary << "\n\n" << text.purpose << "\n\n**" << say("ui.rule.basis")
        << "** " << basis << "\n";
    if (has_example(rule) && first) {
      if (!previous.empty())
        out << "\n## " << say("ui.rule.example") << "\n\n" << say("ui.rule.example-two-years") << "\n\n```text\n" << previous
            << "\n```\n\n" << say("ui.rule.year-after")
            << (excerpt.empty() ? say("ui.rule.base-as-is") : say("ui.rule.colon") + "\n\n```text\n" + excerpt + "\n```") << "\n";
      else
        out << "\n## " << say("ui.rule.example") << "\n\n" << say("ui.rule.example-excerpt") << "\n\n```"
            << (first->name == "example.html" ? "html" : "text") << "\n" << excerpt << "\n```\n";
      for (const auto& [language, example] : examples) {
        const Voice in{say.words, language};
        if (example.finding)
          out << "\n" << say("ui.rule.message-produced", {{"language", language}}) << "\n\n```text\n"
              << message_line(example, *example.finding, in) << "\n```\n";
        else
          out << "\n" << say("ui.rule.no-finding", {{"language", language}}) << "\n";
      }
    }
    return out.str();
  }
  out << rule.id << "  (" << severity << ")\n  " << text.summary << "\n\n" << text.purpose << "\n\n" << say("ui.rule.basis-plain") << basis << "\n";
  if (has_example(rule) && first) {
    auto quote = [&](const std::string& lines_text) {
      std::istringstream lines(lines_text);
      for (std::string line; std::getline(lines, line);) out << "  | " << line << "\n";
    };
    if (!previous.empty()) {
      out << "\n" << say("ui.rule.example-two-years-plain") << "\n";
      quote(previous);
      out << (excerpt.empty() ? say("ui.rule.year-after-base-plain") : say("ui.rule.year-after-plain")) << "\n";
    } else {
      out << "\n" << say("ui.rule.example-excerpt-plain") << "\n";
    }
    quote(excerpt);
    // `explain` speaks one language: the message in the run's (docs/rules/ show every language's).
    for (const auto& [language, example] : examples)
      if (example.finding && language == say.language)
        out << "\n" << say("ui.rule.message-plain", {{"language", language}}) << "\n  "
            << message_line(example, *example.finding, Voice{say.words, language}) << "\n";
  }
  return out.str();
}

std::string rules_list(const std::vector<RuleInfo>& rules, const Voice& say, bool markdown) {
  std::ostringstream out;
  if (markdown) {
    out << "# " << say("ui.rules.title") << "\n\n" << say("ui.rules.intro") << "\n\n| " << say("ui.rules.rule") << " | "
        << say("ui.rules.severity") << " | " << say("ui.rules.reports") << " |\n|---|---|---|\n";
    for (const RuleInfo& r : rules)
      out << "| [`" << r.id << "`](rules/" << r.id << ".md) | " << say(std::string("ui.kind.") + to_string(r.severity)) << " | "
          << r.text(say.language).summary << " |\n";
    return out.str();
  }
  // Columns as wide as the longest id and severity word, so that nothing runs together.
  size_t id_width = 0, severity_width = 0;
  auto width = [](const std::string& s) {  // display columns: CJK characters take two
    size_t w = 0;
    for (size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      w += n >= 3 ? 2 : 1;
      i += n;
    }
    return w;
  };
  for (const RuleInfo& r : rules) {
    id_width = std::max(id_width, width(r.id));
    severity_width = std::max(severity_width, width(say(std::string("ui.kind.") + to_string(r.severity))));
  }
  for (const RuleInfo& r : rules) {
    const std::string severity = say(std::string("ui.kind.") + to_string(r.severity));
    out << r.id << std::string(id_width - width(r.id) + 2, ' ') << severity << std::string(severity_width - width(severity) + 2, ' ')
        << r.text(say.language).summary << "\n";
  }
  return out.str();
}

}  // namespace xxgk
