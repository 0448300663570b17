// scan/record.hpp — one scanned document as a JSON line (schema xxgk.scan/1, docs/scan.md), and what the
// summary and the cross-year pass keep of it.
//
// The JSON line is the unit of everything after the per-document pass: resume, merging the shards of a
// distributed scan and the cross-year pass all rebuild what they need from lines, so a scan's output file is
// complete on its own.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "scan/inputs.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::scan {

//! What the summary keeps of a document.
struct Digest {
  std::string id, status, reason, reason_kind, error_code;
  std::string format, level, kind, agency, province, city, content;
  std::optional<int> year;
  uint32_t errors = 0, warnings = 0, infos = 0, uncertain = 0;
  struct Rule {
    std::string rule, severity;
    bool uncertain = false;
  };
  std::vector<Rule> findings;
};

//! The document's status: "checked" (a report, checked), "skipped" (not a report, or not a page) or "error".
std::string status_of(const InputDocument& doc, const CheckResult& result);

//! Why a document was skipped, in words and as a kind: "http-status", "data-table", "own-output" (the input's),
//! "triage" (the checker's quick look), "not-a-report" (the checker's verdict); empty when it was not.
struct SkipReason {
  std::string text, kind;
};
SkipReason skip_reason_of(const InputDocument& doc, const CheckResult& result, const Voice& voice);

//! The JSON line of a document. `with_tables`: include the rebuilt tables and sections. `tool`: the "tool" object
//! (name, version, grammars) every line carries.
nlohmann::ordered_json document_record(const InputDocument& doc, const CheckResult& result, bool with_tables,
                                       const Voice& voice, const nlohmann::ordered_json& tool);

//! The same line as document_record(...).dump(), written straight from the result (no DOM): what the scan writes.
std::string document_line(const InputDocument& doc, const CheckResult& result, bool with_tables, const Voice& voice,
                          const nlohmann::ordered_json& tool);
//! What digest_of(the document's line) reads, taken from the values the line is written from.
Digest digest_of(const InputDocument& doc, const CheckResult& result, const Voice& voice);

//! Rebuilt from a document line.
Digest digest_of(const nlohmann::json& record);
Digest digest_of(const nlohmann::ordered_json& record);  //!< the line as built, without a copy
//! The document of a line: its id and provenance (not its bytes).
InputDocument document_of(const nlohmann::json& record);
std::optional<YearFacts> facts_of(const nlohmann::json& record);

//! JSON of year facts, and back.
nlohmann::ordered_json facts_json(const YearFacts& facts);
YearFacts facts_from_json(const nlohmann::json& j);

//! Year facts as the scan's temporary store keeps them (bytes of its own, never shown), and back: unpack_facts(
//! pack_facts(f)) is what facts_from_json(facts_json(f)) gives (a value that JSON cannot hold and a year beyond a
//! record's range dropped the same way; no sentence offsets). Damaged bytes give what was read before the damage.
std::string pack_facts(const YearFacts& facts);
YearFacts unpack_facts(std::string_view packed);

//! A cross-year finding as a JSON line (schema xxgk.crossyear/1).
nlohmann::ordered_json crossyear_record(const Finding& finding, const std::string& document, const std::string& previous,
                                        const YearFacts& current, const YearFacts& before);

}  // namespace xxgk::scan
