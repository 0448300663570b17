// scan/summary.hpp — totals of a scan, kept as documents stream past (memory does not grow with the archive).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "scan/record.hpp"

namespace xxgk::scan {

class Summary {
 public:
  void add(const Digest& d);
  void add_crossyear(const Finding& f);
  nlohmann::ordered_json to_json() const;
  void print(std::ostream& out) const;
  size_t documents() const { return documents_; }

 private:
  static constexpr size_t kTop = 20;
  size_t documents_ = 0;
  std::map<std::string, size_t> status_, skipped_, errors_by_code_, format_, year_, level_, severity_;
  std::map<std::string, std::pair<size_t, size_t>> rules_;  // fail, uncertain
  std::map<std::string, std::pair<size_t, size_t>> crossyear_;
  std::vector<std::pair<uint32_t, std::string>> top_;  // most errors first, ties by id
};

}  // namespace xxgk::scan
