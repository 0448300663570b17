// scan/summary.hpp — totals of a scan, kept as documents stream past (memory does not grow with the archive).
// Doubt is counted apart: errors, warnings and info are proven findings, "review" the uncertain ones.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "scan/record.hpp"
#include "xxgk/output.hpp"

namespace xxgk::scan {

class Summary {
 public:
  //! Findings by kind: proven errors, warnings, info, and those to review.
  using Kinds = std::array<size_t, 4>;
  void add(const Digest& d);
  void add_crossyear(const Finding& f);
  nlohmann::ordered_json to_json() const;
  //! The totals for people, in `voice`'s language.
  void print(std::ostream& out, const Voice& voice) const;
  size_t documents() const { return documents_; }

 private:
  static constexpr size_t kTop = 20;
  size_t documents_ = 0;
  std::map<std::string, size_t> status_, skipped_, errors_by_code_, format_, year_, level_, province_, city_, severity_;
  std::map<std::string, std::pair<size_t, size_t>> rules_;  // fail, uncertain
  std::map<std::string, std::pair<size_t, size_t>> crossyear_;
  std::map<std::string, Kinds> by_year_, by_level_, by_province_;  // findings of checked reports
  std::vector<std::pair<uint32_t, std::string>> top_;  // most proven errors first, ties by id
};

}  // namespace xxgk::scan
