// document/phrase.hpp — something a stage wants to say, not yet in words: a message id and its named values.
//
// A stage that cannot yet say something in the reader's language (why a cell is in doubt, why a file cannot be
// read) keeps a Phrase; the checks put phrases into words, in the language of the run (grammar/messages.hpp).
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace xxgk {

//! A named value of a message: text, or a number written as digits.
struct MessageArg {
  std::string name;
  std::string value;
  MessageArg(std::string n, std::string v) : name(std::move(n)), value(std::move(v)) {}
  MessageArg(std::string n, const char* v) : name(std::move(n)), value(v) {}
  template <typename Integer, typename = std::enable_if_t<std::is_integral_v<Integer>>>
  MessageArg(std::string n, Integer v) : name(std::move(n)), value(std::to_string(v)) {}
};
using MessageArgs = std::vector<MessageArg>;

//! A message not yet put into words. An empty id means there is nothing to say.
struct Phrase {
  std::string id;
  MessageArgs args;
  bool empty() const { return id.empty(); }
};

}  // namespace xxgk
