// scan/scanner.hpp — `xxgk scan`: every document of a crawl through the check pipeline, in parallel, with
// bounded memory; one JSON line per input document, always; then the cross-year pass.
//
//   read (serial, in order) → check (parallel) → write (serial, in input order)
//
// oneTBB's parallel_pipeline carries at most a few documents per worker, so memory does not grow with the
// archive. Every document yields one record: checked, skipped (not a report) or error (unreadable, too large,
// over its time budget).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scan/summary.hpp"

namespace xxgk::scan {

struct ScanOptions {
  std::vector<std::string> inputs;
  std::string files_from;
  std::vector<std::string> outputs;  //!< "-" (stdout), *.jsonl, *.sqlite / *.db
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
  uint64_t max_bytes = 32u << 20;
  uint32_t time_limit_ms = 60'000;
  std::string grammar_dir;
  std::string language = "zh";  //!< of messages (Options::language)
  std::string temp_dir;     //!< for the year-facts store; "" = the system's
};

struct ScanTotals {
  size_t documents = 0, checked = 0, skipped = 0, errors = 0, resumed = 0, crossyear_findings = 0;
};

//! Runs the scan. Returns false and sets *error only when the scan cannot run at all (bad output path, grammars);
//! problems with documents are records, never a failed scan.
bool run_scan(const ScanOptions& options, std::ostream& progress, ScanTotals& totals, std::string* error);

//! `xxgk merge`: the JSON lines of several scans (the shards of a distributed scan) as one result: lines in the
//! order given, then the cross-year pass and the summary over all of them.
bool merge_scans(const std::vector<std::string>& parts, const ScanOptions& options, std::ostream& report, ScanTotals& totals,
                 std::string* error);

}  // namespace xxgk::scan
