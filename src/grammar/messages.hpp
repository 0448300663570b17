// grammar/messages.hpp — the words of findings in every language the tool speaks (grammars/messages.xml).
//
// A stage that cannot yet say something in the reader's language (why a cell is in doubt, why a table looks
// scrambled) keeps a Phrase: a message id and its values. The checks put phrases into words, in the language of
// the run, with Messages::render.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "document/phrase.hpp"

namespace pugi {
class xml_node;
}

namespace xxgk::grammar {

class Messages {
 public:
  //! Reads a <messages languages="zh en"> element; a catalogue may span several files (messages.xml,
  //! interface.xml), which must name the same languages. False with *error when a message lacks a language, a
  //! template is malformed or an id repeats. With `fill`, ids already loaded are kept and the file only adds
  //! the ones missing (the built-in words under a grammar folder's own).
  bool load(const pugi::xml_node& root, const std::string& file, std::string* error, bool fill = false);

  bool has_language(std::string_view language) const;
  const std::vector<std::string>& languages() const { return languages_; }
  bool has(std::string_view id) const { return templates_.find(id) != templates_.end(); }

  //! The message `id` in `language`, its {name} placeholders filled from `args`. A missing value stays as
  //! {name}; an unknown id renders as the id followed by its values, so that nothing is lost.
  std::string render(std::string_view language, std::string_view id, const MessageArgs& args) const;
  std::string render(std::string_view language, const Phrase& phrase) const {
    return render(language, phrase.id, phrase.args);
  }
  //! Items joined by the language's list separator `separator_id` (list.comma, list.semicolon).
  std::string join(std::string_view language, const std::vector<std::string>& items,
                   std::string_view separator_id = "list.comma") const;

 private:
  std::vector<std::string> languages_;
  // id → one template per language, in the order of languages_.
  std::map<std::string, std::vector<std::string>, std::less<>> templates_;
};

//! 1–99 in Chinese numerals (3 → 三, 12 → 十二, 21 → 二十一); other numbers as digits.
std::string chinese_numeral(long long n);

}  // namespace xxgk::grammar
