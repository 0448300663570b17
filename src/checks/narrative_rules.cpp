// Narrative rules: counts stated in the prose that contradict the tables (claims in grammars/common.xml).
#include <algorithm>
#include <cmath>
#include <optional>

#include "checks/prose_sums.hpp"
#include "checks/word_finder.hpp"
#include "checks/registry.hpp"
#include "tables/arithmetic.hpp"
#include "util/dates.hpp"
#include "util/utf8.hpp"

namespace xxgk::checks {
namespace {

using tables::RowResult;
using tables::TableResult;

struct TableValue {
  bool usable = false;
  bool doubtful = false;
  double value = 0;
  std::vector<double> possible;  //!< every value the readings of one ambiguous row allow, when known
  std::vector<EvidenceTerm> terms;
  std::string label;
};

TableValue value_of(const TableResult& table, const grammar::CellSum& sum) {
  TableValue out;
  out.usable = true;
  double certain = 0;
  const RowResult* ambiguous_row = nullptr;  // the one row whose readings are enumerated
  std::vector<size_t> ambiguous_columns;
  bool other_doubt = false;
  for (const grammar::CellRef& ref : sum.cells) {
    const RowResult* row = table.row(ref.row);
    const Cell* cell = row && row->found ? table.cell(ref.row, ref.column) : nullptr;
    if (!cell) return TableValue{};
    const size_t column = static_cast<size_t>(cell - row->cells.data());
    switch (cell->status) {
      case CellStatus::ok:
      case CellStatus::split:
        certain += *cell->value;
        out.value += *cell->value;
        break;
      case CellStatus::inferred:
      case CellStatus::uncertain:
        if (cell->value) out.value += *cell->value;
        else out.usable = false;
        out.doubtful = true;
        if (!row->readings.empty() && (!ambiguous_row || ambiguous_row == row)) {
          ambiguous_row = row;
          ambiguous_columns.push_back(column);
        } else {
          other_doubt = true;
        }
        break;
      case CellStatus::empty:
        out.doubtful = true;  // counted as 0
        other_doubt = true;
        break;
      default:
        return TableValue{};
    }
    out.terms.push_back(term_of(table.table->id, *row, *cell, "table"));
    const std::string row_name = row_label(*row);  // empty for a row without a label (part 4)
    out.label += (out.label.empty() ? "" : " + ") + row_name + (row_name.empty() ? "" : " ") + column_label(*cell);
  }
  if (ambiguous_row && !other_doubt) {
    for (const auto& reading : ambiguous_row->readings) {
      double v = certain;
      for (size_t c : ambiguous_columns) v += reading[c];
      if (std::find(out.possible.begin(), out.possible.end(), v) == out.possible.end()) out.possible.push_back(v);
    }
    std::sort(out.possible.begin(), out.possible.end());
    out.usable = true;
  }
  return out;
}

// The first alternative whose cells exist in the table.
std::optional<TableValue> resolve(const TableResult& table, const std::vector<grammar::CellSum>& sums) {
  for (const grammar::CellSum& sum : sums) {
    bool exists = std::all_of(sum.cells.begin(), sum.cells.end(), [&](const grammar::CellRef& ref) {
      const RowResult* row = table.row(ref.row);
      return row && row->found && table.cell(ref.row, ref.column);
    });
    if (exists) return value_of(table, sum);
  }
  return std::nullopt;
}

// The near words' occurrences in one text, found on first use.
struct Occurrences {
  const WordFinder& words;
  std::string_view text;
  std::optional<std::vector<std::vector<size_t>>> found;

  //! `word`: WordFinder::index_of a word.
  const std::vector<size_t>& of(size_t word) {
    static const std::vector<size_t> kNone;  // an empty word stands nowhere
    if (word == WordFinder::npos) return kNone;
    if (!found) found = words.find_in(text);
    return (*found)[word];
  }
};

// Matches of a claim in `prose`. PERF: with `near` words, the pattern runs only in a window around each
// occurrence of one of them (a claim sentence is short), not over the whole text. `near`: the index of each of the
// claim's near words in `occurrences`.
std::vector<Regex::Match> claim_matches(const grammar::Claim& claim, const std::vector<size_t>& near, std::string_view prose,
                                        Occurrences& occurrences) {
  if (claim.near.empty()) return claim.pattern.find_all(prose);
  constexpr size_t kWindow = 48 * 3;  // bytes on each side of the word
  std::vector<Regex::Match> out;
  for (size_t k = 0; k < claim.near.size(); ++k) {
    const std::string& word = claim.near[k];
    size_t searched_to = 0;
    for (size_t at : occurrences.of(near[k])) {
      size_t begin = at > kWindow ? utf8::start_of(prose, at - kWindow) : 0;
      begin = std::max(begin, searched_to);
      size_t end = std::min(prose.size(), at + word.size() + kWindow);
      while (end < prose.size() && (static_cast<unsigned char>(prose[end]) & 0xC0) == 0x80) ++end;
      if (end <= begin) continue;
      std::string_view window = prose.substr(0, end);
      Regex::Match m;
      for (size_t pos = begin; pos < end && claim.pattern.search(window, pos, m);) {
        out.push_back(m);
        pos = m.end > m.begin ? m.end : m.begin + 1;
        searched_to = std::max(searched_to, m.end);
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Regex::Match& a, const Regex::Match& b) { return a.begin < b.begin; });
  out.erase(std::unique(out.begin(), out.end(), [](const Regex::Match& a, const Regex::Match& b) { return a.begin == b.begin; }),
            out.end());
  return out;
}

// True when `word` stands in the sentence of `m` (between the sentence ends around it).
bool sentence_holds(std::string_view prose, const Regex::Match& m, const std::string& word,
                    const std::vector<std::string>& sentence_ends) {
  size_t begin = prose::sentence_start(prose, m.begin, sentence_ends), end = prose.size();
  for (const std::string& e : sentence_ends)
    if (size_t at = prose.find(e, m.end); at != std::string_view::npos) end = std::min(end, at);
  return begin < end && prose.substr(begin, end - begin).find(word) != std::string_view::npos;
}

// The near words of a list of claims, found together.
struct NearWords {
  std::vector<std::vector<std::string>> of_claims;  //!< each claim's near words, as the grammar gives them
  WordFinder finder;
  std::vector<std::vector<size_t>> indexes;  //!< each claim's near words, by their index in `finder`
};

// PERF: the claims are the grammars' and do not change from one document to the next: their finder is built once
// per thread (a finder per document cost as much as a third of what it finds), and again only for other claims.
const NearWords& near_words_of(const std::vector<grammar::Claim>& claims) {
  thread_local std::optional<NearWords> cached;
  const bool same = cached && cached->of_claims.size() == claims.size() &&
                    std::equal(claims.begin(), claims.end(), cached->of_claims.begin(),
                               [](const grammar::Claim& claim, const std::vector<std::string>& near) { return claim.near == near; });
  if (same) return *cached;
  std::vector<std::vector<std::string>> of_claims;
  std::vector<std::string> all;
  for (const grammar::Claim& claim : claims) {
    of_claims.push_back(claim.near);
    all.insert(all.end(), claim.near.begin(), claim.near.end());
  }
  cached.emplace(NearWords{std::move(of_claims), WordFinder(std::move(all)), {}});
  for (const auto& near : cached->of_claims) {
    std::vector<size_t>& indexes = cached->indexes.emplace_back();
    for (const std::string& word : near) indexes.push_back(cached->finder.index_of(word));
  }
  return *cached;
}

void table_mismatch(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report || !ctx.expected) return;
  const auto& claims = ctx.grammars.common.claims;
  const NearWords& near = near_words_of(claims);
  std::vector<const TableResult*> table_of(claims.size());  // each claim's table, if found
  for (size_t c = 0; c < claims.size(); ++c) {
    const TableResult* table = ctx.tables.table(claims[c].table);
    if (table && table->found) table_of[c] = table;
  }
  for (const auto& [begin, end] : ctx.prose_ranges()) {
    size_t cb = ctx.doc.compact_of_match(begin), ce = ctx.doc.compact_of_match(end);
    std::string_view prose = std::string_view(ctx.doc.compact.text).substr(cb, ce - cb);
    Occurrences occurrences{near.finder, prose, std::nullopt};
    for (size_t c = 0; c < claims.size(); ++c) {
      const grammar::Claim& claim = claims[c];
      const TableResult* table = table_of[c];
      if (!table) continue;
      for (const Regex::Match& m : claim_matches(claim, near.indexes[c], prose, occurrences)) {
        if (!claim.sentence_without.empty() &&
            sentence_holds(prose, m, claim.sentence_without, ctx.grammars.common.sums.sentence_ends))
          continue;
        std::optional<double> stated;  // the number the match states, if any
        {
          std::string_view n = group_text(prose, m, claim.pattern.group("n"));
          if (n.empty() && claim.pattern.group("n2") > 0) n = group_text(prose, m, claim.pattern.group("n2"));
          if (auto v = parse_numeral(n)) stated = *v;
        }
        std::optional<double> claimed = claim.value ? claim.value : stated;
        std::optional<TableValue> all_value;  // "all of them": the total the text speaks of
        if (!claim.all.empty()) {
          all_value = resolve(*table, claim.all);
          if (!all_value || !all_value->usable) continue;
          // A stated count other than the table's total is the count claims' finding; "all" is then not comparable.
          if (stated && !tables::same_value(*stated, all_value->value)) continue;
          claimed = all_value->value;
        }
        if (!claimed) continue;
        auto table_value = resolve(*table, claim.compare);
        if (!table_value || !table_value->usable) continue;
        // Amounts (万元) are often rounded differently in prose and table: the configured money tolerance.
        const double money_tolerance = std::max(tables::kArithmeticTolerance, ctx.options.money_tolerance);
        auto equal = [&](double a, double b) {
          const bool amount = a != std::floor(a) || b != std::floor(b);
          return amount ? std::fabs(a - b) < money_tolerance + tables::kArithmeticTolerance : tables::same_value(a, b);
        };
        // A part of what the cells count (被撤销 within 纠正) agrees with any table value at least as large.
        auto agrees = [&](double v) { return claim.at_most ? *claimed <= v + tables::kArithmeticTolerance : equal(v, *claimed); };
        const bool all_readings = !table_value->possible.empty();
        if (all_readings) {
          // Ambiguous digits: the claim stands if some reading supports it, and contradicts them all otherwise.
          if (std::any_of(table_value->possible.begin(), table_value->possible.end(), agrees)) continue;
        } else if (agrees(table_value->value)) {
          continue;
        }
        if (auto alternative = resolve(*table, claim.alternative); alternative && alternative->usable && agrees(alternative->value))
          continue;
        std::string said = ctx.doc.source_text(cb + m.begin, cb + m.end);
        Evidence ev;
        ev.terms = table_value->terms;
        if (all_value)
          for (EvidenceTerm term : all_value->terms) {
            term.side = "all";
            ev.terms.push_back(std::move(term));
          }
        add_fact(ev, "text", said);
        add_fact(ev, "claim", claim.id);
        ev.reported = *claimed;
        std::string gives;
        if (all_readings) {
          std::vector<std::string> readings;
          for (double v : table_value->possible) readings.push_back(format_value(v));
          const std::string values = ctx.join(readings);
          add_fact(ev, "possible values", values);
          gives = ctx.say(table_value->possible.size() == 1 ? "gives.readings" : "gives.one-of-readings", {{"values", values}});
        } else {
          ev.computed = table_value->value;
          ev.difference = *claimed - table_value->value;
          gives = format_value(table_value->value);
          if (table_value->doubtful) add_fact(ev, "doubt", ctx.say("doubt.narrative-reading"));
        }
        // "All of them": both sides come from the table, and any doubt in it leaves the verdict open.
        const bool doubt = (table_value->doubtful && !all_readings) || (all_value && (table_value->doubtful || all_value->doubtful));
        if (all_value && all_value->doubtful) add_fact(ev, "doubt", ctx.say("doubt.narrative-reading"));
        const MessageArgs args{{"said", said},
                               {"claimed", format_value(claimed)},
                               {"gives", gives},
                               {"label", table_value->label},
                               {"all_label", all_value ? all_value->label : std::string()}};
        const char* message = all_value ? "narrative.table-mismatch.all"
                              : claim.at_most ? "narrative.table-mismatch.at-most"
                                              : "narrative.table-mismatch";
        Finding& finding = ctx.add(id, doubt ? FindingStatus::uncertain : FindingStatus::fail, ctx.say(message, args),
                                   ctx.doc.locate_compact(cb + m.begin), claim.id + ":" + format_value(claimed) + ":" + said, ev);
        ctx.span(finding, said);
      }
    }
  }
}

// The words a partition's kind is written with: the first of its alternatives (结转|正在办理 → 结转).
std::string kind_name(const std::string& pattern) { return pattern.substr(0, pattern.find('|')); }

// Text as written, on one line: a statement may run over line breaks (and the spaces around them).
std::string one_line(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') {
      out.push_back(text[i]);
      continue;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '\n' || text[i + 1] == '\r')) ++i;
  }
  return out;
}

std::string plus_joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : " + ") + item;
  return out;
}

// A total stated in the prose against the parts it lists (prose_sums.hpp says what proves a fault). Needs no table:
// it runs on every report, of any year.
void sum_mismatch(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report) return;
  const grammar::SumStatements& grammar = ctx.grammars.common.sums;
  const Regex* ordinal = ctx.grammars.common.label_ordinal ? &*ctx.grammars.common.label_ordinal : nullptr;
  for (const auto& [begin, end] : ctx.prose_ranges()) {
    const size_t cb = ctx.doc.compact_of_match(begin), ce = ctx.doc.compact_of_match(end);
    const std::string_view prose = std::string_view(ctx.doc.compact.text).substr(cb, ce - cb);
    std::vector<size_t> line_starts;  // in `prose`
    for (size_t at = ctx.doc.match.text.find('\n', begin); at < end; at = ctx.doc.match.text.find('\n', at + 1)) {
      const size_t compact = ctx.doc.compact_of_match(at);
      if (compact > cb && compact < ce && (line_starts.empty() || line_starts.back() != compact - cb))
        line_starts.push_back(compact - cb);
    }
    for (const prose::SumStatement& st : prose::read_sum_statements(prose, grammar, ordinal, line_starts)) {
      const prose::SumVerdict verdict = prose::judge(st, grammar);
      if (verdict.kind == prose::SumVerdict::Kind::none) continue;
      auto source = [&](size_t from, size_t to) { return one_line(ctx.doc.source_text(cb + from, cb + to)); };
      Evidence ev;
      EvidenceTerm total;
      total.side = "total";
      total.label = source(st.begin, st.total.begin);
      total.value = st.total.value;
      total.raw = source(st.total.begin, st.total.end);
      total.status = CellStatus::ok;
      total.location = ctx.doc.locate_compact(cb + st.total.begin);
      ev.terms.push_back(total);
      std::vector<std::string> addends;
      for (size_t i = 0; i < verdict.parts; ++i) {
        const prose::SumPart& part = st.parts[i];
        const size_t words_begin = static_cast<size_t>(part.words.data() - prose.data());
        EvidenceTerm term;
        term.side = "part";
        term.label = source(words_begin, words_begin + part.words.size());
        term.value = part.count.value;
        term.raw = source(part.count.begin, part.count.end);
        term.status = CellStatus::ok;
        term.location = ctx.doc.locate_compact(cb + part.count.begin);
        addends.push_back(term.label + " " + format_value(part.count.value));
        ev.terms.push_back(std::move(term));
      }
      std::string basis;
      std::vector<std::string> kinds;
      if (verdict.partition)
        for (const std::string& kind : verdict.partition->kind_text) kinds.push_back(kind_name(kind));
      switch (verdict.basis) {
        case prose::SumVerdict::Basis::partition_complete:
          basis = ctx.say("sum.basis.partition-complete", {{"kinds", ctx.join(kinds)}});
          break;
        case prose::SumVerdict::Basis::partition_disjoint:
          basis = ctx.say("sum.basis.partition-disjoint", {{"kinds", ctx.join(kinds)}});
          break;
        case prose::SumVerdict::Basis::catch_all: {
          const prose::SumPart& last = st.parts[verdict.parts - 1];
          const size_t words_begin = static_cast<size_t>(last.words.data() - prose.data());
          basis = ctx.say("sum.basis.catch-all", {{"words", source(words_begin, words_begin + last.words.size())}});
          break;
        }
        default:
          basis = ctx.say("sum.basis.overlap");
          break;
      }
      const std::string said = source(st.begin, st.total.end);
      const std::string written = ctx.doc.source_text(cb + st.begin, cb + st.end);
      const std::string statement = one_line(written);
      add_fact(ev, "text", statement);
      add_fact(ev, "basis", basis);
      ev.reported = st.total.value;
      ev.computed = verdict.sum;
      ev.difference = st.total.value - verdict.sum;
      const bool fail = verdict.kind == prose::SumVerdict::Kind::fail;
      const MessageArgs args{{"said", said},
                             {"total", format_value(st.total.value)},
                             {"n", verdict.parts},
                             {"sum", format_value(verdict.sum)},
                             {"addends", plus_joined(addends)},
                             {"difference", format_value(std::fabs(st.total.value - verdict.sum))},
                             {"basis", basis}};
      Finding& finding = ctx.add(id, fail ? FindingStatus::fail : FindingStatus::uncertain,
                                 ctx.say(fail ? "narrative.sum-mismatch" : "narrative.sum-mismatch.overlap", args),
                                 ctx.doc.locate_compact(cb + st.begin),
                                 "sum:" + format_value(st.total.value) + ":" + std::string(prose.substr(st.begin, st.end - st.begin)),
                                 ev);
      ctx.span(finding, written);
    }
  }
}

}  // namespace

void register_narrative_rules(Registry& r) {
  r.add("narrative.table-mismatch", table_mismatch);
  r.add("narrative.sum-mismatch", sum_mismatch);
}

}  // namespace xxgk::checks
