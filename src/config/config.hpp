// config/config.hpp — xxgk.toml (rule severities, the township deadline, money tolerance, the language of
// messages) and waivers: a
// baseline of accepted findings keyed by document hash and finding fingerprint, each with a reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace xxgk::config {

//! The nearest xxgk.toml in `start` or a folder above it; "" when there is none.
std::string find_config(const std::string& start);

//! Applies the settings of the TOML file at `path` to `options`. False, with *error naming the key, when the
//! file cannot be read or holds a value xxgk does not accept (unknown keys are errors too: a typo must not
//! silently leave a rule on).
bool load_config(const std::string& path, Options& options, std::string* error);

struct Waiver {
  std::string document;     //!< SHA-256 of the document's bytes
  std::string fingerprint;  //!< the finding's fingerprint
  std::string rule;         //!< for people reading the file
  std::string reason;       //!< required: why the finding is accepted
  std::string path;         //!< where the document was when waived (informational)
};

struct Baseline {
  std::vector<Waiver> waivers;
  //! True when `finding` of the document with hash `document` is waived.
  bool waives(const std::string& document, const Finding& finding) const;
};

//! Reads a baseline (JSON, schema "xxgk.baseline/1"). Every waiver needs a document, a fingerprint and a
//! non-empty reason.
std::optional<Baseline> load_baseline(const std::string& path, std::string* error);
//! Writes every finding of `results` as a waiver with `reason`.
bool write_baseline(const std::string& path, const std::vector<CheckResult>& results, const std::string& reason,
                    std::string* error);
//! Removes waived findings from `result`; returns how many.
size_t apply_baseline(const Baseline& baseline, CheckResult& result);

}  // namespace xxgk::config
