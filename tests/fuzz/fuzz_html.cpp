// Fuzz target: an HTML page → rendered report text and table grids (gumbo, rowspan/colspan layout, chrome
// removal), then the whole check of it as a page, which reads the grids' rows into the statutory tables.
#include "fuzz_common.hpp"
#include "grammar/grammar.hpp"
#include "html/render.hpp"
#include "util/utf8.hpp"

namespace {
const xxgk::grammar::GrammarSet& grammars() {
  static const auto set = [] {
    std::string error;
    auto loaded = xxgk::grammar::GrammarSet::load(xxgk::grammar::embedded_grammars(), &error);
    if (!loaded) std::abort();
    return loaded;
  }();
  return *set;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto bytes = xxgk::fuzz::bytes_of(data, size);
  // render() takes valid UTF-8 of bounded depth, as ingest and the checker hand it over.
  if (xxgk::utf8::valid(bytes) && xxgk::html::estimate_nesting_depth(bytes) <= 4096) {
    const auto page = xxgk::html::render(bytes, grammars());
    if (page.origin.size() != page.text.size() + 1) std::abort();
    for (const auto& grid : page.grids) {
      if (grid.slots.size() != static_cast<size_t>(grid.rows) * grid.columns) std::abort();
      for (const auto& cell : grid.cells)
        if (cell.end < cell.begin || cell.end > page.text.size()) std::abort();
      for (const int32_t slot : grid.slots)
        if (slot >= static_cast<int32_t>(grid.cells.size())) std::abort();
    }
  }
  std::string as_page = "<!DOCTYPE html><meta charset=utf-8>";
  as_page.append(bytes);
  (void)xxgk::fuzz::weigh(xxgk::fuzz::checker().check(as_page, {.path = "fuzz.html", .declared_charset = ""}));
  return 0;
}
