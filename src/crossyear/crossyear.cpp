#include "crossyear/crossyear.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "tables/arithmetic.hpp"
#include "tables/indicator_reader.hpp"
#include "util/hash.hpp"
#include "util/utf8.hpp"

namespace xxgk::crossyear {
namespace {


std::string cell_key(const std::string& table, const std::string& row, const std::string& column) {
  return table + "/" + row + "/" + column;
}

// Canonical row label and column header path of a cell, from the newest format that has them.
std::string cell_label(const grammar::GrammarSet& g, const std::string& table, const std::string& row,
                       const std::string& column) {
  if (table == tables::kIndicatorTable)
    if (const grammar::IndicatorTable::Item* item = g.indicators.item(row))
      for (const auto& c : g.indicators.columns)
        if (c.id == column) return item->label + " " + c.header;
  for (auto f = g.formats.rbegin(); f != g.formats.rend(); ++f) {
    const grammar::TableTemplate* t = f->table(table);
    if (!t) continue;
    for (const grammar::Block& b : t->blocks)
      for (const grammar::Item& item : b.items) {
        if (item.id != row || item.labels.empty()) continue;
        for (const grammar::Column& c : t->columns_of(b))
          if (c.id == column) {
            std::string path;
            for (const std::string& p : c.path) path += (path.empty() ? "" : " / ") + p;
            return item.canonical().text + " " + path;
          }
      }
  }
  return cell_key(table, row, column);
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

Severity severity_of(const grammar::GrammarSet& g, const std::string& rule) {
  const RuleInfo* info = g.rule_docs.find(rule);  // the grammar checked every cross-year rule id when it loaded
  return info ? info->severity : Severity::warning;
}

}  // namespace

YearFacts facts_of(const grammar::GrammarSet& g, const CheckResult& result, const Document& doc, size_t body_begin) {
  YearFacts facts;
  std::string key;
  for (char c : g.normalizer().normalize_label(result.report.agency))
    if (!Normalizer::is_layout(c)) key.push_back(c);
  facts.agency = key;
  facts.year = result.report.year.value_or(0);
  const auto& cy = g.common.crossyear;
  std::set<std::pair<std::string, std::string>> wanted;  // table, row (every column)
  std::set<std::string> wanted_cells;
  for (const auto& e : cy.equal) {
    wanted.insert({e.table, e.current_row});
    wanted.insert({e.table, e.previous_row});
  }
  for (const auto& s : cy.stock)
    for (const std::string& row : s.rows)
      for (const std::string& c : {s.total, s.plus, s.minus}) wanted_cells.insert(cell_key(s.table, row, c));
  // PERF: what a row or a table decides is worked out once for it, not for each of its cells (a vector and a pair
  // of strings were built per cell).
  for (const Table& t : result.tables) {
    std::vector<const std::string*> every_row_columns;  // stock columns taken from every row of this table
    for (const auto& s : cy.stock)
      if (s.table == t.id && s.rows.size() == 1 && s.rows.front() == "*") {
        every_row_columns.push_back(&s.total);
        every_row_columns.push_back(&s.plus);
        if (!s.minus.empty()) every_row_columns.push_back(&s.minus);
      }
    for (const Row& r : t.rows) {
      const bool row_wanted = wanted.count({t.id, r.id}) > 0;
      for (const Cell& c : r.cells) {
        if (!c.value) continue;
        const bool every_row = std::any_of(every_row_columns.begin(), every_row_columns.end(),
                                           [&](const std::string* column) { return c.column == *column; });
        if (!every_row && !row_wanted && !wanted_cells.count(cell_key(t.id, r.id, c.column))) continue;
        if (c.status != CellStatus::ok && c.status != CellStatus::split && c.status != CellStatus::inferred) continue;
        facts.cells[cell_key(t.id, r.id, c.column)] = YearFacts::Value{*c.value, c.status == CellStatus::inferred, c.location};
      }
    }
  }
  // Prose sentences: split at line ends and sentence marks, numbers masked, table rows left out.
  std::string_view text = std::string_view(doc.match.text).substr(std::min(body_begin, doc.match.text.size()));
  // PERF: the fingerprint of the sentence's characters (digits as '#') is fed as they come; the sentence itself is
  // never built (an append per character was a third of this function).
  Fnv1a sentence;
  size_t chars = 0, start = 0;
  bool table_row = false;
  auto flush = [&] {
    if (!table_row && chars >= cy.copied_min_chars && facts.sentences.size() < cy.copied_max_sentences) {
      facts.sentences.emplace_back(sentence.hash, static_cast<uint32_t>(chars));
      facts.sentence_offsets.push_back(doc.source_of_match(std::min(body_begin, doc.match.text.size()) + start));
    }
    sentence = Fnv1a();
    chars = 0;
    table_row = false;
  };
  // PERF: ASCII and the lead byte of a sequence decide; no character is decoded (。 is E3 80 82).
  for (size_t i = 0; i < text.size();) {
    const size_t at = i;
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      const char c = static_cast<char>(lead);
      if (c == '\n' || c == ';' || c == '!' || c == '?') {
        flush();
        continue;
      }
      if (c == '|') table_row = true;
      if (c == '\r' || Normalizer::is_layout(c)) continue;
      if (chars == 0) start = at;
      sentence.add(c >= '0' && c <= '9' ? static_cast<unsigned char>('#') : lead);
      ++chars;
      continue;
    }
    i += std::min(utf8::sequence_length(lead), text.size() - i);
    if (lead == 0xE3 && i - at == 3 && (static_cast<unsigned char>(text[at + 1]) & 0x3F) == 0 &&
        (static_cast<unsigned char>(text[at + 2]) & 0x3F) == 2) {  // 。
      flush();
      continue;
    }
    if (chars == 0) start = at;
    for (size_t b = at; b < i; ++b) sentence.add(static_cast<unsigned char>(text[b]));
    ++chars;
  }
  flush();
  return facts;
}

std::vector<Finding> compare(const grammar::GrammarSet& g, const std::string& language, const YearFacts& previous,
                             const YearFacts& current) {
  auto say = [&](std::string_view id, const MessageArgs& args) { return g.messages.render(language, id, args); };
  std::vector<Finding> out;
  const auto& cy = g.common.crossyear;
  const std::string years = std::to_string(previous.year) + "→" + std::to_string(current.year);
  auto term = [&](const std::string& side, const std::string& key, const YearFacts::Value& v, const std::string& label) {
    EvidenceTerm t;
    t.side = side;
    t.cell = key;
    t.label = label;
    t.value = v.value;
    t.raw = number(v.value);
    t.status = v.inferred ? CellStatus::inferred : CellStatus::ok;
    t.location = v.location;
    return t;
  };
  auto add = [&](const std::string& rule, bool uncertain, std::string message, Location where, const std::string& about,
                 Evidence ev) {
    Finding f;
    f.rule = rule;
    f.severity = severity_of(g, rule);
    f.status = uncertain ? FindingStatus::uncertain : FindingStatus::fail;
    f.message = std::move(message);
    f.location = where;
    f.fingerprint = sha256_hex(rule + "\n" + current.agency + "\n" + std::to_string(current.year) + "\n" + about).substr(0, 16);
    ev.facts.insert(ev.facts.begin(), {"years", years});
    f.evidence = std::move(ev);
    out.push_back(std::move(f));
  };

  // This year's 上年结转 is last year's 结转下年度继续办理, column by column.
  for (const auto& e : cy.equal) {
    const std::string current_prefix = e.table + "/" + e.current_row + "/";
    for (const auto& [key, now] : current.cells) {
      if (key.rfind(current_prefix, 0) != 0) continue;
      const std::string column = key.substr(current_prefix.size());
      auto before = previous.cells.find(cell_key(e.table, e.previous_row, column));
      if (before == previous.cells.end() || tables::same_value(before->second.value, now.value)) continue;
      const std::string now_label = cell_label(g, e.table, e.current_row, column);
      const std::string before_label = cell_label(g, e.table, e.previous_row, column);
      Evidence ev;
      ev.terms.push_back(term("left", key, now, now_label));
      ev.terms.push_back(term("right", before->first, before->second, before_label));
      ev.reported = now.value;
      ev.computed = before->second.value;
      ev.difference = now.value - before->second.value;
      add(e.rule, now.inferred || before->second.inferred,
          say("crossyear.equal", {{"year", current.year},
                                  {"label", now_label},
                                  {"value", number(now.value)},
                                  {"previous_year", previous.year},
                                  {"previous_label", before_label},
                                  {"previous_value", number(before->second.value)}}),
          now.location, key, ev);
    }
  }
  // 现行有效件数: last year's, plus this year's 本年制发, less 本年废止; 历年累计: last year's plus this year's.
  for (const auto& s : cy.stock) {
    std::vector<std::string> rows = s.rows;
    if (rows == std::vector<std::string>{"*"}) {  // every row of the table that has the total
      rows.clear();
      const std::string prefix = s.table + "/";
      for (const auto& [key, value] : current.cells) {
        if (key.rfind(prefix, 0) != 0 || !key.ends_with("/" + s.total)) continue;
        rows.push_back(key.substr(prefix.size(), key.size() - prefix.size() - s.total.size() - 1));
      }
    }
    for (const std::string& row : rows) {
      auto now = current.cells.find(cell_key(s.table, row, s.total));
      auto before = previous.cells.find(cell_key(s.table, row, s.total));
      auto plus = current.cells.find(cell_key(s.table, row, s.plus));
      auto minus = s.minus.empty() ? current.cells.end() : current.cells.find(cell_key(s.table, row, s.minus));
      if (now == current.cells.end() || before == previous.cells.end() || plus == current.cells.end() ||
          (!s.minus.empty() && minus == current.cells.end()))
        continue;
      const bool has_minus = minus != current.cells.end();
      const double expected = before->second.value + plus->second.value - (has_minus ? minus->second.value : 0);
      if (tables::same_value(expected, now->second.value)) continue;
      Evidence ev;
      ev.terms.push_back(term("left", now->first, now->second, cell_label(g, s.table, row, s.total)));
      ev.terms.push_back(term("right", "previous:" + before->first, before->second,
                              std::to_string(previous.year) + " " + cell_label(g, s.table, row, s.total)));
      ev.terms.push_back(term("right", plus->first, plus->second, cell_label(g, s.table, row, s.plus)));
      if (has_minus) ev.terms.push_back(term("right", minus->first, minus->second, "− " + cell_label(g, s.table, row, s.minus)));
      ev.reported = now->second.value;
      ev.computed = expected;
      ev.difference = now->second.value - expected;
      const bool uncertain = now->second.inferred || before->second.inferred || plus->second.inferred ||
                             (has_minus && minus->second.inferred);
      MessageArgs args{{"year", current.year},
                       {"label", cell_label(g, s.table, row, s.total)},
                       {"value", number(now->second.value)},
                       {"previous_year", previous.year},
                       {"previous_value", number(before->second.value)},
                       {"plus", number(plus->second.value)},
                       {"expected", number(expected)}};
      if (has_minus) args.push_back({"minus", number(minus->second.value)});
      add(s.rule, uncertain, say(has_minus ? "crossyear.stock" : "crossyear.cumulative", args), now->second.location,
          now->first, ev);
    }
  }
  // Prose reused word for word.
  if (!cy.copied_rule.empty() && !current.sentences.empty() && !previous.sentences.empty()) {
    std::unordered_set<uint64_t> before;
    for (const auto& [print, chars] : previous.sentences) before.insert(print);
    size_t total = 0, reused = 0, reused_sentences = 0;
    for (const auto& [print, chars] : current.sentences) {
      total += chars;
      if (before.count(print)) {
        reused += chars;
        ++reused_sentences;
      }
    }
    const double share = total ? static_cast<double>(reused) / static_cast<double>(total) : 0;
    if (share >= cy.copied_min_share) {
      Evidence ev;
      char percent[16];
      std::snprintf(percent, sizeof percent, "%.0f%%", share * 100);
      ev.facts.emplace_back("share reused", percent);
      ev.facts.emplace_back("sentences reused", std::to_string(reused_sentences) + " of " + std::to_string(current.sentences.size()));
      ev.facts.emplace_back("characters reused", std::to_string(reused) + " of " + std::to_string(total));
      add(cy.copied_rule, false,
          say("crossyear.copied", {{"percent", percent},
                                   {"year", current.year},
                                   {"reused", reused_sentences},
                                   {"sentences", current.sentences.size()},
                                   {"previous_year", previous.year}}),
          Location{}, "copied", ev);
    }
  }
  return out;
}

}  // namespace xxgk::crossyear
