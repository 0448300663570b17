// scan/sinks.hpp — where a scan's results go: one class per output (JSON Lines, SQLite, the HTML page, the
// workbook, the cross-year JSON Lines), all behind one interface, so that `run_scan` and `merge` are
// setup → documents → cross-year pass → finish, and a new output is one class.
//
//   prepare (parallel, per document: render what the output needs)  →  write (serial, in input order)
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "scan/inputs.hpp"
#include "scan/record.hpp"
#include "xxgk/output.hpp"

namespace xxgk::scan {

//! What a sink renders for a document in the parallel stage, kept until the serial write.
struct Prepared {
  virtual ~Prepared() = default;
};

//! One document on its way through the outputs.
struct Work {
  InputDocument doc;
  size_t number = 0;      //!< in the order of input
  CheckResult result;     //!< cleared after `prepare` unless a sink needs it at `write`
  std::string status;     //!< checked, skipped, error
  SkipReason reason;
  std::string line;       //!< the JSON line
  Digest digest;          //!< what the summary keeps
  std::optional<YearFacts> facts;
  std::string facts_packed;  //!< the facts as the store keeps them (pack_facts), written in the parallel stage
  std::vector<std::unique_ptr<Prepared>> prepared;  //!< one slot per sink
  std::vector<bool> fresh;  //!< per sink: the output does not hold the document yet (--resume)
};

//! A finding of the cross-year pass with both documents.
struct CrossyearFinding {
  const Finding& finding;
  const std::string& document;  //!< this year's
  const std::string& previous;  //!< the year before's
  const YearFacts& current;
  const YearFacts& before;
};

//! How the outputs are written.
struct SinkSettings {
  std::string title;       //!< of the HTML page
  bool resume = false;
  Voice voice;             //!< words of the page, the workbook and the records
  nlohmann::ordered_json tool;  //!< name, version, grammars
  //! --resume: called with every record the first JSON Lines output already holds (for the summary and the
  //! cross-year facts).
  std::function<void(const nlohmann::json& record)> on_held_record;
};

class Sink {
 public:
  virtual ~Sink() = default;
  //! The documents this output already holds (--resume); null when it cannot be resumed.
  virtual const std::unordered_set<std::string>* held() const { return nullptr; }
  //! True when `write` needs Work::result (else it is dropped after `prepare`, to keep memory flat).
  virtual bool needs_result() const { return false; }
  //! Parallel: renders what `write` needs into work.prepared[slot]. Must not touch the sink's state.
  virtual void prepare(Work& /*work*/, size_t /*slot*/) const {}
  //! Serial, in order: writes a document (only when work.fresh[slot]).
  virtual void write(Work& work, size_t slot) = 0;
  virtual void add_crossyear(const CrossyearFinding& /*finding*/) {}
  //! Completes the output. False with *error when it cannot be written.
  virtual bool finish(std::string* error) = 0;
};

//! What an output file is, by its name: "jsonl", "sqlite", "html", "xlsx" ("-" is JSON Lines on standard
//! output), or "" for a name whose kind is unknown (an error: never a silent JSON Lines).
std::string output_kind(const std::string& path);

//! The sinks of `outputs` (and the cross-year JSON Lines at `crossyear_output`, "" for none). Null with *error
//! when one cannot be opened.
std::vector<std::unique_ptr<Sink>> open_sinks(const std::vector<std::string>& outputs, const std::string& crossyear_output,
                                              const SinkSettings& settings, std::string* error);

}  // namespace xxgk::scan
