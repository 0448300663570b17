// cli/help.cpp — `--help` in the language of the run: every description, and CLI11's own words (Usage, Options,
// TEXT…), from cli/help.xml, read with the catalogue's loader.
#include <pugixml.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli.hpp"
#include "grammar/messages.hpp"

namespace xxgk::cli {

std::string_view help_catalogue();  // generated from cli/help.xml

namespace {

// The words CLI11 prints of its own (FormatterBase::get_label keys), said by help.label.WORD.
constexpr const char* kCli11Words[] = {"Usage", "OPTIONS", "Options", "Positionals", "SUBCOMMAND", "SUBCOMMANDS",
                                       "Subcommands", "REQUIRED", "TEXT", "UINT", "INT", "FLOAT", "Env", "Needs", "Excludes"};

// Columns a UTF-8 text takes in a terminal: CJK and full-width characters take two.
size_t columns(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (size_t k = 1; k < length && i + k < text.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    n += (c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                          (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                          (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000))
             ? 2 : 1;
    i += length;
  }
  return n;
}

// CLI11's formatter, with positional names in the run's words and columns aligned by display width (CLI11 pads by
// bytes: a Chinese name would push its description out of line).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override {
    return is_positional ? get_label(opt->get_name(true, false)) : CLI::Formatter::make_option_name(opt, false);
  }
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    return line(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt));
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    return line(sub->get_display_name(true), sub->get_description());
  }

 private:
  std::string line(const std::string& name, const std::string& description) const {
    std::string out = "  " + name;
    if (!description.empty()) {
      const size_t used = columns(out);
      out += used >= column_width_ ? "\n" + std::string(column_width_, ' ') : std::string(column_width_ - used, ' ');
      out += description;
    }
    return out + "\n";
  }
};

class Describer {
 public:
  Describer(const grammar::Messages& catalogue, const std::string& language)
      : catalogue_(catalogue), language_(language), formatter_(std::make_shared<HelpFormatter>()) {
    for (const char* word : kCli11Words)
      if (catalogue_.has(std::string("help.label.") + word)) formatter_->label(word, say(std::string("help.label.") + word));
  }

  // The tool (command "") or one command, its options and its subcommands.
  void describe(CLI::App& app, const std::string& command) {
    app.formatter(formatter_);
    app.description(say(command.empty() ? "help.xxgk" : "help." + command));
    if (!command.empty()) app.group(say("help.label.Subcommands"));
    for (CLI::Option* option : app.get_options()) {
      const std::string& name = option->get_single_name();
      const std::string key = name.substr(name.find_first_not_of('-'));
      if (option->get_positional()) {
        // A positional shows its name (文件, files), not also a type: "files ... REQUIRED".
        option->type_name("");
        if (catalogue_.has("help.label." + key)) formatter_->label(key, say("help.label." + key));
      }
      option->description(catalogue_.has("help." + command + "." + key) ? say("help." + command + "." + key)
                                                                         : say("help.option." + key));
      if (!option->get_group().empty()) option->group(say("help.label.Options"));
    }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) describe(*sub, sub->get_name());
  }

 private:
  // A missing text is left empty (the formats test reads every command's help and requires one).
  std::string say(const std::string& id) const { return catalogue_.has(id) ? catalogue_.render(language_, id, {}) : std::string(); }

  const grammar::Messages& catalogue_;
  const std::string language_;
  std::shared_ptr<HelpFormatter> formatter_;
};

// The compiled-in catalogue; one that does not load is a defect of the build, said and fatal.
const grammar::Messages& catalogue() {
  static const grammar::Messages messages = [] {
    grammar::Messages m;
    pugi::xml_document doc;
    const std::string_view xml = help_catalogue();
    std::string error = "not well-formed XML";
    if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8) ||
        !m.load(doc.child("messages"), "cli/help.xml", &error)) {
      std::fprintf(stderr, "xxgk: cli/help.xml: %s\n", error.c_str());
      std::abort();
    }
    return m;
  }();
  return messages;
}

std::string language_of(const Env& env) {
  return catalogue().has_language(env.voice.language) ? env.voice.language : "en";
}

}  // namespace

void localise_help(CLI::App& app, const Env& env) { Describer(catalogue(), language_of(env)).describe(app, ""); }

std::string argument_word(const std::string& name, const Env& env) {
  const std::string id = "help.label." + name;
  return catalogue().has(id) ? catalogue().render(language_of(env), id, {}) : name;
}

}  // namespace xxgk::cli
