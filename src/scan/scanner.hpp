// scan/scanner.hpp — `xxgk scan`: every document of a crawl through the check pipeline, in parallel, with
// bounded memory; one JSON line per input document, always; then the cross-year pass.
//
//   read (serial, in order) → check and render (parallel) → write to every output (serial, in input order)
//
// oneTBB's parallel_pipeline carries at most a few documents per worker, so memory does not grow with the
// archive. Every document yields one record: checked, skipped (not a report) or error (unreadable, too large,
// over its time budget). The outputs are sinks (scan/sinks.hpp).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scan/inputs.hpp"
#include "scan/summary.hpp"
#include "xxgk/output.hpp"

namespace xxgk::scan {

struct ScanOptions {
  std::vector<std::string> inputs;
  std::string files_from;
  std::vector<std::string> outputs;  //!< "-" (stdout), *.jsonl, *.sqlite / *.db, *.html, *.xlsx
  std::string crossyear_output;      //!< JSON lines of cross-year findings; "" = beside the first JSONL output
  std::string summary_output;        //!< summary JSON; "" = beside the first output when `summary`
  bool summary = false;
  bool tables = false;      //!< include tables and sections in the JSON lines
  bool resume = false;
  bool ordered = true;      //!< write in input order (deterministic); false: as checks finish
  bool crossyear = true;
  bool quiet = false;
  unsigned jobs = 0;        //!< 0: every core
  unsigned shard = 0, shards = 1;  //!< this scan's share: documents whose id hashes to shard-1 modulo shards
  uint32_t time_limit_ms = 60'000;
  std::string temp_dir;     //!< for the year-facts store; "" = the system's
  //! The checks' settings, as `check` has them (xxgk.toml, --lang, --select/--ignore, --max-bytes…).
  Options check;
  PathFilter filter;        //!< hidden files, --include, --exclude
  std::string charset;      //!< --charset: the transport charset of documents that declare none
  FailOn fail_on = FailOn::error;
  const Words* words = nullptr;  //!< null: the built-in catalogue
  std::string tool_version;
};

struct ScanTotals {
  size_t documents = 0, checked = 0, skipped = 0, errors = 0, resumed = 0, crossyear_findings = 0;
  size_t failing = 0;   //!< findings (of every document, resumed ones too, and across years) that fail --fail-on
  size_t readable = 0;  //!< documents (resumed ones too) that could be read: checked or skipped
  //! The exit status the scan earns: 0 clean, 1 findings at or above --fail-on, 2 when no document could be read
  //! (a share of a --shard scan may hold no document at all, and that is no failure).
  int exit_status(bool share = false) const;
};

//! Runs the scan. Returns false and sets *error only when the scan cannot run at all (bad output path, grammars);
//! problems with documents are records, never a failed scan.
bool run_scan(const ScanOptions& options, std::ostream& progress, ScanTotals& totals, std::string* error);

//! `xxgk merge`: the JSON lines of several scans (the shards of a distributed scan) as one result, written to
//! every output a scan can write: lines in the order given (a document in two parts once), then the cross-year
//! pass and the summary over all of them.
bool merge_scans(const std::vector<std::string>& parts, const ScanOptions& options, std::ostream& report, ScanTotals& totals,
                 std::string* error);

}  // namespace xxgk::scan
