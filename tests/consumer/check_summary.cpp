// Prints what a report's result counts: "<content> <year> errors=N warnings=N info=N uncertain=N".
#include <xxgk/xxgk.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

static_assert(XXGK_VERSION_NUMBER >= XXGK_VERSION_OF(0, 1, 0));

int main(int argc, char** argv) {
  if (argc != 2 || std::string(xxgk::version()) != XXGK_VERSION_STRING) return 2;
  if (!xxgk::known_charset("gbk") || !xxgk::find_rule_info("total.balance")) return 2;  // exported from a shared build
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string error;
  auto checker = xxgk::Checker::create({}, &error);
  if (!checker) return std::fprintf(stderr, "%s\n", error.c_str()), 2;
  const xxgk::CheckResult result = checker->check(bytes.str(), {argv[1], {}});
  if (result.error) return std::fprintf(stderr, "%s\n", result.error->message.c_str()), 2;
  int counts[3] = {0, 0, 0}, uncertain = 0;
  for (const xxgk::Finding& f : result.findings) {
    if (f.status == xxgk::FindingStatus::uncertain) ++uncertain;
    else ++counts[static_cast<int>(f.severity)];
  }
  std::printf("%s %d errors=%d warnings=%d info=%d uncertain=%d\n", xxgk::to_string(result.source.content),
              result.report.year.value_or(0), counts[2], counts[1], counts[0], uncertain);
}
