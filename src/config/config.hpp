// config/config.hpp — xxgk.toml (rule severities, the township deadline, money tolerance, the language of
// messages) and waivers: a baseline of accepted findings, each with a reason, keyed so that they survive a
// re-crawl (the report's own text and what each finding is about, not the page's bytes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "xxgk/output.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::config {

//! The nearest xxgk.toml in `start` or a folder above it; "" when there is none.
std::string find_config(const std::string& start);

//! Applies the settings of the TOML file at `path` to `options`. False, with *error naming the key (in `voice`'s
//! words), when the file cannot be read or holds a value xxgk does not accept (unknown keys are errors too: a
//! typo must not silently leave a rule on).
bool load_config(const std::string& path, Options& options, std::string* error, const Voice& voice = {});

struct Waiver {
  std::string document;     //!< SHA-256 of the document's bytes when waived
  std::string body;         //!< Source::body_fingerprint of the document when waived
  std::string fingerprint;  //!< the finding's fingerprint
  std::string subject;      //!< what the finding was about when waived: its cells and values (subject_of)
  std::string rule;         //!< for people reading the file
  std::string reason;       //!< required: why the finding is accepted
  std::string path;         //!< where the document was when waived (informational)
};

//! What a finding is about, as a short digest of its evidence: the cells with their values as written, the
//! stated and computed totals, the readings of a digit run and the numbers in its facts. The same finding about
//! a changed cell has another subject.
std::string subject_of(const Finding& finding);

struct Baseline {
  std::vector<Waiver> waivers;
  //! The waiver that accepts `finding` of `source`, or null. A waiver holds for the same bytes, or for the same
  //! report text (a re-crawl: other chrome, footer or visit counter) when the finding is about the same cells
  //! and values.
  const Waiver* waiver_for(const Source& source, const Finding& finding) const;
};

//! Reads a baseline (JSON, schema "xxgk.baseline/1"). Every waiver needs a document or body, a fingerprint and
//! a non-empty reason.
std::optional<Baseline> load_baseline(const std::string& path, std::string* error, const Voice& voice = {});
//! Writes every finding of `results` as a waiver with `reason`.
bool write_baseline(const std::string& path, const std::vector<CheckResult>& results, const std::string& reason,
                    std::string* error, const Voice& voice = {});
//! Moves the waived findings of `result` to `waived` (with their reasons); returns how many.
size_t apply_baseline(const Baseline& baseline, CheckResult& result, std::vector<WaivedFinding>* waived = nullptr);

}  // namespace xxgk::config
