// corpus_runner — checks every report of a corpus folder against its person-checked expected result.
//
//   xxgk_corpus DIR             compare; exit 1 on any difference (the CTest "corpus" test)
//   xxgk_corpus --update DIR    write DIR/<report>.expected from the tool's output, for a person to check
//   xxgk_corpus --show FILE [--lang zh]   print the rendering of one report (English messages unless --lang)
//
// The expected file is a stable, reviewable rendering of the result: report facts, sections, every table cell
// and every finding, with English messages. The default language, Chinese, must give the same result word for
// word apart from messages, and every Chinese message must be complete (no unfilled {value}, no unknown id). Cells: value, ∅ blank, ? uncertain, - missing, ! invalid; ~ cut from a digit run,
// ≈ cut by the row's arithmetic.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }
std::string date(const std::optional<xxgk::Date>& d) { return d ? d->iso() : "-"; }
std::string where(const xxgk::Location& l) {
  return l.line ? std::to_string(l.line) + ":" + std::to_string(l.column) : "-";
}

std::string cell_text(const xxgk::Cell& c) {
  using xxgk::CellStatus;
  switch (c.status) {
    case CellStatus::empty: return "∅";
    case CellStatus::uncertain: return "?";
    case CellStatus::missing: return "-";
    case CellStatus::invalid: return "!" + c.raw;
    default: break;
  }
  std::string v;
  if (c.value) {
    if (c.decimal || *c.value != std::floor(*c.value)) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.15g", *c.value);
      v = buffer;
    } else {
      v = std::to_string(static_cast<long long>(*c.value));
    }
  }
  if (c.status == CellStatus::split) v += "~";
  if (c.status == CellStatus::inferred) v += "≈";
  return v;
}

std::string render(const std::string& name, const xxgk::CheckResult& r) {
  std::ostringstream out;
  out << "# xxgk expected result for " << name << "\n";
  out << "# Produced by the tool, then checked by a person against the source (corpus/README.md).\n";
  if (r.error) {
    out << "error: " << r.error->code << ": " << r.error->message << "\n";
    return out.str();
  }
  const auto& rep = r.report;
  out << "source: " << r.source.encoding << " (" << r.source.encoding_source << ")";
  if (r.source.content == xxgk::InputKind::html) out << " html body=" << r.source.html_body << " tables=" << r.source.html_tables;
  if (!r.source.encoding_note.empty()) out << " note: " << r.source.encoding_note;
  out << "\n";
  out << "report: is_report=" << (rep.is_report ? "yes" : "no") << " year="
      << (rep.year ? std::to_string(*rep.year) + " (" + rep.year_source + ")" : std::string("-"))
      << " format=" << rep.format << " tables=" << or_dash(rep.tables_format) << "\n";
  out << "  agency=" << or_dash(rep.agency) << " kind=" << or_dash(rep.kind) << " level=" << or_dash(rep.level)
      << " admin=" << or_dash(rep.admin_level) << (rep.traditional.empty() ? "" : " traditional=" + rep.traditional)
      << "\n";
  out << "  published=" << date(rep.published) << (rep.published_source.empty() ? "" : " (" + rep.published_source + ")")
      << " period=" << date(rep.period_start) << ".." << date(rep.period_end) << " signed=" << date(rep.signed_on) << "\n";
  out << "sections:\n";
  for (const auto& s : r.sections)
    out << "  " << s.number << " (written " << s.number_as_written << ") @" << where(s.location) << " " << s.heading << "\n";
  for (const auto& t : r.tables) {
    char confidence[16];
    std::snprintf(confidence, sizeof confidence, "%.3f", t.confidence);
    out << "table " << t.id << " format=" << t.format << " confidence=" << confidence << " @" << where(t.location) << "\n";
    for (const auto& row : t.rows) {
      out << "  " << row.id << " [" << row.format << "]";
      for (const auto& c : row.cells) out << " " << cell_text(c);
      // HTML: the grid cells the values came from (table, row, first and last column).
      const xxgk::Cell* first = nullptr;
      const xxgk::Cell* last = nullptr;
      for (const auto& c : row.cells)
        if (c.grid) {
          if (!first) first = &c;
          last = &c;
        }
      if (first)
        out << "  @t" << first->grid->table << "r" << first->grid->row << "c" << first->grid->column << ".."
            << "r" << last->grid->row << "c" << last->grid->column;
      out << "\n";
    }
  }
  out << "findings:\n";
  for (const auto& f : r.findings) {
    out << "  " << where(f.location) << " " << xxgk::to_string(f.severity) << " " << xxgk::to_string(f.status) << " "
        << f.rule << ": " << f.message << "\n";
    if (!f.evidence.candidates.empty()) {
      out << "    candidates:";
      for (const auto& c : f.evidence.candidates) out << " " << c;
      out << "\n";
    }
  }
  return out.str();
}

// Line-by-line difference, enough to see what changed.
void show_difference(const std::string& name, const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string el, al;
  int line = 0, shown = 0;
  while (shown < 12) {
    bool he = static_cast<bool>(std::getline(e, el)), ha = static_cast<bool>(std::getline(a, al));
    ++line;
    if (!he && !ha) break;
    if (he && ha && el == al) continue;
    std::cerr << name << ".expected:" << line << ":\n  - " << (he ? el : "<end>") << "\n  + " << (ha ? al : "<end>") << "\n";
    ++shown;
  }
}

// Differences between the English and Chinese results of one report other than the words of messages.
std::vector<std::string> language_differences(const xxgk::CheckResult& en, const xxgk::CheckResult& zh) {
  std::vector<std::string> out;
  if (en.findings.size() != zh.findings.size()) {
    out.push_back(std::to_string(en.findings.size()) + " findings in English, " + std::to_string(zh.findings.size()) +
                  " in Chinese");
    return out;
  }
  static const std::regex unfilled(R"(\{[a-z_]+(\|cn)?\}|^[a-z0-9.-]+ [a-z_]+=)");
  for (size_t i = 0; i < en.findings.size(); ++i) {
    const auto& e = en.findings[i];
    const auto& z = zh.findings[i];
    const std::string at = where(e.location) + " " + e.rule;
    if (e.rule != z.rule || e.status != z.status || e.severity != z.severity || where(e.location) != where(z.location) ||
        e.fingerprint != z.fingerprint || e.evidence.terms.size() != z.evidence.terms.size() ||
        e.evidence.facts.size() != z.evidence.facts.size())
      out.push_back(at + ": the Chinese finding differs beyond its message");
    if (std::regex_search(z.message, unfilled)) out.push_back(at + ": incomplete Chinese message: " + z.message);
    if (z.message == e.message) out.push_back(at + ": the Chinese message is the English one: " + z.message);
  }
  if (en.report.is_report != zh.report.is_report || en.tables.size() != zh.tables.size())
    out.push_back("the report facts differ between languages");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  bool update = false;
  std::string show, dir, show_language = "en";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--update") update = true;
    else if (a == "--show" && i + 1 < argc) show = argv[++i];
    else if (a == "--lang" && i + 1 < argc) show_language = argv[++i];
    else dir = a;
  }
  std::string error;
  xxgk::Options english;
  english.language = "en";
  auto checker = xxgk::Checker::create(english, &error);
  auto chinese = xxgk::Checker::create({}, &error);
  if (!checker || !chinese) {
    std::cerr << "grammars: " << error << "\n";
    return 2;
  }
  if (!show.empty()) {
    const auto& shown = show_language == "en" ? *checker : *chinese;
    std::cout << render(fs::path(show).filename().string(), shown.check(read(show), {show, {}}));
    return 0;
  }
  if (dir.empty()) {
    std::cerr << "usage: xxgk_corpus [--update] DIR | --show FILE\n";
    return 2;
  }
  std::vector<fs::path> reports;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && (e.path().extension() == ".txt" || e.path().extension() == ".html"))
      reports.push_back(e.path());
  std::sort(reports.begin(), reports.end());
  if (reports.empty()) {
    std::cerr << "no reports in " << dir << "\n";
    return 2;
  }
  size_t differ = 0, missing = 0;
  for (const auto& path : reports) {
    const std::string name = path.filename().string();
    const std::string text = read(path);
    const xxgk::CheckResult result = checker->check(text, {name, {}});
    std::string actual = render(name, result);
    fs::path expected_path = path;
    expected_path.replace_extension(".expected");
    if (update) {
      if (!fs::exists(expected_path) || read(expected_path) != actual) {
        std::ofstream(expected_path, std::ios::binary) << actual;
        std::cout << "updated " << expected_path.filename().string() << "\n";
      }
      continue;
    }
    if (!fs::exists(expected_path)) {
      std::cerr << name << ": no expected result (" << expected_path.filename().string() << ")\n";
      ++missing;
      continue;
    }
    std::string expected = read(expected_path);
    bool same = expected == actual;
    if (!same) show_difference(name, expected, actual);
    for (const std::string& d : language_differences(result, chinese->check(text, {name, {}}))) {
      std::cerr << name << ": " << d << "\n";
      same = false;
    }
    if (!same) ++differ;
  }
  if (update) return 0;
  std::cout << reports.size() << " reports: " << reports.size() - differ - missing << " as expected, " << differ
            << " differ, " << missing << " without an expected result\n";
  return differ || missing ? 1 : 0;
}
