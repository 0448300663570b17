// Narrative rules: counts stated in the prose that contradict the tables (claims in grammars/common.xml).
#include <algorithm>
#include <cmath>

#include "checks/registry.hpp"
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
    out.label += (out.label.empty() ? "" : " + ") + row_label(*row) + " " + column_label(*cell);
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

// Matches of a claim in `prose`. PERF: with a `near` word, the pattern runs only in a window around each
// occurrence of that word (a claim sentence is short), not over the whole text.
std::vector<Regex::Match> claim_matches(const grammar::Claim& claim, std::string_view prose) {
  if (claim.near.empty()) return claim.pattern.find_all(prose);
  constexpr size_t kWindow = 48 * 3;  // bytes on each side of the word
  std::vector<Regex::Match> out;
  size_t searched_to = 0;
  for (size_t at = prose.find(claim.near); at != std::string_view::npos; at = prose.find(claim.near, at + claim.near.size())) {
    size_t begin = at > kWindow ? utf8::start_of(prose, at - kWindow) : 0;
    begin = std::max(begin, searched_to);
    size_t end = std::min(prose.size(), at + claim.near.size() + kWindow);
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
  std::sort(out.begin(), out.end(), [](const Regex::Match& a, const Regex::Match& b) { return a.begin < b.begin; });
  out.erase(std::unique(out.begin(), out.end(), [](const Regex::Match& a, const Regex::Match& b) { return a.begin == b.begin; }),
            out.end());
  return out;
}

void table_mismatch(CheckContext& ctx, const std::string& id) {
  if (!ctx.report.is_report || !ctx.expected) return;
  const auto& claims = ctx.grammars.common.claims;
  for (const auto& [begin, end] : ctx.prose_ranges()) {
    size_t cb = ctx.doc.compact_of_match(begin), ce = ctx.doc.compact_of_match(end);
    std::string_view prose = std::string_view(ctx.doc.compact.text).substr(cb, ce - cb);
    for (const grammar::Claim& claim : claims) {
      const TableResult* table = ctx.tables.table(claim.table);
      if (!table || !table->found) continue;
      for (const Regex::Match& m : claim_matches(claim, prose)) {
        std::optional<double> claimed = claim.value;
        if (!claimed) {
          std::string_view n = group_text(prose, m, claim.pattern.group("n"));
          if (n.empty() && claim.pattern.group("n2") > 0) n = group_text(prose, m, claim.pattern.group("n2"));
          if (auto v = parse_numeral(n)) claimed = *v;
        }
        if (!claimed) continue;
        auto table_value = resolve(*table, claim.compare);
        if (!table_value || !table_value->usable) continue;
        // Amounts (万元) are often rounded differently in prose and table: the configured money tolerance.
        const double tolerance = std::max(1e-6, ctx.options.money_tolerance);
        auto equal = [&](double a, double b) {
          const bool amount = a != std::floor(a) || b != std::floor(b);
          return std::fabs(a - b) < (amount ? tolerance + 1e-9 : 1e-6);
        };
        const bool all_readings = !table_value->possible.empty();
        if (all_readings) {
          // Ambiguous digits: the claim stands if some reading supports it, and contradicts them all otherwise.
          if (std::any_of(table_value->possible.begin(), table_value->possible.end(), [&](double v) { return equal(v, *claimed); }))
            continue;
        } else if (equal(table_value->value, *claimed)) {
          continue;
        }
        if (auto alternative = resolve(*table, claim.alternative);
            alternative && alternative->usable && equal(alternative->value, *claimed))
          continue;
        std::string said = ctx.doc.source_text(cb + m.begin, cb + m.end);
        Evidence ev;
        ev.terms = table_value->terms;
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
        const bool doubt = table_value->doubtful && !all_readings;
        Finding& finding = ctx.add(id, doubt ? FindingStatus::uncertain : FindingStatus::fail,
                ctx.say("narrative.table-mismatch",
                        {{"said", said}, {"claimed", format_value(claimed)}, {"gives", gives}, {"label", table_value->label}}),
                ctx.doc.locate_compact(cb + m.begin), claim.id + ":" + format_value(claimed) + ":" + said, ev);
        ctx.span(finding, said);
      }
    }
  }
}

}  // namespace

void register_narrative_rules(Registry& r) { r.add("narrative.table-mismatch", table_mismatch); }

}  // namespace xxgk::checks
