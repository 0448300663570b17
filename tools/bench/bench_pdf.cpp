// bench_pdf — `check` of PDF reports beside poppler's bare text extraction of the same files, in one run.
//
//   bench_pdf [--passes N] FILE.pdf|DIR...
//
// On one core, all files in memory, the measurements taking turns pass by pass (this machine changes speed over
// seconds; compare ratios, not absolute figures):
//   (a) bare extraction: poppler opens each file and gives every page's words with their boxes (TextOutputDev's
//       word list, what poppler's own C++ API returns as text boxes) — the floor a PDF check cannot beat;
//   (b) the whole check of each file (xxgk::Checker::check: extraction, rulings, tables, the pipeline, checks).
// Prints pages/s and MB/s of both and their ratio (target in docs/pdf.md: within 1.5×), and the peak memory of
// checking each document alone (a child process per document: its peak RSS).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ErrorCodes.h>
#include <GlobalParams.h>
#include <PDFDoc.h>
#include <Stream.h>
#include <TextOutputDev.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "grammar/grammar.hpp"
#include "pdf/extract.hpp"
#include "pdf/pdf.hpp"
#include "xxgk/xxgk.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void quiet(ErrorCategory, Goffset, const char*) {}

struct ReleaseText {
  void operator()(TextPage* page) const { page->decRefCnt(); }
};

// Pages of `bytes`, every word with its box read (the sum of their lengths keeps the work from being dropped).
size_t bare_extraction(const std::string& bytes, size_t& sink) {
  auto* stream = new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull));
  PDFDoc doc(stream, GooString(""), GooString(""));
  if (!doc.isOk()) return 0;
  const int pages = doc.getNumPages();
  for (int p = 1; p <= pages; ++p) {
    TextOutputDev device(nullptr, false, 0, false, false);
    doc.displayPage(&device, p, 72, 72, 0, false, true, false);
    std::unique_ptr<TextPage, ReleaseText> text(device.takeText());
    auto words = text->makeWordList(false);
    for (int i = 0; i < words->getLength(); ++i) {
      double x0, y0, x1, y1;
      words->get(i)->getBBox(&x0, &y0, &x1, &y1);
      sink += static_cast<size_t>(words->get(i)->getLength()) + (x1 > x0 ? 1 : 0);
    }
  }
  return static_cast<size_t>(pages);
}

double peak_rss_mb_of_child(const xxgk::Checker& checker, const std::string& bytes) {
  pid_t pid = fork();
  if (pid == 0) {
    xxgk::CheckResult r = checker.check(bytes, {"bench.pdf", ""});
    _exit(r.error ? 1 : 0);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  int passes = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--passes") && i + 1 < argc) {
      passes = std::atoi(argv[++i]);
    } else if (fs::is_directory(argv[i])) {
      for (const auto& e : fs::recursive_directory_iterator(argv[i]))
        if (e.is_regular_file() && e.path().extension() == ".pdf") files.push_back(e.path().string());
    } else {
      files.push_back(argv[i]);
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "usage: bench_pdf [--passes N] FILE.pdf|DIR...\n");
    return 2;
  }
  std::vector<std::string> documents;
  size_t bytes = 0;
  for (const auto& f : files) {
    documents.push_back(read_file(f));
    bytes += documents.back().size();
  }
  globalParams = std::make_unique<GlobalParams>();
  setErrorCallback(quiet);
  std::string error;
  xxgk::Options options;
  options.keep_text = false;
  auto checker = xxgk::Checker::create(options, &error);
  if (!checker) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }

  size_t pages = 0, sink = 0, unreadable = 0;
  for (const auto& d : documents) pages += bare_extraction(d, sink);
  for (const auto& d : documents) unreadable += checker->check(d, {"bench.pdf", ""}).error.has_value();
  auto grammars = xxgk::grammar::GrammarSet::load(xxgk::grammar::embedded_grammars(), &error);
  double best_bare = 1e18, best_check = 1e18, best_extract = 1e18, best_front = 1e18;
  std::vector<double> ratios;  // check / bare of each pass: the two ran back to back, at one speed of the machine
  for (int pass = 0; pass < passes; ++pass) {
    auto t0 = Clock::now();
    for (const auto& d : documents) bare_extraction(d, sink);
    auto t1 = Clock::now();
    for (const auto& d : documents) sink += checker->check(d, {"bench.pdf", ""}).findings.size();
    auto t2 = Clock::now();
    for (const auto& d : documents) sink += xxgk::pdf::extract(d, {}).index();
    auto t3 = Clock::now();
    for (const auto& d : documents) sink += xxgk::pdf::read(d, *grammars, {}).index();
    auto t4 = Clock::now();
    ratios.push_back(std::chrono::duration<double>(t2 - t1).count() / std::chrono::duration<double>(t1 - t0).count());
    best_bare = std::min(best_bare, std::chrono::duration<double>(t1 - t0).count());
    best_check = std::min(best_check, std::chrono::duration<double>(t2 - t1).count());
    best_extract = std::min(best_extract, std::chrono::duration<double>(t3 - t2).count());
    best_front = std::min(best_front, std::chrono::duration<double>(t4 - t3).count());
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  std::printf("%zu PDF files, %zu pages, %.2f MB (%zu could not be checked); best of %d passes, one core\n", files.size(), pages,
              mb, unreadable, passes);
  std::printf("  poppler bare extraction (words, boxes): %8.1f pages/s %7.2f MB/s\n", static_cast<double>(pages) / best_bare,
              mb / best_bare);
  std::printf("  xxgk check:                             %8.1f pages/s %7.2f MB/s\n", static_cast<double>(pages) / best_check,
              mb / best_check);
  std::printf("  of which: words, rulings, images (pdf::extract) %.2fx, the whole front end (pdf::read) %.2fx of bare\n",
              best_extract / best_bare, best_front / best_bare);
  std::sort(ratios.begin(), ratios.end());
  std::printf("  ratio check / bare extraction: %.2fx of the best times; per pass median %.2fx, range %.2f–%.2fx (target: within 1.5x)\n",
              best_check / best_bare, ratios[ratios.size() / 2], ratios.front(), ratios.back());
  double worst = 0;
  std::string worst_file;
  for (size_t i = 0; i < documents.size(); ++i) {
    const double rss = peak_rss_mb_of_child(*checker, documents[i]);
    if (rss > worst) worst = rss, worst_file = files[i];
  }
  std::printf("  peak RSS checking one document alone: %.1f MB at most (%s)\n", worst, worst_file.c_str());
  return sink == 42 ? 3 : 0;
}
