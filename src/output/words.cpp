// output/words.cpp — the catalogue of words a person reads (grammars/messages.xml and grammars/interface.xml),
// for every output: the same messages the checks speak with, and the interface words (`ui.*`).
#include <pugixml.hpp>

#include <mutex>

#include "grammar/grammar.hpp"
#include "grammar/messages.hpp"
#include "xxgk/output.hpp"

namespace xxgk {

struct Words::Impl {
  grammar::Messages messages;
};

namespace {

// Loads every <messages> root of `files` into `messages`; `fill` keeps what is already there.
bool load_files(const std::map<std::string, std::string>& files, grammar::Messages& messages, bool fill, std::string* error) {
  for (const auto& [name, content] : files) {
    pugi::xml_document doc;
    if (!doc.load_buffer(content.data(), content.size(), pugi::parse_default, pugi::encoding_utf8)) {
      if (fill) continue;  // not ours to judge: the checker reports a broken grammar file
      if (error) *error = name + ": not well-formed XML";
      return false;
    }
    pugi::xml_node root = doc.child("messages");
    if (root && !messages.load(root, name, error, fill)) return false;
  }
  return true;
}

}  // namespace

const Words& Words::builtin() {
  static const Words words = [] {
    Words w;
    auto impl = std::make_shared<Impl>();
    std::string error;
    load_files(grammar::embedded_grammars(), impl->messages, false, &error);  // checked by the unit tests
    w.impl_ = std::move(impl);
    return w;
  }();
  return words;
}

std::shared_ptr<const Words> Words::load(const std::string& grammar_dir, std::string* error) {
  if (grammar_dir.empty()) return std::shared_ptr<const Words>(std::shared_ptr<const Words>{}, &builtin());
  auto words = std::shared_ptr<Words>(new Words());
  auto impl = std::make_shared<Impl>();
  std::string read_error;
  const auto files = grammar::read_grammar_dir(grammar_dir, &read_error);
  if (!read_error.empty()) {
    if (error) *error = read_error;
    return nullptr;
  }
  if (!load_files(files, impl->messages, false, error)) return nullptr;
  // A grammar folder of formats, or of findings' messages only, speaks the rest with the built-in words.
  if (!load_files(grammar::embedded_grammars(), impl->messages, true, error)) return nullptr;
  words->impl_ = std::move(impl);
  return words;
}

const std::vector<std::string>& Words::languages() const { return impl_->messages.languages(); }

bool Words::speaks(std::string_view language) const { return impl_->messages.has_language(language); }

bool Words::has(std::string_view id) const { return impl_->messages.has(id); }

std::string Words::say(std::string_view language, std::string_view id, const Args& args) const {
  MessageArgs message_args;
  message_args.reserve(args.size());
  for (const auto& [name, value] : args) message_args.emplace_back(name, value);
  return impl_->messages.render(language, id, message_args);
}

}  // namespace xxgk
