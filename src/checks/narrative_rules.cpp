// Narrative rules: counts stated in the prose that contradict the tables (claims in grammars/common.xml).
#include <algorithm>
#include <cmath>

#include "checks/registry.hpp"
#include "util/dates.hpp"

namespace xxgk::checks {
namespace {

using tables::RowResult;
using tables::TableResult;

struct TableValue {
  bool usable = false;
  bool doubtful = false;
  double value = 0;
  std::vector<EvidenceTerm> terms;
  std::string label;
};

TableValue value_of(const TableResult& table, const grammar::CellSum& sum) {
  TableValue out;
  out.usable = true;
  for (const grammar::CellRef& ref : sum.cells) {
    const RowResult* row = table.row(ref.row);
    const Cell* cell = row && row->found ? table.cell(ref.row, ref.column) : nullptr;
    if (!cell) return TableValue{};
    switch (cell->status) {
      case CellStatus::ok:
      case CellStatus::split:
        out.value += *cell->value;
        break;
      case CellStatus::inferred:
        out.value += *cell->value;
        out.doubtful = true;
        break;
      case CellStatus::empty:
        out.doubtful = true;  // counted as 0
        break;
      default:
        out.usable = false;
        break;
    }
    out.terms.push_back(term_of(table.table->id, *row, *cell, "table"));
    out.label += (out.label.empty() ? "" : " + ") + row_label(*row) + " " + column_label(*cell);
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

void run(CheckContext& ctx) {
  if (!ctx.report.is_report || !ctx.expected) return;
  const auto& claims = ctx.grammars.common.claims;
  for (const auto& [begin, end] : ctx.prose_ranges()) {
    size_t cb = ctx.doc.compact_of_match(begin), ce = ctx.doc.compact_of_match(end);
    std::string_view prose = std::string_view(ctx.doc.compact.text).substr(cb, ce - cb);
    for (const grammar::Claim& claim : claims) {
      const TableResult* table = ctx.tables.table(claim.table);
      if (!table || !table->found) continue;
      for (const Regex::Match& m : claim.pattern.find_all(prose)) {
        std::optional<double> claimed = claim.value;
        if (!claimed) {
          std::string_view n = group_text(prose, m, claim.pattern.group("n"));
          if (n.empty() && claim.pattern.group("n2") > 0) n = group_text(prose, m, claim.pattern.group("n2"));
          if (auto v = parse_numeral(n)) claimed = *v;
        }
        if (!claimed) continue;
        auto table_value = resolve(*table, claim.compare);
        if (!table_value || !table_value->usable) continue;
        if (std::fabs(table_value->value - *claimed) < 1e-6) continue;
        if (auto alternative = resolve(*table, claim.alternative);
            alternative && alternative->usable && std::fabs(alternative->value - *claimed) < 1e-6)
          continue;
        std::string said = ctx.doc.source_text(cb + m.begin, cb + m.end);
        Evidence ev;
        ev.terms = table_value->terms;
        ev.facts.emplace_back("text", said);
        ev.facts.emplace_back("claim", claim.id);
        ev.reported = *claimed;
        ev.computed = table_value->value;
        ev.difference = *claimed - table_value->value;
        if (table_value->doubtful) ev.facts.emplace_back("doubt", "the table value involves a digit-run reading or a blank cell");
        ctx.add("narrative.table-mismatch", table_value->doubtful ? FindingStatus::uncertain : FindingStatus::fail,
                "the text says '" + said + "' (" + format_value(claimed) + "), but the table gives " +
                    format_value(table_value->value) + " (" + table_value->label + ")",
                ctx.doc.locate_compact(cb + m.begin), claim.id + ":" + format_value(claimed) + ":" + said, ev);
      }
    }
  }
}

}  // namespace

Family narrative_rules() {
  return Family{"narrative",
                {
                    {"narrative.table-mismatch", Severity::warning,
                     "the prose states a count (申请, 结转, 行政复议, 行政诉讼, 规范性文件…) that contradicts the tables"},
                },
                run};
}

}  // namespace xxgk::checks
