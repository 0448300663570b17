// The seed report (corpus/real/000_9d21c7fc33edb949.txt) and what the core issue says it must yield.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace xxgk;
using xxgk::test::count;
using xxgk::test::value;

TEST_CASE("seed.report") {
  auto r = xxgk::test::check(xxgk::test::corpus("000_9d21c7fc33edb949.txt"));
  REQUIRE_FALSE(r.error);
  CHECK(r.report.year == 2025);
  CHECK(r.report.format == "2021");
  CHECK(r.report.tables_format == "mixed");
  CHECK(r.report.kind == "township");

  // All six parts.
  REQUIRE(r.sections.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(r.sections[static_cast<size_t>(i)].number == i + 1);
  CHECK(count(r, "section.missing") == 0);

  // 第二十条第（一）项 has the 2019 headers 本年新制作数量…
  const Finding* mismatch = xxgk::test::find(r, "format.version-mismatch");
  REQUIRE(mismatch);
  CHECK(mismatch->message.find("第二十条第（一）项") != std::string::npos);
  // Its headers and the 2019 label 规范性文件 are that block's version, said once: in the finding's evidence.
  CHECK(count(r, "table.header-variant") == 0);
  CHECK(count(r, "table.label-variant") == 0);
  auto fact = [](const Finding& f, const std::string& name) {
    for (const auto& [n, v] : f.evidence.facts)
      if (n == name) return v;
    return std::string();
  };
  CHECK(fact(*mismatch, "headers found").find("本年新制作数量") != std::string::npos);
  CHECK(fact(*mismatch, "labels of format 2019") == "规范性文件 → 行政规范性文件");

  // （六）其他处理 is the 2019 single row: one version mismatch; the three 2021 sub-rows it lacks are its evidence.
  CHECK(count(r, "format.version-mismatch") == 2);
  CHECK(count(r, "table.row-missing") == 0);
  for (const Finding& f : r.findings)
    if (f.rule == "format.version-mismatch" && f.message.find("（六）其他处理") != std::string::npos)
      CHECK(fact(f, "rows of format 2021 not found").find("3.其他") != std::string::npos);

  CHECK(count(r, "text.garbled-date") == 1);
  CHECK(count(r, "text.unbalanced-bracket") == 1);
  for (const Finding& f : r.findings) CHECK(f.rule.rfind("total.", 0) != 0);

  // Part 2 values in the right cells.
  CHECK(value(r, "p2", "licensing", "decisions") == 305);
  CHECK(value(r, "p2", "penalties", "decisions") == 236);
  CHECK(value(r, "p2", "normative", "total-published") == 2);
  const Cell* licensing = xxgk::test::cell(r, "p2", "licensing", "decisions");
  CHECK(licensing->location.line == 65);
  CHECK(licensing->status == CellStatus::ok);
}
