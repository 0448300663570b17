// bench_pdf_libs.cpp — poppler's C++ API beside MuPDF: the bare text extraction (words or characters with their
// boxes, every page) of the same PDF files, and how much of a reference text each one gives back.
//
//   bench_pdf_libs poppler|mupdf [--passes N] [--reference-dir DIR] FILE.pdf...
//
// Speed: pages/s and MB/s on one core over N passes (all files in memory). Memory: peak RSS of the process
// (run one library per process to compare them). Correctness of CJK text: with --reference-dir, DIR/<stem>.txt
// is the text of the same report read some other way (xxgk text of the HTML page the PDF was printed from);
// the share of its Han characters found in the extraction is printed (recall: each character counted as often
// as it occurs), and the share of adjacent Han pairs found (the order within words and lines; the order of the
// boxes themselves is the library's reading order, which the front end does not use).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

extern "C" {
#include <mupdf/fitz.h>
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Extracted {
  size_t pages = 0;
  std::string text;  // every word or character, pages in order
};

void quiet(const std::string&, void*) {}

Extracted with_poppler(const std::string& bytes) {
  Extracted out;
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return out;
  out.pages = static_cast<size_t>(doc->pages());
  for (int p = 0; p < doc->pages(); ++p) {
    std::unique_ptr<poppler::page> page(doc->create_page(p));
    if (!page) continue;
    for (const poppler::text_box& box : page->text_list(poppler::page::text_list_include_font)) {
      poppler::byte_array utf8 = box.text().to_utf8();
      out.text.append(utf8.begin(), utf8.end());
      (void)box.bbox();
      out.text.push_back(box.has_space_after() ? ' ' : '\n');
    }
    out.text.push_back('\f');
  }
  return out;
}

Extracted with_mupdf(fz_context* ctx, const std::string& bytes) {
  Extracted out;
  fz_document* doc = nullptr;
  fz_buffer* buffer = nullptr;
  fz_stream* stream = nullptr;
  fz_var(doc);
  fz_var(buffer);
  fz_var(stream);
  fz_try(ctx) {
    buffer = fz_new_buffer_from_copied_data(ctx, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    stream = fz_open_buffer(ctx, buffer);
    doc = fz_open_document_with_stream(ctx, "application/pdf", stream);
    int pages = fz_count_pages(ctx, doc);
    out.pages = static_cast<size_t>(pages);
    fz_stext_options options{};
    for (int p = 0; p < pages; ++p) {
      fz_stext_page* text = fz_new_stext_page_from_page_number(ctx, doc, p, &options);
      for (fz_stext_block* b = text->first_block; b; b = b->next) {
        if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
        for (fz_stext_line* l = b->u.t.first_line; l; l = l->next) {
          for (fz_stext_char* c = l->first_char; c; c = c->next) {
            char utf8[8];
            int n = fz_runetochar(utf8, c->c);
            out.text.append(utf8, static_cast<size_t>(n));
          }
          out.text.push_back('\n');
        }
      }
      out.text.push_back('\f');
      fz_drop_stext_page(ctx, text);
    }
  }
  fz_always(ctx) {
    fz_drop_document(ctx, doc);
    fz_drop_stream(ctx, stream);
    fz_drop_buffer(ctx, buffer);
  }
  fz_catch(ctx) { out.pages = 0; }
  return out;
}

// Han characters of `text`, in order (code points), as adjacent pairs.
std::vector<uint64_t> han_pairs(const std::string& text) {
  std::vector<uint32_t> han;
  for (size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    uint32_t cp = 0;
    size_t n = 1;
    if (b >= 0xF0 && i + 3 < text.size()) { cp = (b & 7u) << 18 | (text[i + 1] & 0x3Fu) << 12 | (text[i + 2] & 0x3Fu) << 6 | (text[i + 3] & 0x3Fu); n = 4; }
    else if (b >= 0xE0 && i + 2 < text.size()) { cp = (b & 15u) << 12 | (text[i + 1] & 0x3Fu) << 6 | (text[i + 2] & 0x3Fu); n = 3; }
    else if (b >= 0xC0 && i + 1 < text.size()) { cp = (b & 31u) << 6 | (text[i + 1] & 0x3Fu); n = 2; }
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) han.push_back(cp);
    i += n;
  }
  std::vector<uint64_t> pairs;
  for (size_t i = 1; i < han.size(); ++i) pairs.push_back(uint64_t{han[i - 1]} << 32 | han[i]);
  return pairs;
}

double share_found(const std::vector<uint64_t>& wanted, const std::vector<uint64_t>& in) {
  if (wanted.empty()) return 1;
  std::unordered_set<uint64_t> have(in.begin(), in.end());
  size_t found = 0;
  for (uint64_t p : wanted) found += have.count(p);
  return static_cast<double>(found) / static_cast<double>(wanted.size());
}

// Share of the Han characters of `reference` (with their counts) that `text` has.
double chars_found(const std::string& reference, const std::string& text) {
  auto counts = [](const std::string& t) {
    std::map<uint64_t, size_t> out;
    for (uint64_t pair : han_pairs(t + "\xE4\xB8\x80")) ++out[pair >> 32];  // each character once, as a pair's first
    return out;
  };
  auto want = counts(reference), have = counts(text);
  size_t total = 0, found = 0;
  for (auto [c, n] : want) {
    total += n;
    found += std::min(n, have[c]);
  }
  return total ? static_cast<double>(found) / static_cast<double>(total) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_pdf_libs poppler|mupdf [--passes N] [--reference-dir DIR] FILE.pdf...\n");
    return 2;
  }
  const std::string library = argv[1];
  int passes = 3;
  std::string reference_dir;
  std::vector<std::string> paths;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--passes") && i + 1 < argc) passes = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--reference-dir") && i + 1 < argc) reference_dir = argv[++i];
    else paths.push_back(argv[i]);
  }
  if (library != "poppler" && library != "mupdf") return 2;
  std::vector<std::string> files;
  size_t bytes = 0;
  for (const auto& p : paths) {
    files.push_back(read_file(p));
    bytes += files.back().size();
  }
  poppler::set_debug_error_function(quiet, nullptr);
  fz_context* ctx = library == "mupdf" ? fz_new_context(nullptr, nullptr, FZ_STORE_DEFAULT) : nullptr;
  if (ctx) {
    fz_register_document_handlers(ctx);
    fz_set_warning_callback(ctx, [](void*, const char*) {}, nullptr);
    fz_set_error_callback(ctx, [](void*, const char*) {}, nullptr);
  }
  auto extract = [&](const std::string& f) { return ctx ? with_mupdf(ctx, f) : with_poppler(f); };

  std::vector<Extracted> first;
  for (const auto& f : files) first.push_back(extract(f));
  size_t pages = 0;
  for (const auto& e : first) pages += e.pages;

  double best = 1e18;
  for (int pass = 0; pass < passes; ++pass) {
    auto t0 = std::chrono::steady_clock::now();
    size_t sink = 0;
    for (const auto& f : files) sink += extract(f).text.size();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, s);
    if (sink == 0) std::fprintf(stderr, "nothing extracted\n");
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("%s: %zu files, %zu pages, %.1f MB: best of %d passes %.3f s: %.1f pages/s, %.2f MB/s; peak RSS %.1f MB\n",
              library.c_str(), files.size(), pages, static_cast<double>(bytes) / 1e6, passes, best,
              static_cast<double>(pages) / best, static_cast<double>(bytes) / 1e6 / best,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  if (!reference_dir.empty()) {
    for (size_t i = 0; i < paths.size(); ++i) {
      std::string stem = paths[i].substr(paths[i].find_last_of('/') + 1);
      stem = stem.substr(0, stem.rfind('.'));
      std::string reference = read_file(reference_dir + "/" + stem + ".txt");
      if (reference.empty()) continue;
      auto want = han_pairs(reference), got = han_pairs(first[i].text);
      std::printf("  %s: Han characters of the reference found %.2f %%, Han pairs %.2f %%\n", stem.c_str(),
                  100 * chars_found(reference, first[i].text), 100 * share_found(want, got));
    }
  }
  if (ctx) fz_drop_context(ctx);
  return 0;
}
