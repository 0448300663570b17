# Writes a C++ source that holds every grammars/*.xml as a string, so the library needs no data files.
# Usage: cmake -DGRAMMAR_DIR=... -DOUTPUT=... -P EmbedGrammars.cmake
file(GLOB grammar_files "${GRAMMAR_DIR}/*.xml")
list(SORT grammar_files)
set(body "")
foreach(path IN LISTS grammar_files)
  get_filename_component(name "${path}" NAME)
  file(READ "${path}" content HEX)
  string(LENGTH "${content}" hex_length)
  math(EXPR length "${hex_length} / 2")
  # Every byte as \xHH: each escape ends where the next backslash starts.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" bytes "${content}")
  string(APPEND body "    {\"${name}\", std::string(\"${bytes}\", ${length})},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from grammars/*.xml by cmake/EmbedGrammars.cmake. Do not edit.
#include \"grammar/grammar.hpp\"

namespace xxgk::grammar {

const std::map<std::string, std::string>& embedded_grammars() {
  static const std::map<std::string, std::string> files{
${body}  };
  return files;
}

}  // namespace xxgk::grammar
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
