// Rules as units: each registered id has its one description in grammars/rules.xml and its page in docs/rules/,
// fires on its example and stays quiet on the clean base report.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <stdexcept>

#include "checks/examples.hpp"
#include "checks/registry.hpp"
#include "grammar/grammar.hpp"
#include "support.hpp"

using namespace xxgk;

TEST_CASE("rules.registry.one_source") {
  const auto& docs = grammar::embedded_rule_docs();
  std::set<std::string> registered;
  for (const checks::Rule& rule : checks::registry().rules()) {
    INFO(rule.id);
    CHECK(registered.insert(rule.id).second);  // registered once
    const RuleInfo* info = docs.find(rule.id);
    REQUIRE(info);  // every registered id is described
    CHECK_FALSE(info->summary.empty());
    CHECK_FALSE(info->purpose.empty());
    CHECK_FALSE(info->basis.empty());
    CHECK_FALSE(docs.example_of(rule.id).empty());
    CHECK(std::filesystem::exists(std::string(XXGK_SOURCE_DIR) + "/docs/rules/" + rule.id + ".md"));
  }
  for (const auto& [id, info] : docs.rules) {
    INFO(id);
    CHECK(registered.count(id));  // every description has a rule
  }
  for (const auto& entry : std::filesystem::directory_iterator(std::string(XXGK_SOURCE_DIR) + "/docs/rules")) {
    INFO(entry.path().string());
    CHECK(registered.count(entry.path().stem().string()));  // every page has a rule
  }
  CHECK(rules().size() == registered.size());
}

TEST_CASE("rules.registry.fire_on_example_quiet_on_clean_report") {
  std::string error;
  Options options;
  options.year_facts = true;  // the cross-year examples compare two reports
  options.language = "en";
  auto checker = Checker::create(options, &error);
  REQUIRE(checker);
  const CheckResult clean = checker->check(grammar::embedded_rule_docs().base, {"base.txt", {}});
  for (const RuleInfo& rule : rules()) {
    INFO(rule.id);
    const RuleExample example = run_rule_example(*checker, rule);
    REQUIRE(example.finding);
    CHECK(example.finding->message.find('{') == std::string::npos);
    CHECK(xxgk::test::count(clean, rule.id) == 0);
  }
  CHECK(clean.findings.empty());
}

TEST_CASE("rules.registry.unknown_ids_fail") {
  // A relation that names a rule rules.xml does not describe stops the grammar from loading.
  auto files = grammar::embedded_grammars();
  auto& format = files.at("format-2021.xml");
  const size_t at = format.find("rule=\"total.balance\"");
  REQUIRE(at != std::string::npos);
  format.replace(at, std::string("rule=\"total.balance\"").size(), "rule=\"total.balanse\"");
  std::string error;
  CHECK_FALSE(grammar::GrammarSet::load(files, &error));
  CHECK(error.find("total.balanse") != std::string::npos);

  // A finding under an id no rule has is a programming error, never a finding of severity "error".
  auto grammars = grammar::GrammarSet::load(grammar::embedded_grammars(), &error);
  REQUIRE(grammars);
  Document doc;
  Options options;
  sections::Meta meta;
  sections::SectionTree sections;
  tables::TablesResult tables;
  ReportInfo report;
  classify::Classification classification;
  std::vector<Finding> findings;
  checks::CheckContext ctx{doc, *grammars, options, meta, sections, tables, report, classification, nullptr, findings};
  CHECK_THROWS_AS(ctx.add("total.balanse", FindingStatus::fail, "x", {}, "k"), std::logic_error);
  CHECK_NOTHROW(ctx.add("total.balance", FindingStatus::fail, "x", {}, "k"));
  CHECK(findings.size() == 1);
}
