// cli/scan.cpp — `xxgk scan` and `xxgk merge`: crawls in bulk, with the same settings and exit statuses as check.
#include <unistd.h>

#include <cmath>
#include <iostream>

#include "cli.hpp"
#include "scan/scanner.hpp"
#include "util/numbers.hpp"

namespace xxgk::cli {
namespace {

struct ScanArgs {
  scan::ScanOptions options;
  SettingsArgs settings;
  FilterArgs filters;
  std::string shard, time_limit = "60", fail_on = "error";
  bool unordered = false, no_crossyear = false;
};

// What scan and merge share once parsed: settings, --fail-on, the words.
bool prepare(ScanArgs& a, const Env& env, Env& run_env) {
  if (!resolve(a.settings, a.options.check, env)) return false;
  run_env = Env{env.words, Voice{env.voice.words, a.options.check.language}, env.version};
  const auto threshold = parse_fail_on(a.fail_on);
  if (!threshold) {
    one_of(run_env, "--fail-on", a.fail_on, {"info", "warning", "error", "uncertain", "never"});
    return false;
  }
  a.options.fail_on = *threshold;
  a.options.charset = a.settings.charset;
  a.options.words = env.voice.words;
  a.options.tool_version = env.version;
  a.options.summary |= !a.options.summary_output.empty();
  a.options.crossyear = !a.no_crossyear;
  return true;
}

int run_scan(ScanArgs& a, const Env& env) {
  Env run_env;
  if (!prepare(a, env, run_env)) return kExitUsage;
  scan::ScanOptions& o = a.options;
  o.ordered = !a.unordered;
  o.filter = filter_of(a.filters);
  char* end = nullptr;
  const double seconds = std::strtod(a.time_limit.c_str(), &end);
  // At least a millisecond, at most a week: 0 would mean no limit, and a negative one nothing at all.
  if (!end || *end || a.time_limit.empty() || !(seconds >= 0.001) || seconds > 7 * 86400.0)
    return run_env.fail("ui.cli.positive", {{"option", "--time-limit"}, {"value", a.time_limit}});
  o.time_limit_ms = static_cast<uint32_t>(std::ceil(seconds * 1000));
  if (!a.shard.empty()) {
    // WHY not sscanf("%u"): it takes "-1" and wraps "4294967297" to 1.
    const size_t slash = a.shard.find('/');
    const auto k = numbers::parse_size(std::string_view(a.shard).substr(0, slash), 10, UINT32_MAX);
    const auto n = slash == std::string::npos ? std::nullopt : numbers::parse_size(std::string_view(a.shard).substr(slash + 1), 10, UINT32_MAX);
    if (!k || !n || *n == 0 || *k == 0 || *k > *n) return run_env.fail("ui.cli.bad-shard", {{"value", a.shard}});
    o.shard = static_cast<unsigned>(*k);
    o.shards = static_cast<unsigned>(*n);
  }
  if (o.inputs.empty() && o.files_from.empty()) return run_env.fail("ui.cli.scan-needs-inputs");
  if (!isatty(STDERR_FILENO)) o.quiet = true;
  scan::ScanTotals totals;
  std::string error;
  if (!scan::run_scan(o, std::cerr, totals, &error)) {
    std::cerr << "xxgk: scan: " << error << "\n";
    return kExitUsage;
  }
  return totals.exit_status(o.shards > 1);
}

struct MergeArgs : ScanArgs {
  std::vector<std::string> parts;
};

int run_merge(MergeArgs& a, const Env& env) {
  Env run_env;
  if (!prepare(a, env, run_env)) return kExitUsage;
  scan::ScanTotals totals;
  std::string error;
  if (!scan::merge_scans(a.parts, a.options, std::cerr, totals, &error)) {
    std::cerr << "xxgk: merge: " << error << "\n";
    return kExitUsage;
  }
  return totals.exit_status();
}

void add_outputs_and_checks(CLI::App* c, ScanArgs& a) {
  c->add_option("-o,--output", a.options.outputs)
      ->allow_extra_args(false);
  add_settings(c, a.settings, true);
  c->add_option("--fail-on", a.fail_on);
  c->add_flag("--summary", a.options.summary);
  c->add_option("--summary-output", a.options.summary_output);
  c->add_option("--crossyear-output", a.options.crossyear_output);
  c->add_flag("--no-crossyear", a.no_crossyear);
  c->add_option("--temp-dir", a.options.temp_dir);
}

}  // namespace

Runner add_scan(CLI::App& app) {
  auto a = std::make_shared<ScanArgs>();
  CLI::App* c = app.add_subcommand("scan");
  c->add_option("inputs", a->options.inputs);
  c->add_option("--files-from", a->options.files_from);
  add_outputs_and_checks(c, *a);
  add_filters(c, a->filters);
  c->add_flag("--tables", a->options.tables);
  c->add_flag("--resume", a->options.resume);
  c->add_flag("--unordered", a->unordered);
  c->add_option("-j,--jobs", a->options.jobs);
  c->add_option("--shard", a->shard);
  c->add_option("--time-limit", a->time_limit);
  c->add_flag("-q,--quiet", a->options.quiet);
  return [a](const Env& env) { return run_scan(*a, env); };
}

Runner add_merge(CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  CLI::App* c = app.add_subcommand("merge");
  c->add_option("parts", a->parts)->required();
  add_outputs_and_checks(c, *a);
  return [a](const Env& env) { return run_merge(*a, env); };
}

}  // namespace xxgk::cli
