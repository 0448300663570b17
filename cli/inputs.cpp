// cli/inputs.cpp — reading one input for `check`, `tables`, `text` and `compare`: a file, a FIFO or process
// substitution, or standard input; and what its content is when it is plainly not a report.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "util/utf8.hpp"

namespace xxgk::cli {
namespace {

// A stream read to its end; beyond the limit the bytes are counted, not kept, so the error states the real size.
void read_stream(std::istream& in, Input& input, uint64_t max_bytes, const Voice& say) {
  char buffer[1 << 16];
  uint64_t total = 0;
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto n = static_cast<size_t>(in.gcount());
    total += n;
    if (total <= max_bytes) input.bytes.append(buffer, n);
  }
  if (total > max_bytes) {
    input.bytes.clear();
    input.bytes.shrink_to_fit();
    input.error = InputError{"too-large", say("input.too-large", {{"bytes", std::to_string(total)}, {"limit", std::to_string(max_bytes)}})};
  }
}

InputError read_error(int error_number, const Voice& say) {
  if (error_number == ENOENT || error_number == ENOTDIR) return {"read-failed", say("input.missing")};
  if (error_number == EACCES || error_number == EPERM) return {"read-failed", say("input.no-permission")};
  return {"read-failed", say("input.read-failed", {{"reason", std::strerror(error_number)}})};
}

}  // namespace

Input read_input(const std::string& path, uint64_t max_bytes, const Voice& say) {
  Input in{utf8::escape_invalid(path), {}, {}};  // the name as results show it: UTF-8, as JSON needs
  if (path == "-") {
    read_stream(std::cin, in, max_bytes, say);
    return in;
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    in.error = read_error(errno, say);
    return in;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    in.error = read_error(errno, say);
    return in;
  }
  if (!S_ISREG(info.st_mode)) {  // a FIFO, `<(cmd)`, a character device: its size is known only at the end
    read_stream(file, in, max_bytes, say);
    return in;
  }
  const auto size = static_cast<uint64_t>(info.st_size);
  if (size > max_bytes) {
    in.error = InputError{"too-large", say("input.too-large", {{"bytes", std::to_string(size)}, {"limit", std::to_string(max_bytes)}})};
    return in;
  }
  in.bytes.resize(size);
  file.read(in.bytes.data(), static_cast<std::streamsize>(size));
  in.bytes.resize(static_cast<size_t>(file.gcount()));
  return in;
}

CheckResult result_of(const Checker& checker, const Input& in, const std::string& charset, const Voice& say) {
  CheckResult r;
  r.source.path = in.path;
  r.report.is_report = false;
  r.report.format = "unknown";
  if (in.error) {
    r.error = in.error;
    return r;
  }
  // The tool's own outputs and tables of data are not reports: said once, not checked into findings.
  if (const std::string kind = scan::data_file_kind(in.bytes); !kind.empty()) {
    r.source.bytes = in.bytes.size();
    r.skipped = say("skip." + kind);
    return r;
  }
  return checker.check(in.bytes, InputInfo{in.path, charset});
}

}  // namespace xxgk::cli
