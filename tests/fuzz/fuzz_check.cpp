// Fuzz target: the whole check of one document, as `xxgk check` and `xxgk scan` run it (with triage and
// year facts, as a scan asks for them).
#include "fuzz_common.hpp"

namespace {
const xxgk::Checker& scanning_checker() {
  static const auto instance = [] {
    std::string error;
    xxgk::Options options;
    options.keep_text = false;
    options.triage = true;
    options.year_facts = true;
    auto made = xxgk::Checker::create(options, &error);
    if (!made) std::abort();
    return made;
  }();
  return *instance;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto bytes = xxgk::fuzz::bytes_of(data, size);
  const auto result = xxgk::fuzz::checker().check(bytes, {.path = "fuzz", .declared_charset = ""});
  if (!result.error && result.source.encoding.empty()) std::abort();  // a result is either read or an error
  (void)xxgk::fuzz::weigh(result);
  (void)xxgk::fuzz::weigh(scanning_checker().check(bytes, {.path = "fuzz", .declared_charset = ""}));
  return 0;
}
