// xxgk — command line. Parses options and hands each subcommand to its function (cli/*.cpp); all checking
// happens in xxgk::core and xxgk::scan.
#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli.hpp"
#include "config/config.hpp"

namespace {

using xxgk::Voice;
using xxgk::Words;

// The value of `--name VALUE` or `--name=VALUE` in argv, before parsing: the words of a parse error need the
// language of the run before the command line is understood.
std::string early_value(int argc, char** argv, const std::string& name) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == name && i + 1 < argc) return argv[i + 1];
    if (arg.rfind(name + "=", 0) == 0) return arg.substr(name.size() + 1);
  }
  return {};
}

xxgk::cli::Env early_env(int argc, char** argv) {
  xxgk::cli::Env env;
  env.version = xxgk::version();
  std::string error;
  env.words = Words::load(early_value(argc, argv, "--grammar-dir"), &error);
  if (!env.words) env.words = Words::load("", &error);
  env.voice.words = env.words.get();
  std::string language = early_value(argc, argv, "--lang");
  if (language.empty()) {
    // Else the settings file's language, if it names one.
    std::string config = early_value(argc, argv, "--config");
    if (config.empty()) config = xxgk::config::find_config(".");
    xxgk::Options options;
    if (!config.empty() && xxgk::config::load_config(config, options, &error, env.voice)) language = options.language;
  }
  if (!language.empty() && env.words->speaks(language)) env.voice.language = language;
  return env;
}

// Edit distance, for "did you mean".
size_t distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// A parse error of CLI11 in the words of the run: the common ones said in full, the rest with CLI11's own detail.
std::string parse_error(const CLI::ParseError& e, const xxgk::cli::Env& env) {
  const Voice& say = env.voice;
  const std::string what = e.what();
  auto is = [&](auto* kind) { return dynamic_cast<decltype(kind)>(&e) != nullptr; };
  auto after_colon = [&] {
    size_t colon = what.find(": ");
    return colon == std::string::npos ? what : what.substr(colon + 2);
  };
  auto option_in = [&] {  // the first --option or -o named in the message
    size_t at = what.find('-');
    while (at != std::string::npos && at > 0 && what[at - 1] != ' ' && what[at - 1] != '[') at = what.find('-', at + 1);
    if (at == std::string::npos) return std::string();
    size_t end = what.find_first_of(" :,]", at);
    return what.substr(at, end == std::string::npos ? std::string::npos : end - at);
  };
  if (is(static_cast<const CLI::ExtrasError*>(nullptr))) return say("ui.cli.unexpected", {{"args", after_colon()}});
  if (is(static_cast<const CLI::RequiredError*>(nullptr))) {
    if (what.find("subcommand") != std::string::npos) return say("ui.cli.command-required", {{"commands", "check, tables, text, scan, merge, compare, rules, explain"}});
    const size_t required = what.find(" is required");
    const std::string name = required == std::string::npos ? what : what.substr(0, required);
    return say("ui.cli.required", {{"what", xxgk::cli::argument_word(name, env)}});
  }
  if (is(static_cast<const CLI::ArgumentMismatch*>(nullptr))) {
    std::string option = option_in();  // else a positional argument: "files: 1 required TEXT missing"
    if (option.empty()) option = xxgk::cli::argument_word(what.substr(0, what.find(':')), env);
    return say("ui.cli.needs-value", {{"option", option}});
  }
  if (is(static_cast<const CLI::ConversionError*>(nullptr)) || is(static_cast<const CLI::ValidationError*>(nullptr))) {
    std::string option = option_in(), value;
    if (size_t v = what.find("The value "); v != std::string::npos) value = what.substr(v + 10, what.find(' ', v + 10) - v - 10);
    else if (size_t eq = what.find(" = "); eq != std::string::npos) value = what.substr(eq + 3);
    return say("ui.cli.bad-value", {{"option", option}, {"value", value}});
  }
  return say("ui.cli.parse-error", {{"detail", what}});
}

}  // namespace

int main(int argc, char** argv) {
  using namespace xxgk::cli;
  const Env env = early_env(argc, argv);
  CLI::App app;
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("xxgk ") + xxgk::version());
  std::vector<std::pair<std::string, Runner>> runners;
  runners.emplace_back("check", add_check(app));
  runners.emplace_back("tables", add_tables(app));
  runners.emplace_back("text", add_text(app));
  runners.emplace_back("scan", add_scan(app));
  runners.emplace_back("merge", add_merge(app));
  runners.emplace_back("compare", add_compare(app));
  runners.emplace_back("rules", add_rules(app));
  runners.emplace_back("explain", add_explain(app));
  localise_help(app, env);

  // The command word: the first argument that is neither an option nor an option's value (`--lang en` takes
  // one, a flag does not; any command's option may be written before the command). Short flags may be grouped
  // (-qo out.json: the last one takes the next argument; -qoout.json: the rest is its value); after `--` the
  // next argument is the command.
  std::set<std::string> valued;  // options that take a value, in any command
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for (const CLI::Option* o : sub->get_options())
      if (!o->get_positional() && o->get_items_expected_min() > 0) {
        for (const std::string& n : o->get_lnames()) valued.insert("--" + n);
        for (const std::string& n : o->get_snames()) valued.insert("-" + n);
      }
  auto takes_next = [&](const std::string& arg) {  // an option argument that the next argument is the value of
    if (arg.find('=') != std::string::npos) return false;
    if (arg.size() > 2 && arg[1] != '-') {  // grouped short options: the first one taking a value ends the group
      for (size_t k = 1; k < arg.size(); ++k)
        if (valued.count(std::string("-") + arg[k])) return k + 1 == arg.size();
      return false;
    }
    return valued.count(arg) > 0;
  };
  auto is_command = [&](const std::string& word) {
    return std::any_of(runners.begin(), runners.end(), [&](const auto& r) { return r.first == word; });
  };
  std::vector<char*> args(argv, argv + argc);
  size_t command_at = 0;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string arg = args[i];
    if (arg == "--help" || arg == "-h" || arg == "--version") break;
    if (arg == "--") {
      if (i + 1 < args.size()) command_at = i + 1;
      break;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      if (takes_next(arg)) ++i;
      continue;
    }
    command_at = i;
    break;
  }
  // A word right after an option that is not a command may be the value of an option no command has (--formt
  // json check FILE) or a flag's stray word: the command written after it is the command, and CLI11 then names
  // what it cannot place.
  if (command_at > 1 && !is_command(args[command_at]) && args[command_at - 1][0] == '-' &&
      std::string(args[command_at - 1]) != "--")
    for (size_t j = command_at + 1; j < args.size(); ++j)
      if (is_command(args[j])) {
        command_at = j;
        break;
      }
  // Options written before the command (xxgk --lang en check FILE) are the command's: moved after its name.
  if (command_at > 1)
    std::rotate(args.begin() + 1, args.begin() + static_cast<std::ptrdiff_t>(command_at),
                args.begin() + static_cast<std::ptrdiff_t>(command_at) + 1);
  argc = static_cast<int>(args.size());
  argv = args.data();

  // An unknown command is said as such, with the nearest one.
  if (command_at > 0) {
    const std::string command = argv[1];
    std::string nearest, list;
    size_t best = 3;
    for (const auto& [name, runner] : runners) {
      list += (list.empty() ? "" : ", ") + name;
      if (name == command) best = 0, nearest.clear();
      else if (best && distance(name, command) < best) best = distance(name, command), nearest = name;
    }
    if (best) {
      std::cerr << "xxgk: "
                << env.voice("ui.cli.unknown-command",
                             {{"name", command},
                              {"suggestion", nearest.empty() ? std::string() : env.voice("ui.cli.did-you-mean", {{"name", nearest}})},
                              {"commands", list}})
                << "\n";
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? kExitClean : kExitUsage;  // --help, --version
    std::string command = "xxgk";
    for (const CLI::App* sub : app.get_subcommands()) command += " " + sub->get_name();
    std::cerr << "xxgk: " << parse_error(e, env) << "\n" << env.voice("ui.cli.usage-hint", {{"command", command}}) << "\n";
    return kExitUsage;
  }
  for (const auto& [name, runner] : runners)
    if (app.got_subcommand(name)) return runner(env);
  return kExitUsage;
}
