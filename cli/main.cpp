// xxgk — command line. Parses options, reads files, prints; all checking happens in xxgk::core.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "scan/scanner.hpp"
#include "xxgk/output.hpp"
#include "xxgk/xxgk.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

struct Input {
  std::string path;
  std::string bytes;
  std::string error;  // reading failed
};

// Files named on the command line; folders are read recursively, in name order.
std::vector<std::string> expand(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

Input read_input(const std::string& path, uint64_t max_bytes) {
  Input in{path, {}, {}};
  if (path == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    in.bytes = s.str();
    in.path = "-";
    return in;
  }
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) {
    in.error = "cannot read: " + ec.message();
    return in;
  }
  // Larger than the limit: read one byte more than the limit, so the checker reports it as too large.
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    in.error = "cannot open the file";
    return in;
  }
  uint64_t want = std::min<uint64_t>(size, max_bytes + 1);
  in.bytes.resize(want);
  file.read(in.bytes.data(), static_cast<std::streamsize>(want));
  in.bytes.resize(static_cast<size_t>(file.gcount()));
  return in;
}

xxgk::CheckResult check_one(const xxgk::Checker& checker, const Input& in, const std::string& charset) {
  if (!in.error.empty()) {
    xxgk::CheckResult r;
    r.source.path = in.path;
    r.error = xxgk::InputError{"read-failed", in.error};
    r.report.is_report = false;
    r.report.format = "unknown";
    return r;
  }
  return checker.check(in.bytes, xxgk::InputInfo{in.path, charset});
}

bool parse_severity(const std::string& s, int& level) {
  if (s == "info") level = 0;
  else if (s == "warning") level = 1;
  else if (s == "error") level = 2;
  else if (s == "never") level = 3;
  else return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"xxgk — checks 政府信息公开工作年度报告 (annual reports under the Regulations on Open Government Information)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("xxgk ") + "0.1.0");

  xxgk::Options options;
  std::string township_deadline = "01-31";
  std::string charset;
  std::vector<std::string> files;
  std::string format = "text";
  std::string fail_on = "error";
  bool pretty = false, no_source = false;
  std::string color = "auto";

  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("files", files, "report files (plain text or HTML), folders, or - for standard input")->required();
    cmd->add_option("--grammar-dir", options.grammar_dir, "read the format grammars from this folder instead of the built-in ones");
    cmd->add_option("--charset", charset, "charset of the input when known (e.g. gbk); detected otherwise");
    cmd->add_option("--township-deadline", township_deadline, "publication deadline of 乡镇/街道 reports, MM-DD (default 01-31)");
    cmd->add_option("--max-bytes", options.max_input_bytes, "largest input accepted, in bytes (default 32 MiB)");
  };

  CLI::App* check = app.add_subcommand("check", "check reports and print findings");
  add_common(check);
  check->add_option("--format", format, "text (default) or json (JSON Lines, one object per file)")
      ->check(CLI::IsMember({"text", "json"}));
  check->add_option("--fail-on", fail_on, "exit 1 when a finding has at least this severity: info, warning, error (default), never")
      ->check(CLI::IsMember({"info", "warning", "error", "never"}));
  check->add_flag("--pretty", pretty, "indent JSON");
  check->add_flag("--no-source", no_source, "do not show source lines under findings");
  check->add_option("--color", color, "auto, always or never")->check(CLI::IsMember({"auto", "always", "never"}));

  CLI::App* tables = app.add_subcommand("tables", "export the rebuilt tables");
  add_common(tables);
  std::string tables_format = "csv";
  tables->add_option("--format", tables_format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
  tables->add_flag("--pretty", pretty, "indent JSON");

  CLI::App* text = app.add_subcommand("text", "print the text each input is read as: for an HTML page, its report body as rendered");
  add_common(text);

  CLI::App* scan = app.add_subcommand("scan", "scan a crawl: folders, file lists, tar/zip/gzip archives, WARC files; one JSON line per document");
  xxgk::scan::ScanOptions scan_options;
  std::string shard;
  double time_limit = 60;
  bool unordered = false, no_crossyear = false;
  scan->add_option("inputs", scan_options.inputs, "files, folders, archives (tar, zip, gzip) and WARC files (.warc, .warc.gz)");
  scan->add_option("--files-from", scan_options.files_from, "read input paths from FILE, one per line (- for standard input)");
  scan->add_option("-o,--output", scan_options.outputs, "results: FILE.jsonl (JSON Lines), FILE.sqlite or FILE.db (SQLite), - for standard output; repeatable")
      ->allow_extra_args(false);
  scan->add_flag("--summary", scan_options.summary, "print totals at the end and write them as JSON beside the first output");
  scan->add_option("--summary-output", scan_options.summary_output, "write the summary JSON here instead");
  scan->add_option("--crossyear-output", scan_options.crossyear_output, "cross-year findings as JSON Lines (default: beside the JSON Lines output)");
  scan->add_flag("--no-crossyear", no_crossyear, "skip the comparison of each body's consecutive reports");
  scan->add_flag("--tables", scan_options.tables, "include the rebuilt tables and sections in the JSON lines");
  scan->add_flag("--resume", scan_options.resume, "skip documents already in the output (continue an interrupted scan)");
  scan->add_flag("--unordered", unordered, "write results as checks finish rather than in input order");
  scan->add_option("-j,--jobs", scan_options.jobs, "parallel checks (default: every core)");
  scan->add_option("--shard", shard, "K/N: scan only this share of the documents (for distributed scans)");
  scan->add_option("--max-bytes", scan_options.max_bytes, "largest document accepted, in bytes (default 32 MiB)");
  scan->add_option("--time-limit", time_limit, "seconds a document's check may take (default 60)");
  scan->add_option("--grammar-dir", scan_options.grammar_dir, "read the format grammars from this folder");
  scan->add_option("--temp-dir", scan_options.temp_dir, "where the cross-year pass keeps its working file");
  scan->add_flag("-q,--quiet", scan_options.quiet, "no progress line");

  CLI::App* merge = app.add_subcommand("merge", "merge the JSON lines of several scans (shards), then the cross-year pass and the summary");
  std::vector<std::string> merge_parts;
  xxgk::scan::ScanOptions merge_options;
  merge->add_option("parts", merge_parts, "JSON Lines outputs of xxgk scan")->required();
  merge->add_option("-o,--output", merge_options.outputs, "merged JSON Lines (- for standard output)")->allow_extra_args(false);
  merge->add_option("--crossyear-output", merge_options.crossyear_output, "cross-year findings (default: beside the output)");
  merge->add_option("--summary-output", merge_options.summary_output, "summary JSON (default: beside the output)");
  merge->add_flag("--summary", merge_options.summary, "print totals");
  merge->add_option("--grammar-dir", merge_options.grammar_dir, "read the format grammars from this folder");

  CLI::App* rules = app.add_subcommand("rules", "list every rule with its default severity");
  std::string rules_format = "text";
  rules->add_option("--format", rules_format, "text (default), json or markdown (docs/rules.md is this output)")
      ->check(CLI::IsMember({"text", "json", "markdown"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitClean : kExitUsage;
  }

  if (rules->parsed()) {
    if (rules_format == "markdown") {
      std::cout << "# Rules\n\nGenerated by `xxgk rules --format markdown`; do not edit by hand. Ids are stable: a rule may be\n"
                   "added or retired, never renamed. Severity is the default; status is `fail`, or `uncertain` when\n"
                   "extraction doubt is involved.\n\n| rule | severity | what it reports |\n|---|---|---|\n";
      for (const auto& r : xxgk::rules())
        std::cout << "| `" << r.id << "` | " << xxgk::to_string(r.severity) << " | " << r.summary << " |\n";
      return kExitClean;
    }
    if (rules_format == "json") {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& r : xxgk::rules())
        out.push_back({{"id", r.id}, {"severity", xxgk::to_string(r.severity)}, {"summary", r.summary}});
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& r : xxgk::rules()) {
        std::string id = r.id;
        id.resize(std::max<size_t>(id.size(), 28), ' ');
        std::string sev = xxgk::to_string(r.severity);
        sev.resize(8, ' ');
        std::cout << id << sev << r.summary << "\n";
      }
    }
    return kExitClean;
  }

  if (scan->parsed()) {
    scan_options.summary |= !scan_options.summary_output.empty();
    scan_options.ordered = !unordered;
    scan_options.crossyear = !no_crossyear;
    scan_options.time_limit_ms = static_cast<uint32_t>(std::max(0.0, time_limit) * 1000);
    if (!shard.empty()) {
      unsigned k = 0, n = 0;
      int consumed_chars = 0;
      if (std::sscanf(shard.c_str(), "%u/%u%n", &k, &n, &consumed_chars) != 2 ||
          static_cast<size_t>(consumed_chars) != shard.size() || n == 0 || k == 0 || k > n) {
        std::cerr << "xxgk: --shard must be K/N with 1 <= K <= N, not '" << shard << "'\n";
        return kExitUsage;
      }
      scan_options.shard = k;
      scan_options.shards = n;
    }
    if (scan_options.inputs.empty() && scan_options.files_from.empty()) {
      std::cerr << "xxgk: scan needs inputs or --files-from\n";
      return kExitUsage;
    }
    if (!isatty(STDERR_FILENO)) scan_options.quiet = true;
    xxgk::scan::ScanTotals totals;
    std::string error;
    if (!xxgk::scan::run_scan(scan_options, std::cerr, totals, &error)) {
      std::cerr << "xxgk: scan: " << error << "\n";
      return kExitUsage;
    }
    return kExitClean;
  }
  if (merge->parsed()) {
    xxgk::scan::ScanTotals totals;
    std::string error;
    if (!xxgk::scan::merge_scans(merge_parts, merge_options, std::cerr, totals, &error)) {
      std::cerr << "xxgk: merge: " << error << "\n";
      return kExitUsage;
    }
    return kExitClean;
  }

  int month = 0, day = 0, consumed = 0;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (std::sscanf(township_deadline.c_str(), "%2d-%2d%n", &month, &day, &consumed) != 2 ||
      static_cast<size_t>(consumed) != township_deadline.size() || month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1]) {
    std::cerr << "xxgk: --township-deadline must be MM-DD, not '" << township_deadline << "'\n";
    return kExitUsage;
  }
  options.township_deadline_month = month;
  options.township_deadline_day = day;

  std::string error;
  auto checker = xxgk::Checker::create(options, &error);
  if (!checker) {
    std::cerr << "xxgk: cannot load the grammars: " << error << "\n";
    return kExitUsage;
  }

  const bool to_terminal = isatty(STDOUT_FILENO);
  xxgk::TextStyle style;
  style.color = color == "always" || (color == "auto" && to_terminal && !std::getenv("NO_COLOR"));
  style.show_source = !no_source;
  int threshold = 2;
  parse_severity(fail_on, threshold);

  const std::vector<std::string> paths = expand(files);
  if (paths.empty()) {
    std::cerr << "xxgk: no input files\n";
    return kExitUsage;
  }
  xxgk::Tally tally;
  bool failing = false, input_error = false;
  if (tables->parsed() && tables_format == "csv") xxgk::write_csv_header(std::cout);
  for (const std::string& path : paths) {
    Input in = read_input(path, options.max_input_bytes);
    xxgk::CheckResult result = check_one(*checker, in, charset);
    tally.add(result);
    input_error |= result.error.has_value();
    for (const auto& f : result.findings) failing |= static_cast<int>(f.severity) >= threshold;
    if (text->parsed()) {
      if (paths.size() > 1) std::cout << "==> " << path << " <==\n";
      if (result.error)
        std::cerr << path << ": error: " << result.error->message << " [input." << result.error->code << "]\n";
      else
        std::cout << (result.source.content == "html" ? result.rendered : result.text);
    } else if (tables->parsed()) {
      if (tables_format == "csv")
        xxgk::write_csv(std::cout, result);
      else
        std::cout << xxgk::tables_to_json(result).dump(pretty ? 2 : -1) << "\n";
      if (result.error) std::cerr << path << ": error: " << result.error->message << " [input." << result.error->code << "]\n";
    } else if (format == "json") {
      std::cout << xxgk::to_json(result).dump(pretty ? 2 : -1) << "\n";
    } else {
      xxgk::write_text(std::cout, result, style);
    }
  }
  if (check->parsed() && format == "text") xxgk::write_summary(std::cout, tally, style);
  if (input_error) return kExitUsage;
  return check->parsed() && failing ? kExitFindings : kExitClean;
}
