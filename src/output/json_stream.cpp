#include "output/json_stream.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "util/numbers.hpp"
#include "util/utf8.hpp"
#include "xxgk/output.hpp"

namespace xxgk {

void JsonStream::newline(size_t depth) {
  out_.push_back('\n');
  out_.append(depth * static_cast<size_t>(indent_), ' ');
}

void JsonStream::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_members_.empty()) return;
  if (has_members_.back()) out_.push_back(',');
  has_members_.back() = 1;
  if (indent_ >= 0) newline(has_members_.size());
}

JsonStream& JsonStream::open(char bracket) {
  before_value();
  out_.push_back(bracket);
  has_members_.push_back(0);
  return *this;
}

JsonStream& JsonStream::close(char bracket) {
  const bool any = has_members_.back();
  has_members_.pop_back();
  if (any && indent_ >= 0) newline(has_members_.size());
  out_.push_back(bracket);
  return *this;
}

namespace {

// What a byte asks of a JSON string: nothing (printable ASCII but " and \\), an escape, or a look at the UTF-8
// sequence it starts.
enum ByteClass : unsigned char { kPlain, kEscape, kMultibyte };
constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> classes{};
  for (size_t c = 0; c < 256; ++c)
    classes[c] = c >= 0x80 ? kMultibyte : (c < 0x20 || c == '"' || c == '\\') ? kEscape : kPlain;
  return classes;
}();

}  // namespace

JsonStream& JsonStream::key(std::string_view name) {
  // PERF: keys are the writer's own names, nearly always short plain ASCII: quoted in a buffer and appended
  // once, without the escaping pass.
  char quoted[64];
  if (name.size() + 4 <= sizeof quoted) {
    size_t n = 0;
    quoted[n++] = '"';
    bool plain = true;
    for (const char c : name) {
      plain &= kByteClass[static_cast<unsigned char>(c)] == kPlain;
      quoted[n++] = c;
    }
    if (plain) {
      quoted[n++] = '"';
      quoted[n++] = ':';
      if (indent_ >= 0) quoted[n++] = ' ';
      before_value();
      out_.append(quoted, n);
      after_key_ = true;
      return *this;
    }
  }
  value(name);
  out_.append(indent_ >= 0 ? ": " : ":");
  after_key_ = true;
  return *this;
}

JsonStream& JsonStream::null() {
  before_value();
  out_.append("null");
  return *this;
}

JsonStream& JsonStream::value(bool b) {
  before_value();
  out_.append(b ? "true" : "false");
  return *this;
}

JsonStream& JsonStream::value(std::string_view text) {
  before_value();
  const size_t mark = out_.size();
  out_.push_back('"');
  // PERF: one pass both escapes and checks the UTF-8; plain bytes are copied a run at a time.
  const auto* const begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = begin + text.size();
  const unsigned char* plain = begin;  // start of the bytes not yet copied
  const unsigned char* p = begin;
  while (p < end) {
    while (p < end && kByteClass[*p] == kPlain) ++p;
    if (p == end) break;
    const unsigned char c = *p;
    if (c >= 0x80) {
      // PERF: most of a report is three-byte CJK: E1–EC/EE–EF and two continuation bytes are well-formed whatever
      // they hold (as in utf8::valid).
      if (c >= 0xE1 && c != 0xED && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 && c <= 0xEF) {
        p += 3;
        continue;
      }
      const size_t n = utf8::multibyte_length(p, end);
      if (n == 0) {
        // nlohmann's rule for what is not UTF-8 (it throws type_error 316): the same outcome as the DOM's dump().
        out_.resize(mark);
        out_.append(nlohmann::ordered_json(std::string(text)).dump());
        return *this;
      }
      p += n;
      continue;
    }
    out_.append(reinterpret_cast<const char*>(plain), static_cast<size_t>(p - plain));
    plain = ++p;
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\b': out_.append("\\b"); break;
      case '\f': out_.append("\\f"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out_.append(escaped, sizeof escaped);
      }
    }
  }
  out_.append(reinterpret_cast<const char*>(plain), static_cast<size_t>(end - plain));
  out_.push_back('"');
  return *this;
}

JsonStream& JsonStream::value(double number) {
  before_value();
  // WHY through nlohmann: its shortest round-trip form (and "null" for NaN and infinities) is the promised byte
  // form; numbers that are not whole are few (a table's confidence, decimal cells).
  out_.append(nlohmann::ordered_json(number).dump());
  return *this;
}

JsonStream& JsonStream::integer(int64_t number) {
  before_value();
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, number).ptr;
  out_.append(buffer, static_cast<size_t>(end - buffer));
  return *this;
}

JsonStream& JsonStream::unsigned_integer(uint64_t number) {
  before_value();
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, number).ptr;
  out_.append(buffer, static_cast<size_t>(end - buffer));
  return *this;
}

JsonStream& JsonStream::value(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      begin_object();
      for (auto it = j.begin(); it != j.end(); ++it) {
        key(it.key());
        value(it.value());
      }
      return end_object();
    case nlohmann::json::value_t::array:
      begin_array();
      for (const auto& element : j) value(element);
      return end_array();
    case nlohmann::json::value_t::string: return value(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::boolean: return value(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return integer(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: return unsigned_integer(j.get<uint64_t>());
    case nlohmann::json::value_t::number_float: return value(j.get<double>());
    default: {
      before_value();
      out_.append(j.dump());  // null, and the kinds the outputs never hold
      return *this;
    }
  }
}

namespace {

// The line and column to_json (output/json_writer.cpp) gives every located thing; its page and box follow apart.
void location_members(JsonStream& o, const Location& l) {
  if (l.line) {
    o.member("line", l.line).member("col", l.column);
  } else {
    o.key("line").null().key("col").null();
  }
}

void page_members(JsonStream& o, const Location& l) {
  if (!l.page) return;
  o.member("page", l.page);
  if (!l.box.empty()) {
    o.key("box").begin_array();
    for (float v : {l.box.x0, l.box.y0, l.box.x1, l.box.y1}) o.value(static_cast<double>(v));
    o.end_array();
  }
}

void number(JsonStream& o, const std::optional<double>& value, bool decimal) {
  if (!value) {
    o.null();
    return;
  }
  const double v = *value;
  if (!decimal && std::fabs(v) < 9e15)
    if (auto n = numbers::whole(v)) {
      o.value(*n);
      return;
    }
  o.value(v);
}

void date(JsonStream& o, const std::optional<Date>& d) {
  if (d) o.value(d->iso());
  else o.null();
}

void table(JsonStream& o, const Table& t) {
  o.begin_object().member("part", t.part).member("id", t.id).member("format", t.format).member("confidence", t.confidence);
  location_members(o, t.location);
  page_members(o, t.location);
  o.key("rows").begin_array();
  for (const Row& r : t.rows) {
    o.begin_object().member("id", r.id).member("label", r.label);
    o.key("label_as_written").text_or_null(r.label_as_written);
    o.member("block", r.block).member("format", r.format);
    location_members(o, r.location);
    page_members(o, r.location);
    o.key("cells").begin_array();
    for (const Cell& c : r.cells) {
      o.begin_object().member("column", c.column).key("column_path").begin_array();
      for (const std::string& p : c.column_path) o.value(p);
      o.end_array().member("raw", c.raw).key("value");
      number(o, c.value, c.decimal);
      o.key("unit").text_or_null(c.unit);
      o.member("status", to_string(c.status));
      location_members(o, c.location);
      page_members(o, c.location);
      if (c.grid) {
        o.key("grid").begin_object().member("table", c.grid->table).member("row", c.grid->row).member("column", c.grid->column);
        o.end_object();
      }
      o.end_object();
    }
    o.end_array().end_object();
  }
  o.end_array().end_object();
}

void evidence(JsonStream& o, const Evidence& e) {
  o.begin_object();
  if (!e.terms.empty()) {
    o.key("terms").begin_array();
    for (const EvidenceTerm& t : e.terms) {
      o.begin_object().member("side", t.side).member("cell", t.cell).member("label", t.label).key("value");
      number(o, t.value, false);
      o.member("raw", t.raw).member("status", t.status ? to_string(*t.status) : "");
      location_members(o, t.location);
      page_members(o, t.location);
      o.end_object();
    }
    o.end_array();
  }
  if (e.reported) o.member("reported", *e.reported);
  if (e.computed) o.member("computed", *e.computed);
  if (e.difference) o.member("difference", *e.difference);
  if (!e.facts.empty()) {
    // A name given twice is one member, its texts joined by "; ", where the name first stood.
    o.key("facts").begin_object();
    for (size_t i = 0; i < e.facts.size(); ++i) {
      const std::string& name = e.facts[i].first;
      bool seen = false;
      for (size_t k = 0; k < i && !seen; ++k) seen = e.facts[k].first == name;
      if (seen) continue;
      std::string joined = e.facts[i].second;
      for (size_t k = i + 1; k < e.facts.size(); ++k)
        if (e.facts[k].first == name) joined += "; " + e.facts[k].second;
      o.member(name, joined);
    }
    o.end_object();
  }
  if (!e.candidates.empty()) {
    o.key("candidates").begin_array();
    for (const std::string& c : e.candidates) o.value(c);
    o.end_array();
  }
  o.end_object();
}

void finding(JsonStream& o, const Finding& f) {
  o.begin_object().member("rule", f.rule).member("severity", to_string(f.severity)).member("status", to_string(f.status));
  o.member("message", f.message);
  // to_json's order: the location's line (and page), then its column under the name "column".
  if (f.location.line) o.member("line", f.location.line);
  else o.key("line").null();
  page_members(o, f.location);
  if (f.location.line) o.member("column", f.location.column);
  else o.key("column").null();
  o.key("end");
  if (f.end.line) o.begin_object().member("line", f.end.line).member("column", f.end.column).end_object();
  else o.null();
  o.member("fingerprint", f.fingerprint).key("evidence");
  evidence(o, f.evidence);
  o.end_object();
}

}  // namespace

void write_check_members(JsonStream& o, const CheckResult& r, const CheckJsonParts& parts) {
  if (parts.schema) o.member("schema", "xxgk.check/1");
  const Source& s = r.source;
  o.key("source").begin_object().member("path", s.path).member("bytes", s.bytes).member("sha256", s.sha256);
  o.key("body_fingerprint").text_or_null(s.body_fingerprint);
  o.key("encoding").text_or_null(s.encoding);
  o.key("encoding_source").text_or_null(s.encoding_source);
  o.key("encoding_note").text_or_null(s.encoding_note);
  o.key("content").text_or_null(to_string(s.content));
  if (s.content == InputKind::html) {
    o.key("html").begin_object().key("body").text_or_null(s.html_body);
    o.member("tables", s.html_tables).end_object();
  }
  if (s.content == InputKind::pdf) o.key("pdf").begin_object().member("pages", s.pages).end_object();
  o.end_object();
  o.key("error");
  if (r.error) o.begin_object().member("code", r.error->code).member("message", r.error->message).end_object();
  else o.null();
  o.key("skipped").text_or_null(r.skipped);
  const ReportInfo& rep = r.report;
  o.key("report").begin_object();
  o.key("title").text_or_null(rep.title);
  o.key("agency").text_or_null(rep.agency);
  o.key("level").text_or_null(rep.level);
  o.key("kind").text_or_null(rep.kind);
  o.key("admin_level").text_or_null(rep.admin_level);
  o.key("year");
  if (rep.year) o.value(*rep.year);
  else o.null();
  o.key("year_source").text_or_null(rep.year_source);
  o.member("format", rep.format.empty() ? std::string_view("unknown") : std::string_view(rep.format));
  o.key("tables_format").text_or_null(rep.tables_format);
  o.key("published");
  date(o, rep.published);
  o.key("published_source").text_or_null(rep.published_source);
  o.key("period").begin_object().key("start");
  date(o, rep.period_start);
  o.key("end");
  date(o, rep.period_end);
  o.end_object().key("signed");
  date(o, rep.signed_on);
  o.member("is_report", rep.is_report);
  o.key("not_report_reason").text_or_null(rep.not_report_reason);
  o.key("traditional").text_or_null(rep.traditional);
  o.end_object();
  if (parts.with_tables) {
    o.key("sections").begin_array();
    for (const Section& sec : r.sections) {
      o.begin_object().member("id", sec.id).member("number", sec.number).key("number_as_written");
      if (sec.number_as_written) o.value(sec.number_as_written);
      else o.null();
      o.member("heading", sec.heading).member("canonical", sec.canonical);
      location_members(o, sec.location);
      page_members(o, sec.location);
      o.end_object();
    }
    o.end_array().key("tables").begin_array();
    for (const Table& t : r.tables) table(o, t);
    o.end_array();
  }
  o.key("findings").begin_array();
  Tally tally;
  if (!parts.findings_left_out) {
    tally.add(r);
    for (const Finding& f : r.findings) finding(o, f);
  }
  o.end_array();
  o.key("summary").begin_object().member("errors", tally.errors).member("warnings", tally.warnings);
  o.member("info", tally.infos).member("uncertain", tally.uncertain).end_object();
}

void write_check_json(std::string& out, const CheckResult& result, const nlohmann::ordered_json& tool, int indent) {
  JsonStream o(out, indent);
  o.begin_object();
  write_check_members(o, result, {});
  o.key("tool").value(tool);
  o.end_object();
}

}  // namespace xxgk
