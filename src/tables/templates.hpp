// tables/templates.hpp — one template per table that unites every format revision.
//
// Items and blocks of all formats are merged by id into one reading order, each label remembering the
// formats (and the kind of wording) it belongs to. Aligning a report against the union, then choosing a
// format per block, recognises a block that follows another revision (format.version-mismatch) with the
// values still landing in the right cells. Built once per Checker.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "grammar/grammar.hpp"

namespace xxgk::tables {

//! A label in the union and where it comes from.
struct LabelUse {
  const grammar::Label* label = nullptr;  //!< one representative (text, key, ordinal, core)
  std::map<std::string, grammar::LabelKind> formats;  //!< format id → kind of wording there
};

struct UnionItem {
  std::string id;
  std::string block;
  std::map<std::string, const grammar::Item*> in;  //!< format id → item
  std::map<std::string, size_t> value_count;        //!< format id → values it takes there (0 for groups)
  bool counts_differ = false;                       //!< the formats disagree on value_count
  std::vector<LabelUse> labels;
  bool labeled() const { return !labels.empty(); }
  grammar::ItemKind kind_in(const std::string& format) const;
};

struct HeaderUse {
  const grammar::Label* label = nullptr;
  std::map<std::string, grammar::LabelKind> formats;
};

struct UnionBlock {
  std::string id;
  std::map<std::string, const grammar::Block*> in;  //!< format id → block
  std::vector<size_t> items;                         //!< indices into UnionTable::items
  std::vector<HeaderUse> headers;                    //!< block, column and (first block) table headers
  std::map<std::string, std::vector<const grammar::Column*>> columns;  //!< format id → columns of its rows
};

struct UnionTable {
  std::string id;
  int part = 0;
  std::string name;
  std::map<std::string, const grammar::TableTemplate*> in;  //!< format id → table
  std::vector<UnionItem> items;                              //!< reading order
  std::vector<UnionBlock> blocks;
  const UnionItem* item(const std::string& id) const;
};

struct Templates {
  std::vector<UnionTable> tables;  //!< by part
  std::vector<std::string> formats;  //!< newest first
};

Templates build_templates(const grammar::GrammarSet& grammars);

}  // namespace xxgk::tables
