// Prints a report's result as the JSON line `xxgk check --format json --lang en` writes.
#include <xxgk/output.hpp>
#include <xxgk/xxgk.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  xxgk::Options options;
  options.language = "en";
  std::string error;
  auto checker = xxgk::Checker::create(options, &error);
  if (!checker) return std::cerr << error << '\n', 2;
  nlohmann::ordered_json line = xxgk::to_json(checker->check(bytes.str(), {argv[1], {}}));
  line["tool"] = xxgk::tool_json(xxgk::version(), checker->grammar_revision());
  std::cout << line.dump() << '\n';
}
