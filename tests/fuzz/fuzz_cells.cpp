// Fuzz target: the cell-stream aligner, the digit-run splitter and the reader of pre-2019 statistics tables.
// First byte odd: the rest is digit runs for split_digits, with the cell count and the amount columns taken from
// the next two bytes. First byte 2 mod 4: the rest is the statistics table of a report on 2012 (after 指标名称),
// read by tables/indicator_reader. Otherwise: the rest is the body of part 3 (and what follows) of an otherwise
// fixed report, read by the table stage from its flattened cell stream.
#include <numeric>

#include "fuzz_common.hpp"
#include "tables/digit_split.hpp"

namespace {

constexpr std::string_view kFrame =
    "某某县交通运输局2023年政府信息公开工作年度报告\n"
    "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"
    "一、总体情况\n2023年，本单位扎实推进政府信息公开工作。\n"
    "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n"
    "规章\n0\n0\n0\n行政规范性文件\n2\n1\n12\n"
    "三、收到和处理政府信息公开申请情况\n";
constexpr std::string_view kIndicatorFrame =
    "某县财政局2012年政府信息公开工作年度报告\n一、概述\n2012年，我局依照《条例》做好政府信息公开工作。\n"
    "二、主动公开政府信息的情况\n2012年主动公开政府信息120条。\n附表：政府信息公开情况统计表\n指标名称 计量单位 ";
constexpr std::string_view kTail =
    "\n五、政府信息公开工作存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n";

void split(std::string_view rest) {
  if (rest.size() < 2) return;
  const size_t cells = static_cast<unsigned char>(rest[0]) % 16 + 1;
  std::vector<bool> amount(cells);
  for (size_t i = 0; i < cells; ++i) amount[i] = (static_cast<unsigned char>(rest[1]) >> (i % 8)) & 1;
  std::vector<xxgk::tables::SplitPiece> pieces;
  std::string current;
  auto flush = [&](bool splittable) {
    if (!current.empty()) pieces.push_back({current, splittable});
    current.clear();
  };
  for (char c : rest.substr(2)) {
    if ((c >= '0' && c <= '9') || c == '.') current += c;
    else flush(c != '!');
  }
  flush(true);
  const auto result = xxgk::tables::split_digits(pieces, cells, amount, {}, [](const std::vector<std::string>& r) {
    // A row whose last cell is the sum of the others, like a 总计 column.
    double sum = 0;
    for (size_t i = 0; i + 1 < r.size(); ++i) sum += std::strtod(r[i].c_str(), nullptr);
    return !r.empty() && sum == std::strtod(r.back().c_str(), nullptr);
  });
  for (const auto& reading : result.readings)
    if (reading.size() != cells) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto rest = xxgk::fuzz::bytes_of(data + 1, size - 1);
  if (data[0] & 1) {
    split(rest);
    return 0;
  }
  if (data[0] % 4 == 2) {
    std::string report(kIndicatorFrame);
    report.append(rest);
    const xxgk::CheckResult result = xxgk::fuzz::checker().check(report, {.path = "fuzz.txt", .declared_charset = ""});
    for (const xxgk::Table& t : result.tables)
      for (const xxgk::Row& row : t.rows)
        for (const xxgk::Cell& c : row.cells) {
          // A cell read has a value; one not read has none.
          const bool read = c.status == xxgk::CellStatus::ok || c.status == xxgk::CellStatus::split ||
                            c.status == xxgk::CellStatus::inferred;
          if (read != c.value.has_value() && c.status != xxgk::CellStatus::invalid) std::abort();
        }
    (void)xxgk::fuzz::weigh(result);
    return 0;
  }
  std::string report(kFrame);
  report.append(rest);
  report.append(kTail);
  (void)xxgk::fuzz::weigh(xxgk::fuzz::checker().check(report, {.path = "fuzz.txt", .declared_charset = ""}));
  return 0;
}
