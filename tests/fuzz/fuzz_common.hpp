// tests/fuzz/fuzz_common.hpp — what the fuzz targets share: one checker per process, built from the
// grammars compiled into the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

#include "xxgk/xxgk.hpp"

namespace xxgk::fuzz {

inline const Checker& checker() {
  static const std::unique_ptr<Checker> instance = [] {
    std::string error;
    Options options;
    options.keep_text = false;
    auto made = Checker::create(options, &error);
    if (!made) std::abort();  // the embedded grammars must load: a fuzz run without them proves nothing
    return made;
  }();
  return *instance;
}

inline std::string_view bytes_of(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

//! A file of this process holding `bytes`, for code that reads paths (the configuration, merge's parts). The
//! process id keeps parallel fuzzing jobs apart; the files are overwritten by every input.
inline std::string temp_file(const std::string& name, std::string_view bytes) {
  const auto path = std::filesystem::temp_directory_path() / ("xxgk-fuzz-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}

//! Touches every part of a result so that a sanitizer sees reads of anything left dangling.
inline size_t weigh(const CheckResult& result) {
  size_t n = result.findings.size() + result.sections.size() + result.source.encoding.size();
  for (const auto& finding : result.findings) n += finding.message.size() + finding.evidence.terms.size();
  for (const auto& table : result.tables)
    for (const auto& row : table.rows) n += row.cells.size() + row.label_as_written.size();
  return n;
}

}  // namespace xxgk::fuzz
