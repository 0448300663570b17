// cli/settings.cpp — what the commands share: the words of the run, xxgk.toml and the options over it, the
// choice of inputs.
#include <iostream>

#include "cli.hpp"
#include "config/config.hpp"

namespace xxgk::cli {

int Env::fail(std::string_view id, const Words::Args& args) const {
  say(id, args);
  return kExitUsage;
}

void Env::say(std::string_view id, const Words::Args& args) const { std::cerr << "xxgk: " << voice(id, args) << "\n"; }

bool one_of(const Env& env, const std::string& option, const std::string& value, const std::vector<std::string>& choices) {
  for (const std::string& c : choices)
    if (c == value) return true;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  env.say("ui.cli.bad-choice", {{"option", option}, {"value", value}, {"choices", list}});
  return false;
}

void add_settings(CLI::App* command, SettingsArgs& a, bool with_rules) {
  command->add_option("--config", a.config);
  command->add_option("--lang", a.language);
  command->add_option("--grammar-dir", a.grammar_dir);
  command->add_option("--charset", a.charset);
  command->add_option("--max-bytes", a.max_bytes);
  if (!with_rules) return;
  command->add_option("--township-deadline", a.township_deadline);
  command->add_option("--select", a.select)
      ->allow_extra_args(false);
  command->add_option("--ignore", a.ignore)
      ->allow_extra_args(false);
}

namespace {

// Rule ids named by a pattern: an id, a family ("text.*" or "text"), or "*".
std::vector<std::string> rules_named(const std::string& pattern) {
  std::vector<std::string> out;
  std::string family = pattern;
  if (family.size() >= 2 && family.compare(family.size() - 2, 2, ".*") == 0) family.resize(family.size() - 2);
  for (const RuleInfo& r : rules())
    if (pattern == "*" || r.id == pattern || r.id.rfind(family + ".", 0) == 0) out.push_back(r.id);
  return out;
}

std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    size_t pos = 0;
    while (pos <= v.size()) {
      size_t comma = v.find(',', pos);
      if (comma == std::string::npos) comma = v.size();
      std::string item = v.substr(pos, comma - pos);
      while (!item.empty() && item.back() == ' ') item.pop_back();
      while (!item.empty() && item.front() == ' ') item.erase(item.begin());
      if (!item.empty()) out.push_back(item);
      pos = comma + 1;
    }
  }
  return out;
}

}  // namespace

bool resolve(const SettingsArgs& a, Options& options, const Env& env) {
  // Settings: --config, else the nearest xxgk.toml from the working folder up. The command line wins.
  const std::string path = a.config.empty() ? config::find_config(".") : a.config;
  std::string error;
  if (!path.empty() && !config::load_config(path, options, &error, env.voice)) {
    std::cerr << "xxgk: " << error << "\n";
    return false;
  }
  options.grammar_dir = a.grammar_dir;
  if (!a.language.empty()) {
    if (!env.voice.catalogue().speaks(a.language)) {
      std::string list;
      for (const std::string& l : env.voice.catalogue().languages()) list += (list.empty() ? "" : ", ") + l;
      env.say("ui.cli.bad-choice", {{"option", "--lang"}, {"value", a.language}, {"choices", list}});
      return false;
    }
    options.language = a.language;
  }
  if (!a.charset.empty() && !known_charset(a.charset)) {
    env.say("ui.cli.bad-charset", {{"value", a.charset}});
    return false;
  }
  if (!a.max_bytes.empty()) {
    // Parsed here, not by CLI11: "-1" must be refused, not wrapped into a huge unsigned number.
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(a.max_bytes.c_str(), &end, 10);
    if (errno || !end || *end || a.max_bytes.empty() || n <= 0) {
      env.say("ui.cli.positive", {{"option", "--max-bytes"}, {"value", a.max_bytes}});
      return false;
    }
    options.max_input_bytes = static_cast<uint64_t>(n);
  }
  if (!a.township_deadline.empty()) {
    int month = 0, day = 0, consumed = 0;
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (std::sscanf(a.township_deadline.c_str(), "%2d-%2d%n", &month, &day, &consumed) != 2 ||
        static_cast<size_t>(consumed) != a.township_deadline.size() || month < 1 || month > 12 || day < 1 ||
        day > kDays[month - 1]) {
      env.say("ui.cli.bad-deadline", {{"value", a.township_deadline}});
      return false;
    }
    options.township_deadline_month = month;
    options.township_deadline_day = day;
  }
  // --select keeps only the rules it names; --ignore turns rules off. Both after xxgk.toml.
  const std::vector<std::string> select = split_list(a.select), ignore = split_list(a.ignore);
  std::set<std::string> selected;
  for (const auto& [option, patterns] : {std::pair<const char*, const std::vector<std::string>*>{"--select", &select}, {"--ignore", &ignore}})
    for (const std::string& p : *patterns) {
      const std::vector<std::string> ids = rules_named(p);
      if (ids.empty()) {
        env.say("ui.cli.no-rule-pattern", {{"option", option}, {"pattern", p}});
        return false;
      }
      for (const std::string& id : ids) {
        if (patterns == &select) selected.insert(id);
        else options.rule_severity[id] = std::nullopt;
      }
    }
  if (!select.empty())
    for (const RuleInfo& r : rules())
      if (!selected.count(r.id)) options.rule_severity[r.id] = std::nullopt;
  return true;
}

void add_filters(CLI::App* command, FilterArgs& a) {
  command->add_option("--include", a.include)
      ->allow_extra_args(false);
  command->add_option("--exclude", a.exclude)
      ->allow_extra_args(false);
}

scan::PathFilter filter_of(const FilterArgs& a) {
  scan::PathFilter f;
  f.include = a.include;
  f.exclude = a.exclude;
  return f;
}

}  // namespace xxgk::cli
