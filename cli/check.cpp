// cli/check.cpp — `xxgk check`, `xxgk tables`, `xxgk text`: reports checked one by one, in the format asked for.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "config/config.hpp"
#include "output/json_stream.hpp"

namespace fs = std::filesystem;

namespace xxgk::cli {
namespace {

const std::vector<std::string> kCheckFormats = {"text", "json", "html", "sarif", "junit", "xlsx", "csv", "github"};

// The format an output file's name asks for ("" when its extension says nothing we write).
std::string format_of_path(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto ends = [&](const char* suffix) {
    const std::string s = suffix;
    return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".sarif") || ends(".sarif.json")) return "sarif";
  if (ends(".json") || ends(".jsonl") || ends(".ndjson")) return "json";
  if (ends(".html") || ends(".htm")) return "html";
  if (ends(".xml")) return "junit";
  if (ends(".xlsx")) return "xlsx";
  if (ends(".csv")) return "csv";
  if (ends(".txt") || ends(".log")) return "text";
  return {};
}

struct CheckArgs {
  std::vector<std::string> files;
  SettingsArgs settings;
  FilterArgs filters;
  std::string format, output, baseline, baseline_write, reason, fail_on = "error", color = "auto";
  bool pretty = false, no_source = false, quiet = false, statistics = false;
};

int run_check(const CheckArgs& a, const Env& env) {
  Options options;
  if (!resolve(a.settings, options, env)) return kExitUsage;
  options.triage = true;  // a page plainly not a report is said once, as skipped, not turned into findings
  const Voice say{env.voice.words, options.language};
  const Env run_env{env.words, say, env.version};

  std::string format = a.format;
  if (format.empty() && !a.output.empty()) {
    format = format_of_path(a.output);
    if (format.empty()) {
      std::string list;
      for (const std::string& f : kCheckFormats) list += (list.empty() ? "" : ", ") + f;
      return run_env.fail("ui.cli.unknown-extension", {{"path", a.output}, {"formats", list}});
    }
  }
  if (format.empty()) format = "text";
  if (!one_of(run_env, "--format", format, kCheckFormats)) return kExitUsage;
  const auto threshold = parse_fail_on(a.fail_on);
  if (!threshold) {
    one_of(run_env, "--fail-on", a.fail_on, {"info", "warning", "error", "uncertain", "never"});
    return kExitUsage;
  }
  if (!one_of(run_env, "--color", a.color, {"auto", "always", "never"})) return kExitUsage;
  if (!a.baseline_write.empty() && a.reason.find_first_not_of(" \t") == std::string::npos)
    return run_env.fail("ui.cli.baseline-needs-reason");
  if (format == "xlsx" && a.output.empty()) return run_env.fail("ui.cli.xlsx-needs-output");
  std::string error;
  std::optional<config::Baseline> baseline;
  if (!a.baseline.empty()) {
    baseline = config::load_baseline(a.baseline, &error, say);
    if (!baseline) {
      std::cerr << "xxgk: " << error << "\n";
      return kExitUsage;
    }
  }
  auto checker = Checker::create(options, &error);
  if (!checker) return run_env.fail("ui.cli.grammars", {{"error", error}});

  const std::vector<std::string> paths = scan::expand_paths(a.files, filter_of(a.filters));  // folders in name order
  if (paths.empty()) return run_env.fail("ui.cli.no-inputs");
  std::ofstream output_file;
  if (!a.output.empty() && format != "xlsx") {
    output_file.open(a.output, std::ios::binary | std::ios::trunc);
    if (!output_file) return run_env.fail("ui.cli.cannot-write", {{"path", a.output}, {"reason", std::strerror(errno)}});
  }
  std::ostream& out = a.output.empty() ? std::cout : output_file;

  TextStyle style;
  const bool to_terminal = a.output.empty() && isatty(STDOUT_FILENO);
  style.color = a.color == "always" || (a.color == "auto" && to_terminal && !std::getenv("NO_COLOR"));
  style.show_source = !a.no_source && !a.quiet;
  style.voice = say;

  Run run;
  run.voice = say;
  run.version = env.version;
  run.grammars = checker->grammar_revision();
  const nlohmann::ordered_json tool = tool_json(run.version, run.grammars);
  const bool whole_run = format == "html" || format == "sarif" || format == "junit" || format == "xlsx";
  const bool keep = whole_run || !a.baseline_write.empty() || a.statistics;
  Tally tally;
  size_t waived = 0, readable = 0;
  bool failing = false;
  if (format == "csv") write_findings_csv_header(out);
  for (const std::string& path : paths) {
    const auto started = std::chrono::steady_clock::now();
    const Input input = read_input(path, options.max_input_bytes, say);
    CheckResult result = result_of(*checker, input, a.settings.charset, say);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::vector<WaivedFinding> waived_here;
    if (baseline) waived += config::apply_baseline(*baseline, result, &waived_here);
    tally.add(result);
    readable += !result.error;
    for (const Finding& f : result.findings) failing |= fails(f, *threshold);
    // Formats of the whole run are written after the loop; the others, file by file.
    if (whole_run) {
      if (result.error) std::cerr << path << ": " << say("ui.prefix.input-error") << result.error->message << " [input." << result.error->code << "]\n";
    } else if (format == "json") {
      std::string line;  // PERF: written straight from the result, the bytes of to_json(result) + "tool" dumped
      write_check_json(line, result, tool, a.pretty ? 2 : -1);
      line.push_back('\n');
      out << line;
    } else if (format == "csv") {
      write_findings_csv(out, result);
      if (result.error) std::cerr << path << ": " << say("ui.prefix.input-error") << result.error->message << " [input." << result.error->code << "]\n";
    } else if (format == "github") {
      write_github(out, result, say);
    } else if (!a.statistics) {
      write_text(out, result, style);
    } else if (result.error) {
      write_text(std::cerr, result, style);
    }
    if (keep) {
      run.results.push_back(std::move(result));
      run.waived.push_back(std::move(waived_here));
      run.seconds.push_back(seconds);
    }
  }
  if (a.statistics) write_statistics(format == "text" ? out : std::cerr, run.results, say);
  if (format == "text" && !a.quiet) write_summary(out, tally, style);
  if (waived) run_env.say("ui.cli.waived", {{"n", std::to_string(waived)}, {"path", a.baseline}});
  if (format == "html") {
    HtmlReport::Settings settings;
    settings.title = paths.size() == 1 ? "xxgk — " + paths.front() : "xxgk — " + say("ui.count.files", {{"n", std::to_string(paths.size())}});
    settings.language = options.language;
    settings.words = env.voice.words;
    settings.generator = run.version + " (grammars " + run.grammars + ")";
    write_html_report(out, run.results, settings);
  } else if (format == "sarif") {
    out << to_sarif(run).dump(2) << "\n";
  } else if (format == "junit") {
    write_junit(out, run);
  } else if (format == "xlsx") {
    XlsxWorkbook::Settings settings;
    settings.voice = say;
    settings.properties = run.version + " (grammars " + run.grammars + ")";
    if (!write_xlsx(a.output, run.results, settings, &error)) {
      std::cerr << "xxgk: " << error << "\n";
      return kExitUsage;
    }
  }
  if (output_file.is_open()) {
    output_file.close();
    if (!output_file) return run_env.fail("ui.cli.cannot-write", {{"path", a.output}, {"reason", std::strerror(errno)}});
  }
  if (!a.baseline_write.empty()) {
    if (!config::write_baseline(a.baseline_write, run.results, a.reason, &error, say)) {
      std::cerr << "xxgk: " << error << "\n";
      return kExitUsage;
    }
    size_t n = 0;
    for (const auto& r : run.results) n += r.findings.size();
    run_env.say("ui.cli.baseline-written", {{"n", std::to_string(n)}, {"path", a.baseline_write}});
    return readable ? kExitClean : kExitUsage;  // every finding is accepted now
  }
  // 2 only when nothing could be read: one unreadable file among reports does not hide their findings.
  if (readable == 0) return kExitUsage;
  return failing ? kExitFindings : kExitClean;
}

struct ReadArgs {
  std::vector<std::string> files;
  SettingsArgs settings;
  FilterArgs filters;
  std::string format = "csv";
  bool pretty = false;
};

// `tables` and `text`: each input read and shown; an unreadable one is said on standard error.
int run_read(const ReadArgs& a, const Env& env, bool tables) {
  Options options;
  if (!resolve(a.settings, options, env)) return kExitUsage;
  const Voice say{env.voice.words, options.language};
  const Env run_env{env.words, say, env.version};
  if (tables && !one_of(run_env, "--format", a.format, {"csv", "json"})) return kExitUsage;
  std::string error;
  auto checker = Checker::create(options, &error);
  if (!checker) return run_env.fail("ui.cli.grammars", {{"error", error}});
  const std::vector<std::string> paths = scan::expand_paths(a.files, filter_of(a.filters));
  if (paths.empty()) return run_env.fail("ui.cli.no-inputs");
  size_t readable = 0;
  if (tables && a.format == "csv") write_csv_header(std::cout);
  for (const std::string& path : paths) {
    const Input input = read_input(path, options.max_input_bytes, say);
    // `text` shows what any file is read as; `tables` skips what is plainly not a report.
    CheckResult result = tables ? result_of(*checker, input, a.settings.charset, say)
                         : input.error ? result_of(*checker, input, a.settings.charset, say)
                                       : checker->check(input.bytes, InputInfo{path, a.settings.charset});
    readable += !result.error;
    if (result.error) {
      std::cerr << path << ": " << say("ui.prefix.input-error") << result.error->message << " [input." << result.error->code << "]\n";
      continue;
    }
    if (!tables) {
      if (paths.size() > 1) std::cout << "==> " << path << " <==\n";
      std::cout << (result.source.content == InputKind::html ? result.rendered : result.text);
    } else if (!result.skipped.empty()) {
      std::cerr << path << ": " << say("ui.prefix.skipped") << result.skipped << "\n";
    } else if (a.format == "csv") {
      write_csv(std::cout, result);
    } else {
      nlohmann::ordered_json j = tables_to_json(result);
      j["tool"] = tool_json(env.version, checker->grammar_revision());
      std::cout << j.dump(a.pretty ? 2 : -1) << "\n";
    }
  }
  return readable ? kExitClean : kExitUsage;
}

void add_read_options(CLI::App* command, ReadArgs& a) {
  command->add_option("files", a.files)->required();
  add_settings(command, a.settings, false);
  add_filters(command, a.filters);
}

}  // namespace

Runner add_check(CLI::App& app) {
  auto a = std::make_shared<CheckArgs>();
  CLI::App* c = app.add_subcommand("check");
  c->add_option("files", a->files)->required();
  add_settings(c, a->settings, true);
  add_filters(c, a->filters);
  c->add_option("--format", a->format);
  c->add_option("-o,--output", a->output);
  c->add_option("--baseline", a->baseline);
  c->add_option("--baseline-write", a->baseline_write);
  c->add_option("--reason", a->reason);
  c->add_option("--fail-on", a->fail_on);
  c->add_flag("--pretty", a->pretty);
  c->add_flag("--no-source", a->no_source);
  c->add_flag("-q,--quiet", a->quiet);
  c->add_flag("--statistics", a->statistics);
  c->add_option("--color", a->color);
  return [a](const Env& env) { return run_check(*a, env); };
}

Runner add_tables(CLI::App& app) {
  auto a = std::make_shared<ReadArgs>();
  CLI::App* c = app.add_subcommand("tables");
  add_read_options(c, *a);
  c->add_option("--format", a->format);
  c->add_flag("--pretty", a->pretty);
  return [a](const Env& env) { return run_read(*a, env, true); };
}

Runner add_text(CLI::App& app) {
  auto a = std::make_shared<ReadArgs>();
  CLI::App* c = app.add_subcommand("text");
  add_read_options(c, *a);
  return [a](const Env& env) { return run_read(*a, env, false); };
}

}  // namespace xxgk::cli
