#include "grammar/messages.hpp"

#include <algorithm>
#include <cstdlib>
#include <pugixml.hpp>
#include <sstream>

namespace xxgk::grammar {
namespace {

// Checks that every {…} of a template is a well-formed placeholder: {name} or {name|cn}.
bool well_formed(std::string_view text, std::string* problem) {
  for (size_t pos = 0; (pos = text.find('{', pos)) != std::string_view::npos;) {
    size_t close = text.find('}', pos);
    if (close == std::string_view::npos) {
      *problem = "an unclosed '{'";
      return false;
    }
    std::string_view inside = text.substr(pos + 1, close - pos - 1);
    std::string_view name = inside.substr(0, inside.find('|'));
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || c == '_';
        })) {
      *problem = "placeholder {" + std::string(inside) + "} (names are a-z and _)";
      return false;
    }
    if (inside.size() > name.size() && inside.substr(name.size()) != "|cn") {
      *problem = "placeholder {" + std::string(inside) + "} (the only conversion is |cn)";
      return false;
    }
    pos = close + 1;
  }
  return true;
}

}  // namespace

std::string chinese_numeral(long long n) {
  static const char* const kDigits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 1 || n > 99) return std::to_string(n);
  if (n < 10) return kDigits[n];
  std::string out = n / 10 == 1 ? "" : kDigits[n / 10];
  out += "十";
  if (n % 10) out += kDigits[n % 10];
  return out;
}

bool Messages::load(const pugi::xml_node& root, const std::string& file, std::string* error, bool fill) {
  auto fail = [&](const std::string& what) {
    if (error) *error = file + ": " + what;
    return false;
  };
  std::vector<std::string> languages;
  std::istringstream names(root.attribute("languages").value());
  for (std::string language; names >> language;) languages.push_back(language);
  if (languages.empty()) return fail("<messages> needs languages=\"…\"");
  if (languages_.empty()) languages_ = languages;
  else if (!fill && languages != languages_) return fail("<messages> must name the languages of the other message files");
  for (pugi::xml_node node : root.children("message")) {
    std::string id = node.attribute("id").value();
    if (id.empty()) return fail("a <message> without id");
    if (templates_.count(id)) {
      if (fill) continue;
      return fail("message " + id + " is defined twice");
    }
    std::vector<std::string> texts;
    for (const std::string& language : languages_) {
      pugi::xml_node text = node.child(language.c_str());
      // Filling in: a language the file lacks speaks with the file's last language.
      if (!text && fill) text = node.child(languages.back().c_str());
      if (!text) return fail("message " + id + " has no " + language + " text");
      std::string problem;
      if (!well_formed(text.text().get(), &problem)) return fail("message " + id + " (" + language + "): " + problem);
      texts.emplace_back(text.text().get());
    }
    templates_.emplace(std::move(id), std::move(texts));
  }
  return true;
}

bool Messages::has_language(std::string_view language) const {
  return std::find(languages_.begin(), languages_.end(), language) != languages_.end();
}

std::string Messages::render(std::string_view language, std::string_view id, const MessageArgs& args) const {
  auto it = templates_.find(id);
  size_t index = static_cast<size_t>(std::find(languages_.begin(), languages_.end(), language) - languages_.begin());
  if (it == templates_.end() || index >= languages_.size()) {
    std::string out(id);
    for (const MessageArg& a : args) out += " " + a.name + "=" + a.value;
    return out;
  }
  const std::string& text = it->second[index];
  std::string out;
  out.reserve(text.size() + 32);
  size_t pos = 0;
  for (size_t open; (open = text.find('{', pos)) != std::string::npos;) {
    size_t close = text.find('}', open);  // well-formed: checked at load
    out.append(text, pos, open - pos);
    std::string_view inside(text.data() + open + 1, close - open - 1);
    std::string_view name = inside.substr(0, inside.find('|'));
    const bool numeral = inside.size() > name.size();
    auto arg = std::find_if(args.begin(), args.end(), [&](const MessageArg& a) { return a.name == name; });
    if (arg == args.end()) {
      out.append(text, open, close + 1 - open);
    } else if (numeral) {
      char* end = nullptr;
      long long n = std::strtoll(arg->value.c_str(), &end, 10);
      out += end && *end == '\0' && !arg->value.empty() ? chinese_numeral(n) : arg->value;
    } else {
      out += arg->value;
    }
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

std::string Messages::join(std::string_view language, const std::vector<std::string>& items,
                           std::string_view separator_id) const {
  const std::string separator = render(language, separator_id, {});
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace xxgk::grammar
