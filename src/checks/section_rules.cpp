// Section rules: the six parts required by 条例（2019）第五十条 and the format's "一、报告内容".
#include <map>

#include "checks/registry.hpp"

namespace xxgk::checks {
namespace {

// Reports whose format fixes the parts; not one written in the old structure (format.version-mismatch says so once).
bool applies(const CheckContext& ctx) {
  return ctx.report.is_report && ctx.report.format != "pre2019" && !ctx.classification.old_structure;
}

std::string canonical_heading(const CheckContext& ctx, int number) {
  for (const grammar::Part& part : ctx.grammars.parts_of(ctx.expected))
    if (part.number == number) return part.heading;
  return ctx.say("part", {{"part", number}});
}

// A statutory part whose heading was not found.
void missing(CheckContext& ctx, const std::string& id) {
  if (!applies(ctx)) return;
  const auto& tree = ctx.sections;
  for (const grammar::Part& part : ctx.grammars.parts_of(ctx.expected)) {
    if (tree.part(part.number)) continue;
    // Where it should be: before the next part that was found, else at the end.
    Location where = ctx.doc.locate_source(ctx.doc.source.size());
    for (const auto& h : tree.parts)
      if (h.part > part.number) {
        where = h.location;
        break;
      }
    if (ctx.beyond_truncation(part.number)) continue;  // not seen: text.truncated says so
    Evidence ev;
    add_fact(ev, "part", std::to_string(part.number));
    add_fact(ev, "expected heading", part.heading);
    if (ctx.lossy_extraction()) add_fact(ev, "doubt", ctx.lossy_extraction_reason());
    ctx.add(id, ctx.lossy_extraction() ? FindingStatus::uncertain : FindingStatus::fail,
            ctx.say("section.missing", {{"part", part.number}, {"heading", part.heading}}), where, "part:" + part.id, ev);
  }
}

// A part that comes after a part with a higher number.
void order(CheckContext& ctx, const std::string& id) {
  if (!applies(ctx)) return;
  int highest = 0;
  for (const auto& h : ctx.sections.parts) {
    if (h.part < highest) {
      Evidence ev;
      add_fact(ev, "heading", h.text);
      add_fact(ev, "comes after part", std::to_string(highest));
      ctx.span(ctx.add(id, FindingStatus::fail, ctx.say("section.order", {{"part", h.part}, {"heading", h.text}, {"after", highest}}),
                       h.location, "part:" + h.id, ev),
               h.text);
    }
    highest = std::max(highest, h.part);
  }
}

// Headings numbered as other parts. Headings shifted by the same amount (a part left out, numbering restarted)
// have one cause: one finding, the first heading speaking for the others.
void number_mismatch(CheckContext& ctx, const std::string& id) {
  if (!applies(ctx)) return;
  std::map<int, std::vector<const sections::Heading*>> by_shift;
  for (const auto& h : ctx.sections.parts)
    if (h.number_written != 0 && h.number_written != h.part) by_shift[h.number_written - h.part].push_back(&h);
  for (const auto& [shift, headings] : by_shift) {
    const sections::Heading& h = *headings.front();
    Evidence ev;
    add_fact(ev, "heading", h.text);
    add_fact(ev, "number written", std::to_string(h.number_written));
    add_fact(ev, "statutory number", std::to_string(h.part));
    std::vector<std::string> others;
    for (size_t i = 1; i < headings.size(); ++i) {
      others.push_back(headings[i]->text);
      add_fact(ev, "also numbered " + std::to_string(headings[i]->number_written) + " for part " + std::to_string(headings[i]->part),
               headings[i]->text);
    }
    std::string message = ctx.say("section.number-mismatch", {{"heading", h.text},
                                                              {"written", h.number_written},
                                                              {"part", h.part},
                                                              {"canonical", canonical_heading(ctx, h.part)}});
    if (!others.empty()) message += ctx.say("section.number-mismatch.others", {{"n", others.size()}, {"list", ctx.join(others)}});
    ctx.span(ctx.add(id, FindingStatus::fail, message, h.location, "part:" + h.id, ev), h.text);
  }
}

// A heading worded otherwise than the format, or without its number.
void heading_variant(CheckContext& ctx, const std::string& id) {
  if (!applies(ctx)) return;
  for (const auto& h : ctx.sections.parts) {
    if (h.canonical && h.number_written != 0) continue;
    Evidence ev;
    add_fact(ev, "heading", h.text);
    add_fact(ev, "canonical", canonical_heading(ctx, h.part));
    ctx.span(ctx.add(id, FindingStatus::fail,
                     ctx.say(h.number_written == 0 ? "section.heading-variant.unnumbered" : "section.heading-variant.worded",
                             {{"heading", h.text}, {"canonical", canonical_heading(ctx, h.part)}}),
                     h.location, "part:" + h.id, ev),
             h.text);
  }
}

// Part-1 sub-topics numbered like parts: one finding for the document, every such heading in it.
void subtopic_as_part(CheckContext& ctx, const std::string& id) {
  if (!applies(ctx) || ctx.sections.subtopics_as_parts.empty()) return;
  const auto& all = ctx.sections.subtopics_as_parts;
  const sections::Heading& h = all.front();
  Evidence ev;
  std::vector<std::string> headings;
  for (const auto& s : all) {
    headings.push_back(s.text);
    add_fact(ev, "heading", s.text);
  }
  std::string message = ctx.say("section.subtopic-as-part", {{"heading", h.text}});
  if (all.size() > 1) message = ctx.say("section.subtopic-as-part.several", {{"n", all.size()}, {"list", ctx.join(headings)}});
  ctx.span(ctx.add(id, FindingStatus::fail, message, h.location, "subtopic:" + h.id + ":" + std::to_string(h.number_written), ev),
           h.text);
}

}  // namespace

void register_section_rules(Registry& r) {
  r.add("section.missing", missing);
  r.add("section.order", order);
  r.add("section.number-mismatch", number_mismatch);
  r.add("section.heading-variant", heading_variant);
  r.add("section.subtopic-as-part", subtopic_as_part);
}

}  // namespace xxgk::checks
