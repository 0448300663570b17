#include "grammar/grammar.hpp"

#include <pugixml.hpp>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "util/utf8.hpp"

namespace xxgk::grammar {
namespace {

// Loading stops at the first problem; the message names the file and element.
struct LoadContext {
  const Normalizer& normalizer;
  std::string file;
  std::string error;
  const Regex* label_ordinal = nullptr;
  std::vector<PatternSource>* compiled = nullptr;  //!< every pattern compiled, when kept

  bool failed() const { return !error.empty(); }
  void fail(const std::string& message) {
    if (error.empty()) error = file + ": " + message;
  }

  std::optional<Regex> compile(std::string_view pattern, const std::string& where, bool anchored = false) {
    std::string message;
    auto regex = Regex::compile(pattern, &message, anchored);
    if (!regex) fail(where + ": " + message);
    if (regex && compiled) compiled->push_back(PatternSource{file + ": " + where, std::string(pattern), anchored});
    return regex;
  }

  std::string key_of(std::string_view text) const {
    std::string normal = normalizer.normalize_label(text);
    std::string key;
    for (char c : normal)
      if (!Normalizer::is_layout(c)) key.push_back(c);
    return key;
  }

  Label label(std::string_view text, LabelKind kind) const {
    Label l;
    l.text = std::string(text);
    l.key = key_of(text);
    l.kind = kind;
    l.core = l.key;
    Regex::Match m;
    if (label_ordinal && !l.key.empty() && label_ordinal->search(l.key, 0, m) && m.begin == 0 && m.end < l.key.size()) {
      l.ordinal = l.key.substr(0, m.end);
      l.core = l.key.substr(m.end);
    }
    return l;
  }
};

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

// Text of an element without its child elements (pugixml keeps them as separate nodes).
std::string own_text(const pugi::xml_node& node) {
  std::string text;
  for (pugi::xml_node child : node.children())
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
  return trim(text);
}

void add_alternates(LoadContext& ctx, const pugi::xml_node& node, std::vector<Label>& labels) {
  for (pugi::xml_node child : node.children()) {
    std::string name = child.name();
    LabelKind kind;
    if (name == "variant") kind = LabelKind::variant;
    else if (name == "short") kind = LabelKind::short_form;
    else if (name == "fragment") kind = LabelKind::fragment;
    else continue;
    labels.push_back(ctx.label(own_text(child), kind));
  }
}

std::vector<Column> load_columns(LoadContext& ctx, const pugi::xml_node& parent) {
  std::vector<Column> columns;
  for (pugi::xml_node node : parent.children("column")) {
    Column column;
    column.id = node.attribute("id").as_string();
    std::string header = node.attribute("header").as_string();
    if (column.id.empty() || header.empty()) ctx.fail("a <column> needs id and header");
    column.headers.push_back(ctx.label(header, LabelKind::canonical));
    add_alternates(ctx, node, column.headers);
    std::string path = node.attribute("path").as_string();
    if (path.empty()) {
      column.path.push_back(header);
    } else {
      size_t start = 0;
      while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        column.path.push_back(path.substr(start, slash - start));
        start = slash + 1;
      }
    }
    column.amount = std::string(node.attribute("type").as_string()) == "amount";
    column.is_signed = node.attribute("signed").as_bool();
    column.max_digits = std::clamp(node.attribute("max-digits").as_uint(12), 1u, 15u);
    column.unit = ctx.normalizer.normalize_label(node.attribute("unit").as_string());
    columns.push_back(std::move(column));
  }
  return columns;
}

std::vector<Label> load_headers(LoadContext& ctx, const pugi::xml_node& parent) {
  std::vector<Label> headers;
  for (pugi::xml_node node : parent.children("header")) {
    std::vector<Label> group{ctx.label(own_text(node), LabelKind::canonical)};
    add_alternates(ctx, node, group);
    headers.insert(headers.end(), group.begin(), group.end());
  }
  return headers;
}

TableTemplate load_table(LoadContext& ctx, const pugi::xml_node& node) {
  TableTemplate table;
  table.id = node.attribute("id").as_string();
  table.part = node.attribute("part").as_int();
  table.name = node.attribute("name").as_string();
  if (table.id.empty() || table.part < 2 || table.part > 4) ctx.fail("<table> needs an id and a part 2–4");
  table.headers = load_headers(ctx, node);
  table.columns = load_columns(ctx, node);
  std::set<std::string> item_ids;
  for (pugi::xml_node block_node : node.children("block")) {
    Block block;
    block.id = block_node.attribute("id").as_string();
    block.headers = load_headers(ctx, block_node);
    block.columns = load_columns(ctx, block_node);
    for (pugi::xml_node child : block_node.children()) {
      std::string name = child.name();
      Item item;
      if (name == "caption") {
        item.kind = ItemKind::caption;
        item.id = block.id + ".caption";
        item.labels.push_back(ctx.label(own_text(child), LabelKind::canonical));
      } else if (name == "row" || name == "group") {
        item.kind = name == "row" ? ItemKind::row : ItemKind::group;
        item.id = child.attribute("id").as_string();
        item.labels.push_back(ctx.label(child.attribute("label").as_string(), LabelKind::canonical));
      } else {
        continue;
      }
      add_alternates(ctx, child, item.labels);
      if (item.id.empty()) ctx.fail("a <row>/<group> needs an id");
      if (!item_ids.insert(item.id).second) ctx.fail("duplicate item id '" + item.id + "' in table " + table.id);
      block.items.push_back(std::move(item));
    }
    if (table.columns_of(block).empty()) ctx.fail("block '" + block.id + "' of table " + table.id + " has no columns");
    table.blocks.push_back(std::move(block));
  }
  std::set<std::string> rows, columns;
  for (const Block& block : table.blocks) {
    for (const Item& item : block.items)
      if (item.kind == ItemKind::row) rows.insert(item.id);
    for (const Column& column : table.columns_of(block)) columns.insert(column.id);
  }
  for (pugi::xml_node rel : node.child("relations").children()) {
    std::string name = rel.name();
    if (name != "sum" && name != "equation") continue;
    Relation relation;
    relation.rule = rel.attribute("rule").as_string();
    relation.axis = std::string(rel.attribute("axis").as_string()) == "column" ? Relation::Axis::column
                                                                             : Relation::Axis::row;
    if (name == "sum") {
      relation.left = {rel.attribute("total").as_string()};
      relation.right = split_words(rel.attribute("addends").as_string());
    } else {
      relation.is_sum = false;
      relation.left = split_words(rel.attribute("left").as_string());
      relation.right = split_words(rel.attribute("right").as_string());
    }
    const std::set<std::string>& known = relation.axis == Relation::Axis::row ? columns : rows;
    for (const auto* side : {&relation.left, &relation.right})
      for (const std::string& id : *side)
        if (!known.count(id)) ctx.fail("relation " + relation.rule + " of table " + table.id + " names unknown '" + id + "'");
    if (relation.rule.empty() || relation.left.empty() || relation.right.empty())
      ctx.fail("a relation needs rule, total/left and addends/right");
    relation.signature = Relation::make_signature(relation);
    table.relations.push_back(std::move(relation));
  }
  return table;
}

std::vector<Part> load_parts(LoadContext& ctx, const pugi::xml_node& node) {
  std::vector<Part> parts;
  for (pugi::xml_node part_node : node.children("part")) {
    Part part;
    part.number = part_node.attribute("number").as_int();
    part.id = part_node.attribute("id").as_string();
    part.heading = part_node.attribute("heading").as_string();
    for (pugi::xml_node title : part_node.children("title")) {
      std::string pattern = own_text(title);
      std::string where = "part " + part.id + " title";
      // Up to 12 extra characters may stand between the number and the title ("二、2025年主动公开…").
      auto anchored = ctx.compile("(?'gap'[^。,;:!?、\\[\\]()《》\"]{0,12}?)(?:" + pattern + ")", where, true);
      auto line = ctx.compile("(?:" + pattern + ")\\s*$", where, true);
      if (!anchored || !line) continue;
      part.titles.push_back(PartTitle{std::move(*anchored), std::move(*line),
                                      std::string(title.attribute("kind").as_string()) != "variant"});
    }
    for (pugi::xml_node sub : part_node.children("subtopic")) {
      auto pattern = ctx.compile("(?:" + own_text(sub) + ")", "subtopic", true);
      if (pattern) part.subtopics.push_back(Subtopic{sub.attribute("id").as_string(), std::move(*pattern)});
    }
    if (part.titles.empty()) ctx.fail("part " + part.id + " has no title");
    parts.push_back(std::move(part));
  }
  return parts;
}

std::vector<CellSum> parse_cell_sums(LoadContext& ctx, std::string_view spec, std::string& table) {
  std::vector<CellSum> sums;
  std::string s(spec);
  if (s.empty()) return sums;
  size_t colon = s.find(':');
  if (colon != std::string::npos) {
    table = s.substr(0, colon);
    s = s.substr(colon + 1);
  }
  size_t start = 0;
  while (start <= s.size()) {
    size_t bar = s.find('|', start);
    if (bar == std::string::npos) bar = s.size();
    std::string alternative = s.substr(start, bar - start);
    CellSum sum;
    size_t p = 0;
    while (p <= alternative.size()) {
      size_t plus = alternative.find('+', p);
      if (plus == std::string::npos) plus = alternative.size();
      std::string ref = alternative.substr(p, plus - p);
      size_t slash = ref.find('/');
      if (slash == std::string::npos) {
        ctx.fail("cell reference '" + ref + "' must be row/column");
        return sums;
      }
      sum.cells.push_back(CellRef{ref.substr(0, slash), ref.substr(slash + 1)});
      p = plus + 1;
    }
    sums.push_back(std::move(sum));
    start = bar + 1;
  }
  return sums;
}

void load_sum_statements(LoadContext& ctx, const pugi::xml_node& node, SumStatements& out) {
  if (!node) return;
  out.loaded = true;
  auto normalized_words = [&](const char* attribute) {
    std::vector<std::string> words;
    for (const std::string& w : split_words(node.attribute(attribute).as_string()))
      words.push_back(ctx.normalizer.normalize_label(w));
    return words;
  };
  out.units = normalized_words("units");
  std::stable_sort(out.units.begin(), out.units.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  out.separators = normalized_words("separators");
  out.sentence_ends = normalized_words("sentence-ends");
  const std::string numerals = node.attribute("numerals").as_string();
  for (size_t pos = 0; pos < numerals.size();) out.numerals.push_back(utf8::next(numerals, pos));
  out.max_words = node.attribute("max-words").as_uint(32);
  out.max_parts = node.attribute("max-parts").as_uint(40);
  auto pattern = [&](const char* name, bool anchored = true) -> std::optional<Regex> {
    if (!node.child(name)) {
      ctx.fail(std::string("<sum-statements> needs <") + name + ">");
      return std::nullopt;
    }
    return ctx.compile(own_text(node.child(name)), std::string("sum-statements ") + name, anchored);
  };
  out.lead = pattern("lead");
  out.enumerator = pattern("enumerator");
  out.enumerator_anywhere = pattern("enumerator", false);
  out.connector = pattern("connector");
  out.stop = pattern("stop");
  out.partial_end = pattern("partial-end");
  out.note = pattern("note");
  out.approximate = pattern("approximate");
  out.catch_all = pattern("catch-all", false);
  if (out.enumerator && out.enumerator->group("some") < 0) ctx.fail("sum-statements enumerator needs a group some");
  if (out.units.empty() || out.separators.empty() || out.sentence_ends.empty())
    ctx.fail("<sum-statements> needs units, separators and sentence-ends");
  for (pugi::xml_node p : node.children("partition")) {
    SumStatements::Partition partition;
    partition.of = ctx.compile(p.attribute("of").as_string(), "partition of");
    partition.exhausts = ctx.compile(p.attribute("exhausts").as_string(), "partition exhausts");
    for (pugi::xml_node k : p.children("kind")) {
      auto kind = ctx.compile(own_text(k), "partition kind");
      if (!kind) continue;
      partition.kind_text.push_back(own_text(k));
      partition.kinds.push_back(std::move(*kind));
    }
    if (partition.kinds.size() < 2) ctx.fail("a <partition> needs two kinds or more");
    out.partitions.push_back(std::move(partition));
  }
}

void load_common(LoadContext& ctx, const pugi::xml_node& root, Common& common) {
  pugi::xml_node markers = root.child("traditional-markers");
  {
    std::string text = own_text(markers);
    for (size_t pos = 0; pos < text.size();) common.normalizer.traditional_markers.push_back(utf8::next(text, pos));
    common.normalizer.traditional_min_share = markers.attribute("min-share").as_double(0.02);
    common.normalizer.traditional_min_count = markers.attribute("min-count").as_uint(8);
    common.normalizer.gloss_min_count = root.child("pinyin-glosses").attribute("min-count").as_uint(3);
    auto& pairs = common.normalizer.traditional_to_simplified;
    for (const std::string& pair : split_words(own_text(root.child("traditional-simplified")))) {
      size_t pos = 0;
      const char32_t traditional = utf8::next(pair, pos);
      const char32_t simplified = pos < pair.size() ? utf8::next(pair, pos) : 0;
      if (pos != pair.size() || simplified == 0 || simplified == traditional) {
        ctx.fail("<traditional-simplified>: '" + pair + "' is not a character and its simplified form");
        break;
      }
      pairs.emplace_back(traditional, simplified);
    }
    // WHY: without the table a page judged traditional would be read unconverted (a custom grammar's omission).
    if (pairs.empty() && !common.normalizer.traditional_markers.empty())
      ctx.fail("<traditional-markers> needs <traditional-simplified>: pages judged traditional could not be converted");
    std::sort(pairs.begin(), pairs.end());
    for (size_t i = 1; i < pairs.size(); ++i)
      if (pairs[i].first == pairs[i - 1].first) ctx.fail("<traditional-simplified>: a character is listed twice");
  }
  auto words = [&](const char* name) {
    std::vector<std::string> out;
    for (const std::string& w : split_words(own_text(root.child(name)))) out.push_back(ctx.normalizer.normalize_label(w));
    std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return out;
  };
  if (root.child("furniture")) common.furniture = ctx.compile(own_text(root.child("furniture")), "furniture");
  if (root.child("page-chrome")) common.page_chrome = ctx.compile(own_text(root.child("page-chrome")), "page-chrome");
  if (root.child("placeholder-headers"))
    common.placeholder_headers = ctx.compile(own_text(root.child("placeholder-headers")), "placeholder-headers");
  common.vocabulary.units = words("units");
  common.vocabulary.placeholders = words("placeholders");
  common.vocabulary.index();

  common.label_ordinal = ctx.compile(own_text(root.child("label-ordinal")), "label-ordinal", true);
  ctx.label_ordinal = common.label_ordinal ? &*common.label_ordinal : nullptr;
  pugi::xml_node heading = root.child("heading-number");
  common.heading_number = ctx.compile(own_text(heading), "heading-number");
  for (const std::string& mark : split_words(heading.attribute("marks").as_string()))
    common.heading_marks.push_back(ctx.normalizer.normalize_label(mark));
  common.heading_reach = heading.attribute("reach").as_uint(4);
  {
    std::string digits = ctx.normalizer.normalize_label(heading.attribute("digits").as_string());
    for (size_t pos = 0; pos < digits.size();) common.heading_digits.push_back(utf8::next(digits, pos));
  }
  if (common.heading_marks.empty()) ctx.fail("<heading-number> needs marks");
  common.parts = load_parts(ctx, root.child("parts"));

  pugi::xml_node header = root.child("crawler-header");
  common.crawler_header.max_lines = header.attribute("max-lines").as_uint(24);
  common.crawler_header.separator = ctx.compile(header.attribute("separator").as_string(), "crawler-header separator");
  common.crawler_header.field = ctx.compile(header.attribute("field").as_string(), "crawler-header field");
  for (pugi::xml_node key : header.children("key"))
    common.crawler_header.keys[ctx.normalizer.normalize_label(key.attribute("name").as_string())] =
        key.attribute("field").as_string();

  pugi::xml_node title = root.child("title");
  common.title = ctx.compile(own_text(title), "title");
  common.title_search_chars = title.attribute("search-chars").as_uint(1500);
  pugi::xml_node published = root.child("published");
  common.published = ctx.compile(own_text(published), "published");
  common.published_search_chars = published.attribute("search-chars").as_uint(3000);
  for (pugi::xml_node period : root.children("period")) {
    if (auto re = ctx.compile(own_text(period), "period")) common.periods.push_back(std::move(*re));
    common.period_search_chars = period.attribute("search-chars").as_uint(4000);
  }
  pugi::xml_node signed_node = root.child("signed");
  common.signed_date = ctx.compile(own_text(signed_node), "signed");
  common.signed_tail_chars = signed_node.attribute("tail-chars").as_uint(400);
  common.signed_after_chars = signed_node.attribute("after-chars").as_uint(60);
  if (root.child("agency-trim")) common.agency_trim = ctx.compile(own_text(root.child("agency-trim")), "agency-trim");

  auto kinds = [&](const pugi::xml_node& parent, std::vector<AgencyKind>& out) {
    for (pugi::xml_node kind : parent.children("kind"))
      if (auto re = ctx.compile(own_text(kind), parent.name()))
        out.push_back(AgencyKind{kind.attribute("id").as_string(), kind.attribute("level").as_string(),
                                 kind.attribute("admin").as_string(), std::move(*re)});
  };
  kinds(root.child("agency-kinds"), common.agency_kinds);
  kinds(root.child("self-reference"), common.self_reference);
  common.self_reference_chars = root.child("self-reference").attribute("search-chars").as_uint(3000);
  if (pugi::xml_node opening = root.child("overview-opening")) {
    common.overview_opening = ctx.compile(own_text(opening), "overview-opening");
    common.overview_opening_chars = opening.attribute("search-chars").as_uint(3000);
  }
  for (pugi::xml_node level : root.child("admin-levels").children("level")) {
    if (auto re = ctx.compile(own_text(level), "admin level"))
      common.admin_levels.push_back(AdminLevel{level.attribute("name").as_string(), std::move(*re)});
  }
  for (pugi::xml_node d : root.child("deadlines").children("deadline")) {
    Deadline deadline;
    deadline.kinds = split_words(d.attribute("kinds").as_string());
    deadline.from_year = d.attribute("from-year").as_int(0);
    deadline.to_year = d.attribute("to-year").as_int(9999);
    deadline.month = d.attribute("month").as_int();
    deadline.day = d.attribute("day").as_int();
    deadline.configurable = d.attribute("configurable").as_string();
    deadline.basis = d.attribute("basis").as_string();
    if (deadline.month < 1 || deadline.month > 12 || deadline.day < 1 || deadline.day > 31) ctx.fail("bad deadline date");
    common.deadlines.push_back(std::move(deadline));
  }
  common.garbled_date = ctx.compile(own_text(root.child("garbled-date")), "garbled-date");
  for (pugi::xml_node pair : root.child("brackets").children("pair")) {
    BracketPair b;
    b.open_written = pair.attribute("open").as_string();
    b.close_written = pair.attribute("close").as_string();
    b.open = ctx.normalizer.normalize_label(b.open_written);
    b.close = ctx.normalizer.normalize_label(b.close_written);
    const std::string written = pair.attribute("written").as_string();
    for (const std::string& couple : split_words(written)) {
      size_t pos = 0;
      if (couple.empty()) continue;
      utf8::next(couple, pos);
      if (pos >= couple.size()) ctx.fail("a written bracket pair needs two characters: " + couple);
      else b.written.emplace_back(couple.substr(0, pos), couple.substr(pos));
    }
    if (b.open.empty() || b.close.empty() || b.open == b.close) ctx.fail("a bracket pair needs distinct open and close");
    common.brackets.push_back(std::move(b));
  }
  if (root.child("markup-residue")) common.markup_residue = ctx.compile(own_text(root.child("markup-residue")), "markup-residue");
  common.report_title = ctx.compile(own_text(root.child("report-title")), "report-title");
  if (root.child("report-intro")) common.report_intro = ctx.compile(own_text(root.child("report-intro")), "report-intro");
  if (pugi::xml_node cy = root.child("crossyear")) {
    auto split_cell = [&](const std::string& ref, std::string& table, std::string& row) {
      size_t colon = ref.find(':'), slash = ref.find('/');
      if (colon == std::string::npos || slash == std::string::npos || ref.substr(slash + 1) != "*") {
        ctx.fail("crossyear: a cell is table:row/*, not '" + ref + "'");
        return;
      }
      table = ref.substr(0, colon);
      row = ref.substr(colon + 1, slash - colon - 1);
    };
    for (pugi::xml_node e : cy.children("equal")) {
      Common::CrossYear::Equal eq;
      eq.rule = e.attribute("rule").as_string();
      std::string previous_table;
      split_cell(e.attribute("current").as_string(), eq.table, eq.current_row);
      split_cell(e.attribute("previous").as_string(), previous_table, eq.previous_row);
      if (previous_table != eq.table) ctx.fail("crossyear: <equal> compares cells of one table");
      common.crossyear.equal.push_back(eq);
    }
    for (pugi::xml_node e : cy.children("stock")) {
      Common::CrossYear::Stock st;
      st.rule = e.attribute("rule").as_string();
      st.table = e.attribute("table").as_string();
      st.total = e.attribute("total").as_string();
      st.plus = e.attribute("plus").as_string();
      st.minus = e.attribute("minus").as_string();
      st.rows = split_words(e.attribute("rows").as_string());
      common.crossyear.stock.push_back(st);
    }
    if (pugi::xml_node c = cy.child("copied")) {
      common.crossyear.copied_rule = c.attribute("rule").as_string();
      common.crossyear.copied_min_share = c.attribute("min-share").as_double(0.6);
      common.crossyear.copied_min_chars = c.attribute("min-chars").as_uint(12);
      common.crossyear.copied_max_sentences = c.attribute("max-sentences").as_uint(400);
    }
  }
  if (pugi::xml_node triage = root.child("triage")) {
    // PERF: the traditional forms are data, not ICU's transliterator: building it is ~50 ms, most of a one-file
    // check's start.
    common.triage.words = split_words(own_text(triage));
    for (std::string& w : split_words(triage.attribute("traditional").as_string()))
      if (std::find(common.triage.words.begin(), common.triage.words.end(), w) == common.triage.words.end())
        common.triage.words.push_back(std::move(w));
    common.triage.min_words = triage.attribute("min-words").as_uint(3);
    common.triage.titled_min_words = triage.attribute("titled-min-words").as_uint(1);
    common.triage.opening_chars = triage.attribute("opening-chars").as_uint(600);
  }
  common.pre2019_markers = ctx.compile(own_text(root.child("pre2019-markers")), "pre2019-markers");
  {
    pugi::xml_node t = root.child("truncation");
    auto& out = common.truncation;
    std::string ends = ctx.normalizer.normalize_label(own_text(t.child("sentence-end")));
    for (size_t pos = 0; pos < ends.size();) out.sentence_end.push_back(utf8::next(ends, pos));
    std::string dates = ctx.normalizer.normalize_label(own_text(t.child("date-end")));
    for (size_t pos = 0; pos < dates.size();) out.date_end.push_back(utf8::next(dates, pos));
    out.min_line_chars = t.attribute("min-line-chars").as_uint(20);
    out.early_part = t.attribute("early-part").as_int(3);
    out.intro_chars = t.attribute("intro-chars").as_uint(600);
    if (t.child("unfinished-heading"))
      out.unfinished_heading = ctx.compile(own_text(t.child("unfinished-heading")), "unfinished-heading", true);
    if (t.child("signature")) out.signature = ctx.compile(own_text(t.child("signature")), "signature");
    if (t.child("chrome")) out.chrome = ctx.compile(own_text(t.child("chrome")), "chrome");
    if (t.child("announced-parts"))
      out.announced_parts = ctx.compile(own_text(t.child("announced-parts")), "announced-parts");
    if (out.sentence_end.empty()) ctx.fail("<truncation> needs <sentence-end>");
  }
  for (pugi::xml_node node : root.child("claims").children("claim")) {
    Claim claim;
    claim.id = node.attribute("id").as_string();
    auto re = ctx.compile(own_text(node), "claim " + claim.id);
    if (!re) continue;
    claim.pattern = std::move(*re);
    const std::string near = node.attribute("near").as_string();
    for (size_t start = 0; start < near.size();) {
      size_t bar = std::min(near.find('|', start), near.size());
      if (bar > start) claim.near.push_back(ctx.key_of(near.substr(start, bar - start)));
      start = bar + 1;
    }
    if (node.attribute("value")) claim.value = node.attribute("value").as_double();
    claim.compare = parse_cell_sums(ctx, node.attribute("compare").as_string(), claim.table);
    std::string table_of_alternative;
    claim.alternative = parse_cell_sums(ctx, node.attribute("alternative").as_string(), table_of_alternative);
    std::string table_of_all;
    claim.all = parse_cell_sums(ctx, node.attribute("all").as_string(), table_of_all);
    claim.at_most = std::string_view(node.attribute("relation").as_string("equal")) == "at-most";
    claim.sentence_without = ctx.key_of(node.attribute("sentence-without").as_string());
    if (claim.compare.empty() || claim.table.empty()) ctx.fail("claim " + claim.id + " needs compare=\"table:row/column\"");
    if (!claim.all.empty() && table_of_all != claim.table) ctx.fail("claim " + claim.id + ": all= must name the table of compare=");
    if (!claim.value && claim.all.empty() && claim.pattern.group("n") < 0)
      ctx.fail("claim " + claim.id + " needs a group n, a value or all=");
    common.claims.push_back(std::move(claim));
  }
  load_sum_statements(ctx, root.child("sum-statements"), common.sums);
}

Format load_format(LoadContext& ctx, const pugi::xml_node& root) {
  Format format;
  format.id = root.attribute("id").as_string();
  format.name = root.attribute("name").as_string();
  format.document = root.attribute("document").as_string();
  format.from_year = root.attribute("from-year").as_int(0);
  format.to_year = root.attribute("to-year").as_int(9999);
  if (format.id.empty() || format.from_year == 0) ctx.fail("<format> needs id and from-year");
  for (pugi::xml_node table : root.children("table")) format.tables.push_back(load_table(ctx, table));
  for (pugi::xml_node c : root.child("constraints").children("constraint")) {
    Constraint constraint;
    constraint.rule = c.attribute("rule").as_string();
    constraint.table = c.attribute("table").as_string();
    constraint.row = c.attribute("row").as_string();
    constraint.max = c.attribute("max").as_double();
    constraint.admin_levels = split_words(c.attribute("admin").as_string());
    constraint.basis = c.attribute("basis").as_string();
    format.constraints.push_back(std::move(constraint));
  }
  if (root.child("parts")) format.parts = load_parts(ctx, root.child("parts"));
  return format;
}

void load_indicators(LoadContext& ctx, const pugi::xml_node& root, IndicatorTable& out) {
  out.loaded = true;
  out.id = root.attribute("id").value();
  out.name = root.attribute("name").value();
  out.anchor = ctx.compile(own_text(root.child("anchor")), "anchor");
  out.unit = ctx.compile("(?:" + own_text(root.child("unit")) + ")", "unit", true);
  out.span_chars = root.child("span").attribute("chars").as_uint(1200);
  if (root.child("filler")) out.filler = ctx.compile(own_text(root.child("filler")), "filler");
  for (pugi::xml_node c : root.children("column")) {
    auto pattern = ctx.compile(own_text(c), std::string("column ") + c.attribute("id").value());
    if (!pattern) return;
    out.columns.push_back({c.attribute("id").value(), c.attribute("header").value(), std::move(*pattern)});
  }
  for (pugi::xml_node i : root.children("item")) {
    const std::string id = i.attribute("id").value();
    auto pattern = ctx.compile(own_text(i), "item " + id);
    if (!pattern) return;
    const std::string parent = i.attribute("parent").value();
    if (!parent.empty() && !out.item(parent)) return ctx.fail("item " + id + ": its parent " + parent + " must come before it");
    out.items.push_back({id, i.attribute("label").value(), parent, std::move(*pattern), i.attribute("other").as_bool(),
                         i.attribute("amount").as_bool(), std::string_view(i.attribute("parts").value()) == "overlap"});
  }
  for (pugi::xml_node c : root.children("claim")) {
    const std::string id = c.attribute("id").value();
    auto pattern = ctx.compile(own_text(c), "claim " + id);
    if (!pattern) return;
    if (pattern->group("n") < 0 && c.attribute("value").empty()) return ctx.fail("claim " + id + ": no group n and no value");
    IndicatorTable::Claim claim{id, c.attribute("item").value(), std::nullopt, std::move(*pattern)};
    if (!c.attribute("value").empty()) claim.value = c.attribute("value").as_double();
    if (!out.item(claim.item)) return ctx.fail("claim " + id + ": no item " + claim.item);
    out.claims.push_back(std::move(claim));
  }
  if (!out.anchor || !out.unit || out.columns.empty() || out.items.empty())
    ctx.fail("an <indicators> grammar needs an anchor, a unit, columns and items");
}

bool parse_xml(const std::string& name, const std::string& content, pugi::xml_document& doc, std::string* error) {
  // WHY: pugixml passes bytes through without checking them, and every later stage assumes valid UTF-8 (an
  // invalid grammar file read past the end of a string; found by fuzz_grammar).
  if (!utf8::valid(content)) {
    if (error) *error = name + ": not valid UTF-8";
    return false;
  }
  // WHY: no DOCTYPE, no entities beyond XML's five; pugixml never fetches anything.
  pugi::xml_parse_result result = doc.load_buffer(content.data(), content.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!result) {
    if (error) *error = name + ": XML error at offset " + std::to_string(result.offset) + ": " + result.description();
    return false;
  }
  return true;
}

void load_html(LoadContext& ctx, const pugi::xml_node& root, HtmlPage& html) {
  html.loaded = true;
  pugi::xml_node markers = root.child("content-markers");
  html.content_markers = split_words(own_text(markers));
  html.marker_share = markers.attribute("share").as_double(0.9);
  html.marker_min_count = markers.attribute("min-count").as_uint(3);
  if (html.marker_share <= 0 || html.marker_share > 1) ctx.fail("content-markers share must be in (0, 1]");
  if (root.child("content-container"))
    html.content_container = ctx.compile(own_text(root.child("content-container")), "content-container");
  if (root.child("chrome-attribute"))
    html.chrome_attribute = ctx.compile(own_text(root.child("chrome-attribute")), "chrome-attribute");
  if (root.child("chrome-line")) html.chrome_line = ctx.compile(own_text(root.child("chrome-line")), "chrome-line");
  for (pugi::xml_node meta : root.children("meta")) {
    std::string name = meta.attribute("name").as_string(), key = meta.attribute("key").as_string();
    if (name.empty() || key.empty()) ctx.fail("a <meta> needs name and key");
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    html.meta.emplace_back(name, key);
  }
  for (pugi::xml_node fact : root.children("fact")) {
    std::string key = fact.attribute("key").as_string();
    auto pattern = ctx.compile(own_text(fact), "fact " + key);
    if (key.empty()) ctx.fail("a <fact> needs a key");
    if (pattern && pattern->group("value") < 0) ctx.fail("fact " + key + ": the pattern needs a group named value");
    if (pattern) html.facts.push_back(HtmlPage::Fact{key, std::move(*pattern)});
  }
  html.title_lookback_lines = root.child("title-lookback").attribute("lines").as_uint(30);
}

}  // namespace

const char* to_string(LabelKind kind) {
  switch (kind) {
    case LabelKind::canonical: return "canonical";
    case LabelKind::variant: return "variant";
    case LabelKind::short_form: return "short";
    case LabelKind::fragment: return "fragment";
  }
  return "?";
}

const char* to_string(ItemKind kind) {
  switch (kind) {
    case ItemKind::caption: return "caption";
    case ItemKind::group: return "group";
    case ItemKind::row: return "row";
  }
  return "?";
}

std::string Relation::make_signature(const Relation& rel) {
  std::string s = rel.rule + (rel.axis == Axis::row ? "|row|" : "|column|");
  std::vector<std::string> l = rel.left, r = rel.right;
  std::sort(l.begin(), l.end());
  std::sort(r.begin(), r.end());
  for (const auto& x : l) s += x + ",";
  s += "=";
  for (const auto& x : r) s += x + ",";
  return s;
}

const TableTemplate* Format::table(const std::string& table_id) const {
  for (const TableTemplate& t : tables)
    if (t.id == table_id) return &t;
  return nullptr;
}

const Format* GrammarSet::format(const std::string& id) const {
  for (const Format& f : formats)
    if (f.id == id) return &f;
  return nullptr;
}

const Format* GrammarSet::format_for_year(int year) const {
  for (const Format& f : formats)
    if (year >= f.from_year && year <= f.to_year) return &f;
  return nullptr;
}

std::unique_ptr<GrammarSet> GrammarSet::load(const std::map<std::string, std::string>& files, std::string* error) {
  auto set = std::unique_ptr<GrammarSet>(new GrammarSet());
  auto common_it = files.find("common.xml");
  if (common_it == files.end()) {
    if (error) *error = "grammar common.xml is missing";
    return nullptr;
  }
  pugi::xml_document common_doc;
  if (!parse_xml("common.xml", common_it->second, common_doc, error)) return nullptr;
  pugi::xml_node common_root = common_doc.child("common");
  if (!common_root) {
    if (error) *error = "common.xml: root element must be <common>";
    return nullptr;
  }
  // The normaliser is needed to key labels; only its traditional settings come from common.xml.
  set->normalizer_ = std::make_unique<Normalizer>(NormalizerConfig{});
  LoadContext ctx{*set->normalizer_, "common.xml", {}, nullptr, &set->patterns};
  load_common(ctx, common_root, set->common);
  if (ctx.failed()) {
    if (error) *error = ctx.error;
    return nullptr;
  }
  set->normalizer_ = std::make_unique<Normalizer>(set->common.normalizer);

  for (const auto& [name, content] : files) {
    if (name == "common.xml") continue;
    pugi::xml_document doc;
    if (!parse_xml(name, content, doc, error)) return nullptr;
    if (pugi::xml_node html = doc.child("html-page")) {
      LoadContext html_ctx{*set->normalizer_, name, {}, nullptr, &set->patterns};
      load_html(html_ctx, html, set->html);
      if (html_ctx.failed()) {
        if (error) *error = html_ctx.error;
        return nullptr;
      }
      continue;
    }
    if (pugi::xml_node messages = doc.child("messages")) {
      if (!set->messages.load(messages, name, error)) return nullptr;
      continue;
    }
    if (pugi::xml_node rule_docs = doc.child("rule-docs")) {
      if (!load_rule_docs(rule_docs, name, set->rule_docs, error)) return nullptr;
      continue;
    }
    if (pugi::xml_node indicators = doc.child("indicators")) {
      LoadContext indicator_ctx{*set->normalizer_, name, {}, nullptr, &set->patterns};
      load_indicators(indicator_ctx, indicators, set->indicators);
      if (indicator_ctx.failed()) {
        if (error) *error = indicator_ctx.error;
        return nullptr;
      }
      continue;
    }
    pugi::xml_node root = doc.child("format");
    if (!root) continue;  // not a format file
    LoadContext format_ctx{*set->normalizer_, name, {}, set->common.label_ordinal ? &*set->common.label_ordinal : nullptr,
                           &set->patterns};
    Format format = load_format(format_ctx, root);
    if (format_ctx.failed()) {
      if (error) *error = format_ctx.error;
      return nullptr;
    }
    set->formats.push_back(std::move(format));
  }
  if (set->formats.empty()) {
    if (error) *error = "no format grammar (format-*.xml) was found";
    return nullptr;
  }
  std::sort(set->formats.begin(), set->formats.end(),
            [](const Format& a, const Format& b) { return a.from_year < b.from_year; });
  if (set->messages.languages().empty()) {
    // A grammar folder of formats only speaks with the built-in words.
    const auto& builtin = embedded_grammars();
    auto it = builtin.find("messages.xml");
    pugi::xml_document doc;
    if (it == builtin.end() || !parse_xml("messages.xml", it->second, doc, error) ||
        !set->messages.load(doc.child("messages"), "messages.xml", error))
      return nullptr;
  }
  if (set->rule_docs.rules.empty()) set->rule_docs = embedded_rule_docs();
  // Every rule a relation or constraint names must exist: a typo would otherwise report under an unknown id.
  auto unknown_rule = [&](const std::string& rule, const std::string& where) {
    if (set->rule_docs.find(rule)) return false;
    if (error) *error = where + " names the unknown rule '" + rule + "' (rules.xml)";
    return true;
  };
  for (const Format& format : set->formats) {
    for (const TableTemplate& table : format.tables)
      for (const Relation& relation : table.relations)
        if (unknown_rule(relation.rule, "format " + format.id + ": a relation of " + table.id)) return nullptr;
    for (const Constraint& constraint : format.constraints)
      if (unknown_rule(constraint.rule, "format " + format.id + ": a constraint")) return nullptr;
  }
  const auto& crossyear = set->common.crossyear;
  for (const auto& e : crossyear.equal)
    if (unknown_rule(e.rule, "common.xml: a cross-year relation")) return nullptr;
  for (const auto& s : crossyear.stock)
    if (unknown_rule(s.rule, "common.xml: a cross-year relation")) return nullptr;
  if (!crossyear.copied_rule.empty() && unknown_rule(crossyear.copied_rule, "common.xml: <copied-text>")) return nullptr;
  return set;
}

std::map<std::string, std::string> read_grammar_dir(const std::string& dir, std::string* error) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".xml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    files[entry.path().filename().string()] = content.str();
  }
  if (ec && error) *error = "cannot read grammar directory " + dir + ": " + ec.message();
  return files;
}

}  // namespace xxgk::grammar
