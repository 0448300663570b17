#include "support.hpp"

#include <pugixml.hpp>

#include "grammar/grammar.hpp"
#include "grammar/messages.hpp"

#include <unicode/ucnv.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace xxgk::test {

std::string english(const Phrase& phrase) {
  static const grammar::Messages messages = [] {
    grammar::Messages m;
    const std::string& xml = grammar::embedded_grammars().at("messages.xml");
    pugi::xml_document doc;
    doc.load_buffer(xml.data(), xml.size());
    std::string error;
    m.load(doc.child("messages"), "messages.xml", &error);
    return m;
  }();
  return messages.render("en", phrase);
}

std::string encode(const std::string& text, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(text.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()), text.data(),
                           static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("cannot encode as ") + charset);
  out.resize(static_cast<size_t>(n));
  return out;
}

const Checker& checker() {
  static std::unique_ptr<Checker> instance = [] {
    std::string error;
    auto c = Checker::create({}, &error);
    if (!c) throw std::runtime_error("grammars: " + error);
    return c;
  }();
  return *instance;
}

CheckResult check(const std::string& text, const std::string& path) { return checker().check(text, {path, {}}); }

std::string corpus(const std::string& name) {
  std::ifstream in(std::string(XXGK_CORPUS_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing corpus file " + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::multiset<std::string> rules_of(const CheckResult& result) {
  std::multiset<std::string> out;
  for (const Finding& f : result.findings) out.insert(f.rule + (f.status == FindingStatus::uncertain ? "?" : ""));
  return out;
}

size_t count(const CheckResult& result, const std::string& rule) {
  return static_cast<size_t>(std::count_if(result.findings.begin(), result.findings.end(),
                                           [&](const Finding& f) { return f.rule == rule; }));
}

const Finding* find(const CheckResult& result, const std::string& rule) {
  for (const Finding& f : result.findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

const Cell* cell(const CheckResult& result, const std::string& table, const std::string& row, const std::string& column) {
  for (const Table& t : result.tables) {
    if (t.id != table) continue;
    for (const Row& r : t.rows) {
      if (r.id != row) continue;
      for (const Cell& c : r.cells)
        if (c.column == column) return &c;
    }
  }
  return nullptr;
}

std::optional<double> value(const CheckResult& result, const std::string& table, const std::string& row,
                            const std::string& column) {
  const Cell* c = cell(result, table, row, column);
  return c ? c->value : std::nullopt;
}

namespace {

// Seven applicant cells: n for 自然人, zeros, n for 总计.
std::vector<std::string> applicants(int n) {
  std::string v = std::to_string(n);
  return {v, "0", "0", "0", "0", "0", v};
}

}  // namespace

std::string synthetic(const Synthetic& s) {
  std::ostringstream out;
  const std::string& sep = s.separator;
  auto row = [&](const std::string& label, const std::vector<std::string>& cells) {
    out << label;
    for (const std::string& c : cells) out << (sep.empty() ? "" : sep) << c;
    out << "\n";
  };
  auto line = [&](const std::string& text) { out << text << "\n"; };
  const std::string y = std::to_string(s.year);
  line(s.agency + y + "年政府信息公开工作年度报告");
  if (!s.published.empty()) line("发布时间：" + s.published);
  line("本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自" + y + "年1月1日起至" + y + "年12月31日止。");
  line("一、总体情况");
  line(y + "年，本单位认真贯彻落实《条例》，扎实推进政府信息公开工作。" + s.extra_overview);
  line("（一）主动公开");
  line("全年主动公开政府信息120条。");
  line("（二）依申请公开");
  line("依法依规办理政府信息公开申请。");
  line("二、主动公开政府信息情况");
  const bool f21 = s.format == "2021";
  line("第二十条第（一）项");
  line("信息内容");
  if (f21) {
    line("本年制发件数");
    line("本年废止件数");
    line("现行有效件数");
  } else {
    line("本年新制作数量");
    line("本年新公开数量");
    line("对外公开总数量");
  }
  row("规章", {std::to_string(s.regulations_issued), "0", std::to_string(s.regulations_issued)});
  row(f21 ? "行政规范性文件" : "规范性文件", {std::to_string(s.normative_issued), std::to_string(s.normative_repealed),
                                         std::to_string(s.normative_in_force)});
  line("第二十条第（五）项");
  line("信息内容");
  if (f21) {
    line("本年处理决定数量");
    row("行政许可", {"35"});
  } else {
    line("上一年项目数量");
    line("本年增/减");
    line("处理决定数量");
    row("行政许可", {"10", "2", "35"});
    row("其他对外管理服务事项", {"0", "0", "0"});
  }
  line("第二十条第（六）项");
  line("信息内容");
  if (f21) {
    line("本年处理决定数量");
    row("行政处罚", {"12"});
    row("行政强制", {"0"});
  } else {
    line("上一年项目数量");
    line("本年增/减");
    line("处理决定数量");
    row("行政处罚", {"3", "1", "12"});
    row("行政强制", {"0", "0", "0"});
  }
  line("第二十条第（八）项");
  line("信息内容");
  if (f21) {
    line("本年收费金额（单位：万元）");
    row("行政事业性收费", {"1.5"});
  } else {
    line("上一年项目数量");
    line("本年增/减");
    row("行政事业性收费", {"1", "0"});
    line("第二十条第（九）项");
    line("信息内容");
    line("采购项目数量");
    line("采购总金额");
    row("政府集中采购", {"0", "0"});
  }
  line("三、收到和处理政府信息公开申请情况");
  line("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）");
  for (const char* h : {"申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"})
    line(h);
  const int done = s.opened + s.not_held;
  row("一、本年新收政府信息公开申请数量", applicants(s.new_requests));
  row("二、上年结转政府信息公开申请数量", applicants(s.carried));
  line("三、本年度办理结果");
  row("（一）予以公开", applicants(s.opened));
  row("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", applicants(0));
  line("（三）不予公开");
  for (const char* r : {"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                        "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"})
    row(r, applicants(0));
  line("（四）无法提供");
  row("1.本机关不掌握相关政府信息", applicants(s.not_held));
  row("2.没有现成信息需要另行制作", applicants(0));
  row("3.补正后申请内容仍不明确", applicants(0));
  line("（五）不予处理");
  for (const char* r : {"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                        "5.要求行政机关确认或重新出具已获取信息"})
    row(r, applicants(0));
  if (f21) {
    line("（六）其他处理");
    for (const char* r : {"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                          "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"})
      row(r, applicants(0));
  } else {
    row("（六）其他处理", applicants(0));
  }
  row("（七）总计", applicants(done));
  row("四、结转下年度继续办理", applicants(s.carry_over));
  line("四、政府信息公开行政复议、行政诉讼情况");
  for (const char* h : {"行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
                        "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正",
                        "其他结果", "尚未审结", "总计"})
    line(h);
  std::vector<std::string> cases = {std::to_string(s.review_upheld), "0", "0", std::to_string(s.review_pending),
                                    std::to_string(s.review_upheld + s.review_pending), std::to_string(s.direct_upheld),
                                    "0", "0", "0", std::to_string(s.direct_upheld), "0", "0", "0", "0", "0"};
  for (size_t i = 0; i < cases.size(); ++i) out << (i == 0 || sep.empty() ? "" : sep) << cases[i];
  out << "\n";
  line("五、存在的主要问题及改进情况");
  line("一是公开内容有待丰富。下一步将加强培训，提升工作水平。");
  line("六、其他需要报告的事项");
  line("本年度未收取信息处理费。");
  line("某某县交通运输局");
  line(std::to_string(s.year + 1) + "年1月15日");
  return out.str();
}

}  // namespace xxgk::test
