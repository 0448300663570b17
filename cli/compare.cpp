// cli/compare.cpp — `xxgk compare LAST THIS`: one body's reports of consecutive years, with the scan's cross-year
// comparison, the cells that changed and the prose copied from last year.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli.hpp"

namespace xxgk::cli {
namespace {

struct CompareArgs {
  std::vector<std::string> files;
  SettingsArgs settings;
  std::string format = "text", output, fail_on = "error", color = "auto";
  bool pretty = false;
};

int run_compare(const CompareArgs& a, const Env& env) {
  Options options;
  if (!resolve(a.settings, options, env)) return kExitUsage;
  options.year_facts = true;  // the comparison is the scan's, over the year facts
  const Voice say{env.voice.words, options.language};
  const Env run_env{env.words, say, env.version};
  if (a.files.size() != 2) return run_env.fail("ui.compare.two-files");
  if (!one_of(run_env, "--format", a.format, {"text", "json", "html", "xlsx"})) return kExitUsage;
  const auto threshold = parse_fail_on(a.fail_on);
  if (!threshold) {
    one_of(run_env, "--fail-on", a.fail_on, {"info", "warning", "error", "uncertain", "never"});
    return kExitUsage;
  }
  if (a.format == "xlsx" && a.output.empty()) return run_env.fail("ui.cli.xlsx-needs-output");
  std::string error;
  auto checker = Checker::create(options, &error);
  if (!checker) return run_env.fail("ui.cli.grammars", {{"error", error}});
  std::vector<CheckResult> results;
  for (const std::string& path : a.files) {
    CheckResult r = result_of(*checker, read_input(path, options.max_input_bytes, say), a.settings.charset, say);
    if (r.error) {
      std::cerr << path << ": " << say("ui.prefix.input-error") << r.error->message << " [input." << r.error->code << "]\n";
      return kExitUsage;
    }
    results.push_back(std::move(r));
  }
  YearComparison comparison;
  if (!compare_reports(*checker, std::move(results[0]), std::move(results[1]), comparison, &error))
    return run_env.fail("ui.compare.no-facts", {{"path", error}});
  const std::string year_last = comparison.last.report.year ? std::to_string(*comparison.last.report.year) : "?";
  const std::string year_this = comparison.current.report.year ? std::to_string(*comparison.current.report.year) : "?";
  if (comparison.last.report.year && comparison.current.report.year && *comparison.last.report.year + 1 != *comparison.current.report.year)
    run_env.say("ui.compare.not-consecutive", {{"last", year_last}, {"this", year_this}});

  std::ofstream file;
  if (!a.output.empty() && a.format != "xlsx") {
    file.open(a.output, std::ios::binary | std::ios::trunc);
    if (!file) return run_env.fail("ui.cli.cannot-write", {{"path", a.output}, {"reason", std::strerror(errno)}});
  }
  std::ostream& out = a.output.empty() ? std::cout : file;
  const std::string grammars = checker->grammar_revision();
  if (a.format == "json") {
    out << comparison_json(comparison, tool_json(env.version, grammars)).dump(a.pretty ? 2 : -1) << "\n";
  } else if (a.format == "html") {
    HtmlReport::Settings settings;
    settings.title = "xxgk compare — " + comparison.current.report.agency + " " + year_last + " → " + year_this;
    settings.language = options.language;
    settings.words = env.voice.words;
    settings.generator = env.version + " (grammars " + grammars + ")";
    write_comparison_html(out, comparison, settings);
  } else if (a.format == "xlsx") {
    XlsxWorkbook::Settings settings;
    settings.voice = say;
    if (!write_comparison_xlsx(a.output, comparison, settings, &error)) {
      std::cerr << "xxgk: " << error << "\n";
      return kExitUsage;
    }
  } else {
    TextStyle style;
    style.voice = say;
    style.color = a.color == "always" || (a.color == "auto" && a.output.empty() && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
    write_comparison_text(out, comparison, style);
  }
  for (const Finding& f : comparison.findings)
    if (fails(f, *threshold)) return kExitFindings;
  return kExitClean;
}

}  // namespace

Runner add_compare(CLI::App& app) {
  auto a = std::make_shared<CompareArgs>();
  CLI::App* c = app.add_subcommand("compare");
  c->add_option("files", a->files)->required()->expected(2);
  add_settings(c, a->settings, true);
  c->add_option("--format", a->format);
  c->add_option("-o,--output", a->output);
  c->add_option("--fail-on", a->fail_on);
  c->add_flag("--pretty", a->pretty);
  c->add_option("--color", a->color);
  return [a](const Env& env) { return run_compare(*a, env); };
}

}  // namespace xxgk::cli
