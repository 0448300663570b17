// Fuzz target: the PDF and DOCX front ends (src/pdf, src/docx) on any bytes, and the whole check of them. What
// they give must hold together: valid UTF-8, grids and page spans inside the text, pages in order.
#include "docx/docx.hpp"
#include "fuzz_common.hpp"
#include "grammar/grammar.hpp"
#include "pdf/pdf.hpp"
#include "util/utf8.hpp"

namespace {

const xxgk::grammar::GrammarSet& grammars() {
  static const auto instance = [] {
    std::string error;
    auto made = xxgk::grammar::GrammarSet::load(xxgk::grammar::embedded_grammars(), &error);
    if (!made) std::abort();
    return made;
  }();
  return *instance;
}

void verify(const std::variant<xxgk::RenderedDocument, xxgk::ReadProblem>& outcome) {
  if (const auto* problem = std::get_if<xxgk::ReadProblem>(&outcome)) {
    if (problem->code.empty() || problem->message.id.empty()) std::abort();  // every problem says why
    return;
  }
  const auto& d = std::get<xxgk::RenderedDocument>(outcome);
  if (!xxgk::utf8::valid(d.text)) std::abort();
  for (const auto& g : d.grids) {
    if (g.begin > g.end || g.end > d.text.size() || g.slots.size() != static_cast<size_t>(g.rows) * g.columns) std::abort();
    for (const auto& c : g.cells)
      if (c.begin > c.end || c.end > g.end || c.begin < g.begin || c.row >= g.rows || c.column >= g.columns) std::abort();
    for (int32_t s : g.slots)
      if (s >= static_cast<int32_t>(g.cells.size())) std::abort();
  }
  uint32_t previous = 0;
  for (uint32_t start : d.layout.page_starts) {
    if (start < previous || start > d.text.size()) std::abort();
    previous = start;
  }
  previous = 0;
  for (const auto& span : d.layout.spans) {
    if (span.begin < previous || span.end < span.begin || span.end > d.text.size() || span.page == 0) std::abort();
    previous = span.begin;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto bytes = xxgk::fuzz::bytes_of(data, size);
  verify(xxgk::pdf::read(bytes, grammars(), {}));
  verify(xxgk::docx::read(bytes, {}));
  (void)xxgk::fuzz::weigh(xxgk::fuzz::checker().check(bytes, {.path = "fuzz", .declared_charset = ""}));
  return 0;
}
