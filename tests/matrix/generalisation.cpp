// The generalisation matrix (CTest `generalisation`): every corpus report with a person-checked result, changed in
// ways that change the page but not the report's defects — truncated at up to ten points, the agency moved to the
// line after the title, zeros left blank, Word's conditional comments around list numbers, a long parenthesis,
// part-1 prose with counts in place of table 2 — and with faults that must each give exactly one finding (a 2019
// （六）其他处理 row in a 2021 report, one wrong total).
//
// Asserted: no variant has a proven error (status fail, severity error) its original does not have, beyond the one
// its fault injects; every truncated variant says text.truncated. Printed: the precision of proven errors.
//
//   xxgk_generalisation CORPUS_DIR [--verbose] [--write DIR]   (--write: the failing variants, to look at)
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace fs = std::filesystem;
using namespace xxgk;

namespace {

struct Variant {
  std::string name;
  std::string text;
  bool truncated = false;
  std::string fault_rule;  //!< the rule (or "total." family) of the one finding the fault must add; empty: none
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool proven_error(const Finding& f) { return f.status == FindingStatus::fail && f.severity == Severity::error; }

std::set<std::string> proven_errors(const CheckResult& r) {
  std::set<std::string> out;
  for (const Finding& f : r.findings)
    if (proven_error(f)) out.insert(f.rule + "#" + f.fingerprint);
  return out;
}

bool has(const CheckResult& r, const std::string& rule) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule == rule; });
}

// Start of the UTF-8 character at or before `pos`.
size_t boundary(const std::string& s, size_t pos) {
  pos = std::min(pos, s.size());
  while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

const Section* part(const CheckResult& r, int number) {
  for (const Section& s : r.sections)
    if (s.number == number) return &s;
  return nullptr;
}

const Row* row_of(const CheckResult& r, const std::string& table, const std::string& row) {
  for (const Table& t : r.tables)
    if (t.id == table)
      if (const Row* found = t.row(row)) return found;
  return nullptr;
}

// Byte ranges of the text the rebuilt tables cover (a little margin before their first cell).
std::vector<std::pair<size_t, size_t>> table_spans(const CheckResult& r) {
  std::vector<std::pair<size_t, size_t>> out;
  for (const Table& t : r.tables) {
    size_t b = SIZE_MAX, e = 0;
    for (const Row& row : t.rows) {
      if (row.location.line) b = std::min<size_t>(b, row.location.offset), e = std::max<size_t>(e, row.location.offset);
      for (const Cell& c : row.cells)
        if (c.location.line) b = std::min<size_t>(b, c.location.offset), e = std::max<size_t>(e, c.location.offset + c.raw.size());
    }
    if (b < e) out.emplace_back(b > 600 ? b - 600 : 0, e + 16);
  }
  return out;
}

bool inside(const std::vector<std::pair<size_t, size_t>>& spans, size_t pos) {
  return std::any_of(spans.begin(), spans.end(), [&](const auto& s) { return pos >= s.first && pos < s.second; });
}

bool is_han_at(const std::string& s, size_t pos) {
  // A three-byte UTF-8 sequence in the CJK block (U+4E00–U+9FFF: E4..E9 lead bytes).
  return pos + 2 < s.size() && static_cast<unsigned char>(s[pos]) >= 0xE4 && static_cast<unsigned char>(s[pos]) <= 0xE9;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

std::vector<Variant> variants_of(const std::string& text, const CheckResult& r, bool html) {
  std::vector<Variant> out;
  const bool fixed_parts = r.report.format == "2019" || r.report.format == "2021";
  const Section* six = part(r, 6);
  const size_t body_end = six && fixed_parts ? six->location.offset : text.size();
  const auto spans = table_spans(r);

  // 1. Truncated: mid-sentence (a sentence begun after a full stop), on a heading's numeral, inside a table.
  std::vector<size_t> sentence_cuts;
  const std::string stop = "。";
  for (size_t at = text.find(stop); at != std::string::npos && at < body_end; at = text.find(stop, at + 1)) {
    size_t cut = at + stop.size();
    bool prose = true;
    for (int i = 0; i < 6 && prose; ++i, cut += 3) prose = is_han_at(text, cut);
    if (prose && !inside(spans, cut) && cut > text.size() / 20) sentence_cuts.push_back(cut);
  }
  const size_t wanted = 5;
  for (size_t i = 0; i < wanted && !sentence_cuts.empty(); ++i) {
    const size_t cut = sentence_cuts[(i * sentence_cuts.size()) / wanted + (sentence_cuts.size() / wanted) / 2];
    out.push_back({"cut-sentence-" + std::to_string(i), text.substr(0, cut), true, ""});
  }
  int numerals = 0;
  for (int number = 2; number <= 5 && numerals < 2; ++number)
    if (const Section* s = part(r, number); s && s->number_as_written == number && s->location.line) {
      const size_t at = s->location.offset;
      const size_t numeral = std::string("三").size();  // every Chinese numeral is three bytes
      if (text.compare(at, numeral, s->heading, 0, numeral) != 0) continue;
      out.push_back({"cut-numeral-" + std::to_string(number), text.substr(0, at + numeral), true, ""});
      ++numerals;
    }
  for (const char* table : {"p3", "p2"}) {
    for (const Table& t : r.tables) {
      if (t.id != table || t.rows.size() < 4) continue;
      const Row& middle = t.rows[t.rows.size() / 2];
      if (!middle.location.line || middle.location.offset == 0) continue;
      out.push_back({std::string("cut-table-") + table, text.substr(0, boundary(text, middle.location.offset)), true, ""});
    }
  }
  if (out.size() > 10) out.resize(10);

  // 2. The agency on the line after a title that no longer names it.
  if (!html && !r.report.title.empty() && !r.report.agency.empty() && r.report.title.rfind(r.report.agency, 0) == 0) {
    // The title in the page's text, not in a crawler's header line ("标题：…").
    size_t at = text.find(r.report.title);
    while (at != std::string::npos) {
      const size_t line = text.rfind('\n', at);
      const std::string before = text.substr(line == std::string::npos ? 0 : line + 1, at - (line == std::string::npos ? 0 : line + 1));
      if (before.find(":") == std::string::npos && before.find("：") == std::string::npos) break;
      at = text.find(r.report.title, at + 1);
    }
    if (at != std::string::npos) {
      std::string moved = text;
      moved.replace(at, r.report.title.size(), r.report.title.substr(r.report.agency.size()) + "\n" + r.report.agency + "\n");
      out.push_back({"agency-next-line", moved, false, ""});
    }
  }

  // 3. Zeros left blank.
  {
    std::string blank = text;
    if (html) {
      replace_all(blank, "<td>0</td>", "<td>&nbsp;</td>");
      replace_all(blank, ">0</td>", "></td>");
    } else {
      replace_all(blank, "| 0 |", "|  |");
      replace_all(blank, "| 0 |", "|  |");
    }
    if (blank != text) out.push_back({"blank-zeros", blank, false, ""});
  }

  // 4. Word's conditional comments around list numbers.
  if (!html) {
    std::string word = text;
    for (const char* number : {"（一）", "（二）", "（三）", "一、", "二、", "三、", "四、", "五、", "六、"}) {
      const std::string n = number;
      for (size_t at = word.find("\n" + n); at != std::string::npos; at = word.find("\n" + n, at + 1)) {
        const std::string wrapped = "\n<!--[if !supportLists]-->" + n + "<!--[endif]-->";
        word.replace(at, n.size() + 1, wrapped);
        at += wrapped.size() - 1;
      }
    }
    if (word != text) out.push_back({"word-comments", word, false, ""});
  }

  // 5. A parenthesis that closes far away, in part 1's prose.
  if (const Section* one = part(r, 1); one && one->location.line) {
    const size_t at = text.find(stop, one->location.offset);
    if (at != std::string::npos && !inside(spans, at) && at < body_end) {
      std::string note = "（";
      for (int i = 0; i < 100; ++i) note += "说明";
      note += "）";
      std::string longer = text;
      longer.insert(at + stop.size(), note + "。");
      out.push_back({"long-parenthesis", longer, false, ""});
    }
  }

  // 6. Prose in part 1 that names 规章 and 行政规范性文件 counts, and no table 2 (a report that states its year: without
  // one, the format comes from the tables, and a report with none left has none).
  if (!html && fixed_parts && r.report.year)
    if (const Section *one = part(r, 1), *two = part(r, 2), *three = part(r, 3);
        one && two && three && row_of(r, "p2", "regulations") && two->location.offset < three->location.offset) {
      std::string prose = text;
      const size_t two_end = prose.find('\n', two->location.offset);
      if (two_end != std::string::npos && two_end < three->location.offset) {
        prose.replace(two_end + 1, three->location.offset - two_end - 1, "本年度主动公开政府信息的数量见第一部分。\n");
        const size_t one_end = prose.find('\n', one->location.offset);
        if (one_end != std::string::npos)
          prose.insert(one_end + 1, "全年主动公开规章3件（含新制定1件），行政规范性文件12件。\n");
        out.push_back({"prose-counts", prose, false, "table.missing"});
      }
    }

  // 7a. A 2019 （六）其他处理 row in a 2021 report.
  if (!html && r.report.format == "2021") {
    const Row* first = row_of(r, "p3", "other-no-correction");
    const Row* last = row_of(r, "p3", "other-misc");
    const Row* total = row_of(r, "p3", "outcome-total");
    const Row* unpaid = row_of(r, "p3", "other-unpaid");
    auto whole = [](const Row* row) {
      return row && row->cells.size() == 7 &&
             std::all_of(row->cells.begin(), row->cells.end(), [](const Cell& c) { return c.status == CellStatus::ok; });
    };
    if (whole(first) && whole(unpaid) && whole(last) && total && total->location.line) {
      const size_t sub_rows = first->location.offset;
      const size_t group = text.rfind("其他处理", sub_rows);
      const size_t label = group == std::string::npos ? group : text.rfind("六", group);
      if (label != std::string::npos && sub_rows - label < 40) {
        size_t label_start = label;
        for (const char* open : {"（", "("})
          if (label_start >= std::string(open).size() && text.compare(label_start - std::string(open).size(), std::string(open).size(), open) == 0)
            label_start -= std::string(open).size();
        // The layout's separator: what stands between the first sub-row's label and its first value.
        const size_t first_value = first->cells.front().location.offset;
        size_t sep_begin = first_value;
        while (sep_begin > 0 && (text[sep_begin - 1] == ' ' || text[sep_begin - 1] == '\n' || text[sep_begin - 1] == '|' ||
                                 text[sep_begin - 1] == '\t'))
          --sep_begin;
        const std::string sep = text.substr(sep_begin, first_value - sep_begin);
        const Cell& last_cell = last->cells.back();
        const size_t after_last = last_cell.location.offset + last_cell.raw.size();
        const std::string tail = text.substr(after_last, total->location.offset - after_last);
        std::string row = "（六）其他处理";
        for (size_t c = 0; c < 7; ++c) {
          const double sum = *first->cells[c].value + *unpaid->cells[c].value + *last->cells[c].value;
          row += (sep.empty() ? std::string(" ") : sep) + std::to_string(static_cast<long long>(sum));
        }
        std::string changed = text;
        changed.replace(label_start, total->location.offset - label_start, row + tail);
        out.push_back({"fault-2019-other-row", changed, false, "format.version-mismatch"});
      }
    }
  }

  // 7b. One wrong total.
  if (const Row* total = row_of(r, "p3", "outcome-total"); total && !total->cells.empty()) {
    const Cell& c = total->cells.front();
    const bool clean = std::none_of(r.findings.begin(), r.findings.end(),
                                    [](const Finding& f) { return f.rule.rfind("total.", 0) == 0; });
    if (clean && c.status == CellStatus::ok && c.value && c.location.line && text.compare(c.location.offset, c.raw.size(), c.raw) == 0 &&
        c.raw.find_first_not_of("0123456789") == std::string::npos) {
      std::string changed = text;
      changed.replace(c.location.offset, c.raw.size(), std::to_string(static_cast<long long>(*c.value) + 1));
      out.push_back({"fault-wrong-total", changed, false, "total."});
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: xxgk_generalisation CORPUS_DIR [--verbose]\n";
    return 2;
  }
  bool verbose = false;
  std::string write_dir;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--verbose") verbose = true;
    if (std::string(argv[i]) == "--write" && i + 1 < argc) write_dir = argv[++i];
  }
  std::string error;
  Options options;
  options.language = "en";
  auto checker = Checker::create(options, &error);
  if (!checker) {
    std::cerr << error << "\n";
    return 2;
  }
  std::vector<fs::path> reports;
  for (const auto& entry : fs::directory_iterator(argv[1])) {
    const fs::path p = entry.path();
    if (p.extension() == ".expected") continue;
    fs::path expected = p;
    expected.replace_extension(".expected");
    if (fs::exists(expected)) reports.push_back(p);
  }
  std::sort(reports.begin(), reports.end());

  size_t variants = 0, failures = 0, truncated_variants = 0, truncated_said = 0;
  size_t proven = 0, proven_expected = 0;
  std::map<std::string, size_t> per_kind;
  for (const fs::path& path : reports) {
    const std::string text = read(path);
    const bool html = path.extension() == ".html";
    const CheckResult original = checker->check(text, {path.filename().string(), ""});
    if (!original.report.is_report) continue;
    const std::set<std::string> known = proven_errors(original);
    for (const Variant& v : variants_of(text, original, html)) {
      ++variants;
      ++per_kind[v.name.substr(0, v.name.find('-', v.name.find('-') + 1))];
      const CheckResult result = checker->check(v.text, {path.filename().string() + "#" + v.name, ""});
      std::vector<std::string> problems;
      size_t fault_findings = 0;
      for (const Finding& f : result.findings) {
        if (!v.fault_rule.empty() && f.rule.rfind(v.fault_rule, 0) == 0 && !known.count(f.rule + "#" + f.fingerprint)) {
          ++fault_findings;
          if (proven_error(f)) ++proven, ++proven_expected;
          continue;
        }
        if (!proven_error(f)) continue;
        ++proven;
        if (known.count(f.rule + "#" + f.fingerprint)) {
          ++proven_expected;
        } else {
          problems.push_back("new proven error " + f.rule + " at " + std::to_string(f.location.line) + ": " + f.message);
        }
      }
      if (!v.fault_rule.empty() && fault_findings != 1)
        problems.push_back("the fault gives " + std::to_string(fault_findings) + " findings of " + v.fault_rule + ", not one");
      if (v.truncated) {
        ++truncated_variants;
        if (has(result, "text.truncated")) ++truncated_said;
        else problems.push_back("truncated, but no text.truncated");
      }
      if (!problems.empty()) {
        ++failures;
        std::cout << "FAIL " << path.filename().string() << " #" << v.name << "\n";
        for (const std::string& p : problems) std::cout << "    " << p.substr(0, 400) << "\n";
        if (!write_dir.empty()) {
          fs::create_directories(write_dir);
          std::ofstream(fs::path(write_dir) / (path.stem().string() + "#" + v.name + path.extension().string()), std::ios::binary) << v.text;
        }
      } else if (verbose) {
        std::cout << "ok   " << path.filename().string() << " #" << v.name << "\n";
      }
    }
  }
  std::cout << reports.size() << " reports, " << variants << " variants (";
  bool first = true;
  for (const auto& [kind, n] : per_kind) std::cout << (first ? "" : ", ") << kind << " " << n, first = false;
  std::cout << "): " << failures << " failed\n";
  std::cout << "truncated variants that say so: " << truncated_said << " of " << truncated_variants << "\n";
  std::printf("precision of proven errors over the matrix: %zu of %zu = %.3f\n", proven_expected, proven,
              proven ? static_cast<double>(proven_expected) / static_cast<double>(proven) : 1.0);
  return failures ? 1 : 0;
}
