// Text rules: damage in the prose — dates that lost 年/月, brackets that lost their partner.
#include <algorithm>
#include <array>

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
    ctx.span(ctx.add(id, FindingStatus::fail, ctx.say("text.garbled-date", {{"text", written}}), ctx.doc.locate_match(b),
                     "date:" + written, ev),
             written);
  }
}

// Source ranges of markup printed as text (<!--[if !supportLists]-->, &nbsp;, <o:p>) in the prose of match range
// [begin, end). The matching form has them blanked (normalize/), the source keeps them.
std::vector<std::pair<size_t, size_t>> markup_in(const CheckContext& ctx, size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> out;
  const auto& re = ctx.grammars.common.markup_residue;
  if (!re || !ctx.doc.markup_blanked) return out;
  const size_t source_begin = ctx.doc.source_of_match(begin), source_end = ctx.doc.source_of_match(end);
  std::string_view text = ctx.doc.source.substr(0, source_end);
  Regex::Match m;
  for (size_t pos = source_begin; pos < source_end && re->search(text, pos, m);) {
    out.emplace_back(m.begin, m.end);
    pos = m.end > m.begin ? m.end : m.begin + 1;
  }
  return out;
}

// True at a paragraph's end: a blank line, or a line break after a sentence mark (a line that wraps mid-sentence,
// as PDF extractions do, continues its paragraph).
bool paragraph_ends(const std::string& text, size_t newline, const grammar::Common& common) {
  size_t next = newline + 1;
  while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
  if (next >= text.size() || text[next] == '\n') return true;
  size_t before = newline;
  while (before > 0 && Normalizer::is_layout(text[before - 1])) --before;
  if (before == 0) return true;
  size_t p = utf8::start_of(text, before - 1);
  return common.truncation.sentence_end.find(utf8::next(text, p)) != std::u32string::npos;
}

// What starts a bracket, for a fast pass over what does not.
struct BracketStarts {
  //! The step over a character whose first byte starts no bracket (nor a line): its length; 0 for the others.
  std::array<unsigned char, 256> step{};
  std::vector<char32_t> first_chars;  //!< of every bracket, sorted
  bool all_valid = true;              //!< else a bracket's first character is not what its bytes decode to

  explicit BracketStarts(const std::vector<grammar::BracketPair>& pairs) {
    for (unsigned b = 0; b < 256; ++b) step[b] = static_cast<unsigned char>(utf8::sequence_length(static_cast<unsigned char>(b)));
    for (const auto& pair : pairs)
      for (const std::string* bracket : {&pair.open, &pair.close}) {
        if (bracket->empty()) continue;
        step[static_cast<unsigned char>((*bracket)[0])] = 0;
        all_valid &= utf8::valid(*bracket);
        size_t q = 0;
        first_chars.push_back(utf8::next(*bracket, q));
      }
    std::sort(first_chars.begin(), first_chars.end());
    step[static_cast<unsigned char>('\n')] = 0;
  }

  //! The first character at or after `pos` (before `end`), stepping from character to character, whose first byte
  //! may start a bracket or a line; `end` or just past it when none does. PERF: a loop of its own, on values the
  //! compiler keeps in registers (in the loop that handles brackets they live in memory).
  size_t next_stop(std::string_view text, size_t pos, size_t end) const {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    while (pos < end) {
      const unsigned char length = step[bytes[pos]];
      if (!length) break;
      pos += length;
    }
    return pos;
  }
};

// Brackets with no partner in their paragraph. `truncated`: an open bracket in the last paragraph of a cut-off
// text is the cut, not the report's mistake. Markup printed as text is text.markup-residue's, not a bracket's.
// PERF: one pass for every pair; only bytes that can start a bracket are compared, and a character of several
// bytes only when it is the first character of a bracket (、 and 。 share their first byte with 《 and 【, and
// stand everywhere). The matching form is UTF-8, so the character decoded there is the one written.
void brackets_in(CheckContext& ctx, const std::string& id, const BracketStarts& starts, size_t begin, size_t end,
                 bool truncated) {
  const std::string& text = ctx.doc.match.text;
  const auto& pairs = ctx.grammars.common.brackets;
  if (pairs.empty()) return;
  struct Unmatched {
    size_t pair, pos;
    bool is_open;
  };
  std::vector<std::vector<size_t>> stacks(pairs.size());
  std::vector<Unmatched> unmatched;
  auto close_paragraph = [&](bool last) {
    for (size_t p = 0; p < pairs.size(); ++p) {
      if (!(last && truncated))
        for (size_t open : stacks[p]) unmatched.push_back(Unmatched{p, open, true});
      stacks[p].clear();
    }
  };
  for (size_t pos = begin;;) {
    pos = starts.next_stop(text, pos, end);
    if (pos >= end) break;
    const auto lead = static_cast<unsigned char>(text[pos]);
    size_t after = pos;
    if (lead == '\n') {
      if (paragraph_ends(text, pos, ctx.grammars.common)) close_paragraph(false);
    } else if (lead >= 0x80 && starts.all_valid &&
               !std::binary_search(starts.first_chars.begin(), starts.first_chars.end(), utf8::next(text, after))) {
      // no bracket starts with this character
    } else {
      for (size_t p = 0; p < pairs.size(); ++p) {
        if (text.compare(pos, pairs[p].open.size(), pairs[p].open) == 0) {
          stacks[p].push_back(pos);
        } else if (text.compare(pos, pairs[p].close.size(), pairs[p].close) == 0) {
          if (stacks[p].empty()) unmatched.push_back(Unmatched{p, pos, false});
          else stacks[p].pop_back();
        }
      }
    }
    pos += utf8::sequence_length(lead);
  }
  close_paragraph(end == text.size());
  std::sort(unmatched.begin(), unmatched.end(), [](const Unmatched& a, const Unmatched& b) { return a.pos < b.pos; });
  for (const Unmatched& u : unmatched) {
    const auto& pair = pairs[u.pair];
    // A little context: up to 12 characters from the bracket, as the page wrote them.
    size_t ctx_end = u.pos;
    for (int i = 0; i < 12 && ctx_end < end && text[ctx_end] != '\n'; ++i)
      ctx_end += utf8::sequence_length(static_cast<unsigned char>(text[ctx_end]));
    size_t ctx_begin = u.pos;
    if (!u.is_open)
      for (int i = 0; i < 12 && ctx_begin > begin && text[ctx_begin - 1] != '\n'; ++i) ctx_begin = utf8::start_of(text, ctx_begin - 1);
    const size_t sb = ctx.doc.source_of_match(ctx_begin), se = ctx.doc.source_of_match(ctx_end);
    const std::string around(ctx.doc.source.substr(sb, se - sb));
    const size_t bracket_source = ctx.doc.source_of_match(u.pos);
    const size_t bracket_end = ctx.doc.source_of_match(u.pos + (u.is_open ? pair.open.size() : pair.close.size()));
    const std::string written(ctx.doc.source.substr(bracket_source, std::max(bracket_end, bracket_source) - bracket_source));
    const std::string& partner = pair.partner(written);
    Evidence ev;
    add_fact(ev, "text", around);
    add_fact(ev, "bracket", written);
    std::string message = ctx.say(u.is_open ? "text.unbalanced-bracket.open" : "text.unbalanced-bracket.close",
                                  {{"open", u.is_open ? written : partner},
                                   {"close", u.is_open ? partner : written},
                                   {"around", around}});
    Finding& f = ctx.add(id, FindingStatus::fail, message, ctx.doc.locate_match(u.pos), "bracket:" + pair.open + ":" + around, ev);
    f.end = ctx.doc.locate_match(u.pos + (u.is_open ? pair.open.size() : pair.close.size()));
  }
}

// Word or HTML markup printed as text: one finding for the document, every kind of residue in its evidence.
void markup_residue(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report) return;
  std::vector<std::pair<size_t, size_t>> found;
  for (const auto& [begin, end] : ctx.prose_ranges())
    for (const auto& range : markup_in(ctx, begin, end)) found.push_back(range);
  if (found.empty()) return;
  std::vector<std::string> kinds;
  for (const auto& [b, e] : found) {
    std::string written(ctx.doc.source.substr(b, e - b));
    if (std::find(kinds.begin(), kinds.end(), written) == kinds.end()) kinds.push_back(std::move(written));
  }
  constexpr size_t kShown = 5;
  std::vector<std::string> shown(kinds.begin(), kinds.begin() + static_cast<std::ptrdiff_t>(std::min(kinds.size(), kShown)));
  Evidence ev;
  add_fact(ev, "occurrences", std::to_string(found.size()));
  add_fact(ev, "markup", ctx.join(kinds));
  Finding& f = ctx.add(id, FindingStatus::fail,
                       ctx.say("text.markup-residue", {{"count", found.size()}, {"markup", ctx.join(shown)}}),
                       ctx.doc.locate_source(found.front().first), "markup", ev);
  f.end = ctx.doc.locate_source(found.front().second);
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
  const BracketStarts starts(ctx.grammars.common.brackets);
  for (const auto& [begin, end] : ctx.prose_ranges()) brackets_in(ctx, id, starts, begin, end, ctx.truncated());
}

}  // namespace

void register_text_rules(Registry& r) {
  r.add("text.truncated", truncated);
  r.add("text.garbled-date", garbled_dates);
  r.add("text.unbalanced-bracket", unbalanced_brackets);
  r.add("text.markup-residue", markup_residue);
}

}  // namespace xxgk::checks
