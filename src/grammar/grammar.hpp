// grammar/grammar.hpp — the format standards as data (grammars/*.xml, read with pugixml).
//
// The engine knows no label: every heading, table label, relation, claim and deadline comes from here.
// Labels are kept as written (official form) and as a match key (matching form, no whitespace).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grammar/messages.hpp"
#include "grammar/rules.hpp"
#include "normalize/normalizer.hpp"
#include "normalize/tokenizer.hpp"
#include "util/regex.hpp"

namespace xxgk::grammar {

enum class LabelKind { canonical, variant, short_form, fragment };
const char* to_string(LabelKind kind);

//! A text to find in a report.
struct Label {
  std::string text;     //!< as written in the grammar
  std::string key;      //!< matching form without whitespace
  std::string ordinal;  //!< leading ordinal of key ("1.", "(一)", "一、"), may be empty
  std::string core;     //!< key without the ordinal
  LabelKind kind = LabelKind::canonical;
};

struct Column {
  std::string id;
  std::vector<Label> headers;  //!< canonical first
  std::vector<std::string> path;  //!< canonical headers, outermost first
  bool amount = false;  //!< decimals allowed
  bool is_signed = false;
  std::string unit;  //!< matching form
  //! More integer digits than this is no count or amount a report can hold (attribute max-digits): the cell is
  //! invalid, never a value arithmetic runs on.
  uint32_t max_digits = 12;
};

enum class ItemKind { caption, group, row };
const char* to_string(ItemKind kind);

struct Item {
  ItemKind kind = ItemKind::row;
  std::string id;
  std::vector<Label> labels;  //!< canonical first; a row with no label takes the values after the headers
  const Label& canonical() const { return labels.front(); }
};

struct Block {
  std::string id;
  std::vector<Label> headers;  //!< header cells that are not column headers (信息内容, 申请人情况…)
  std::vector<Column> columns;  //!< empty: the table's columns
  std::vector<Item> items;     //!< reading order
};

struct Relation {
  std::string rule;
  enum class Axis { row, column } axis = Axis::row;
  std::vector<std::string> left, right;  //!< left = total(s), right = addends
  bool is_sum = true;                    //!< written as total = sum of addends
  std::string signature;                 //!< identical relations of different formats share it
  static std::string make_signature(const Relation& r);
};

struct TableTemplate {
  std::string id;
  int part = 0;
  std::string name;
  std::vector<Label> headers;
  std::vector<Column> columns;
  std::vector<Block> blocks;
  std::vector<Relation> relations;
  const std::vector<Column>& columns_of(const Block& block) const {
    return block.columns.empty() ? columns : block.columns;
  }
};

struct Constraint {
  std::string rule, table, row;
  double max = 0;
  std::vector<std::string> admin_levels;
  std::string basis;
};

struct PartTitle {
  Regex pattern;  //!< anchored
  Regex line;     //!< anchored, must cover a whole line
  bool canonical = true;
};

struct Subtopic {
  std::string id;
  Regex pattern;  //!< anchored
};

struct Part {
  int number = 0;
  std::string id;
  std::string heading;  //!< canonical heading as written
  std::vector<PartTitle> titles;
  std::vector<Subtopic> subtopics;
};

struct Format {
  std::string id, name, document;
  int from_year = 0, to_year = 9999;
  std::vector<TableTemplate> tables;
  std::vector<Constraint> constraints;
  std::vector<Part> parts;  //!< empty: the common parts
  const TableTemplate* table(const std::string& id) const;
};

//! A cell of a table, addressed from a claim: table:row/column.
struct CellRef {
  std::string row, column;
};
//! A sum of cells; the first alternative whose cells exist is used.
struct CellSum {
  std::vector<CellRef> cells;
};

struct Claim {
  std::string id;
  Regex pattern;
  std::vector<std::string> near;  //!< every match contains one of these words (matching form); empty: search everywhere
  std::optional<double> value;  //!< fixed value ("未收到…申请" = 0)
  std::string table;
  std::vector<CellSum> compare;      //!< alternatives, first existing one is compared
  std::vector<CellSum> alternative;  //!< also accepted as agreeing
  //! "All of them are so" (均获维持): the claimed value is the sum of these cells (the total the text speaks of).
  std::vector<CellSum> all;
  bool at_most = false;  //!< the text names a part of what the cells count (被撤销 within 纠正): claimed ≤ table
  //! A word that, anywhere in the match's sentence, leaves the claim unread: its subject would be unclear
  //! (行政复议2件、行政诉讼1件，均获维持 says nothing about 复议 alone).
  std::string sentence_without;
};

//! Totals stated with their parts in the prose (common.xml <sum-statements>, narrative.sum-mismatch). Patterns
//! run on the compact matching form, anchored where they are tried unless said otherwise.
struct SumStatements {
  bool loaded = false;
  std::vector<std::string> units;          //!< count units, longest first
  std::vector<std::string> separators;     //!< between parts, weakest first
  std::vector<std::string> sentence_ends;  //!< characters that end a sentence
  std::u32string numerals;                 //!< characters a count in Chinese numerals is written with
  size_t max_words = 32;                   //!< characters of a part's words
  size_t max_parts = 40;
  std::optional<Regex> lead;         //!< punctuation between a total and its enumerator
  std::optional<Regex> enumerator;   //!< group "some": only some parts are named
  std::optional<Regex> enumerator_anywhere;  //!< the enumerator, searched (a nested one inside a part's words)
  std::optional<Regex> connector;    //!< words that join a part to the list (以及, 和)
  std::optional<Regex> stop;         //!< words that start another statement (另有, 此外)
  std::optional<Regex> partial_end;  //!< after the last part: only some parts are named (等)
  std::optional<Regex> note;         //!< a remark after a part (占51.85%)
  std::optional<Regex> approximate;  //!< at a count's first digit: the count is not exact
  std::optional<Regex> catch_all;    //!< searched in a part's words: the part is "everything else"
  struct Partition {
    std::optional<Regex> of;        //!< searched in a total's words: the kinds are parts of it
    std::optional<Regex> exhausts;  //!< searched in a total's words: the kinds are all of it
    std::vector<std::string> kind_text;  //!< as written, for messages
    std::vector<Regex> kinds;            //!< searched in a part's words
  };
  std::vector<Partition> partitions;
};

struct AgencyKind {
  std::string kind, level, admin;
  Regex pattern;
};

struct AdminLevel {
  std::string name;
  Regex pattern;
};

struct Deadline {
  std::vector<std::string> kinds;
  int from_year = 0, to_year = 9999;
  int month = 0, day = 0;
  std::string configurable;  //!< "township": month/day come from the options
  std::string basis;
};

struct BracketPair {
  std::string open, close;  //!< matching form
  std::string open_written, close_written;
  std::vector<std::pair<std::string, std::string>> written;  //!< how pages write the pair: 〔〕, 【】, []…
  //! The partner of a bracket as written ("【" → "】"), or the pair's own.
  const std::string& partner(std::string_view written_bracket) const {
    for (const auto& [o, c] : written) {
      if (o == written_bracket) return c;
      if (c == written_bracket) return o;
    }
    return written_bracket == close_written ? open_written : close_written;
  }
};

struct CrawlerHeader {
  size_t max_lines = 0;
  std::optional<Regex> separator, field;
  std::map<std::string, std::string> keys;  //!< key as written (matching form) → field name
};

struct Common {
  NormalizerConfig normalizer;
  std::optional<Regex> furniture;  //!< whole lines that are page furniture (page numbers, table rules)
  std::optional<Regex> placeholder_headers;  //!< header rows with no words of their own (| 类别 | 数据1 | …)
  std::optional<Regex> page_chrome;          //!< widgets inside the text (【字体：大 中 小】)
  TokenVocabulary vocabulary;
  std::optional<Regex> label_ordinal;   //!< anchored
  std::optional<Regex> heading_number;    //!< searched in a small window before each mark
  std::vector<std::string> heading_marks;  //!< a heading number ends with one of these (matching form)
  size_t heading_reach = 4;                //!< characters a heading number may stand before its mark
  std::u32string heading_digits;           //!< characters a heading number is written with
  std::vector<Part> parts;
  CrawlerHeader crawler_header;
  std::optional<Regex> title;
  size_t title_search_chars = 1500;
  std::optional<Regex> published;
  size_t published_search_chars = 3000;
  std::vector<Regex> periods;
  size_t period_search_chars = 4000;
  std::optional<Regex> signed_date;
  size_t signed_tail_chars = 400;
  size_t signed_after_chars = 60;
  std::optional<Regex> agency_trim;
  std::vector<AgencyKind> agency_kinds;
  std::vector<AgencyKind> self_reference;  //!< 我镇, 本局: the kind of a body whose name was not read
  size_t self_reference_chars = 3000;
  std::optional<Regex> overview_opening;   //!< groups agency, year: how 一、总体情况 opens
  size_t overview_opening_chars = 3000;
  std::vector<AdminLevel> admin_levels;
  std::vector<Deadline> deadlines;
  std::optional<Regex> garbled_date;
  std::vector<BracketPair> brackets;
  std::optional<Regex> markup_residue;  //!< markup printed as text (matching form)
  std::optional<Regex> report_title;
  std::optional<Regex> report_intro;  //!< how a report introduces itself (compact)
  struct Triage {
    std::vector<std::string> words;  //!< statutory words as written, and their traditional forms (searched in the decoded page)
    size_t min_words = 3, titled_min_words = 1, opening_chars = 600;
  } triage;
  std::optional<Regex> pre2019_markers;
  //! When a text stops before the report does (classify/).
  struct Truncation {
    std::u32string sentence_end;               //!< characters that end a sentence, in the matching form
    std::u32string date_end;                   //!< characters that end a date after a digit (2024年1月20日)
    size_t min_line_chars = 20;                //!< a shorter last line is a footer or a signature, not a cut paragraph
    int early_part = 3;                        //!< a clean end after this part or an earlier one is suspicious
    std::optional<Regex> unfinished_heading;   //!< the text's tail is the start of a heading (anchored)
    std::optional<Regex> announced_parts;      //!< the introduction's count of parts, group n (compact)
    std::optional<Regex> signature;            //!< a short last line that signs a text
    std::optional<Regex> chrome;               //!< page chrome that may close a text (附件下载)
    size_t intro_chars = 600;                  //!< where the introduction announces its parts
  } truncation;
  std::vector<Claim> claims;
  SumStatements sums;
  //! Relations between one body's consecutive reports (crossyear/).
  struct CrossYear {
    struct Equal {
      std::string rule, table, current_row, previous_row;  //!< every column of the row
    };
    struct Stock {
      std::string rule, table, total, plus, minus;
      std::vector<std::string> rows;
    };
    std::vector<Equal> equal;
    std::vector<Stock> stock;
    std::string copied_rule;
    double copied_min_share = 0.6;
    size_t copied_min_chars = 12, copied_max_sentences = 400;
  } crossyear;
};

//! How report pages are published on the web (grammars/html.xml): body, chrome and page facts.
struct HtmlPage {
  bool loaded = false;
  std::vector<std::string> content_markers;  //!< as written (the rendered page is searched, not its matching form)
  double marker_share = 0.9;
  size_t marker_min_count = 3;
  std::optional<Regex> content_container;  //!< a class token or id of an article container
  std::optional<Regex> chrome_attribute;   //!< a class token or id of page chrome
  std::optional<Regex> chrome_line;        //!< a whole line of chrome text
  std::vector<std::pair<std::string, std::string>> meta;  //!< <meta name> (lower case) → header key
  struct Fact {
    std::string key;
    Regex pattern;  //!< group "value"
  };
  std::vector<Fact> facts;
  size_t title_lookback_lines = 30;
};

//! A statistics table of the years before 2019 (indicators-pre2019.xml): rows of indicator, unit and one or two
//! values (the year's, and 历年累计).
struct IndicatorTable {
  struct Column {
    std::string id, header;
    Regex pattern;  //!< its header cell
  };
  struct Item {
    std::string id, label, parent;
    Regex pattern;       //!< the label (compact matching form)
    bool other = false;  //!< the catch-all part: with it, the parts of `parent` are all of it
    bool amount = false; //!< money, not a count
    bool parts_overlap = false;  //!< its parts may count one thing twice (a document on the website and in the gazette)
  };
  //! A count the prose states of an indicator's year (group "n", or `value`).
  struct Claim {
    std::string id, item;
    std::optional<double> value;
    Regex pattern;
  };
  bool loaded = false;
  std::string id, name;
  std::optional<Regex> anchor, unit;
  std::optional<Regex> filler;  //!< text between a row's numbers and the next label that does not end the table
  std::vector<Claim> claims;
  std::vector<Column> columns;  //!< the year's first
  size_t span_chars = 1200;
  std::vector<Item> items;
  const Item* item(std::string_view item_id) const {
    for (const Item& i : items)
      if (i.id == item_id) return &i;
    return nullptr;
  }
};

//! A pattern as the grammars compiled it (wrappers included), and where it came from.
struct PatternSource {
  std::string where;  //!< file: element
  std::string pattern;
  bool anchored = false;
};

class GrammarSet {
 public:
  Common common;
  HtmlPage html;
  IndicatorTable indicators;  //!< indicators-pre2019.xml
  std::vector<Format> formats;  //!< oldest first
  Messages messages;            //!< messages.xml; the built-in one when a grammar folder has none
  RuleDocs rule_docs;           //!< rules.xml; the built-in one when a grammar folder has none
  std::vector<PatternSource> patterns;  //!< every pattern compiled: what tests hold to rules of their own

  const Format* format(const std::string& id) const;
  //! The format a report on `year` must follow, or nullptr (years before the first format).
  const Format* format_for_year(int year) const;
  const std::vector<Part>& parts_of(const Format* format) const {
    return format && !format->parts.empty() ? format->parts : common.parts;
  }
  const Normalizer& normalizer() const { return *normalizer_; }

  //! Loads common.xml, every format-*.xml, html.xml (optional) and messages.xml. `files` maps file names to their contents.
  static std::unique_ptr<GrammarSet> load(const std::map<std::string, std::string>& files, std::string* error);

 private:
  std::unique_ptr<Normalizer> normalizer_;
};

//! The grammar files built into the library.
const std::map<std::string, std::string>& embedded_grammars();
//! Reads every *.xml of `dir`.
std::map<std::string, std::string> read_grammar_dir(const std::string& dir, std::string* error);

}  // namespace xxgk::grammar
