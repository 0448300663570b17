// output/html_report.cpp — one self-contained HTML page for an auditor: summary, parts, rebuilt tables with the
// failing and uncertain cells marked (a panel lists addends, reported and computed values), findings linked to
// their lines, filters by severity and rule, a Chinese/English switch for the interface, print styles.
// Every piece of report text is escaped; the page loads nothing from the network.
#include <algorithm>
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

// Interface text in both languages; the page starts in Chinese.
std::string t(std::string_view zh, std::string_view en) {
  return "<span class=\"i18n\" data-zh=\"" + esc(zh) + "\" data-en=\"" + esc(en) + "\">" + esc(zh) + "</span>";
}

// Proven findings by severity; uncertain ones are "to review", whatever their severity.
std::string kind_text(const Finding& f) {
  const std::string kind = kind_of(f);
  if (kind == "error") return t("错误", "error");
  if (kind == "warning") return t("警告", "warning");
  if (kind == "info") return t("提示", "info");
  return t("存疑", "to review");
}

// Evidence names are fixed English keys (docs/schema.md); the panel shows them in the interface language.
std::string fact_name(const std::string& name) {
  static const std::map<std::string, std::string, std::less<>> kChinese = {
      {"basis", "依据"}, {"block", "部分"}, {"body", "机关"}, {"bracket", "括号"}, {"canonical", "规范写法"},
      {"cells", "单元格"}, {"characters reused", "重复字数"}, {"claim", "正文说法"}, {"columns", "列"},
      {"comes after part", "排在其后的部分"}, {"deadline", "期限"}, {"doubt", "存疑原因"}, {"empty cells", "空白单元格"},
      {"ends", "结束于"}, {"expected heading", "应有标题"}, {"follows", "采用格式"}, {"headers found", "表头"},
      {"heading", "标题"}, {"kind of body", "机关类别"}, {"label", "标签"}, {"level", "层级"}, {"not seen", "未见"},
      {"number written", "所写编号"}, {"part", "部分"}, {"possible values", "可能的数值"}, {"published", "发布日期"},
      {"raw", "原文"}, {"reason", "原因"}, {"report year", "报告年度"}, {"required", "应采用格式"}, {"row", "行"},
      {"rows", "行数"}, {"sentences reused", "重复句数"}, {"share reused", "重复比例"}, {"statutory number", "法定编号"},
      {"sub-topic", "子项"}, {"table", "表格"}, {"text", "原文"}, {"unit of the column", "该列单位"},
      {"unit written", "所写单位"}, {"values", "数值"}, {"written", "所写"}, {"years", "年度"},
      {"the title's year", "标题中的年份"}, {"the page title's year", "网页标题中的年份"},
      {"the statistics period's year", "统计期限的年份"}, {"the end of the statistics period", "统计期限截止日期的年份"},
      {"the publication date's year", "发布日期的年份"}, {"the signing date's year", "落款日期的年份"}};
  if (auto it = kChinese.find(name); it != kChinese.end()) return t(it->second, name);
  for (const auto& [prefix, chinese] : {std::pair<std::string_view, std::string_view>{"format ", "格式 "}, {"evidence score ", "判定得分 "}})
    if (name.rfind(prefix, 0) == 0) return t(std::string(chinese) + name.substr(prefix.size()), name);
  return esc(name);
}

std::string number_text(const std::optional<double>& v) {
  if (!v) return "—";
  std::ostringstream s;
  s << *v;
  return s.str();
}

const char* kStyle = R"CSS(
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:0;color:#1d2329;background:#f6f7f9}
header{background:#243447;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0;flex:1}
button,select{font:inherit;padding:3px 8px}
main{padding:16px 20px;max-width:1400px;display:flex;flex-direction:column}
section.index{order:-1}
nav.index li.doc-skipped{color:#6b7580}
section.report{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:12px 16px;margin-bottom:20px}
.counts > span{display:inline-block;margin-right:14px}
.sev-error{color:#b3261e}.sev-warning{color:#9a6700}.sev-info{color:#3b5b8c}.uncertain{color:#6b4fa0}
table.grid{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
table.grid th,table.grid td{border:1px solid #c9d0d8;padding:2px 6px;text-align:right}
table.grid th{background:#eef1f4;text-align:center}table.grid td.label{text-align:left}
td.cell-fail{background:#fbd4d0;cursor:pointer;font-weight:bold}
td.cell-uncertain{background:#e6dcf5;cursor:pointer}
td.cell-missing{color:#999}
ol.findings li{margin:4px 0;padding:4px 6px;border-left:4px solid #ccc}
ol.findings li.error{border-color:#b3261e}ol.findings li.warning{border-color:#d4a72c}ol.findings li.info{border-color:#3b5b8c}
ol.findings li.is-uncertain{border-style:dashed}
ol.findings li.hidden{display:none}
.source{font-family:monospace;font-size:12px;white-space:pre-wrap;background:#fbfbfc;border:1px solid #e3e6ea;max-height:420px;overflow:auto}
.source .line{display:block}.source .line:target,.source .line.focus{background:#fff3b0}
.source .ln{color:#98a2ad;display:inline-block;width:5em;user-select:none}
.source .gap{color:#98a2ad}
#panel{position:fixed;right:16px;top:70px;width:360px;max-height:70vh;overflow:auto;background:#fff;border:1px solid #9aa5b1;
       box-shadow:0 4px 16px rgba(0,0,0,.2);padding:10px 12px;display:none;font-size:13px}
#panel.open{display:block}
#panel table{border-collapse:collapse}#panel td{padding:1px 6px;border-bottom:1px solid #eee}
nav.index li{margin:2px 0}
@media print{header .controls,#panel{display:none}.source{max-height:none;overflow:visible}section.report{break-after:page;border:none}
body{background:#fff}}
)CSS";

const char* kScript = R"JS(
(function(){
  var lang='zh';
  function setLang(l){lang=l;document.documentElement.lang=(l==='zh'?'zh-CN':'en');
    function swap(root){root.querySelectorAll('.i18n').forEach(function(e){e.textContent=e.getAttribute('data-'+l);});}
    swap(document);document.querySelectorAll('template').forEach(function(t){swap(t.content);});}
  document.getElementById('lang').addEventListener('click',function(){setLang(lang==='zh'?'en':'zh');});
  if(document.documentElement.getAttribute('data-start-lang')==='en')setLang('en');
  // The rule filter lists the rules found on the page.
  var rules={};document.querySelectorAll('ol.findings li[data-rule]').forEach(function(li){rules[li.dataset.rule]=1;});
  Object.keys(rules).sort().forEach(function(r){var o=document.createElement('option');o.textContent=r;document.getElementById('rule').appendChild(o);});
  function filter(){var sev=document.getElementById('sev').value,rule=document.getElementById('rule').value;
    document.querySelectorAll('ol.findings li').forEach(function(li){
      var ok=(sev===''||li.dataset.kind===sev)&&(rule===''||li.dataset.rule===rule);
      li.classList.toggle('hidden',!ok);});}
  document.getElementById('sev').addEventListener('change',filter);
  document.getElementById('rule').addEventListener('change',filter);
  var panel=document.getElementById('panel');
  function show(ids){var html='';ids.split(' ').forEach(function(id){var tpl=document.getElementById('ev-'+id);if(tpl)html+=tpl.innerHTML;});
    panel.innerHTML='<button class="close">×</button>'+html;panel.classList.add('open');
    panel.querySelector('.close').addEventListener('click',function(){panel.classList.remove('open');});}
  document.querySelectorAll('td[data-findings]').forEach(function(td){td.addEventListener('click',function(){show(td.dataset.findings);});});
  document.querySelectorAll('ol.findings li').forEach(function(li){li.addEventListener('click',function(){
    document.querySelectorAll('.line.focus').forEach(function(e){e.classList.remove('focus');});
    var target=li.dataset.target&&document.getElementById(li.dataset.target);
    if(target){target.classList.add('focus');target.scrollIntoView({block:'center'});}
    show(li.dataset.id);});});
})();
)JS";

std::string source_block(const CheckResult& r, const std::string& prefix, const std::set<uint32_t>& lines, bool compact) {
  // Text reports are shown whole; for HTML pages (whose lines are markup), and in scans, only the lines with
  // findings and two lines of context either side.
  const std::string& text = r.text;
  const bool whole = !compact && r.source.content != "html" && text.size() < (2u << 20);
  std::set<uint32_t> shown;
  if (!whole)
    for (uint32_t l : lines)
      for (uint32_t k = l > 2 ? l - 2 : 1; k <= l + 2; ++k) shown.insert(k);
  std::string out = "<div class=\"source\">";
  uint32_t number = 1;
  bool gap = false;
  for (size_t pos = 0; pos <= text.size(); ++number) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (whole || shown.count(number)) {
      if (gap) out += "<span class=\"line gap\">…</span>";
      gap = false;
      std::string_view line(text.data() + pos, end - pos);
      if (line.size() > 2000) line = line.substr(0, utf8::start_of(line, 2000));  // a page on one line: its start shows
      out += "<span class=\"line\" id=\"" + prefix + "L" + std::to_string(number) + "\"><span class=\"ln\">" +
             std::to_string(number) + "</span>" + esc(line) + "</span>";
    } else {
      gap = true;
    }
    if (end == text.size()) break;
    pos = end + 1;
  }
  return out + "</div>";
}

void write_section(std::ostream& out, const CheckResult& r, size_t index, bool compact) {
  std::string prefix = "r";  // built step by step: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string
  prefix += std::to_string(index);
  prefix += '-';
  out << "<section class=\"report\" id=\"" << prefix << "report\">\n<h2>" << esc(r.report.title.empty() ? r.source.path : r.report.title)
      << "</h2>\n<p class=\"path\">" << esc(r.source.path) << "</p>\n";
  if (r.error) {
    out << "<p class=\"sev-error\">" << t("无法读取", "cannot be read") << ": " << esc(r.error->message) << " [input." << esc(r.error->code)
        << "]</p></section>\n";
    return;
  }
  Tally tally;
  tally.add(r);
  out << "<p class=\"counts\"><span>" << t("格式", "format") << ": " << esc(r.report.format) << "</span><span>" << t("年度", "year")
      << ": " << (r.report.year ? std::to_string(*r.report.year) : "—") << "</span><span class=\"sev-error\">" << t("错误", "errors")
      << ": " << tally.errors << "</span><span class=\"sev-warning\">" << t("警告", "warnings") << ": " << tally.warnings
      << "</span><span class=\"sev-info\">" << t("提示", "info") << ": " << tally.infos << "</span><span class=\"uncertain\">"
      << t("存疑", "to review") << ": " << tally.uncertain << "</span></p>\n";

  // Findings, and the cells they are about.
  const output::CellMarks marks = output::marks_of(r);
  std::set<uint32_t> lines;
  std::ostringstream findings, evidence;
  findings << "<h3>" << t("问题清单", "Findings") << "</h3>\n<ol class=\"findings\">\n";
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    const std::string id = prefix + "f" + std::to_string(i);
    const bool uncertain = f.status == FindingStatus::uncertain;
    if (f.location.line) lines.insert(f.location.line);
    const std::string target = f.location.line ? prefix + "L" + std::to_string(f.location.line) : "";
    findings << "<li id=\"" << id << "\" class=\"" << to_string(f.severity) << (uncertain ? " is-uncertain" : "") << "\" data-id=\"" << id
             << "\" data-rule=\"" << esc(f.rule) << "\" data-kind=\"" << kind_of(f) << "\" data-severity=\"" << to_string(f.severity)
             << "\" data-status=\"" << to_string(f.status) << "\" data-target=\"" << target << "\">";
    if (f.location.line) findings << "<a href=\"#" << target << "\">" << f.location.line << ":" << f.location.column << "</a> ";
    findings << "<span class=\"" << (uncertain ? std::string("uncertain") : "sev-" + std::string(to_string(f.severity))) << "\">" << kind_text(f)
             << "</span> " << esc(f.message) << " <code>[" << esc(f.rule) << "]</code></li>\n";
    // The panel shown for the finding or one of its cells.
    evidence << "<template id=\"ev-" << id << "\"><p><b>" << esc(f.rule) << "</b> " << esc(f.message) << "</p>";
    if (!f.evidence.terms.empty()) {
      evidence << "<table><tr><th></th><th>" << t("单元格", "cell") << "</th><th>" << t("数值", "value") << "</th></tr>";
      for (const EvidenceTerm& term : f.evidence.terms)
        evidence << "<tr><td>" << esc(term.side == "left" ? "=" : term.side == "right" ? "+" : term.side) << "</td><td>"
                 << esc(term.label.empty() ? term.cell : term.label) << "</td><td>" << esc(term.raw.empty() ? number_text(term.value) : term.raw)
                 << (term.status != "ok" && !term.status.empty() ? " (" + esc(term.status) + ")" : "") << "</td></tr>";
      evidence << "</table>";
    }
    if (f.evidence.reported || f.evidence.computed)
      evidence << "<p>" << t("填报", "reported") << " " << number_text(f.evidence.reported) << " · " << t("计算", "computed") << " "
               << number_text(f.evidence.computed) << "</p>";
    for (const auto& [name, value] : f.evidence.facts) evidence << "<p>" << fact_name(name) << ": " << esc(value) << "</p>";
    evidence << "</template>\n";
  }
  findings << "</ol>\n";

  // The parts as found.
  out << "<h3>" << t("结构", "Parts") << "</h3>\n<ol class=\"parts\">";
  for (const Section& s : r.sections)
    out << "<li value=\"" << s.number << "\"><a href=\"#" << prefix << "L" << s.location.line << "\">" << esc(s.heading) << "</a>"
        << (s.canonical ? "" : " <span class=\"sev-info\">(" + t("措辞不同", "worded differently") + ")</span>") << "</li>";
  out << "</ol>\n";

  // The tables in the standard layout: one row per template row, one column per template column.
  for (const Table& table : r.tables) {
    if (compact && !std::any_of(table.rows.begin(), table.rows.end(), [&](const Row& row) {
          return std::any_of(row.cells.begin(), row.cells.end(), [&](const Cell& c) {
            const std::string id = table.id + "/" + row.id + "/" + c.column;
            return marks.failing.count(id) || marks.uncertain.count(id) || c.status == CellStatus::uncertain;
          });
        }))
      continue;  // scans: only the tables with something to look at
    out << "<h3>" << t("表格", "Table") << " " << esc(table.id) << " <small>(" << esc(table.format) << ")</small></h3>\n<table class=\"grid\" data-table=\""
        << esc(table.id) << "\">";
    const output::TableLayout layout = output::layout_of(table);
    out << "<tr><th></th>";
    for (const std::string& c : layout.columns) out << "<th>" << esc(layout.header.at(c)) << "</th>";
    out << "</tr>\n";
    for (const Row& row : table.rows) {
      out << "<tr><td class=\"label\">" << esc(row.label) << "</td>";
      for (const std::string& column : layout.columns) {
        const Cell* cell = output::TableLayout::cell(row, column);
        if (!cell) {
          out << "<td></td>";
          continue;
        }
        const std::string id = table.id + "/" + row.id + "/" + column;
        std::string cls = marks.failing.count(id) ? "cell-fail" : marks.uncertain.count(id) || cell->status == CellStatus::uncertain ? "cell-uncertain" : "";
        if (cell->status == CellStatus::missing) cls += " cell-missing";
        out << "<td data-cell=\"" << esc(id) << "\"" << (cls.empty() ? "" : " class=\"" + cls + "\"");
        if (auto it = marks.findings.find(id); it != marks.findings.end()) {
          out << " data-findings=\"";
          for (size_t k = 0; k < it->second.size(); ++k) out << (k ? " " : "") << prefix << "f" << it->second[k];
          out << "\"";
        }
        out << " title=\"" << esc(row.label + " · " + layout.header.at(column) + " · " + to_string(cell->status)) << "\">"
            << esc(cell->value ? number_text(cell->value) : cell->raw) << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</table>\n";
  }
  out << findings.str() << evidence.str();
  out << "<h3>" << t("原文", "Source text") << "</h3>\n" << source_block(r, prefix, lines, compact) << "\n</section>\n";
}

}  // namespace

namespace {
// Scans (compact) give a section only to documents with something to look at.
bool gets_section(const CheckResult& r, bool compact) { return !compact || r.error || !r.findings.empty(); }
}  // namespace

struct HtmlReport::State {
  State(std::ostream& o, Settings s) : out(o), settings(std::move(s)) {}
  std::ostream& out;
  Settings settings;
  std::FILE* index = nullptr;  // index rows until finish(): a scan's index need not fit in memory
  size_t index_bytes = 0;       // complete rows in the temporary file
  bool index_full = false;
  std::string index_in_memory;  // rows where there is no temporary file, or it is full
  Tally total;
  size_t documents = 0, next_number = 0, crossyear = 0;
  bool finished = false;
};

HtmlReport::HtmlReport(std::ostream& out, Settings settings) : state_(std::make_unique<State>(out, std::move(settings))) {
  state_->index = std::tmpfile();
  const std::string& title = state_->settings.title;
  out << "<!DOCTYPE html>\n<html lang=\"" << (state_->settings.language == "en" ? "en" : "zh-CN") << "\" data-start-lang=\""
      << esc(state_->settings.language) << "\"><head><meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"xxgk "
      << esc(state_->settings.generator) << "\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
         "<title>"
      << esc(title) << "</title><style>" << kStyle << "</style></head><body>\n<header><h1>" << esc(title) << "</h1><span class=\"controls\">"
      << "<select id=\"sev\"><option value=\"\" class=\"i18n\" data-zh=\"全部级别\" data-en=\"all severities\">全部级别</option>"
         "<option value=\"error\" class=\"i18n\" data-zh=\"错误\" data-en=\"error\">错误</option>"
         "<option value=\"warning\" class=\"i18n\" data-zh=\"警告\" data-en=\"warning\">警告</option>"
         "<option value=\"info\" class=\"i18n\" data-zh=\"提示\" data-en=\"info\">提示</option>"
         "<option value=\"review\" class=\"i18n\" data-zh=\"存疑\" data-en=\"to review\">存疑</option></select> <select id=\"rule\"><option value=\"\" class=\"i18n\" data-zh=\"全部规则\" "
         "data-en=\"all rules\">全部规则</option></select> <button id=\"lang\">中文 / English</button></span></header>\n<main>\n";
}

HtmlReport::~HtmlReport() {
  if (!state_->finished) finish();
  if (state_->index) std::fclose(state_->index);
}

HtmlReport::Entry HtmlReport::entry_of(const CheckResult& r, size_t number, bool compact) {
  Entry e;
  e.number = number;
  e.path = r.source.path;
  e.title = r.report.title;
  e.agency = r.report.agency;
  e.level = r.report.level;
  e.format = r.report.format;
  e.content = r.source.content;
  e.year = r.report.year;
  e.tally.add(r);
  if (r.error) {
    e.status = "error";
    e.detail = r.error->code + ": " + r.error->message;
  } else if (!r.skipped.empty() || !r.report.is_report) {
    e.status = "skipped";
    e.detail = !r.skipped.empty() ? r.skipped : r.report.not_report_reason;
  } else {
    e.status = "checked";
  }
  e.has_section = gets_section(r, compact);
  return e;
}

std::string HtmlReport::section_of(const CheckResult& r, size_t number, bool compact) {
  if (!gets_section(r, compact)) return {};
  std::ostringstream out;
  write_section(out, r, number, compact);
  return out.str();
}

void HtmlReport::add(const Entry& e, const std::string& section) {
  State& s = *state_;
  s.out << section;
  ++s.documents;
  s.total.errors += e.tally.errors;
  s.total.warnings += e.tally.warnings;
  s.total.infos += e.tally.infos;
  s.total.uncertain += e.tally.uncertain;
  s.total.input_errors += e.status == "error";
  std::string row = "<li class=\"doc-" + e.status + "\">";
  const std::string name = esc(e.path) + (e.title.empty() ? "" : " — " + esc(e.title));
  if (e.has_section && !section.empty()) row += "<a href=\"#r" + std::to_string(e.number) + "-report\">" + name + "</a>";
  else row += name;
  if (e.status == "checked")
    row += " — <span class=\"sev-error\">" + std::to_string(e.tally.errors) + "</span> / <span class=\"sev-warning\">" +
           std::to_string(e.tally.warnings) + "</span> / <span class=\"sev-info\">" + std::to_string(e.tally.infos) +
           "</span> / <span class=\"uncertain\">" + std::to_string(e.tally.uncertain) + "</span>";
  else if (e.status == "skipped")
    row += " — " + t("跳过", "skipped") + (e.detail.empty() ? "" : ": " + esc(e.detail));
  else
    row += " — <span class=\"sev-error\">" + t("无法读取", "cannot be read") + ": " + esc(e.detail) + "</span>";
  row += "</li>\n";
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

void HtmlReport::add_crossyear(const Finding& f, const std::string& agency, const std::string& document,
                               const std::string& previous) {
  State& s = *state_;
  if (s.crossyear++ == 0)
    s.out << "<section class=\"report\" id=\"crossyear\"><h2>" << t("跨年度比对", "Across years") << "</h2>\n<ol class=\"findings\">\n";
  const std::string id = "cy" + std::to_string(s.crossyear);
  s.out << "<li id=\"" << id << "\" class=\"" << to_string(f.severity) << (f.status == FindingStatus::uncertain ? " is-uncertain" : "")
        << "\" data-id=\"" << id << "\" data-rule=\"" << esc(f.rule) << "\" data-kind=\"" << kind_of(f) << "\" data-severity=\""
        << to_string(f.severity) << "\" data-status=\"" << to_string(f.status) << "\"><span class=\"sev-" << to_string(f.severity) << "\">"
        << kind_text(f) << "</span> " << esc(agency) << ": " << esc(f.message) << " <code>[" << esc(f.rule) << "]</code> <small>" << esc(document)
        << " ← " << esc(previous) << "</small></li>\n";
  s.out << "<template id=\"ev-" << id << "\"><p><b>" << esc(f.rule) << "</b> " << esc(f.message) << "</p>";
  for (const auto& [name, value] : f.evidence.facts) s.out << "<p>" << fact_name(name) << ": " << esc(value) << "</p>";
  s.out << "</template>\n";
}

void HtmlReport::finish() {
  State& s = *state_;
  if (s.finished) return;
  s.finished = true;
  if (s.crossyear) s.out << "</ol></section>\n";
  // The index goes last in the file and first on the screen (main is a flex column).
  if (s.documents > 1 || s.settings.compact) {
    s.out << "<section class=\"report index\" id=\"index\"><h2>" << t("目录", "Index") << "</h2><p class=\"counts\"><span>" << t("文件", "files")
          << ": " << s.documents << "</span><span class=\"sev-error\">" << t("错误", "errors") << ": " << s.total.errors
          << "</span><span class=\"sev-warning\">" << t("警告", "warnings") << ": " << s.total.warnings
          << "</span><span class=\"sev-info\">" << t("提示", "info") << ": " << s.total.infos << "</span><span class=\"uncertain\">"
          << t("存疑", "to review") << ": " << s.total.uncertain << "</span>";
    if (s.total.input_errors) s.out << "<span class=\"sev-error\">" << t("无法读取", "cannot be read") << ": " << s.total.input_errors << "</span>";
    if (s.crossyear) s.out << "<span><a href=\"#crossyear\">" << t("跨年度", "across years") << ": " << s.crossyear << "</a></span>";
    s.out << "</p><nav class=\"index\"><ol>\n";
    if (s.index) {
      std::fflush(s.index);
      std::rewind(s.index);
      char buffer[1 << 16];
      for (size_t left = s.index_bytes, n; left > 0 && (n = std::fread(buffer, 1, std::min(left, sizeof buffer), s.index)) > 0; left -= n)
        s.out.write(buffer, static_cast<std::streamsize>(n));
    }
    s.out << s.index_in_memory;
    s.out << "</ol></nav></section>\n";
  }
  s.out << "</main>\n<div id=\"panel\"></div>\n<script>" << kScript << "</script>\n</body></html>\n";
  s.out.flush();
}

void write_html_report(std::ostream& out, const std::vector<CheckResult>& results, const HtmlReport::Settings& settings) {
  HtmlReport report(out, settings);
  for (const CheckResult& r : results) report.add(r);
  report.finish();
}

}  // namespace xxgk
