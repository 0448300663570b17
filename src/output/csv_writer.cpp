#include <cmath>
#include <cstdio>

#include "util/numbers.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string value_text(const Cell& c) {
  if (!c.value) return {};
  return numbers::text(*c.value, 15);
}

}  // namespace

void write_csv_header(std::ostream& out) {
  out << "path,part,table,block,row,label,column,column_path,raw,value,unit,status,line,col\n";
}

void write_csv(std::ostream& out, const CheckResult& r) {
  for (const Table& t : r.tables) {
    for (const Row& row : t.rows) {
      for (const Cell& c : row.cells) {
        std::string path;
        for (const std::string& p : c.column_path) path += (path.empty() ? "" : "/") + p;
        out << field(r.source.path) << ',' << t.part << ',' << field(t.id) << ',' << field(row.block) << ','
            << field(row.id) << ',' << field(row.label) << ',' << field(c.column) << ',' << field(path) << ','
            << field(c.raw) << ',' << value_text(c) << ',' << field(c.unit) << ',' << to_string(c.status) << ','
            << (c.location.line ? std::to_string(c.location.line) : "") << ','
            << (c.location.line ? std::to_string(c.location.column) : "") << '\n';
      }
    }
  }
}

}  // namespace xxgk
