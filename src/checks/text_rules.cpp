// Text rules: damage in the prose — dates that lost 年/月, brackets that lost their partner.
#include <algorithm>

#include "checks/registry.hpp"
#include "util/utf8.hpp"

namespace xxgk::checks {
namespace {

constexpr size_t kMergeGap = 12 * 3;  // garbled dates this close are one finding

void garbled_dates_in(CheckContext& ctx, const std::string& id, size_t begin, size_t end) {
  const auto& re = ctx.grammars.common.garbled_date;
  if (!re) return;
  std::string_view text = std::string_view(ctx.doc.match.text).substr(0, end);
  Regex::Match m;
  size_t pos = begin;
  std::vector<std::pair<size_t, size_t>> spans;
  while (pos < end && re->search(text, pos, m)) {
    if (!spans.empty() && m.begin <= spans.back().second + kMergeGap)
      spans.back().second = m.end;
    else
      spans.emplace_back(m.begin, m.end);
    pos = m.end > m.begin ? m.end : m.begin + 1;
  }
  for (const auto& [b, e] : spans) {
    // Show the expression with its 日/月.
    size_t shown_end = std::min(end, e + 3);
    std::string written(ctx.doc.source.substr(ctx.doc.source_of_match(b),
                                              ctx.doc.source_of_match(shown_end) - ctx.doc.source_of_match(b)));
    Evidence ev;
    add_fact(ev, "text", written);
    ctx.add(id, FindingStatus::fail,
            ctx.say("text.garbled-date", {{"text", written}}), ctx.doc.locate_match(b),
            "date:" + written, ev);
  }
}

// `truncated`: an open bracket near the end of a cut-off text is the cut, not the report's mistake.
// PERF: one pass for every pair; only bytes that can start a bracket are compared.
void brackets_in(CheckContext& ctx, const std::string& id, size_t begin, size_t end, bool truncated) {
  const std::string& text = ctx.doc.match.text;
  const auto& pairs = ctx.grammars.common.brackets;
  if (pairs.empty()) return;
  bool first_byte[256] = {};
  for (const auto& pair : pairs) {
    first_byte[static_cast<unsigned char>(pair.open[0])] = true;
    first_byte[static_cast<unsigned char>(pair.close[0])] = true;
  }
  struct Open {
    size_t pos;
    size_t chars;  // character count at the bracket
  };
  struct Unmatched {
    size_t pair, pos;
    bool is_open;
  };
  std::vector<std::vector<Open>> stacks(pairs.size());
  std::vector<Unmatched> unmatched;
  size_t chars = 0;
  for (size_t pos = begin; pos < end;) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    const size_t length = utf8::sequence_length(lead);
    if (first_byte[lead]) {
      for (size_t p = 0; p < pairs.size(); ++p) {
        const auto& pair = pairs[p];
        auto& stack = stacks[p];
        // Opens that waited too long are not going to close.
        while (!stack.empty() && chars - stack.front().chars > pair.max_span) {
          unmatched.push_back(Unmatched{p, stack.front().pos, true});
          stack.erase(stack.begin());
        }
        if (text.compare(pos, pair.open.size(), pair.open) == 0) {
          stack.push_back(Open{pos, chars});
        } else if (text.compare(pos, pair.close.size(), pair.close) == 0) {
          if (stack.empty())
            unmatched.push_back(Unmatched{p, pos, false});
          else
            stack.pop_back();
        }
      }
    }
    pos += length;
    ++chars;
  }
  for (size_t p = 0; p < pairs.size(); ++p) {
    for (const Open& open : stacks[p]) {
      if (truncated && end == text.size()) continue;
      // Still open at the end of the range: unmatched if it waited long enough to know.
      unmatched.push_back(Unmatched{p, open.pos, true});
    }
  }
  std::sort(unmatched.begin(), unmatched.end(), [](const Unmatched& a, const Unmatched& b) { return a.pos < b.pos; });
  for (const Unmatched& u : unmatched) {
    const auto& pair = pairs[u.pair];
    // A little context: up to 12 characters from the bracket.
    size_t ctx_end = u.pos;
    for (int i = 0; i < 12 && ctx_end < end; ++i) ctx_end += utf8::sequence_length(static_cast<unsigned char>(text[ctx_end]));
    size_t ctx_begin = u.pos;
    if (!u.is_open)
      for (int i = 0; i < 12 && ctx_begin > begin; ++i) ctx_begin = utf8::start_of(text, ctx_begin - 1);
    size_t sb = ctx.doc.source_of_match(ctx_begin), se = ctx.doc.source_of_match(ctx_end);
    std::string around(ctx.doc.source.substr(sb, se - sb));
    Evidence ev;
    add_fact(ev, "text", around);
    add_fact(ev, "bracket", u.is_open ? pair.open_written : pair.close_written);
    std::string message = ctx.say(u.is_open ? "text.unbalanced-bracket.open" : "text.unbalanced-bracket.close",
                                  {{"open", pair.open_written},
                                   {"close", pair.close_written},
                                   {"span", pair.max_span},
                                   {"around", around}});
    ctx.add(id, FindingStatus::fail, message,
            ctx.doc.locate_match(u.pos), "bracket:" + pair.open + ":" + around,
            ev);
  }
}

void truncated(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report || !ctx.truncated()) return;
  const classify::Truncation& cut = ctx.classification.truncation;
  Evidence ev;
  const std::string where = ctx.say(cut.ends);
  add_fact(ev, "ends", where);
  std::vector<std::string> why;
  for (const Phrase& e : cut.evidence) why.push_back(ctx.say(e));
  if (!why.empty()) add_fact(ev, "evidence", ctx.join(why, "list.semicolon"));
  // What could not be seen, so that nothing is silently lost.
  std::vector<std::string> unseen_items;
  if (ctx.report.format != "pre2019")  // only the formats fix the parts a report has
    for (const auto& part : ctx.grammars.parts_of(ctx.expected))
      if (!ctx.sections.part(part.number) && ctx.beyond_truncation(part.number))
        unseen_items.push_back(ctx.say("part", {{"part", part.number}}));
  for (const auto& t : ctx.tables.tables) {
    size_t rows = 0;
    for (const auto& r : t.rows) rows += !r.found && r.in_expected && CheckContext::beyond_truncation(t, r);
    if (rows) unseen_items.push_back(ctx.say("unseen.rows", {{"rows", rows}, {"part", t.table->part}}));
    if (!t.found && t.table->part >= ctx.truncated_in_part() && ctx.expected && t.table->in.count(ctx.expected->id))
      unseen_items.push_back(ctx.say("unseen.table", {{"part", t.table->part}}));
  }
  const std::string unseen = ctx.join(unseen_items);
  if (!unseen.empty()) add_fact(ev, "not seen", unseen);
  const size_t end = ctx.doc.source.size();
  ctx.add(id, FindingStatus::uncertain,
          ctx.say(unseen.empty() ? "text.truncated" : "text.truncated.unseen", {{"where", where}, {"unseen", unseen}}),
          ctx.doc.locate_source(end), "truncated", ev);
}

void garbled_dates(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report) return;
  for (const auto& [begin, end] : ctx.prose_ranges()) garbled_dates_in(ctx, id, begin, end);
}

void unbalanced_brackets(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report) return;
  for (const auto& [begin, end] : ctx.prose_ranges()) brackets_in(ctx, id, begin, end, ctx.truncated());
}

}  // namespace

void register_text_rules(Registry& r) {
  r.add("text.truncated", truncated);
  r.add("text.garbled-date", garbled_dates);
  r.add("text.unbalanced-bracket", unbalanced_brackets);
}

}  // namespace xxgk::checks
