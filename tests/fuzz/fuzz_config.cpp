// Fuzz target: the settings files of `xxgk check`, read from a file as the command line reads them: the input
// as xxgk.toml (config::load_config) and as a waiver baseline (config::load_baseline). A file that loads must
// leave only settings the checker can use; a refusal must say why.
#include <cmath>

#include "config/config.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = xxgk::fuzz::temp_file("config", xxgk::fuzz::bytes_of(data, size));
  xxgk::Options options;
  std::string error;
  if (xxgk::config::load_config(path, options, &error)) {
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int month = options.township_deadline_month, day = options.township_deadline_day;
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) std::abort();
    if (!(options.money_tolerance >= 0 && options.money_tolerance <= 1e6)) std::abort();  // NaN fails too
    if (options.language.empty()) std::abort();
    for (const auto& [rule, severity] : options.rule_severity)
      if (!xxgk::find_rule_info(rule)) std::abort();
  } else if (error.empty()) {
    std::abort();
  }
  error.clear();
  if (const auto baseline = xxgk::config::load_baseline(path, &error)) {
    for (const auto& waiver : baseline->waivers)
      if (waiver.document.empty() || waiver.fingerprint.empty() ||
          waiver.reason.find_first_not_of(" \t\r\n") == std::string::npos)
        std::abort();
  } else if (error.empty()) {
    std::abort();
  }
  return 0;
}
