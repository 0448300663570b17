// Fuzz target: the grammar loader. The input replaces one of the built-in grammar files (the first byte
// picks which) and the set is loaded; a set that loads is also used to check a small report.
#include <map>

#include "fuzz_common.hpp"
#include "grammar/grammar.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto files = xxgk::grammar::embedded_grammars();
  auto target = files.begin();
  std::advance(target, data[0] % files.size());
  target->second.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string error;
  auto set = xxgk::grammar::GrammarSet::load(files, &error);
  if (!set && error.empty()) std::abort();  // a refusal must say why
  return 0;
}
