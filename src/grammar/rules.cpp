#include "grammar/rules.hpp"

#include <pugixml.hpp>

#include "grammar/grammar.hpp"

namespace xxgk::grammar {

bool load_rule_docs(const pugi::xml_node& root, const std::string& file, RuleDocs& out, std::string* error) {
  auto fail = [&](const std::string& why) {
    if (error) *error = file + ": " + why;
    return false;
  };
  out.base = root.child("base").text().get();
  for (pugi::xml_node r : root.children("rule")) {
    RuleInfo info;
    info.id = r.attribute("id").value();
    if (info.id.empty()) return fail("a <rule> without an id");
    const std::string_view severity = r.attribute("severity").value();
    if (severity == "error") info.severity = Severity::error;
    else if (severity == "warning") info.severity = Severity::warning;
    else if (severity == "info") info.severity = Severity::info;
    else return fail("rule " + info.id + ": severity must be error, warning or info");
    info.summary = r.attribute("summary").value();
    if (info.summary.empty()) return fail("rule " + info.id + " has no summary");
    info.basis = r.attribute("basis").value();
    // The untagged <purpose> is the English one; texts in other words carry lang="…".
    for (pugi::xml_node purpose : r.children("purpose"))
      if (purpose.attribute("lang").empty()) info.purpose = purpose.text().get();
    for (pugi::xml_node text : r.children()) {
      const std::string language = text.attribute("lang").value();
      const std::string_view name = text.name();
      if (language.empty() || (name != "summary" && name != "purpose" && name != "basis")) continue;
      RuleInfo::Text& t = info.texts[language];
      (name == "summary" ? t.summary : name == "purpose" ? t.purpose : t.basis) = text.text().get();
    }
    auto edit_of = [](const pugi::xml_node& edit) {
      const std::string_view kind = edit.name();
      return RuleExampleSpec::Edit{edit.attribute("find").value(), edit.attribute("with").value(), kind == "cut-after",
                            kind == "replace-all"};
    };
    RuleExampleSpec example;
    for (pugi::xml_node edit : r.child("example").children()) {
      const std::string_view kind = edit.name();
      if (kind == "page") {
        example.page = edit.text().get();
      } else if (kind == "previous") {
        for (pugi::xml_node p : edit.children()) {
          if (std::string_view(p.name()) == "page") example.previous_page = p.text().get();
          else example.previous.push_back(edit_of(p));
        }
      } else {
        example.example.push_back(edit_of(edit));
      }
    }
    if (!example.empty()) out.examples.emplace(info.id, std::move(example));
    if (!out.rules.emplace(info.id, info).second) return fail("rule " + info.id + " is described twice");
  }
  return true;
}

const RuleDocs& embedded_rule_docs() {
  static const RuleDocs docs = [] {
    RuleDocs d;
    const auto& files = embedded_grammars();
    auto it = files.find("rules.xml");
    pugi::xml_document xml;
    if (it != files.end() && xml.load_buffer(it->second.data(), it->second.size(), pugi::parse_default, pugi::encoding_utf8))
      load_rule_docs(xml.child("rule-docs"), "rules.xml", d, nullptr);
    return d;
  }();
  return docs;
}

}  // namespace xxgk::grammar
