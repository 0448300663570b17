// tables/indicator_reader.hpp — the statistics tables of reports before 2019.
//
// 指标名称 / 计量单位 / 2011年度 / 历年累计, then one row per indicator: `主动公开信息数 条 425 1516`. Crawled pages often
// run the cells together (`主动公开信息数条20263542其中：1.网站公开条179533042.政府公报公开…`): a run is cut into the
// table's columns, the ordinal of the next part (`2.`) taken off its end, and where a run has several readings only
// those that keep the table's own arithmetic (parts within their total, a year within 历年累计) are kept; a cell
// that still has two readings is `uncertain`, never guessed. The vocabulary is grammars/indicators-pre2019.xml.
#pragma once

#include <optional>

#include "document/document.hpp"
#include "grammar/grammar.hpp"
#include "xxgk/xxgk.hpp"

namespace xxgk::tables {

//! The id of the table read here, in results, cell keys and cross-year facts.
inline constexpr std::string_view kIndicatorTable = "indicators";

//! The first indicator table of the document, or nothing when it has none. Rows are the indicators found, in the
//! grammar's order; cells are the table's value columns (the year's, and 历年累计 when the table has it).
std::optional<Table> read_indicators(const Document& doc, const grammar::IndicatorTable& grammar,
                                     const TokenVocabulary& vocabulary);

}  // namespace xxgk::tables
