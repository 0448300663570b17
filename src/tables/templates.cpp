#include "tables/templates.hpp"

#include <algorithm>

namespace xxgk::tables {
namespace {

// Merges `ids` into `order`, keeping both orders: an id not yet present goes after its predecessor.
void merge_order(std::vector<std::string>& order, const std::vector<std::string>& ids) {
  long cursor = -1;
  for (const std::string& id : ids) {
    auto it = std::find(order.begin(), order.end(), id);
    if (it != order.end()) {
      cursor = it - order.begin();
    } else {
      order.insert(order.begin() + (cursor + 1), id);
      ++cursor;
    }
  }
}

void add_label(std::vector<LabelUse>& uses, const grammar::Label& label, const std::string& format) {
  for (LabelUse& use : uses) {
    if (use.label->key == label.key) {
      use.formats.emplace(format, label.kind);
      return;
    }
  }
  LabelUse use;
  use.label = &label;
  use.formats.emplace(format, label.kind);
  uses.push_back(use);
}

void add_header(std::vector<HeaderUse>& uses, const grammar::Label& label, const std::string& format) {
  for (HeaderUse& use : uses) {
    if (use.label->key == label.key) {
      use.formats.emplace(format, label.kind);
      return;
    }
  }
  uses.push_back(HeaderUse{&label, {{format, label.kind}}});
}

}  // namespace

grammar::ItemKind UnionItem::kind_in(const std::string& format) const {
  auto it = in.find(format);
  return it == in.end() ? grammar::ItemKind::row : it->second->kind;
}

const UnionItem* UnionTable::item(const std::string& item_id) const {
  for (const UnionItem& i : items)
    if (i.id == item_id) return &i;
  return nullptr;
}

Templates build_templates(const grammar::GrammarSet& grammars) {
  Templates templates;
  std::vector<const grammar::Format*> newest_first;
  for (const grammar::Format& f : grammars.formats) newest_first.push_back(&f);
  std::reverse(newest_first.begin(), newest_first.end());
  for (const grammar::Format* f : newest_first) templates.formats.push_back(f->id);

  std::vector<std::pair<int, std::string>> table_ids;
  for (const grammar::Format* f : newest_first)
    for (const grammar::TableTemplate& t : f->tables)
      if (std::find(table_ids.begin(), table_ids.end(), std::make_pair(t.part, t.id)) == table_ids.end())
        table_ids.emplace_back(t.part, t.id);
  std::sort(table_ids.begin(), table_ids.end());

  for (const auto& [part, table_id] : table_ids) {
    UnionTable table;
    table.id = table_id;
    table.part = part;
    std::vector<std::string> block_order;
    std::map<std::string, std::vector<std::string>> item_order;  // block → item ids
    for (const grammar::Format* f : newest_first) {
      const grammar::TableTemplate* t = f->table(table_id);
      if (!t) continue;
      table.in[f->id] = t;
      if (table.name.empty()) table.name = t->name;
      std::vector<std::string> blocks;
      for (const grammar::Block& b : t->blocks) {
        blocks.push_back(b.id);
        std::vector<std::string> items;
        for (const grammar::Item& i : b.items) items.push_back(i.id);
        merge_order(item_order[b.id], items);
      }
      merge_order(block_order, blocks);
    }
    for (const std::string& block_id : block_order) {
      UnionBlock block;
      block.id = block_id;
      for (const std::string& item_id : item_order[block_id]) {
        UnionItem item;
        item.id = item_id;
        item.block = block_id;
        for (const grammar::Format* f : newest_first) {
          const grammar::TableTemplate* t = f->table(table_id);
          if (!t) continue;
          for (const grammar::Block& b : t->blocks) {
            if (b.id != block_id) continue;
            for (const grammar::Item& i : b.items) {
              if (i.id != item_id) continue;
              item.in[f->id] = &i;
              for (const grammar::Label& l : i.labels)
                if (!l.key.empty()) add_label(item.labels, l, f->id);
            }
          }
        }
        block.items.push_back(table.items.size());
        table.items.push_back(std::move(item));
      }
      for (const grammar::Format* f : newest_first) {
        const grammar::TableTemplate* t = f->table(table_id);
        if (!t) continue;
        for (const grammar::Block& b : t->blocks) {
          if (b.id != block_id) continue;
          block.in[f->id] = &b;
          for (const grammar::Label& l : b.headers) add_header(block.headers, l, f->id);
          for (const grammar::Column& c : t->columns_of(b))
            for (const grammar::Label& l : c.headers) add_header(block.headers, l, f->id);
          if (&b == &t->blocks.front())
            for (const grammar::Label& l : t->headers) add_header(block.headers, l, f->id);
        }
      }
      for (const auto& [format, b] : block.in)
        for (const grammar::Column& c : table.in[format]->columns_of(*b)) block.columns[format].push_back(&c);
      for (size_t i : block.items) {
        UnionItem& item = table.items[i];
        for (const auto& [format, it] : item.in)
          item.value_count[format] = it->kind == grammar::ItemKind::row ? block.columns[format].size() : 0;
        for (const auto& [format, n] : item.value_count) item.counts_differ |= n != item.value_count.begin()->second;
      }
      table.blocks.push_back(std::move(block));
    }
    templates.tables.push_back(std::move(table));
  }
  return templates;
}

}  // namespace xxgk::tables
