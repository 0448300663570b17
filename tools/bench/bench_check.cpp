// bench_check — `check` throughput on plain-text reports, beside the floor of reading the same files.
//
//   bench_check [--seconds S] [--check-only] FILE|DIR...
//
// --check-only runs just the in-memory check (for profilers).
//
// Prints, from one run: MB/s and documents/s of (a) reading the files from the page cache, (b) the whole
// check of each document on one core, and their ratio; plus peak RSS. Targets live in README.md.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> collect(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (fs::is_directory(a)) {
      for (const auto& e : fs::recursive_directory_iterator(a))
        if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path().string());
    } else {
      files.push_back(a);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  bool check_only = false;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
    else if (a == "--check-only") check_only = true;
    else args.push_back(a);
  }
  std::vector<std::string> files = collect(args);
  if (files.empty()) {
    std::cerr << "usage: bench_check [--seconds S] FILE|DIR...\n";
    return 2;
  }
  std::string error;
  auto checker = xxgk::Checker::create({}, &error);
  if (!checker) {
    std::cerr << error << "\n";
    return 2;
  }
  xxgk::Options options;

  // Floor: read every file from the page cache, repeatedly, for the same time.
  size_t bytes_per_pass = 0;
  for (const auto& f : files) bytes_per_pass += fs::file_size(f);
  auto run = [&](auto&& body) {  // for --check-only
    size_t passes = 0;
    auto start = Clock::now();
    double elapsed = 0;
    do {
      body();
      ++passes;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    return std::make_pair(passes, elapsed);
  };
  size_t sink = 0;
  if (check_only) {
    std::vector<std::string> only;
    for (const auto& f : files) only.push_back(read_file(f));
    size_t found = 0;
    auto [check_passes, time] = run([&] {
      for (size_t i = 0; i < files.size(); ++i) found += checker->check(only[i], {files[i], {}}).findings.size();
    });
    std::printf("check, in memory: %.1f MB/s, %.0f documents/s (%zu findings)\n",
                static_cast<double>(bytes_per_pass) / 1e6 * static_cast<double>(check_passes) / time,
                static_cast<double>(files.size() * check_passes) / time, found);
    return 0;
  }
  // PERF: the machine changes speed over seconds; the three measurements take turns, pass by pass, so that
  // their ratios compare like with like.
  std::vector<std::string> contents;
  for (const auto& f : files) contents.push_back(read_file(f));
  size_t findings = 0;
  double read_time = 0, check_time = 0, both_time = 0;
  size_t passes = 0;
  auto timed = [](auto&& body) {
    auto start = Clock::now();
    body();
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  auto begin = Clock::now();
  do {
    read_time += timed([&] {
      for (const auto& f : files) sink += read_file(f).size();
    });
    check_time += timed([&] {
      for (size_t i = 0; i < files.size(); ++i) findings += checker->check(contents[i], {files[i], {}}).findings.size();
    });
    both_time += timed([&] {
      for (const auto& f : files) {
        std::string bytes = read_file(f);
        findings += checker->check(bytes, {f, {}}).findings.size();
      }
    });
    ++passes;
  } while (std::chrono::duration<double>(Clock::now() - begin).count() < seconds);
  const double mb = static_cast<double>(bytes_per_pass) / 1e6;
  auto rate = [&](double t) { return mb * static_cast<double>(passes) / t; };
  auto docs = [&](double t) { return static_cast<double>(files.size() * passes) / t; };
  std::printf("corpus: %zu documents, %.2f MB (mean %.1f KB)\n", files.size(), mb, mb * 1000 / static_cast<double>(files.size()));
  std::printf("%-28s %10s %12s %10s\n", "stage (one core)", "MB/s", "documents/s", "x floor");
  std::printf("%-28s %10.1f %12.0f %10.2f\n", "read files (floor)", rate(read_time), docs(read_time), 1.0);
  std::printf("%-28s %10.1f %12.0f %10.2f\n", "check, in memory", rate(check_time), docs(check_time),
              rate(read_time) / rate(check_time));
  std::printf("%-28s %10.1f %12.0f %10.2f\n", "read + check (end to end)", rate(both_time), docs(both_time),
              rate(read_time) / rate(both_time));
  std::printf("peak RSS: %.1f MB\n", peak_rss_mb());
  return sink == 0 && findings == 0 ? 1 : 0;
}
