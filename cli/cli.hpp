// cli/cli.hpp — the command line: one function per subcommand (check.cpp, scan.cpp, rules.cpp, compare.cpp),
// the settings they share (settings.cpp) and how inputs are read (inputs.cpp). All checking happens in
// xxgk::core and xxgk::scan; every word a person reads comes from the catalogue (xxgk::Words), and the texts of
// --help from cli/help.xml (localise_help): options are declared here without descriptions.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scan/inputs.hpp"
#include "xxgk/output.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::cli {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;  //!< usage errors, or no input could be read

//! What every command has: the words of the run (its language) and the tool's identity.
struct Env {
  std::shared_ptr<const Words> words;
  Voice voice;
  std::string version;
  //! Prints "xxgk: <message id in words>" on standard error and returns kExitUsage.
  int fail(std::string_view id, const Words::Args& args = {}) const;
  //! Prints "xxgk: <message>" on standard error.
  void say(std::string_view id, const Words::Args& args = {}) const;
};

//! Settings of the checks, shared by check, tables, text, scan and compare: xxgk.toml (found from the working
//! folder upward, or --config) and the options that override it.
struct SettingsArgs {
  std::string config, language, township_deadline, max_bytes, charset, grammar_dir;
  std::vector<std::string> select, ignore;
};
void add_settings(CLI::App* command, SettingsArgs& args, bool with_rules);
//! The checker's options from the settings; false (the error said) on a bad value.
bool resolve(const SettingsArgs& args, Options& options, const Env& env);

//! Which files of a folder are read: hidden ones never, --include/--exclude globs.
struct FilterArgs {
  std::vector<std::string> include, exclude;
};
void add_filters(CLI::App* command, FilterArgs& args);
scan::PathFilter filter_of(const FilterArgs& args);

//! One input read for checking: its bytes, or why they could not be read.
struct Input {
  std::string path;
  std::string bytes;
  std::optional<InputError> error;
};
//! Reads a file, a FIFO or process substitution (`<(cmd)`), or standard input ("-"), at most `max_bytes`.
Input read_input(const std::string& path, uint64_t max_bytes, const Voice& voice);
//! The result of an input: its check, its read error, or why its content is plainly not a report.
CheckResult result_of(const Checker& checker, const Input& input, const std::string& charset, const Voice& voice);

//! Validates `value` against `choices`; false (the error said) when it is none of them.
bool one_of(const Env& env, const std::string& option, const std::string& value, const std::vector<std::string>& choices);

//! How a subcommand runs once the command line is parsed.
using Runner = std::function<int(const Env&)>;
Runner add_check(CLI::App& app);
Runner add_tables(CLI::App& app);
Runner add_text(CLI::App& app);
Runner add_scan(CLI::App& app);
Runner add_merge(CLI::App& app);
Runner add_compare(CLI::App& app);
Runner add_rules(CLI::App& app);
Runner add_explain(CLI::App& app);

//! Every description of `app` and its commands, and CLI11's own words, in the language of the run (cli/help.xml).
//! Called once every command is declared.
void localise_help(CLI::App& app, const Env& env);
//! A positional argument's name ("files") as --help shows it in the language of the run.
std::string argument_word(const std::string& name, const Env& env);

}  // namespace xxgk::cli
