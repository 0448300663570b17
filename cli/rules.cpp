// cli/rules.cpp — `xxgk rules` and `xxgk explain`: the rules, in the language asked for, with their examples run live.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "output/rule_page.hpp"

namespace fs = std::filesystem;

namespace xxgk::cli {
namespace {

// A checker per language of messages: a rule page shows the message of its example in each.
struct Speakers {
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers;
  bool load(const Env& env) {
    for (const std::string& language : env.voice.catalogue().languages()) {
      Options options;
      options.language = language;
      options.year_facts = true;  // cross-year rules' examples compare two years
      std::string error;
      auto checker = Checker::create(options, &error);
      if (!checker) {
        env.say("ui.cli.grammars", {{"error", error}});
        return false;
      }
      checkers.emplace_back(language, std::move(checker));
    }
    return true;
  }
  std::string page(const RuleInfo& rule, const Voice& voice, bool markdown) const {
    std::vector<std::pair<std::string, RuleExample>> examples;
    for (const auto& [language, checker] : checkers) examples.emplace_back(language, run_rule_example(*checker, rule));
    return rule_page(rule, examples, voice, markdown);
  }
};

struct RulesArgs {
  std::string format = "text", output_dir, language;
};

// The language of a command that has only --lang: the command line, else the run's (xxgk.toml, zh).
bool voice_of(const std::string& language, const Env& env, Voice& voice) {
  voice = env.voice;
  if (language.empty()) return true;
  if (!env.voice.catalogue().speaks(language)) {
    std::string list;
    for (const std::string& l : env.voice.catalogue().languages()) list += (list.empty() ? "" : ", ") + l;
    env.say("ui.cli.bad-choice", {{"option", "--lang"}, {"value", language}, {"choices", list}});
    return false;
  }
  voice.language = language;
  return true;
}

int run_rules(const RulesArgs& a, const Env& env) {
  Voice say;
  if (!voice_of(a.language, env, say)) return kExitUsage;
  const Env run_env{env.words, say, env.version};
  if (!one_of(run_env, "--format", a.format, {"text", "json", "markdown"})) return kExitUsage;
  if (!a.output_dir.empty()) {
    Speakers speakers;
    if (!speakers.load(run_env)) return kExitUsage;
    std::error_code ec;
    fs::create_directories(a.output_dir, ec);
    for (const RuleInfo& r : rules()) {
      const fs::path path = fs::path(a.output_dir) / (r.id + ".md");
      std::ofstream page(path, std::ios::binary | std::ios::trunc);
      page << speakers.page(r, say, true);
      if (!page) return run_env.fail("ui.cli.cannot-write", {{"path", path.string()}, {"reason", std::strerror(errno)}});
    }
  }
  if (a.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const RuleInfo& r : rules()) {
      const RuleInfo::Text text = r.text(say.language);
      out.push_back({{"id", r.id}, {"severity", to_string(r.severity)}, {"summary", text.summary}, {"purpose", text.purpose},
                     {"basis", text.basis}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitClean;
  }
  std::cout << rules_list(rules(), say, a.format == "markdown");
  return kExitClean;
}

struct ExplainArgs {
  std::string rule, language;
};

int run_explain(const ExplainArgs& a, const Env& env) {
  Voice say;
  if (!voice_of(a.language, env, say)) return kExitUsage;
  const Env run_env{env.words, say, env.version};
  const RuleInfo* rule = find_rule_info(a.rule);
  if (!rule) return run_env.fail("ui.cli.no-rule", {{"rule", a.rule}});
  Speakers speakers;
  if (!speakers.load(run_env)) return kExitUsage;
  std::cout << speakers.page(*rule, say, false);
  return kExitClean;
}

}  // namespace

Runner add_rules(CLI::App& app) {
  auto a = std::make_shared<RulesArgs>();
  CLI::App* c = app.add_subcommand("rules");
  c->add_option("--format", a->format);
  c->add_option("--output-dir", a->output_dir);
  c->add_option("--lang", a->language);
  return [a](const Env& env) { return run_rules(*a, env); };
}

Runner add_explain(CLI::App& app) {
  auto a = std::make_shared<ExplainArgs>();
  CLI::App* c = app.add_subcommand("explain");
  c->add_option("rule", a->rule)->required();
  c->add_option("--lang", a->language);
  return [a](const Env& env) { return run_explain(*a, env); };
}

}  // namespace xxgk::cli
