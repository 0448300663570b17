#include "docx/docx.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>

#include "util/utf8.hpp"

namespace xxgk::docx {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

// The parts of the package we read, unpacked (each at most `limit` bytes); nullopt when it is no zip.
std::optional<std::map<std::string, std::string>> unpack(std::string_view bytes, uint64_t limit, bool names_only,
                                                         bool* too_large = nullptr) {
  static const char* const kWanted[] = {"word/document.xml", "word/numbering.xml", "word/styles.xml", "docProps/core.xml"};
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) return std::nullopt;
  std::map<std::string, std::string> parts;
  archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    const char* name = archive_entry_pathname(entry);
    if (!name) continue;
    bool wanted = false;
    for (const char* w : kWanted) wanted |= std::string_view(name) == w;
    if (!wanted) continue;
    std::string& data = parts[name];
    if (names_only) continue;
    char buffer[1 << 16];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0) {
      if (data.size() + static_cast<size_t>(n) > limit) {
        if (too_large) *too_large = true;
        return std::nullopt;
      }
      data.append(buffer, static_cast<size_t>(n));
    }
    if (n < 0) return std::nullopt;
  }
  if (status != ARCHIVE_EOF && parts.empty()) return std::nullopt;
  return parts;
}

// ---- Word's paragraph numbering (word/numbering.xml): the labels Word draws in front of numbered paragraphs ----

std::string chinese_number(unsigned n) {
  static const char* const kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n == 0) return kDigits[0];
  if (n < 10) return kDigits[n];
  if (n < 20) return std::string("十") + (n % 10 ? kDigits[n % 10] : "");
  if (n < 100) return std::string(kDigits[n / 10]) + "十" + (n % 10 ? kDigits[n % 10] : "");
  return std::to_string(n);
}

std::string format_number(unsigned n, std::string_view format) {
  if (format == "chineseCounting" || format == "chineseCountingThousand" || format == "chineseLegalSimplified" ||
      format == "ideographDigital" || format == "japaneseCounting" || format == "taiwaneseCounting")
    return chinese_number(n);
  if (format == "decimalEnclosedCircle" || format == "decimalEnclosedCircleChinese") {
    if (n >= 1 && n <= 20) {
      std::string out;
      utf8::append(out, static_cast<char32_t>(0x2460 + n - 1));
      return out;
    }
  }
  if (format == "ideographTraditional" && n >= 1 && n <= 10) {
    static const char* const kStems[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
    return kStems[n - 1];
  }
  if ((format == "upperLetter" || format == "lowerLetter") && n >= 1 && n <= 26)
    return std::string(1, static_cast<char>((format == "upperLetter" ? 'A' : 'a') + n - 1));
  if (format == "none" || format == "bullet") return {};
  return std::to_string(n);
}

struct Level {
  std::string format = "decimal";
  std::string text;  // "%1、"
  unsigned start = 1;
};

class Numbering {
 public:
  void load(const std::string& numbering_xml, const std::string& styles_xml) {
    pugi::xml_document doc;
    if (!numbering_xml.empty() && doc.load_buffer(numbering_xml.data(), numbering_xml.size())) {
      std::map<std::string, std::map<unsigned, Level>> abstract;
      for (pugi::xml_node a : doc.child("w:numbering").children("w:abstractNum")) {
        auto& levels = abstract[a.attribute("w:abstractNumId").value()];
        for (pugi::xml_node l : a.children("w:lvl")) {
          Level level;
          if (auto f = l.child("w:numFmt")) level.format = f.attribute("w:val").value();
          if (auto t = l.child("w:lvlText")) level.text = t.attribute("w:val").value();
          if (auto s = l.child("w:start")) level.start = s.attribute("w:val").as_uint(1);
          levels[l.attribute("w:ilvl").as_uint()] = level;
        }
      }
      for (pugi::xml_node n : doc.child("w:numbering").children("w:num")) {
        std::string id = n.attribute("w:numId").value();
        auto it = abstract.find(n.child("w:abstractNumId").attribute("w:val").value());
        if (it != abstract.end()) levels_[id] = it->second;
      }
    }
    pugi::xml_document styles;
    if (!styles_xml.empty() && styles.load_buffer(styles_xml.data(), styles_xml.size()))
      for (pugi::xml_node s : styles.child("w:styles").children("w:style"))
        if (pugi::xml_node num = s.child("w:pPr").child("w:numPr"))
          style_numbers_[s.attribute("w:styleId").value()] = {num.child("w:numId").attribute("w:val").value(),
                                                              num.child("w:ilvl").attribute("w:val").as_uint()};
  }

  // The label Word shows in front of paragraph `p`, counting it.
  std::string label(pugi::xml_node p) {
    pugi::xml_node ppr = p.child("w:pPr");
    std::string id;
    unsigned ilvl = 0;
    if (pugi::xml_node num = ppr.child("w:numPr")) {
      id = num.child("w:numId").attribute("w:val").value();
      ilvl = num.child("w:ilvl").attribute("w:val").as_uint();
    } else if (pugi::xml_node style = ppr.child("w:pStyle")) {
      auto it = style_numbers_.find(style.attribute("w:val").value());
      if (it == style_numbers_.end()) return {};
      std::tie(id, ilvl) = it->second;
    }
    auto it = levels_.find(id);
    if (id.empty() || id == "0" || it == levels_.end() || ilvl > 8) return {};
    auto& counters = counters_[id];
    counters.resize(9, 0);
    const auto& levels = it->second;
    auto level_of = [&](unsigned l) { auto f = levels.find(l); return f == levels.end() ? Level{} : f->second; };
    counters[ilvl] = counters[ilvl] ? counters[ilvl] + 1 : level_of(ilvl).start;
    for (unsigned deeper = ilvl + 1; deeper < counters.size(); ++deeper) counters[deeper] = 0;
    const Level level = level_of(ilvl);
    std::string out;
    for (size_t i = 0; i < level.text.size(); ++i) {
      if (level.text[i] == '%' && i + 1 < level.text.size() && level.text[i + 1] >= '1' && level.text[i + 1] <= '9') {
        const unsigned l = static_cast<unsigned>(level.text[i + 1] - '1');
        const unsigned value = counters[l] ? counters[l] : level_of(l).start;
        out += format_number(value, l == ilvl ? level.format : level_of(l).format);
        ++i;
      } else {
        out.push_back(level.text[i]);
      }
    }
    return level.format == "bullet" ? std::string() : out;
  }

 private:
  std::map<std::string, std::map<unsigned, Level>> levels_;
  std::map<std::string, std::pair<std::string, unsigned>> style_numbers_;
  std::map<std::string, std::vector<unsigned>> counters_;
};

// ---- The body ----

class Reader {
 public:
  Reader(RenderedDocument& out, Numbering& numbering, size_t max_words) : out_(out), numbering_(numbering), max_words_(max_words) {}

  bool too_many_words() const { return words_ > max_words_; }

  void body(pugi::xml_node node) {
    for (pugi::xml_node child : node.children()) {
      if (too_many_words()) return;
      const std::string_view name = child.name();
      if (name == "w:p") {
        std::string text = numbering_.label(child);
        paragraph_text(child, text);
        line(text);
      } else if (name == "w:tbl") {
        table(child);
      } else if (name == "w:sdt") {
        body(child.child("w:sdtContent"));
      } else if (name == "w:customXml" || name == "w:smartTag") {
        body(child);
      }
    }
  }

 private:
  void line(const std::string& text) {
    if (text.empty()) return;
    out_.text.append(text);
    out_.text.push_back('\n');
  }

  // The text of a paragraph's runs; a line break inside it is a space (the paragraph is one line, as in HTML).
  void paragraph_text(pugi::xml_node p, std::string& out) {
    for (pugi::xml_node n : p.children()) {
      const std::string_view name = n.name();
      if (name == "w:r") {
        ++words_;
        for (pugi::xml_node r : n.children()) {
          const std::string_view rn = r.name();
          if (rn == "w:t") out += r.text().get();
          else if (rn == "w:tab" || rn == "w:br" || rn == "w:cr") out.push_back(' ');
          else if (rn == "w:noBreakHyphen") out.push_back('-');
        }
      } else if (name == "w:hyperlink" || name == "w:smartTag" || name == "w:ins" || name == "w:fldSimple" ||
                 name == "w:customXml" || name == "w:sdt" || name == "w:sdtContent") {
        paragraph_text(n, out);
      }
    }
  }

  // A cell's text: its paragraphs (and nested tables) joined on one line.
  void cell_text(pugi::xml_node tc, std::string& out) {
    for (pugi::xml_node child : tc.children()) {
      const std::string_view name = child.name();
      if (name == "w:p") {
        std::string text = numbering_.label(child);
        paragraph_text(child, text);
        if (!text.empty() && !out.empty()) out.push_back(' ');
        out += text;
      } else if (name == "w:tbl") {
        for (pugi::xml_node tr : child.children("w:tr"))
          for (pugi::xml_node inner : tr.children("w:tc")) cell_text(inner, out);
      } else if (name == "w:sdt") {
        cell_text(child.child("w:sdtContent"), out);
      }
    }
  }

  struct DraftCell {
    std::string text;
    uint32_t column = 0, colspan = 1, rowspan = 1;
  };

  void table(pugi::xml_node tbl) {
    // Rows of cells with their grid column; a vMerge continuation adds a row to the cell it continues.
    std::vector<std::vector<DraftCell>> rows;
    for (pugi::xml_node tr : tbl.children()) {
      if (std::string_view(tr.name()) == "w:sdt") tr = tr.child("w:sdtContent").child("w:tr");
      if (std::string_view(tr.name()) != "w:tr") continue;
      std::vector<DraftCell> row;
      uint32_t column = tr.child("w:trPr").child("w:gridBefore").attribute("w:val").as_uint();
      for (pugi::xml_node tc : tr.children("w:tc")) {
        pugi::xml_node pr = tc.child("w:tcPr");
        const uint32_t span = std::clamp<uint32_t>(pr.child("w:gridSpan").attribute("w:val").as_uint(1), 1, kMaxColspan);
        pugi::xml_node merge = pr.child("w:vMerge");
        const std::string_view merge_value = merge ? merge.attribute("w:val").value() : "";
        if (merge && merge_value != "restart") {
          // Continues the cell above that starts in the same grid column.
          DraftCell* above = nullptr;
          for (size_t r = rows.size(); r-- > 0 && !above;)
            for (DraftCell& c : rows[r])
              if (c.column == column && r + c.rowspan == rows.size()) above = &c;
          if (above) {
            ++above->rowspan;
            column += span;
            continue;
          }
        }
        DraftCell cell;
        cell.column = column;
        cell.colspan = span;
        cell_text(tc, cell.text);
        ++words_;
        row.push_back(std::move(cell));
        column += span;
      }
      rows.push_back(std::move(row));
    }
    if (rows.empty()) return;
    // Written as html::render writes a table; the grid from the cells' own grid columns (a row may start right
    // of column 0: w:gridBefore, or cells under a vertically merged one).
    Grid grid;
    grid.table = static_cast<uint32_t>(out_.grids.size() + 1);
    grid.begin = static_cast<uint32_t>(out_.text.size());
    grid.rows = static_cast<uint32_t>(rows.size());
    for (const auto& row : rows)
      for (const auto& c : row) grid.columns = std::max(grid.columns, c.column + c.colspan);
    for (uint32_t r = 0; r < rows.size(); ++r) {
      for (size_t i = 0; i < rows[r].size(); ++i) {
        const DraftCell& c = rows[r][i];
        if (i) out_.text.append(" |");
        GridCell cell;
        cell.begin = static_cast<uint32_t>(out_.text.size());
        if (i) out_.text.push_back(' ');
        out_.text.append(c.text);
        cell.end = static_cast<uint32_t>(out_.text.size());
        cell.origin = cell.begin;
        cell.row = r;
        cell.column = c.column;
        cell.colspan = c.colspan;
        cell.rowspan = std::min<uint32_t>(c.rowspan, grid.rows - r);
        grid.cells.push_back(cell);
      }
      out_.text.push_back('\n');
    }
    grid.end = static_cast<uint32_t>(out_.text.size());
    if (grid.columns == 0 || static_cast<size_t>(grid.columns) * grid.rows > kMaxSlots) return;  // text only
    grid.slots.assign(static_cast<size_t>(grid.rows) * grid.columns, -1);
    for (size_t i = 0; i < grid.cells.size(); ++i) {
      const GridCell& c = grid.cells[i];
      for (uint32_t dr = 0; dr < c.rowspan; ++dr)
        for (uint32_t dc = 0; dc < c.colspan; ++dc) {
          int32_t& slot = grid.slots[static_cast<size_t>(c.row + dr) * grid.columns + c.column + dc];
          if (slot == -1) slot = static_cast<int32_t>(i);
        }
    }
    out_.grids.push_back(std::move(grid));
  }

  RenderedDocument& out_;
  Numbering& numbering_;
  size_t max_words_;
  size_t words_ = 0;
};

std::string core_title(const std::string& core_xml) {
  pugi::xml_document doc;
  if (core_xml.empty() || !doc.load_buffer(core_xml.data(), core_xml.size())) return {};
  std::string title = doc.first_child().child("dc:title").text().get();
  std::erase_if(title, [](char c) { return c == '\n' || c == '\r'; });
  return utf8::valid(title) ? title : std::string();
}

}  // namespace

bool is_docx(std::string_view bytes) {
  if (bytes.size() < 4 || bytes.substr(0, 4) != std::string_view("PK\x03\x04", 4)) return false;
  auto parts = unpack(bytes, 0, /*names_only=*/true);
  return parts && parts->count("word/document.xml");
}

std::variant<RenderedDocument, ReadProblem> read(std::string_view bytes, const Limits& limits) {
  bool too_large = false;
  auto parts = unpack(bytes, limits.max_xml_bytes, false, &too_large);
  if (too_large) return ReadProblem{"too-complex", {"input.docx-too-large", {{"limit", limits.max_xml_bytes}}}};
  if (!parts || !parts->count("word/document.xml")) return ReadProblem{"damaged", {"input.docx-damaged", {}}};
  pugi::xml_document doc;
  const std::string& xml = (*parts)["word/document.xml"];
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata_single))
    return ReadProblem{"damaged", {"input.docx-damaged", {}}};
  pugi::xml_node body = doc.child("w:document").child("w:body");
  if (!body) return ReadProblem{"damaged", {"input.docx-damaged", {}}};
  Numbering numbering;
  numbering.load((*parts)["word/numbering.xml"], (*parts)["word/styles.xml"]);
  RenderedDocument out;
  out.title = core_title((*parts)["docProps/core.xml"]);
  if (!out.title.empty()) out.text = "页面标题: " + out.title + "\n==========\n";
  const size_t header = out.text.size();
  Reader reader(out, numbering, limits.max_words);
  reader.body(body);
  if (reader.too_many_words()) return ReadProblem{"too-complex", {"input.too-many-words", {{"limit", limits.max_words}}}};
  if (!utf8::valid(out.text)) return ReadProblem{"damaged", {"input.docx-damaged", {}}};
  if (out.text.size() == header) return ReadProblem{"empty", {"input.empty", {}}};
  return out;
}

}  // namespace xxgk::docx
