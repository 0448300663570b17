// tables/table_builder.hpp — stage 4: the statistical tables of parts 2–4, rebuilt from the text.
//
// For each table: align the union template's labels inside the part's region, choose per block the format
// revision its headers, labels and value counts follow, read each row's values and cut digit runs where the
// row has too few. Nothing is guessed: a row whose values cannot be placed keeps its raw text and its cells
// are uncertain, with the candidate readings as evidence.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grammar/grammar.hpp"
#include "document/document.hpp"
#include "sections/parts.hpp"
#include "tables/grid_reader.hpp"
#include "tables/label_matcher.hpp"
#include "tables/templates.hpp"
#include "tables/value_reader.hpp"

namespace xxgk::tables {

struct RowResult {
  std::string id;
  const UnionItem* item = nullptr;
  std::string block;
  std::string format;            //!< format whose columns the cells follow
  bool found = false;
  bool in_expected = false;      //!< the expected format has this row in this block
  bool in_block_format = false;  //!< the block's chosen format has this item as a row
  bool subtotal = false;         //!< a group label that carries numbers
  const LabelUse* matched = nullptr;
  bool with_ordinal = false;
  std::string label_written;
  bool label_tail = false;  //!< the label was written with a tail after its wording (counts as a variant)
  bool label_misprint = false;  //!< the label was found by edit distance and differs as the report wrote it
  Location location;
  size_t label_begin = 0, label_end = 0;  //!< compact
  ValueRun run;
  std::vector<Cell> cells;
  std::vector<std::string> inferred_by;  //!< signatures of relations that chose a digit reading
  std::vector<std::string> candidates;   //!< readings of an ambiguous digit run (at most ten, for display)
  //! Every reading of an ambiguous or arithmetic-chosen digit run, one value per cell (empty when too many):
  //! a claim that no reading supports contradicts the table whatever the reading.
  std::vector<std::vector<double>> readings;
  Phrase doubt;                 //!< why the cells are uncertain
  std::optional<GridRow> grid;           //!< HTML: the table grid row the values were read from
  bool by_headers = false;               //!< HTML: cells placed by the headers above them (else in grid order)
};

struct HeaderFound {
  const HeaderUse* use = nullptr;
  std::string written;
  Location location;
};

struct BlockResult {
  std::string id;
  std::string format;    //!< chosen
  std::string expected;  //!< format the report must follow, when it has this block
  bool found = false;
  bool distinctive = false;  //!< what was found tells the formats apart (else the block is the same in all)
  std::vector<HeaderFound> headers;
  std::map<std::string, int> evidence;  //!< format id → score
  Location location;
};

struct TableResult {
  const UnionTable* table = nullptr;
  bool found = false;
  bool truncated = false;  //!< the document ends inside this table
  bool scrambled = false;  //!< the text of the table is out of order (values cannot all be placed)
  Phrase scramble_reason;
  double confidence = 0;
  size_t region_begin = 0, region_end = 0;  //!< compact
  size_t begin = 0, end = 0;                //!< compact span of what was read
  Location location;
  std::vector<BlockResult> blocks;
  std::vector<RowResult> rows;
  std::vector<std::string> extra_columns;  //!< HTML: headers of columns the format does not have, with numbers
  //! Text rows the format does not have (小计, 合计…): a short label no template knows, followed by numbers,
  //! between the rows that were read. Kept so that their numbers are not silently dropped.
  struct StrayRow {
    std::string label, values;
    Location location;
    std::vector<size_t> value_offsets;  //!< match offsets of its values
  };
  std::vector<StrayRow> stray_rows;

  const RowResult* row(const std::string& id) const;
  const BlockResult* block(const std::string& id) const;
  //! Cell of `row`/`column`, or nullptr.
  const Cell* cell(const std::string& row, const std::string& column) const;
};

struct TablesResult {
  std::vector<TableResult> tables;
  std::optional<Table> indicators;  //!< a statistics table of the years before 2019 (indicator_reader.hpp)
  const TableResult* table(const std::string& id) const;
};

class TableBuilder {
 public:
  explicit TableBuilder(const grammar::GrammarSet& grammars);
  //! `expected`: the format the report must follow (nullptr: the newest).
  TablesResult build(const Document& doc, const sections::SectionTree& sections, const grammar::Format* expected) const;
  const Templates& templates() const { return templates_; }

 private:
  const grammar::GrammarSet& grammars_;
  Templates templates_;
  std::vector<std::unique_ptr<LabelMatcher>> matchers_;  //!< one per union table
};

}  // namespace xxgk::tables
