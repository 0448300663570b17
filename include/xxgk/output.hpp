// xxgk/output.hpp — renderings of check results: JSON (docs/schema.md), compiler-style text, table CSV.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace xxgk {

//! The result as JSON, schema "xxgk.check/1" (docs/schema.md). Fields may be added, never renamed.
nlohmann::ordered_json to_json(const CheckResult& result);
//! Only the rebuilt tables, with source and report (for `xxgk tables --format json`).
nlohmann::ordered_json tables_to_json(const CheckResult& result);

struct TextStyle {
  bool color = false;
  bool show_source = true;  //!< the source line and a caret under each finding
};
//! `path:line:col: severity: message [rule]`, with the source line under it.
void write_text(std::ostream& out, const CheckResult& result, const TextStyle& style);

//! Counts of findings by severity, and of uncertain ones.
struct Tally {
  size_t errors = 0, warnings = 0, infos = 0, uncertain = 0, input_errors = 0, files = 0;
  void add(const CheckResult& result);
};
void write_summary(std::ostream& out, const Tally& tally, const TextStyle& style);

//! Every cell of every rebuilt table, one CSV row per cell (RFC 4180).
void write_csv_header(std::ostream& out);
void write_csv(std::ostream& out, const CheckResult& result);

}  // namespace xxgk
