// Fuzz target: `xxgk merge` over damaged JSON Lines — partial lines of a killed shard, fields of the wrong type,
// numbers out of range, the same document in two parts. The input is cut at its middle line break into two part
// files, which are merged with the cross-year pass and the summary. Every line written must be counted once, and
// every file written must be valid JSON (Lines).
#include <sstream>

#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "scan/scanner.hpp"

namespace {

size_t json_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  size_t n = 0;
  for (std::string line; std::getline(in, line); ++n)
    if (!nlohmann::json::accept(line)) std::abort();
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto bytes = xxgk::fuzz::bytes_of(data, size);
  size_t cut = bytes.find('\n', bytes.size() / 2);
  cut = cut == std::string_view::npos ? bytes.size() : cut + 1;
  const std::string first = xxgk::fuzz::temp_file("part1.jsonl", bytes.substr(0, cut));
  const std::string second = xxgk::fuzz::temp_file("part2.jsonl", bytes.substr(cut));
  const std::string merged = xxgk::fuzz::temp_file("merged.jsonl", "");
  xxgk::scan::ScanOptions options;
  options.outputs = {merged};
  options.crossyear_output = xxgk::fuzz::temp_file("merged.crossyear.jsonl", "");
  options.summary_output = xxgk::fuzz::temp_file("merged.summary.json", "");
  options.summary = true;
  options.temp_dir = std::filesystem::temp_directory_path().string();
  xxgk::scan::ScanTotals totals;
  std::ostringstream report;
  std::string error;
  if (!xxgk::scan::merge_scans({first, second}, options, report, totals, &error)) std::abort();
  if (json_lines(merged) != totals.documents) std::abort();
  if (totals.checked + totals.skipped + totals.errors != totals.documents) std::abort();
  if (json_lines(options.crossyear_output) != totals.crossyear_findings) std::abort();
  std::ifstream summary(options.summary_output, std::ios::binary);
  if (!nlohmann::json::accept(summary)) std::abort();
  return 0;
}
