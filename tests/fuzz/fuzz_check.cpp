// Fuzz target: the whole check of one document, as `xxgk check` and `xxgk scan` run it (with triage and
// year facts, as a scan asks for them), and the result in every text format they write it in: JSON (the scan's
// line too), compiler-style text, CSV, SARIF and JUnit. nlohmann's dump() throws on a string that is not UTF-8:
// every text in a result must be.
#include <sstream>

#include "fuzz_common.hpp"
#include "output/json_stream.hpp"
#include "scan/record.hpp"
#include "xxgk/output.hpp"

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
  std::ostringstream out;
  const xxgk::Voice voice{};
  out << xxgk::to_json(result).dump() << xxgk::tables_to_json(result).dump();
  // The streaming writer (output/json_stream.hpp) writes the DOM's bytes exactly.
  const nlohmann::ordered_json tool = xxgk::tool_json("fuzz", "grammars");
  for (const int indent : {-1, 2}) {
    nlohmann::ordered_json dom = xxgk::to_json(result);
    dom["tool"] = tool;
    std::string streamed;
    xxgk::write_check_json(streamed, result, tool, indent);
    if (streamed != dom.dump(indent)) std::abort();
  }
  xxgk::write_text(out, result, {.color = true, .show_source = true, .voice = voice});
  xxgk::write_csv(out, result);
  xxgk::write_findings_csv(out, result);
  xxgk::Run run;
  run.results = {result};
  run.voice = voice;
  out << xxgk::to_sarif(run).dump();
  xxgk::write_junit(out, run);
  const auto scanned = scanning_checker().check(bytes, {.path = "fuzz", .declared_charset = ""});
  (void)xxgk::fuzz::weigh(scanned);
  xxgk::scan::InputDocument doc;
  doc.id = "fuzz";
  const std::string record = xxgk::scan::document_record(doc, scanned, true, voice, tool).dump();
  if (xxgk::scan::document_line(doc, scanned, true, voice, tool) != record) std::abort();
  out << record;
  if (scanned.year_facts) out << xxgk::scan::facts_json(*scanned.year_facts).dump();
  return 0;
}
