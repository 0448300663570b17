// output/html_report.cpp — one self-contained HTML page for an auditor: the findings first (by part, each marking
// exactly its characters in the source), the rebuilt tables in the standard layout with the failing and uncertain
// cells marked (a panel states the relation as the standard writes it, with 填报值 / 应为 / 差额), the source (for
// an HTML page the text read from it, long one-line crawls as windows around the findings), filters, the language
// switch, print styles; for several documents or a scan, an overview with charts and a table of the documents.
// Every interface word comes from the catalogue (grammars/interface.xml); every piece of report text is escaped;
// the page loads nothing from the network.
#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "output/layout.hpp"
#include "util/utf8.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

std::string esc(std::string_view s) { return output::escape_markup(s); }

std::string number_text(const std::optional<double>& v) {
  if (!v) return "—";
  std::ostringstream s;
  s << *v;
  return s.str();
}

// Interface words in every language of the catalogue: the page shows `start`, the switch swaps in the others.
class Ui {
 public:
  Ui(const Words& words, std::string start) : words_(words), start_(std::move(start)) {}
  //! A word of the interface, in a span the language switch rewrites.
  std::string t(std::string_view id, const Words::Args& args = {}) const {
    std::string out = "<span class=\"i18n\"";
    for (const std::string& l : words_.languages()) out += " data-l-" + l + "=\"" + esc(words_.say(l, id, args)) + "\"";
    return out + ">" + esc(words_.say(start_, id, args)) + "</span>";
  }
  //! The same as attributes of an element that is not a span (an <option>).
  std::string attrs(std::string_view id) const {
    std::string out = " class=\"i18n\"";
    for (const std::string& l : words_.languages()) out += " data-l-" + l + "=\"" + esc(words_.say(l, id)) + "\"";
    return out;
  }
  std::string plain(std::string_view id, const Words::Args& args = {}) const { return words_.say(start_, id, args); }
  const Words& words() const { return words_; }
  const std::string& start() const { return start_; }

 private:
  const Words& words_;
  std::string start_;
};

// Evidence names are fixed English keys (docs/schema.md); the panel shows them in the interface language.
std::string fact_name(const Ui& ui, const std::string& name) {
  std::string id = "ui.fact." + name;
  for (char& c : id)
    if (c == ' ') c = '-';
  if (ui.words().has(id)) return ui.t(id);
  for (const char* prefix : {"format ", "evidence score "}) {
    const std::string p = prefix;
    if (name.rfind(p, 0) == 0) {
      std::string base = "ui.fact." + p.substr(0, p.size() - 1);
      for (char& c : base)
        if (c == ' ') c = '-';
      return ui.t(base, {{"value", name.substr(p.size())}});
    }
  }
  return esc(name);
}

const char* kStyle = R"CSS(
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:0;color:#1d2329;background:#f6f7f9}
header{background:#243447;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0;flex:1}
button,select,input{font:inherit;padding:3px 8px}
main{padding:16px 20px;max-width:1400px;display:flex;flex-direction:column}
section.overview{order:-1}
section.report{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:12px 16px;margin-bottom:20px}
.counts > span{display:inline-block;margin-right:14px}
.sev-error{color:#b3261e}.sev-warning{color:#9a6700}.sev-info{color:#3b5b8c}.uncertain{color:#6b4fa0}
h4{margin:14px 0 4px}
table.grid{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
table.grid th,table.grid td{border:1px solid #c9d0d8;padding:2px 6px;text-align:right}
table.grid th{background:#eef1f4;text-align:center;font-weight:normal}table.grid td.label{text-align:left}
td.cell-fail{background:#fbd4d0;cursor:pointer;font-weight:bold}
td.cell-uncertain{background:#e6dcf5;cursor:pointer}
td.cell-missing{color:#999}
ol.findings li{margin:4px 0;padding:4px 6px;border-left:4px solid #ccc;cursor:pointer}
ol.findings li.error{border-color:#b3261e}ol.findings li.warning{border-color:#d4a72c}ol.findings li.info{border-color:#3b5b8c}
ol.findings li.is-uncertain{border-style:dashed;border-color:#6b4fa0}
ol.findings li.hidden{display:none}
.where{color:#6b7580;font-size:12px}
.source{font-family:monospace;font-size:12px;white-space:pre-wrap;word-break:break-all;background:#fbfbfc;border:1px solid #e3e6ea;max-height:420px;overflow:auto}
.source .line{display:block}.source .line.focus{background:#fff8d6}
.source .ln{color:#98a2ad;display:inline-block;width:5em;user-select:none}
.source .gap{color:#98a2ad}
mark.spot{background:#ffe08a;border-bottom:2px solid #c98a00;padding:0}
mark.spot.review{background:#e6dcf5;border-bottom-color:#6b4fa0}
mark.spot.focus{background:#ffb703;outline:2px solid #b3261e}
#panel{position:fixed;right:16px;top:70px;width:400px;max-height:70vh;overflow:auto;background:#fff;border:1px solid #9aa5b1;
       box-shadow:0 4px 16px rgba(0,0,0,.2);padding:10px 12px;display:none;font-size:13px}
#panel.open{display:block}
#panel table{border-collapse:collapse}#panel td{padding:1px 6px;border-bottom:1px solid #eee;vertical-align:top}
#panel td.sign{font-weight:bold;text-align:center}
#panel .formula{font-size:15px;margin:6px 0}
svg.chart{display:block;margin:4px 0 12px}
svg.chart text{font-size:11px;fill:#1d2329}
.charts{display:flex;flex-wrap:wrap;gap:24px}
table.documents{border-collapse:collapse;font-size:13px;width:100%}
table.documents th,table.documents td{border-bottom:1px solid #e3e6ea;padding:2px 6px;text-align:left}
table.documents th{cursor:pointer;background:#eef1f4;position:sticky;top:0}
table.documents td.n{text-align:right}
table.documents tr.doc-skipped td,table.documents tr.doc-error td{color:#6b7580}
table.documents tr.hidden{display:none}
@page{size:A4;margin:12mm}
@page wide{size:A4 landscape;margin:10mm}
@media print{header .controls,#panel,.filters{display:none}.source{max-height:none;overflow:visible}
section.report{break-after:page;border:none}body{background:#fff}
table.grid thead{display:table-header-group}table.grid tr{break-inside:avoid}
table.grid.wide{page:wide;font-size:8pt;width:100%;table-layout:fixed}table.grid.wide th{font-size:7pt;word-break:keep-all}
table.grid.wide td.label{width:14%}}
)CSS";

const char* kScript = R"JS(
(function(){
  var root=document.documentElement,langs=(root.getAttribute('data-languages')||'zh').split(' '),lang=root.getAttribute('data-start-lang')||langs[0];
  function setLang(l){lang=l;root.lang=(l==='zh'?'zh-CN':l);
    function swap(r){r.querySelectorAll('.i18n').forEach(function(e){var v=e.getAttribute('data-l-'+l);if(v!==null)e.textContent=v;});}
    swap(document);document.querySelectorAll('template').forEach(function(t){swap(t.content);});}
  document.getElementById('lang').addEventListener('click',function(){setLang(langs[(langs.indexOf(lang)+1)%langs.length]);});
  // The rule filter lists the rules found on the page.
  var rules={};document.querySelectorAll('ol.findings li[data-rule]').forEach(function(li){rules[li.dataset.rule]=1;});
  Object.keys(rules).sort().forEach(function(r){var o=document.createElement('option');o.textContent=r;o.value=r;document.getElementById('rule').appendChild(o);});
  function filter(){var kind=document.getElementById('sev').value,rule=document.getElementById('rule').value;
    document.querySelectorAll('ol.findings li').forEach(function(li){
      var ok=(kind===''||li.dataset.kind===kind)&&(rule===''||li.dataset.rule===rule);li.classList.toggle('hidden',!ok);});}
  document.getElementById('sev').addEventListener('change',filter);
  document.getElementById('rule').addEventListener('change',filter);
  var panel=document.getElementById('panel');
  function show(ids){var html='';ids.split(' ').forEach(function(id){var tpl=document.getElementById('ev-'+id);if(tpl)html+=tpl.innerHTML;});
    panel.innerHTML='<button class="close">×</button>'+html;panel.classList.add('open');
    panel.querySelector('.close').addEventListener('click',function(){panel.classList.remove('open');});}
  function focus(li){document.querySelectorAll('.focus').forEach(function(e){e.classList.remove('focus');});
    var spot=li.dataset.mark&&document.getElementById(li.dataset.mark);
    var line=li.dataset.target&&document.getElementById(li.dataset.target);
    if(spot){spot.classList.add('focus');spot.scrollIntoView({block:'center'});}
    else if(line){line.classList.add('focus');line.scrollIntoView({block:'center'});}}
  document.querySelectorAll('td[data-findings]').forEach(function(td){td.addEventListener('click',function(){show(td.dataset.findings);});});
  document.querySelectorAll('mark.spot[data-findings]').forEach(function(m){m.addEventListener('click',function(){show(m.dataset.findings);});});
  document.querySelectorAll('ol.findings li').forEach(function(li){li.addEventListener('click',function(){focus(li);show(li.dataset.id);});});
  // The documents table: sorted by a click on a heading, filtered as one types.
  var docs=document.querySelector('table.documents');
  if(docs){var body=docs.tBodies[0];
    docs.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
      var asc=th.dataset.sort!=='asc';docs.querySelectorAll('th').forEach(function(h){delete h.dataset.sort;});th.dataset.sort=asc?'asc':'desc';
      var numeric=th.classList.contains('n'),rows=Array.from(body.rows);
      rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,y=b.cells[i].dataset.v||b.cells[i].textContent;
        var c=numeric?(parseFloat(x||'-1')-parseFloat(y||'-1')):x.localeCompare(y,'zh');return asc?c:-c;});
      rows.forEach(function(r){body.appendChild(r);});});});
    var input=document.getElementById('doc-filter');
    if(input)input.addEventListener('input',function(){var q=input.value.toLowerCase();
      Array.from(body.rows).forEach(function(r){r.classList.toggle('hidden',q!==''&&r.textContent.toLowerCase().indexOf(q)<0);});});}
  if(lang!==langs[0]||root.getAttribute('data-start-lang'))setLang(lang);
})();
)JS";

// Which part a finding belongs to: the part of the table its cells are in, else the part whose heading comes
// before it, else 0 (the report as a whole).
int part_of(const CheckResult& r, const Finding& f) {
  for (const EvidenceTerm& t : f.evidence.terms)
    if (t.cell.size() > 1 && t.cell[0] == 'p' && t.cell[1] >= '1' && t.cell[1] <= '6') return t.cell[1] - '0';
  if (!f.location.line) return 0;
  int part = 0;
  for (const Section& s : r.sections)
    if (s.location.line && s.location.offset <= f.location.offset) part = s.number;
  return part;
}

// A range of the shown text a finding is about: [begin, end) in bytes of that text; `line_only` when only the line
// is known.
struct Spot {
  size_t begin = 0, end = 0;
  bool line_only = false;
  bool found = false;
};

// The shown text: a text input as it is; an HTML page as the text read from it, its offsets mapped back to the
// markup (CheckResult::rendered_origin).
class Shown {
 public:
  explicit Shown(const CheckResult& r) : r_(r) {
    html_ = r.source.content == InputKind::html && !r.rendered.empty() && r.rendered_origin.size() == r.rendered.size() + 1;
    text_ = html_ ? std::string_view(r.rendered) : std::string_view(r.text);
  }
  std::string_view text() const { return text_; }
  bool html() const { return html_; }
  //! The position in the shown text of offset `offset` of the input; npos when it is not shown (markup).
  size_t of(uint32_t offset, bool exact) const {
    if (!html_) return offset <= text_.size() ? offset : std::string_view::npos;
    const auto& origin = r_.rendered_origin;
    for (size_t i = 0; i + 1 < origin.size(); ++i)  // origins need not be monotone (header lines come first)
      if (origin[i] == offset || (!exact && origin[i] > offset && (i == 0 || origin[i - 1] < offset))) return i;
    return std::string_view::npos;
  }
  Spot spot(const Finding& f) const {
    Spot s;
    if (!f.location.line) return s;
    const size_t begin = of(f.location.offset, true);
    if (begin == std::string_view::npos) return s;
    s.found = true;
    s.begin = begin;
    if (f.end.line && f.end.offset > f.location.offset) {
      // The end is the character after the range: map the last byte of the range and step over its character.
      size_t last = of(f.end.offset - 1, true);
      if (last != std::string_view::npos && last >= begin) {
        s.end = last + 1;
        while (s.end < text_.size() && (static_cast<unsigned char>(text_[s.end]) & 0xC0) == 0x80) ++s.end;
        return s;
      }
    }
    // No end of its own: the cell it starts at, when its text stands there as written.
    for (const EvidenceTerm& t : f.evidence.terms)
      if (t.location.offset == f.location.offset && !t.raw.empty() && text_.substr(begin, t.raw.size()) == t.raw) {
        s.end = begin + t.raw.size();
        return s;
      }
    s.line_only = true;
    return s;
  }

 private:
  const CheckResult& r_;
  bool html_ = false;
  std::string_view text_;
};

constexpr size_t kWholeLine = 2000;  // characters of a line shown whole; longer lines as windows around marks
constexpr size_t kWindow = 240;      // characters shown on each side of a mark in a long line

struct Mark {
  size_t begin, end;
  std::string id, findings, kind;
};

// The source as lines with the findings' ranges marked; a long line (a crawl on one line) as windows around the
// marks; in compact pages only the lines with marks and two either side.
std::string source_block(const Shown& shown, const std::string& prefix, std::vector<Mark> marks, const std::set<size_t>& lines_marked,
                         bool compact) {
  const std::string_view text = shown.text();
  std::sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) { return a.begin < b.begin; });
  // Marks never overlap: a later one starts after the one before ends.
  for (size_t i = 1; i < marks.size(); ++i) marks[i].begin = std::max(marks[i].begin, marks[i - 1].end);
  std::erase_if(marks, [](const Mark& m) { return m.end <= m.begin; });
  std::set<size_t> shown_lines;
  const bool whole = !compact && text.size() < (2u << 20);
  if (!whole)
    for (size_t l : lines_marked)
      for (size_t k = l > 2 ? l - 2 : 1; k <= l + 2; ++k) shown_lines.insert(k);
  std::string out = "<div class=\"source\">";
  size_t number = 1, next_mark = 0;
  bool gap = false;
  for (size_t pos = 0; pos <= text.size(); ++number) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    while (next_mark < marks.size() && marks[next_mark].end <= pos) ++next_mark;
    if (whole || shown_lines.count(number)) {
      if (gap) out += "<span class=\"line gap\">…</span>";
      gap = false;
      // Pieces of the line to show: all of it, or windows around its marks.
      std::vector<std::pair<size_t, size_t>> pieces;
      const size_t chars = utf8::length(text.substr(pos, end - pos));
      if (chars <= kWholeLine) {
        pieces.emplace_back(pos, end);
      } else {
        for (size_t m = next_mark; m < marks.size() && marks[m].begin < end; ++m) {
          size_t from = marks[m].begin, to = std::min(marks[m].end, end);
          for (size_t k = 0; k < kWindow && from > pos; ++k) from = utf8::start_of(text, from - 1);
          for (size_t k = 0; k < kWindow && to < end; ++k) to += utf8::sequence_length(static_cast<unsigned char>(text[to]));
          if (!pieces.empty() && from <= pieces.back().second) pieces.back().second = std::max(pieces.back().second, to);
          else pieces.emplace_back(from, to);
        }
        if (pieces.empty()) pieces.emplace_back(pos, pos + utf8::start_of(text.substr(pos, end - pos), kWindow * 2));
      }
      out += "<span class=\"line\" id=\"" + prefix + "L" + std::to_string(number) + "\"><span class=\"ln\">" + std::to_string(number) + "</span>";
      for (size_t p = 0; p < pieces.size(); ++p) {
        auto [from, to] = pieces[p];
        if (from > pos) out += "<span class=\"gap\">…</span>";
        size_t at = from;
        for (size_t m = next_mark; m < marks.size() && marks[m].begin < to; ++m) {
          const Mark& mark = marks[m];
          if (mark.end <= at) continue;
          const size_t b = std::max(mark.begin, at), e = std::min(mark.end, to);
          out += esc(text.substr(at, b - at));
          out += "<mark class=\"spot" + std::string(mark.kind == "review" ? " review" : "") + "\" id=\"" + mark.id + "\" data-findings=\"" +
                 mark.findings + "\">" + esc(text.substr(b, e - b)) + "</mark>";
          at = e;
        }
        out += esc(text.substr(at, to - at));
        if (to < end && p + 1 == pieces.size()) out += "<span class=\"gap\">…</span>";
      }
      out += "</span>";
    } else {
      gap = true;
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
  return out + "</div>";
}

// The header rows of a table in the standard layout: one row per level of the column paths, a header spanning
// the columns below it, a path that ends early spanning the rows below it.
std::string header_rows(const Ui& ui, const Table& table, const output::TableLayout& layout) {
  std::vector<std::vector<std::string>> paths;
  size_t depth = 1;
  for (const std::string& c : layout.columns) {
    std::vector<std::string> path;
    for (const Row& row : table.rows)
      if (const Cell* cell = output::TableLayout::cell(row, c); cell && !cell->column_path.empty()) {
        path = cell->column_path;
        break;
      }
    if (path.empty()) path.push_back(layout.header.at(c));
    depth = std::max(depth, path.size());
    paths.push_back(std::move(path));
  }
  std::string out = "<thead>";
  for (size_t level = 0; level < depth; ++level) {
    out += "<tr>";
    if (level == 0) out.append("<th rowspan=\"").append(std::to_string(depth)).append("\">").append(ui.t("ui.html.item")).append("</th>");
    for (size_t c = 0; c < paths.size();) {
      if (level >= paths[c].size()) {
        ++c;
        continue;
      }
      size_t span = 1;
      // Columns share a header where their paths agree up to this level (and go on below it).
      while (c + span < paths.size() && paths[c + span].size() > level && level + 1 < paths[c].size() &&
             std::equal(paths[c].begin(), paths[c].begin() + static_cast<long>(level) + 1, paths[c + span].begin()))
        ++span;
      const size_t rows = level + 1 == paths[c].size() ? depth - level : 1;
      out += "<th";
      if (span > 1) out.append(" colspan=\"").append(std::to_string(span)).append("\"");
      if (rows > 1) out.append(" rowspan=\"").append(std::to_string(rows)).append("\"");
      out.append(">").append(esc(paths[c][level])).append("</th>");
      c += span;
    }
    out += "</tr>";
  }
  return out + "</thead>";
}

// Row and column of each term (its label is "row | column"): the part the terms do not share — the rows of a
// column relation, the columns of a row relation — and the part they share, said once.
struct TermLabels {
  std::vector<std::string> own;
  std::string shared;
};
TermLabels term_labels(const std::vector<EvidenceTerm>& terms) {
  TermLabels out;
  std::vector<std::pair<std::string, std::string>> parts;
  bool split = true;
  for (const EvidenceTerm& t : terms) {
    const std::string label = t.label.empty() ? t.cell : t.label;
    const size_t bar = label.find(" | ");
    split &= bar != std::string::npos;
    parts.emplace_back(bar == std::string::npos ? label : label.substr(0, bar), bar == std::string::npos ? "" : label.substr(bar + 3));
  }
  auto all_same = [&](bool column) {
    return std::all_of(parts.begin(), parts.end(), [&](const auto& p) { return (column ? p.second : p.first) == (column ? parts[0].second : parts[0].first); });
  };
  const bool same_column = split && parts.size() > 1 && all_same(true), same_row = split && parts.size() > 1 && !same_column && all_same(false);
  for (size_t i = 0; i < parts.size(); ++i)
    out.own.push_back(same_column ? parts[i].first : same_row ? parts[i].second : terms[i].label.empty() ? terms[i].cell : terms[i].label);
  if (same_column) out.shared = parts[0].second;
  if (same_row) out.shared = parts[0].first;
  return out;
}

// The panel of a finding: the relation as the standard writes it (一 ＋ 二 ＝ （七）＋ 四), each term with its value,
// then 填报值 / 应为 / 差额, then the other evidence.
std::string panel_of(const Ui& ui, const Finding& f, const std::string& id) {
  std::string out = "<template id=\"ev-" + id + "\"><p><b>" + esc(f.rule) + "</b> " + esc(f.message) + "</p>";
  const std::vector<EvidenceTerm>& terms = f.evidence.terms;
  const size_t left = static_cast<size_t>(std::count_if(terms.begin(), terms.end(), [](const EvidenceTerm& t) { return t.side == "left"; }));
  const bool relation = left > 0 && left < terms.size();
  if (!terms.empty()) {
    const TermLabels labels = term_labels(terms);
    if (!labels.shared.empty()) out += "<p>" + ui.t("ui.html.along") + esc(labels.shared) + "</p>";
    if (relation) {
      std::string formula;
      bool first_left = true, first_right = true;
      for (size_t i = 0; i < terms.size(); ++i) {
        const bool is_left = terms[i].side == "left";
        if (is_left) formula += first_left ? "" : " " + ui.t("ui.html.plus") + " ";
        else formula += first_right ? " " + ui.t("ui.html.equals") + " " : " " + ui.t("ui.html.plus") + " ";
        (is_left ? first_left : first_right) = false;
        formula += esc(labels.own[i]);
      }
      out += "<p class=\"formula\">" + formula + "</p>";
    }
    out += "<table>";
    bool first_left = true, first_right = true;
    for (size_t i = 0; i < terms.size(); ++i) {
      const EvidenceTerm& term = terms[i];
      std::string sign;
      if (relation) {
        const bool is_left = term.side == "left";
        sign = is_left ? (first_left ? "" : ui.t("ui.html.plus")) : (first_right ? ui.t("ui.html.equals") : ui.t("ui.html.plus"));
        (is_left ? first_left : first_right) = false;
      }
      std::string value = esc(term.raw.empty() ? number_text(term.value) : term.raw);
      // The cell's status only where it matters: a value cut by arithmetic, in doubt, blank, missing, invalid.
      if (term.status && *term.status != CellStatus::ok && *term.status != CellStatus::split)
        value += " <small>(" + ui.t(std::string("ui.cell-status.") + to_string(*term.status)) + ")</small>";
      out += "<tr><td class=\"sign\">" + sign + "</td><td>" + esc(labels.own[i]) + "</td><td>" + value + "</td></tr>";
    }
    out += "</table>";
  }
  if (f.evidence.reported || f.evidence.computed) {
    // A total against its addends: 填报值 (the total as written), 应为 (what the addends give), 差额. Two sums
    // against each other (一＋二 ＝ 三＋四): neither is "computed", so the two sides are named as sides.
    const bool one_total = left <= 1;
    out += "<p>" + ui.t(one_total ? "ui.html.reported" : "ui.html.left-side") + " " + number_text(f.evidence.reported) + " · " +
           ui.t(one_total ? "ui.html.should-be" : "ui.html.right-side") + " " + number_text(f.evidence.computed);
    if (f.evidence.difference) out += " · " + ui.t("ui.html.difference") + " " + number_text(f.evidence.difference);
    out += "</p>";
  }
  for (const auto& [name, value] : f.evidence.facts) out += "<p>" + fact_name(ui, name) + ui.t("ui.html.colon") + esc(value) + "</p>";
  if (!f.evidence.candidates.empty()) {
    out += "<p>" + ui.t("ui.fact.possible-values") + ui.t("ui.html.colon");
    for (size_t i = 0; i < f.evidence.candidates.size(); ++i) out += (i ? " · " : "") + esc(f.evidence.candidates[i]);
    out += "</p>";
  }
  return out + "</template>\n";
}

std::string finding_item(const Ui& ui, const Finding& f, const std::string& id, const std::string& target, const std::string& mark,
                         bool html_input) {
  const std::string kind = kind_of(f);
  std::string out = "<li id=\"" + id + "\" class=\"" + to_string(f.severity) + (f.status == FindingStatus::uncertain ? " is-uncertain" : "") +
                    "\" data-id=\"" + id + "\" data-rule=\"" + esc(f.rule) + "\" data-kind=\"" + kind + "\" data-severity=\"" +
                    to_string(f.severity) + "\" data-status=\"" + to_string(f.status) + "\" data-target=\"" + target + "\"" +
                    (mark.empty() ? "" : " data-mark=\"" + mark + "\"") + ">";
  out += "<span class=\"" + std::string(kind == "review" ? "uncertain" : "sev-" + kind) + "\">" + ui.t("ui.kind." + kind) + "</span> " +
         esc(f.message) + " <code>[" + esc(f.rule) + "]</code>";
  // A PDF location's line counts from the top of its page (issue 14).
  if (f.location.page)
    out += " <span class=\"where\">" +
           ui.t("ui.html.page-at", {{"page", std::to_string(f.location.page)}, {"line", std::to_string(f.location.line)}}) + "</span>";
  else if (f.location.line)
    out += " <span class=\"where\">" + ui.t(html_input ? "ui.html.markup-at" : "ui.html.at",
                                            {{"line", std::to_string(f.location.line)}, {"column", std::to_string(f.location.column)}}) +
           "</span>";
  return out + "</li>\n";
}

void write_section(std::ostream& out, const Ui& ui, const CheckResult& r, size_t index, bool compact) {
  std::string prefix = "r";  // built step by step: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string
  prefix += std::to_string(index);
  prefix += '-';
  out << "<section class=\"report\" id=\"" << prefix << "report\">\n<h2>" << esc(r.report.title.empty() ? r.source.path : r.report.title)
      << "</h2>\n<p class=\"path\">" << esc(r.source.path) << (r.report.agency.empty() ? "" : " · " + esc(r.report.agency)) << "</p>\n";
  if (r.error) {
    out << "<p class=\"sev-error\">" << ui.t("ui.html.cannot-read") << ui.t("ui.html.colon") << esc(r.error->message) << " [input."
        << esc(r.error->code) << "]</p></section>\n";
    return;
  }
  Tally tally;
  tally.add(r);
  out << "<p class=\"counts\"><span>" << ui.t("ui.html.format") << ui.t("ui.html.colon") << esc(r.report.format) << "</span><span>"
      << ui.t("ui.html.year") << ui.t("ui.html.colon") << (r.report.year ? std::to_string(*r.report.year) : "—") << "</span><span class=\"sev-error\">"
      << ui.t("ui.html.errors") << ": " << tally.errors << "</span><span class=\"sev-warning\">" << ui.t("ui.html.warnings") << ": " << tally.warnings
      << "</span><span class=\"sev-info\">" << ui.t("ui.html.infos") << ": " << tally.infos << "</span><span class=\"uncertain\">"
      << ui.t("ui.html.review") << ": " << tally.uncertain << "</span></p>\n";
  if (!r.skipped.empty()) out << "<p>" << ui.t("ui.html.skipped") << ui.t("ui.html.colon") << esc(r.skipped) << "</p>\n";

  // Findings by part, each with the range it marks in the source.
  const Shown shown(r);
  const output::CellMarks cells = output::marks_of(r);
  std::vector<Mark> marks;
  std::map<std::pair<size_t, size_t>, size_t> mark_at;  // range -> index in marks (findings about the same characters)
  std::set<size_t> lines_marked;
  std::map<int, std::string> by_part;
  std::string panels;
  auto line_of = [&](size_t pos) { return static_cast<size_t>(std::count(shown.text().begin(), shown.text().begin() + static_cast<long>(pos), '\n')) + 1; };
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    const std::string id = prefix + "f" + std::to_string(i);
    const Spot spot = shown.spot(f);
    std::string mark_id, target;
    if (spot.found) {
      const size_t line = line_of(spot.begin);
      lines_marked.insert(line);
      target = prefix + "L" + std::to_string(line);
      if (!spot.line_only) {
        auto [it, fresh] = mark_at.try_emplace({spot.begin, spot.end}, marks.size());
        if (fresh) marks.push_back(Mark{spot.begin, spot.end, prefix + "m" + std::to_string(marks.size()), id, kind_of(f)});
        else marks[it->second].findings += " " + id;
        mark_id = marks[it->second].id;
      }
    }
    by_part[part_of(r, f)] += finding_item(ui, f, id, target, mark_id, shown.html());
    panels += panel_of(ui, f, id);
  }
  out << "<h3>" << ui.t("ui.html.findings") << "</h3>\n";
  if (r.findings.empty()) out << "<p>" << ui.t("ui.html.no-findings") << "</p>\n";
  for (int part : {1, 2, 3, 4, 5, 6, 0}) {
    auto it = by_part.find(part);
    if (it == by_part.end()) continue;
    out << "<h4>" << ui.t("ui.part." + std::to_string(part)) << "</h4>\n<ol class=\"findings\" data-part=\"" << part << "\">\n" << it->second << "</ol>\n";
  }
  out << panels;

  // The tables in the standard layout, titled as the standard titles its parts.
  for (const Table& table : r.tables) {
    if (compact && !std::any_of(table.rows.begin(), table.rows.end(), [&](const Row& row) {
          return std::any_of(row.cells.begin(), row.cells.end(), [&](const Cell& c) {
            const std::string id = table.id + "/" + row.id + "/" + c.column;
            return cells.failing.count(id) || cells.uncertain.count(id) || c.status == CellStatus::uncertain;
          });
        }))
      continue;  // scans: only the tables with something to look at
    const output::TableLayout layout = output::layout_of(table);
    out << "<h3>" << ui.t((table.part ? "ui.part." : "ui.table.") + std::to_string(table.part)) << " <small>(" << ui.t("ui.format", {{"format", table.format}})
        << ")</small></h3>\n<table class=\"grid" << (layout.columns.size() > 10 ? " wide" : "") << "\" data-table=\"" << esc(table.id)
        << "\" data-part=\"" << table.part << "\">" << header_rows(ui, table, layout) << "<tbody>\n";
    for (const Row& row : table.rows) {
      out << "<tr><td class=\"label\">" << esc(row.label) << "</td>";
      for (const std::string& column : layout.columns) {
        const Cell* cell = output::TableLayout::cell(row, column);
        if (!cell) {
          out << "<td></td>";
          continue;
        }
        const std::string id = table.id + "/" + row.id + "/" + column;
        std::string cls = cells.failing.count(id) ? "cell-fail" : cells.uncertain.count(id) || cell->status == CellStatus::uncertain ? "cell-uncertain" : "";
        if (cell->status == CellStatus::missing) cls += " cell-missing";
        out << "<td data-cell=\"" << esc(id) << "\"" << (cls.empty() ? "" : " class=\"" + cls + "\"");
        if (auto it = cells.findings.find(id); it != cells.findings.end()) {
          out << " data-findings=\"";
          for (size_t k = 0; k < it->second.size(); ++k) out << (k ? " " : "") << prefix << "f" << it->second[k];
          out << "\"";
        }
        out << " title=\"" << esc(row.label + " · " + layout.header.at(column) + " · " + ui.plain("ui.cell-status." + std::string(to_string(cell->status))))
            << "\">" << esc(cell->value ? number_text(cell->value) : cell->raw) << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</tbody></table>\n";
  }

  // The parts as found, then the source.
  out << "<h3>" << ui.t("ui.html.parts") << "</h3>\n<ol class=\"parts\">";
  for (const Section& s : r.sections) {
    const size_t at = shown.of(s.location.offset, false);
    out << "<li value=\"" << s.number << "\">";
    if (at != std::string_view::npos) out << "<a href=\"#" << prefix << "L" << line_of(at) << "\">" << esc(s.heading) << "</a>";
    else out << esc(s.heading);
    out << (s.canonical ? "" : " <span class=\"sev-info\">(" + ui.t("ui.html.worded-differently") + ")</span>") << "</li>";
  }
  out << "</ol>\n<h3>" << ui.t(shown.html() ? "ui.html.source-rendered" : "ui.html.source") << "</h3>\n"
      << source_block(shown, prefix, std::move(marks), lines_marked, compact) << "\n</section>\n";
}

// Scans (compact) give a section only to documents with something to look at.
bool gets_section(const CheckResult& r, bool compact) { return !compact || r.error || !r.findings.empty(); }

// A horizontal bar chart in inline SVG: one bar per label, split by kind (proven errors, warnings, info, to review).
std::string bar_chart(const Ui& ui, const std::string& title_id, const std::vector<std::pair<std::string, std::array<size_t, 4>>>& rows) {
  if (rows.empty()) return {};
  static const char* const kColors[] = {"#b3261e", "#d4a72c", "#3b5b8c", "#6b4fa0"};
  size_t most = 1;
  for (const auto& [label, n] : rows) most = std::max(most, n[0] + n[1] + n[2] + n[3]);
  const int label_width = 190, bar_width = 260, row_height = 18;
  const int height = static_cast<int>(rows.size()) * row_height + 6;
  std::string out = "<figure class=\"chart\"><figcaption>" + ui.t(title_id) + "</figcaption><svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(label_width + bar_width + 60) + "\" height=\"" + std::to_string(height) + "\" role=\"img\">";
  int y = 2;
  for (const auto& [label, n] : rows) {
    out += "<text x=\"0\" y=\"" + std::to_string(y + 12) + "\">" + esc(label) + "</text>";
    double x = label_width;
    size_t total = 0;
    for (size_t k = 0; k < 4; ++k) {
      total += n[k];
      if (!n[k]) continue;
      const double w = static_cast<double>(bar_width) * static_cast<double>(n[k]) / static_cast<double>(most);
      char rect[200];
      std::snprintf(rect, sizeof rect, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%zu</title></rect>", x, y + 2, w,
                    row_height - 5, kColors[k], n[k]);
      out += rect;
      x += w;
    }
    out += "<text x=\"" + std::to_string(static_cast<int>(x) + 4) + "\" y=\"" + std::to_string(y + 12) + "\">" + std::to_string(total) + "</text>";
    y += row_height;
  }
  return out + "</svg></figure>";
}

// The page's head and its controls: the filters and the language switch.
void write_head(std::ostream& out, const Ui& ui, const std::string& title, const std::string& generator) {
  std::string languages;
  for (const std::string& l : ui.words().languages()) languages += (languages.empty() ? "" : " ") + l;
  std::string switch_label;
  for (const std::string& l : ui.words().languages()) switch_label += (switch_label.empty() ? "" : " / ") + ui.words().say(l, "ui.html.language-name");
  out << "<!DOCTYPE html>\n<html lang=\"" << (ui.start() == "zh" ? "zh-CN" : esc(ui.start())) << "\" data-start-lang=\"" << esc(ui.start())
      << "\" data-languages=\"" << esc(languages) << "\"><head><meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"xxgk "
      << esc(generator) << "\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
         "<title>"
      << esc(title) << "</title><style>" << kStyle << "</style></head><body>\n<header><h1>" << esc(title) << "</h1><span class=\"controls\">"
      << "<select id=\"sev\"><option value=\"\"" << ui.attrs("ui.html.all-kinds") << ">" << esc(ui.plain("ui.html.all-kinds")) << "</option>";
  for (const char* kind : {"error", "warning", "info", "review"})
    out << "<option value=\"" << kind << "\"" << ui.attrs(std::string("ui.kind.") + kind) << ">" << esc(ui.plain(std::string("ui.kind.") + kind)) << "</option>";
  out << "</select> <select id=\"rule\"><option value=\"\"" << ui.attrs("ui.html.all-rules") << ">" << esc(ui.plain("ui.html.all-rules"))
      << "</option></select> <button id=\"lang\">" << esc(switch_label) << "</button></span></header>\n<main>\n";
}

void write_tail(std::ostream& out) {
  out << "</main>\n<div id=\"panel\"></div>\n<script>" << kScript << "</script>\n</body></html>\n";
  out.flush();
}

}  // namespace

struct HtmlReport::State {
  State(std::ostream& o, Settings s) : out(o), settings(std::move(s)), ui(settings.words ? *settings.words : Words::builtin(), settings.language) {}
  std::ostream& out;
  Settings settings;
  Ui ui;
  std::FILE* index = nullptr;  // rows of the documents table until finish(): a scan's table need not fit in memory
  size_t index_bytes = 0;       // complete rows in the temporary file
  bool index_full = false;
  std::string index_in_memory;  // rows where there is no temporary file, or it is full
  Tally total;
  size_t documents = 0, next_number = 0, crossyear = 0;
  using Kinds = std::array<size_t, 4>;
  std::map<std::string, Kinds> by_rule, by_year, by_level, by_region;
  bool finished = false;
};

HtmlReport::HtmlReport(std::ostream& out, Settings settings) : state_(std::make_unique<State>(out, std::move(settings))) {
  state_->index = std::tmpfile();
  write_head(out, state_->ui, state_->settings.title, state_->settings.generator);
}

HtmlReport::~HtmlReport() {
  if (!state_->finished) finish();
  if (state_->index) std::fclose(state_->index);
}

HtmlReport::Entry HtmlReport::entry_of(const CheckResult& r, size_t number, bool compact) const {
  Entry e;
  e.number = number;
  e.path = r.source.path;
  e.title = r.report.title;
  e.agency = r.report.agency;
  e.level = r.report.level;
  e.format = r.report.format;
  e.content = to_string(r.source.content);
  e.year = r.report.year;
  const Region region = region_of(r.report.agency);
  e.region = region.province + (region.city.empty() ? "" : " " + region.city);
  e.tally.add(r);
  if (r.error) {
    e.status = "error";
    e.detail = r.error->code + ": " + r.error->message;
  } else if (!r.skipped.empty() || !r.report.is_report) {
    e.status = "skipped";
    e.detail = !r.skipped.empty() ? r.skipped : r.report.not_report_reason;
  } else {
    e.status = "checked";
    for (const Finding& f : r.findings) e.findings.emplace_back(f.rule, kind_of(f));
  }
  e.has_section = gets_section(r, compact);
  return e;
}

std::string HtmlReport::section_of(const CheckResult& r, size_t number, bool compact) const {
  if (!gets_section(r, compact)) return {};
  std::ostringstream out;
  write_section(out, state_->ui, r, number, compact);
  return out.str();
}

void HtmlReport::add(const Entry& e, const std::string& section) {
  State& s = *state_;
  const Ui& ui = s.ui;
  s.out << section;
  ++s.documents;
  s.total.errors += e.tally.errors;
  s.total.warnings += e.tally.warnings;
  s.total.infos += e.tally.infos;
  s.total.uncertain += e.tally.uncertain;
  s.total.input_errors += e.status == "error";
  s.total.skipped += e.status == "skipped";
  const std::string unknown = ui.plain("ui.unknown");
  for (const auto& [rule, kind] : e.findings) {
    const size_t k = kind == "error" ? 0 : kind == "warning" ? 1 : kind == "info" ? 2 : 3;
    ++s.by_rule[rule][k];
    ++s.by_year[e.year ? std::to_string(*e.year) : unknown][k];
    ++s.by_level[e.level.empty() ? unknown : e.level][k];
    ++s.by_region[e.region.empty() ? unknown : e.region][k];
  }
  // A row of the documents table.
  std::string row = "<tr class=\"doc-" + e.status + "\"><td>";
  const std::string name = esc(e.title.empty() ? e.path : e.title);
  if (e.has_section && !section.empty()) row += "<a href=\"#r" + std::to_string(e.number) + "-report\">" + name + "</a>";
  else row += name;
  row += "<br><small>" + esc(e.path) + "</small></td><td>" + esc(e.agency) + "</td><td>" + esc(e.level) + "</td><td>" + esc(e.region) + "</td><td class=\"n\">" +
         (e.year ? std::to_string(*e.year) : "") + "</td><td>" + esc(e.format) + (e.content == "html" ? " · HTML" : "") + "</td>";
  if (e.status == "checked")
    row += "<td class=\"n\">" + std::to_string(e.tally.errors) + "</td><td class=\"n\">" + std::to_string(e.tally.warnings) + "</td><td class=\"n\">" +
           std::to_string(e.tally.uncertain) + "</td><td>" + ui.t("ui.xlsx.doc-status.checked") + "</td>";
  else
    row += "<td></td><td></td><td></td><td>" + ui.t(e.status == "skipped" ? "ui.html.skipped" : "ui.html.cannot-read") +
           (e.detail.empty() ? "" : ui.t("ui.html.colon") + esc(e.detail)) + "</td>";
  row += "</tr>\n";
  if (s.index && !s.index_full && std::fwrite(row.data(), 1, row.size(), s.index) == row.size()) {
    s.index_bytes += row.size();
  } else {
    // No temporary file, or it is full: keep the rest in memory rather than lose it.
    s.index_full = true;
    s.index_in_memory += row;
  }
}

void HtmlReport::add(const CheckResult& result) {
  const size_t number = state_->next_number++;
  add(entry_of(result, number, state_->settings.compact), section_of(result, number, state_->settings.compact));
}

void HtmlReport::add_crossyear(const Finding& f, const std::string& agency, const std::string& document, const std::string& previous) {
  State& s = *state_;
  const Ui& ui = s.ui;
  if (s.crossyear++ == 0)
    s.out << "<section class=\"report\" id=\"crossyear\"><h2>" << ui.t("ui.html.across-years") << "</h2>\n<ol class=\"findings\">\n";
  const std::string id = "cy" + std::to_string(s.crossyear);
  const std::string kind = kind_of(f);
  s.out << "<li id=\"" << id << "\" class=\"" << to_string(f.severity) << (f.status == FindingStatus::uncertain ? " is-uncertain" : "")
        << "\" data-id=\"" << id << "\" data-rule=\"" << esc(f.rule) << "\" data-kind=\"" << kind << "\" data-severity=\"" << to_string(f.severity)
        << "\" data-status=\"" << to_string(f.status) << "\"><span class=\"" << (kind == "review" ? "uncertain" : "sev-" + kind) << "\">"
        << ui.t("ui.kind." + kind) << "</span> " << esc(agency) << ": " << esc(f.message) << " <code>[" << esc(f.rule) << "]</code> <small>"
        << esc(document) << " ← " << esc(previous) << "</small></li>\n";
  s.out << panel_of(ui, f, id);
}

void HtmlReport::finish() {
  State& s = *state_;
  if (s.finished) return;
  s.finished = true;
  const Ui& ui = s.ui;
  if (s.crossyear) s.out << "</ol></section>\n";
  // The overview goes last in the file and first on the screen (main is a flex column).
  if (s.documents > 1 || s.settings.compact) {
    s.out << "<section class=\"report overview\" id=\"index\"><h2>" << ui.t("ui.html.overview") << "</h2><p class=\"counts\"><span>"
          << ui.t("ui.html.documents") << ": " << s.documents << "</span><span class=\"sev-error\">" << ui.t("ui.html.errors") << ": " << s.total.errors
          << "</span><span class=\"sev-warning\">" << ui.t("ui.html.warnings") << ": " << s.total.warnings << "</span><span class=\"sev-info\">"
          << ui.t("ui.html.infos") << ": " << s.total.infos << "</span><span class=\"uncertain\">" << ui.t("ui.html.review") << ": "
          << s.total.uncertain << "</span>";
    if (s.total.skipped) s.out << "<span>" << ui.t("ui.html.skipped") << ": " << s.total.skipped << "</span>";
    if (s.total.input_errors) s.out << "<span class=\"sev-error\">" << ui.t("ui.html.cannot-read") << ": " << s.total.input_errors << "</span>";
    if (s.crossyear) s.out << "<span><a href=\"#crossyear\">" << ui.t("ui.html.across-years") << ": " << s.crossyear << "</a></span>";
    s.out << "</p>\n";
    // Charts: the most frequent first (rules, regions), in their order otherwise (years, levels); at most 15 bars.
    auto rows_of = [](const std::map<std::string, State::Kinds>& m, bool by_count) {
      std::vector<std::pair<std::string, std::array<size_t, 4>>> rows(m.begin(), m.end());
      if (by_count)
        std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
          return a.second[0] + a.second[1] + a.second[2] + a.second[3] > b.second[0] + b.second[1] + b.second[2] + b.second[3];
        });
      if (rows.size() > 15) rows.resize(15);
      return rows;
    };
    s.out << "<div class=\"charts\">" << bar_chart(ui, "ui.html.by-rule", rows_of(s.by_rule, true)) << bar_chart(ui, "ui.html.by-year", rows_of(s.by_year, false))
          << bar_chart(ui, "ui.html.by-level", rows_of(s.by_level, true)) << bar_chart(ui, "ui.html.by-region", rows_of(s.by_region, true))
          << "</div><p class=\"legend\"><span class=\"sev-error\">■ " << ui.t("ui.kind.error") << "</span> <span class=\"sev-warning\">■ "
          << ui.t("ui.kind.warning") << "</span> <span class=\"sev-info\">■ " << ui.t("ui.kind.info") << "</span> <span class=\"uncertain\">■ "
          << ui.t("ui.kind.review") << "</span></p>\n";
    s.out << "<p class=\"filters\"><input id=\"doc-filter\" type=\"search\" placeholder=\"" << esc(ui.plain("ui.html.filter")) << "\"></p>"
          << "<table class=\"documents\"><thead><tr><th>" << ui.t("ui.html.document") << "</th><th>" << ui.t("ui.xlsx.agency") << "</th><th>"
          << ui.t("ui.html.level") << "</th><th>" << ui.t("ui.html.region") << "</th><th class=\"n\">" << ui.t("ui.html.year") << "</th><th>"
          << ui.t("ui.html.format") << "</th><th class=\"n\">" << ui.t("ui.html.errors") << "</th><th class=\"n\">" << ui.t("ui.html.warnings")
          << "</th><th class=\"n\">" << ui.t("ui.html.review") << "</th><th>" << ui.t("ui.html.status") << "</th></tr></thead><tbody>\n";
    if (s.index) {
      std::fflush(s.index);
      std::rewind(s.index);
      char buffer[1 << 16];
      for (size_t left = s.index_bytes, n; left > 0 && (n = std::fread(buffer, 1, std::min(left, sizeof buffer), s.index)) > 0; left -= n)
        s.out.write(buffer, static_cast<std::streamsize>(n));
    }
    s.out << s.index_in_memory << "</tbody></table></section>\n";
  }
  write_tail(s.out);
}

void write_comparison_html(std::ostream& out, const YearComparison& c, const HtmlReport::Settings& settings) {
  const Ui ui(settings.words ? *settings.words : Words::builtin(), settings.language);
  write_head(out, ui, settings.title, settings.generator);
  auto year = [](const CheckResult& r) { return r.report.year ? std::to_string(*r.report.year) : std::string("?"); };
  out << "<section class=\"report\" id=\"r0-report\"><h2>" << esc(c.current.report.agency) << " " << esc(year(c.last)) << " → " << esc(year(c.current))
      << "</h2>\n<p class=\"path\">" << esc(c.last.source.path) << " → " << esc(c.current.source.path) << "</p>\n";
  // The cross-year findings, as the scan gives them.
  out << "<h3>" << ui.t("ui.html.across-years") << "</h3>\n";
  if (c.findings.empty()) out << "<p>" << ui.t("ui.html.no-findings") << "</p>\n";
  else {
    out << "<ol class=\"findings\">\n";
    for (size_t i = 0; i < c.findings.size(); ++i) out << finding_item(ui, c.findings[i], "r0-f" + std::to_string(i), "", "", false);
    out << "</ol>\n";
    for (size_t i = 0; i < c.findings.size(); ++i) out << panel_of(ui, c.findings[i], "r0-f" + std::to_string(i));
  }
  // Every cell that changed.
  out << "<h3>" << ui.t("ui.compare.changed-cells-title") << "</h3>\n<table class=\"documents changes\"><thead><tr><th>" << ui.t("ui.compare.part")
      << "</th><th>" << ui.t("ui.compare.cell") << "</th><th class=\"n\">" << esc(year(c.last)) << "</th><th class=\"n\">" << esc(year(c.current))
      << "</th><th class=\"n\">" << ui.t("ui.compare.change") << "</th></tr></thead><tbody>\n";
  for (const auto& cell : c.cells)
    out << "<tr data-cell=\"" << esc(cell.cell) << "\"><td>" << ui.t("ui.part-short." + std::to_string(cell.part)) << "</td><td>" << esc(cell.label)
        << "</td><td class=\"n\">" << number_text(cell.last) << "</td><td class=\"n\">" << number_text(cell.current) << "</td><td class=\"n\">"
        << (cell.last && cell.current ? number_text(*cell.current - *cell.last) : std::string("—")) << "</td></tr>\n";
  out << "</tbody></table>\n";
  // Prose copied from last year.
  char share[16];
  std::snprintf(share, sizeof share, "%.0f%%", c.chars ? 100.0 * c.copied / c.chars : 0.0);
  out << "<h3>" << ui.t("ui.compare.copied-title") << "</h3>\n<p>"
      << ui.t("ui.compare.copied", {{"share", share}, {"sentences", std::to_string(c.copied_sentences)}, {"of", std::to_string(c.sentences)}})
      << "</p>\n<ol class=\"copied\">\n";
  for (const auto& p : c.paragraphs) {
    std::snprintf(share, sizeof share, "%.0f%%", p.chars ? 100.0 * p.copied / p.chars : 0.0);
    out << "<li data-line=\"" << p.line << "\"><span class=\"where\">" << ui.t("ui.compare.paragraph", {{"line", std::to_string(p.line)}, {"share", share}})
        << "</span>" << esc(p.text) << "</li>\n";
  }
  out << "</ol>\n";
  // The two years' tables side by side, the changed cells marked.
  std::set<std::string> changed;
  for (const auto& cell : c.cells) changed.insert(cell.cell);
  out << "<h3>" << ui.t("ui.compare.tables") << "</h3>\n<div class=\"side-by-side\" style=\"display:flex;gap:16px;align-items:flex-start\">";
  for (const CheckResult* r : {&c.last, &c.current}) {
    out << "<div class=\"year\" data-year=\"" << esc(year(*r)) << "\" style=\"flex:1;min-width:0;overflow:auto\"><h4>" << esc(year(*r)) << "</h4>";
    for (const Table& table : r->tables) {
      const output::TableLayout layout = output::layout_of(table);
      out << "<p>" << ui.t((table.part ? "ui.part." : "ui.table.") + std::to_string(table.part)) << "</p><table class=\"grid\" data-table=\"" << esc(table.id) << "\">"
          << header_rows(ui, table, layout) << "<tbody>";
      for (const Row& row : table.rows) {
        out << "<tr><td class=\"label\">" << esc(row.label) << "</td>";
        for (const std::string& column : layout.columns) {
          const Cell* cell = output::TableLayout::cell(row, column);
          const std::string id = table.id + "/" + row.id + "/" + column;
          out << "<td" << (changed.count(id) ? " class=\"cell-fail\" data-changed=\"1\"" : "") << ">"
              << (cell ? esc(cell->value ? number_text(cell->value) : cell->raw) : std::string()) << "</td>";
        }
        out << "</tr>";
      }
      out << "</tbody></table>";
    }
    out << "</div>";
  }
  out << "</div></section>\n";
  write_tail(out);
}

void write_html_report(std::ostream& out, const std::vector<CheckResult>& results, const HtmlReport::Settings& settings) {
  HtmlReport report(out, settings);
  for (const CheckResult& r : results) report.add(r);
  report.finish();
}

}  // namespace xxgk
