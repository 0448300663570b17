// Section rules: the six parts required by 条例（2019）第五十条 and the format's "一、报告内容".
#include "checks/registry.hpp"

namespace xxgk::checks {
namespace {

bool applies(const CheckContext& ctx) {
  return ctx.report.is_report && ctx.report.format != "pre2019";
}

std::string canonical_heading(const CheckContext& ctx, int number) {
  for (const grammar::Part& part : ctx.grammars.parts_of(ctx.expected))
    if (part.number == number) return part.heading;
  return ctx.say("part", {{"part", number}});
}

void run(CheckContext& ctx) {
  if (!applies(ctx)) return;
  const auto& parts = ctx.grammars.parts_of(ctx.expected);
  const auto& tree = ctx.sections;

  for (const grammar::Part& part : parts) {
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
    ev.facts.emplace_back("part", std::to_string(part.number));
    ev.facts.emplace_back("expected heading", part.heading);
    if (ctx.lossy_extraction()) ev.facts.emplace_back("doubt", ctx.lossy_extraction_reason());
    ctx.add("section.missing", ctx.lossy_extraction() ? FindingStatus::uncertain : FindingStatus::fail,
            ctx.say("section.missing", {{"part", part.number}, {"heading", part.heading}}), where, "part:" + part.id, ev);
  }

  int highest = 0;
  for (const auto& h : tree.parts) {
    if (h.part < highest) {
      Evidence ev;
      ev.facts.emplace_back("heading", h.text);
      ev.facts.emplace_back("comes after part", std::to_string(highest));
      ctx.add("section.order", FindingStatus::fail,
              ctx.say("section.order", {{"part", h.part}, {"heading", h.text}, {"after", highest}}),
              h.location, "part:" + h.id, ev);
    }
    highest = std::max(highest, h.part);
    if (h.number_written != 0 && h.number_written != h.part) {
      Evidence ev;
      ev.facts.emplace_back("heading", h.text);
      ev.facts.emplace_back("number written", std::to_string(h.number_written));
      ev.facts.emplace_back("statutory number", std::to_string(h.part));
      ctx.add("section.number-mismatch", FindingStatus::fail,
              ctx.say("section.number-mismatch", {{"heading", h.text},
                                                  {"written", h.number_written},
                                                  {"part", h.part},
                                                  {"canonical", canonical_heading(ctx, h.part)}}),
              h.location, "part:" + h.id, ev);
    }
    if (!h.canonical || h.number_written == 0) {
      Evidence ev;
      ev.facts.emplace_back("heading", h.text);
      ev.facts.emplace_back("canonical", canonical_heading(ctx, h.part));
      ctx.add("section.heading-variant", FindingStatus::fail,
              ctx.say(h.number_written == 0 ? "section.heading-variant.unnumbered" : "section.heading-variant.worded",
                      {{"heading", h.text}, {"canonical", canonical_heading(ctx, h.part)}}),
              h.location, "part:" + h.id, ev);
    }
  }

  for (const auto& h : tree.subtopics_as_parts) {
    Evidence ev;
    ev.facts.emplace_back("heading", h.text);
    ev.facts.emplace_back("sub-topic", h.id);
    ctx.add("section.subtopic-as-part", FindingStatus::fail,
            ctx.say("section.subtopic-as-part", {{"heading", h.text}}), h.location,
            "subtopic:" + h.id + ":" + std::to_string(h.number_written), ev);
  }
}

}  // namespace

Family section_rules() {
  return Family{"sections",
                {
                    {"section.missing", Severity::error, "a statutory part (一 … 六) is missing"},
                    {"section.order", Severity::warning, "the parts are not in the statutory order"},
                    {"section.number-mismatch", Severity::warning, "a part heading carries another part's number"},
                    {"section.heading-variant", Severity::info, "a part heading is worded differently from the format"},
                    {"section.subtopic-as-part", Severity::warning,
                     "a sub-topic of part 1 (主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障) is numbered like a part"},
                },
                run};
}

}  // namespace xxgk::checks
