#include "checks/context.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "checks/registry.hpp"
#include "util/hash.hpp"
#include "util/numbers.hpp"
#include "util/utf8.hpp"

namespace xxgk::checks {

Finding& CheckContext::add(const std::string& rule, FindingStatus status, std::string message, Location location,
                           const std::string& key, Evidence evidence) {
  const RuleInfo* info = grammars.rule_docs.find(rule);
  // WHY throw: an id without a rules.xml entry is a programming error (a typo in a rule); no input can cause it.
  if (!info) throw std::logic_error("finding for the unregistered rule '" + rule + "'");
  Finding f;
  f.rule = rule;
  f.severity = info->severity;
  f.status = status;
  f.message = std::move(message);
  f.location = location;
  f.fingerprint = fingerprint_hex(rule + "\n" + key);
  f.evidence = std::move(evidence);
  findings.push_back(std::move(f));
  return findings.back();
}

const CheckContext::Arithmetic& CheckContext::arithmetic(const tables::TableResult& table) {
  auto it = arithmetic_cache.find(&table);
  if (it != arithmetic_cache.end()) return it->second;
  Arithmetic a;
  a.instances = tables::relation_instances(table);
  a.culprits = tables::culprits(a.instances);
  a.blanks_mean_zero = tables::blanks_mean_zero(a.instances);
  return arithmetic_cache.emplace(&table, std::move(a)).first->second;
}

void CheckContext::span(Finding& finding, std::string_view written) const {
  const Location& at = finding.location;
  if (!at.line || written.empty() || at.offset > doc.original.size()) return;
  if (doc.original.compare(at.offset, written.size(), written) != 0) return;
  finding.end = doc.lines.locate(static_cast<uint32_t>(at.offset + written.size()));
}

std::vector<std::pair<size_t, size_t>> CheckContext::prose_ranges() const {
  std::vector<std::pair<size_t, size_t>> excluded;
  for (const auto& table : tables.tables) {
    if (!table.found) continue;
    excluded.emplace_back(doc.match_of_compact(table.begin),
                          table.end >= doc.compact.text.size() ? doc.match.text.size() : doc.match_of_compact(table.end));
  }
  std::sort(excluded.begin(), excluded.end());
  std::vector<std::pair<size_t, size_t>> prose;
  size_t pos = meta.body_start;
  for (const auto& [b, e] : excluded) {
    if (b > pos) prose.emplace_back(pos, b);
    pos = std::max(pos, e);
  }
  if (pos < doc.match.text.size()) prose.emplace_back(pos, doc.match.text.size());
  return prose;
}

}  // namespace xxgk::checks

namespace xxgk::checks {

std::string row_label(const tables::RowResult& row) {
  if (!row.item) return row.id;
  auto it = row.item->in.find(row.format);
  if (it == row.item->in.end()) it = row.item->in.begin();
  return it == row.item->in.end() || it->second->labels.empty() ? row.id : it->second->canonical().text;
}

std::string column_label(const Cell& cell) {
  std::string out;
  for (const std::string& p : cell.column_path) out += (out.empty() ? "" : " / ") + p;
  return out;
}

std::string block_name(const tables::UnionTable& table, const tables::UnionBlock& block, const std::string& format) {
  for (size_t i : block.items) {
    const tables::UnionItem& item = table.items[i];
    auto it = item.in.find(format);
    if (it == item.in.end()) it = item.in.begin();
    if (it != item.in.end() && !it->second->labels.empty() && !it->second->canonical().text.empty())
      return it->second->canonical().text;
  }
  return table.name;
}

void add_fact(Evidence& evidence, std::string name, std::string value) {
  evidence.facts.emplace_back(std::move(name), std::move(value));
}

std::string format_value(const std::optional<double>& value) {
  if (!value) return "∅";
  return numbers::text(*value);
}

EvidenceTerm term_of(const std::string& table, const tables::RowResult& row, const Cell& cell, const std::string& side) {
  EvidenceTerm t;
  t.side = side;
  t.cell = table + "/" + row.id + "/" + cell.column;
  t.label = row_label(row) + " | " + column_label(cell);
  t.value = cell.value;
  t.raw = cell.raw;
  t.status = cell.status;
  t.location = cell.location;
  return t;
}

}  // namespace xxgk::checks
