// bench_check — `check` throughput on reports, beside the floor of reading the same files.
//
//   bench_check [--seconds S] [--check-only] FILE|DIR...
//
// --check-only runs just the in-memory check (for profilers).
//
// Prints, from one run: MB/s and documents/s of (a) reading the files from the page cache, (b) the whole
// check of each document on one core, and their ratio; plus peak RSS. Plain-text (.txt) and HTML (.html)
// inputs are measured apart; HTML pages also as GBK (re-encoded in memory, <meta charset> saying so) and
// beside gumbo's bare parse of the same pages, the floor an HTML check cannot beat. Targets live in README.md.
#include <gumbo.h>
#include <sys/resource.h>
#include <unicode/ucnv.h>

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
        if (e.is_regular_file() && (e.path().extension() == ".txt" || e.path().extension() == ".html"))
          files.push_back(e.path().string());
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

// The page in GB18030, its <meta charset> saying gbk, as GB sites publish.
std::string as_gbk(std::string page) {
  for (const char* utf8 : {"charset=\"utf-8\"", "charset=utf-8", "charset=\"UTF-8\"", "charset=UTF-8"})
    for (size_t at = page.find(utf8); at != std::string::npos; at = page.find(utf8, at))
      page.replace(at, std::string(utf8).size(), "charset=\"gbk\"");
  UErrorCode status = U_ZERO_ERROR;
  std::string out(page.size() * 2 + 16, '\0');
  int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()), page.data(),
                           static_cast<int32_t>(page.size()), &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<size_t>(n));
  return out;
}

bool is_html(const std::string& path) { return fs::path(path).extension() == ".html"; }

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
  // PERF: the machine changes speed over seconds; the measurements take turns, pass by pass, so that their
  // ratios compare like with like.
  auto timed = [](auto&& body) {
    auto start = Clock::now();
    body();
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  size_t findings = 0;
  for (const bool html : {false, true}) {
    std::vector<std::string> group;
    for (const auto& f : files)
      if (is_html(f) == html) group.push_back(f);
    if (group.empty()) continue;
    std::vector<std::string> contents, gbk;
    size_t bytes = 0, gbk_bytes = 0;
    for (const auto& f : group) {
      contents.push_back(read_file(f));
      bytes += contents.back().size();
      if (html) {
        gbk.push_back(as_gbk(contents.back()));
        gbk_bytes += gbk.back().size();
      }
    }
    double read_time = 0, check_time = 0, both_time = 0, gumbo_time = 0, gbk_time = 0;
    size_t passes = 0;
    auto begin = Clock::now();
    do {
      read_time += timed([&] {
        for (const auto& f : group) sink += read_file(f).size();
      });
      check_time += timed([&] {
        for (size_t i = 0; i < group.size(); ++i) findings += checker->check(contents[i], {group[i], {}}).findings.size();
      });
      both_time += timed([&] {
        for (const auto& f : group) {
          std::string data = read_file(f);
          findings += checker->check(data, {f, {}}).findings.size();
        }
      });
      if (html) {
        gumbo_time += timed([&] {
          for (const auto& page : contents) {
            GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, page.data(), page.size());
            sink += out->root ? 1 : 0;
            gumbo_destroy_output(&kGumboDefaultOptions, out);
          }
        });
        gbk_time += timed([&] {
          for (size_t i = 0; i < group.size(); ++i) findings += checker->check(gbk[i], {group[i], {}}).findings.size();
        });
      }
      ++passes;
    } while (std::chrono::duration<double>(Clock::now() - begin).count() < seconds);
    const double mb = static_cast<double>(bytes) / 1e6;
    auto rate = [&](double t, double megabytes) { return megabytes * static_cast<double>(passes) / t; };
    auto docs = [&](double t) { return static_cast<double>(group.size() * passes) / t; };
    std::printf("%s: %zu documents, %.2f MB (mean %.1f KB)\n", html ? "HTML pages" : "plain text", group.size(), mb,
                mb * 1000 / static_cast<double>(group.size()));
    std::printf("  %-30s %10s %12s %10s\n", "stage (one core)", "MB/s", "documents/s", "x floor");
    auto line = [&](const char* name, double t, double megabytes, double floor_time) {
      std::printf("  %-30s %10.1f %12.0f %10.2f\n", name, rate(t, megabytes), docs(t), t / floor_time);
    };
    line("read files (floor)", read_time, mb, read_time);
    if (html) line("gumbo parse alone", gumbo_time, mb, read_time);
    line("check, in memory", check_time, mb, read_time);
    line("read + check (end to end)", both_time, mb, read_time);
    if (html) {
      line("check GBK pages, in memory", gbk_time, static_cast<double>(gbk_bytes) / 1e6, read_time);
      std::printf("  HTML check / gumbo parse alone: %.2fx (UTF-8), %.2fx (GBK)   target: within 2x\n",
                  check_time / gumbo_time, gbk_time / gumbo_time);
    }
  }
  std::printf("peak RSS: %.1f MB\n", peak_rss_mb());
  return sink == 0 && findings == 0 ? 1 : 0;  // keeps the work from being optimised away
}
