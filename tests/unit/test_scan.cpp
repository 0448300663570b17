// Scan building blocks: triage, the WARC reader and HTTP bodies, year facts and the cross-year comparison.
#include <doctest/doctest.h>
#include <zlib.h>

#include <bit>
#include <cstdio>
#include <limits>
#include <filesystem>
#include <fstream>

#include "scan/inputs.hpp"
#include "scan/record.hpp"
#include "scan/warc.hpp"
#include "support.hpp"

using namespace xxgk;
using namespace xxgk::test;

namespace {

const Checker& triage_checker() {
  static std::unique_ptr<Checker> c = [] {
    Options o;
    o.triage = true;
    o.year_facts = true;
    std::string error;
    return Checker::create(o, &error);
  }();
  return *c;
}

std::string temp_file(const std::string& name, const std::string& bytes) {
  auto path = std::filesystem::temp_directory_path() / ("xxgk-test-" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(data.size() + 128, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

std::string record(const std::string& type, const std::string& block, const std::string& length = "") {
  return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: <http://x.gov.cn/a>\r\nContent-Length: " +
         (length.empty() ? std::to_string(block.size()) : length) + "\r\n\r\n" + block + "\r\n\r\n";
}

}  // namespace

TEST_CASE("scan.triage.keeps_every_report_of_the_corpus") {
  for (const auto& entry : std::filesystem::directory_iterator(XXGK_CORPUS_DIR)) {
    const auto ext = entry.path().extension();
    if (ext != ".txt" && ext != ".html") continue;
    const std::string name = entry.path().filename().string();
    CheckResult full = check(corpus(name), name);
    CheckResult triaged = triage_checker().check(corpus(name), {name, {}});
    INFO(name << ": " << triaged.skipped);
    if (full.report.is_report) CHECK(triaged.skipped.empty());
  }
  CheckResult news = triage_checker().check("<html><head><title>区政府召开常务会议</title></head><body><p>会议研究了安全生产工作。</p></body></html>", {"news.html", {}});
  CHECK(news.skipped == "没有报告标题，只有0个法定用语（至少需要2个）");  // in the language of the run
  CHECK(news.findings.empty());
}

TEST_CASE("scan.http.bodies") {
  auto r = scan::parse_http_response("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 1000);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == "hello world");
  CHECK(r->charset == "GBK");
  CHECK(r->problem.empty());
  const std::string page = std::string(500, 'x') + "政府信息公开";
  r = scan::parse_http_response("HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + gzip(page), 10000);
  REQUIRE(r);
  CHECK(r->body == page);
  r = scan::parse_http_response("HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + gzip(page), 100);  // over the limit
  REQUIRE(r);
  CHECK_FALSE(r->problem.empty());
  r = scan::parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello", 1000);
  REQUIRE(r);
  CHECK(r->problem == "the chunked body is damaged");
  // A chunk size near 2^64 once made the position wrap and the body be appended without end (fuzz_warc).
  r = scan::parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n-a\r\n0\r\n\r\n", 1000);
  REQUIRE(r);
  CHECK(r->body.size() < 20);
  CHECK(r->problem == "the chunked body is damaged");
  r = scan::parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n", 1000);
  REQUIRE(r);
  CHECK(r->problem == "the chunked body is damaged");
  // The status is three digits; a number of twenty digits once went through atoi (undefined beyond int).
  r = scan::parse_http_response("HTTP/1.1 99999999999999999999 OK\r\n\r\nbody", 1000);
  REQUIRE(r);
  CHECK(r->status == 0);
  r = scan::parse_http_response("HTTP/1.1 404 Not Found\r\n\r\n", 1000);
  REQUIRE(r);
  CHECK(r->status == 404);
  r = scan::parse_http_response("HTTP/1.0  302\r\n\r\n", 1000);
  REQUIRE(r);
  CHECK(r->status == 302);
  CHECK_FALSE(scan::parse_http_response("not http", 1000));
  CHECK(scan::charset_of("text/html;charset=\"gb2312\"") == "gb2312");
}

TEST_CASE("scan.warc.records_offsets_and_damage") {
  const std::string a = record("warcinfo", "software: test\r\n");
  const std::string b = record("resource", "第一份文件");
  const std::string c = record("response", "HTTP/1.1 404 Not Found\r\n\r\n");
  auto read_all = [](const std::string& path, std::vector<scan::WarcRecord>& out, std::string& error) {
    std::string open_error;
    auto stream = scan::ByteStream::open(path, &open_error);
    REQUIRE(stream);
    scan::WarcReader reader(std::move(stream));
    scan::WarcRecord r;
    while (reader.next(r, 1 << 20, error)) out.push_back(r);
  };
  SUBCASE("plain: offsets are byte positions") {
    std::vector<scan::WarcRecord> records;
    std::string error;
    read_all(temp_file("plain.warc", a + b + c), records, error);
    CHECK(error.empty());
    REQUIRE(records.size() == 3);
    CHECK(records[1].type == "resource");
    CHECK(records[1].block == "第一份文件");
    CHECK(records[1].offset == a.size());
    CHECK(records[1].length == b.size());
    CHECK(records[2].header("warc-target-uri") == "<http://x.gov.cn/a>");
  }
  SUBCASE("a gzip member per record: offsets are the members'") {
    std::vector<scan::WarcRecord> records;
    std::string error;
    const std::string ga = gzip(a), gb = gzip(b), gc = gzip(c);
    read_all(temp_file("members.warc.gz", ga + gb + gc), records, error);
    CHECK(error.empty());
    REQUIRE(records.size() == 3);
    CHECK(records[1].offset_in_file);
    CHECK(records[1].offset == ga.size());
    CHECK(records[1].length == gb.size());
    CHECK(records[2].offset == ga.size() + gb.size());
  }
  SUBCASE("a record cut short ends the file with an error") {
    std::vector<scan::WarcRecord> records;
    std::string error;
    const std::string cut = b.substr(0, b.size() - 10);
    read_all(temp_file("cut.warc", a + cut), records, error);
    CHECK(records.size() == 1);
    CHECK(error.find("is cut short") != std::string::npos);
  }
  SUBCASE("a bad Content-Length and a damaged gzip member") {
    std::vector<scan::WarcRecord> records;
    std::string error;
    read_all(temp_file("badlength.warc", a + record("resource", "x", "12x")), records, error);
    CHECK(records.size() == 1);
    CHECK(error.find("no valid Content-Length") != std::string::npos);
    records.clear();
    std::string damaged = gzip(b);
    damaged[damaged.size() / 2] ^= 0x55;
    read_all(temp_file("damaged.warc.gz", gzip(a) + damaged), records, error);
    CHECK(records.size() == 1);
    CHECK_FALSE(error.empty());
  }
  SUBCASE("a block over the limit is skipped, not held") {
    std::string open_error;
    auto stream = scan::ByteStream::open(temp_file("big.warc", record("resource", std::string(5000, 'x')) + b), &open_error);
    scan::WarcReader reader(std::move(stream));
    scan::WarcRecord r;
    std::string error;
    REQUIRE(reader.next(r, 1000, error));
    CHECK(r.block_skipped);
    CHECK(r.block.empty());
    CHECK(r.block_length == 5000);
    REQUIRE(reader.next(r, 1000, error));
    CHECK(r.block == "第一份文件");
  }
  SUBCASE("a block that passes the deadline ends the file with a time-limit error") {
    // 64 MiB of zeros in one gzip member of about 64 KB: skipping it costs inflating all of it.
    const std::string bomb = gzip(record("resource", std::string(64u << 20, '\0')));
    std::string open_error;
    auto stream = scan::ByteStream::open(temp_file("bomb.warc.gz", gzip(a) + bomb + gzip(b)), &open_error);
    scan::WarcReader reader(std::move(stream));
    scan::WarcRecord r;
    std::string error;
    REQUIRE(reader.next(r, 1000, error, Deadline::after(60'000)));
    CHECK(r.type == "warcinfo");
    Deadline passed;
    passed.at = Deadline::Clock::now();
    CHECK_FALSE(reader.next(r, 1000, error, passed));
    CHECK(r.timed_out);
    CHECK(error.find("time limit") != std::string::npos);
    CHECK_FALSE(reader.next(r, 1000, error));  // the file ends there
  }
  CHECK(scan::sniff_container(temp_file("sniff.warc.gz", gzip(a))) == scan::ContainerKind::warc);
  CHECK(scan::sniff_container(temp_file("sniff.txt", "一、总体情况")) == scan::ContainerKind::document);
}

TEST_CASE("scan.crossyear.compare") {
  YearFacts before, now;
  before.agency = now.agency = "某某县交通运输局";
  before.year = 2022;
  now.year = 2023;
  before.cells["p3/carry-over/natural"] = {2, false, {}};
  before.cells["p3/carry-over/total"] = {2, false, {}};
  now.cells["p3/carried/natural"] = {2, false, {}};
  now.cells["p3/carried/total"] = {3, true, {10, 5, 100}};
  before.cells["p2/normative/in-force"] = {12, false, {}};
  now.cells["p2/normative/in-force"] = {13, false, {}};
  now.cells["p2/normative/issued"] = {2, false, {}};
  now.cells["p2/normative/repealed"] = {1, false, {}};
  for (uint64_t i = 0; i < 10; ++i) {
    before.sentences.emplace_back(i, 20);
    now.sentences.emplace_back(i < 7 ? i : 100 + i, 20);
  }
  std::vector<Finding> found = checker().compare_years(before, now);
  std::multiset<std::string> rules;
  for (const Finding& f : found) rules.insert(f.rule + (f.status == FindingStatus::uncertain ? "?" : ""));
  // 总计: 3 vs 2, read by arithmetic → uncertain; 自然人 agrees; 13 = 12 + 2 − 1; 70% of the prose reused.
  CHECK(rules == std::multiset<std::string>{"crossyear.carryover-mismatch?", "crossyear.copied-text"});
  const Finding* carry = nullptr;
  for (const Finding& f : found)
    if (f.rule == "crossyear.carryover-mismatch") carry = &f;
  REQUIRE(carry);
  CHECK(carry->location.line == 10);
  CHECK(carry->evidence.reported == 3);
  CHECK(carry->evidence.computed == 2);
  now.cells["p2/normative/in-force"] = {20, false, {}};
  found = checker().compare_years(before, now);
  CHECK(std::count_if(found.begin(), found.end(), [](const Finding& f) { return f.rule == "crossyear.stock-mismatch"; }) == 1);
  // The facts survive their JSON form (resume and merge rebuild them from the output lines).
  YearFacts back = scan::facts_from_json(nlohmann::json::parse(scan::facts_json(now).dump()));
  CHECK(back.agency == now.agency);
  CHECK(back.sentences == now.sentences);
  CHECK(back.cells.size() == now.cells.size());
  CHECK(back.cells["p3/carried/total"].inferred);
  CHECK(back.cells["p3/carried/total"].location.line == 10);
}

namespace {

bool same_facts(const YearFacts& a, const YearFacts& b) {
  if (a.agency != b.agency || a.year != b.year || a.sentences != b.sentences || a.cells.size() != b.cells.size() ||
      a.sentence_offsets != b.sentence_offsets)
    return false;
  for (auto i = a.cells.begin(), j = b.cells.begin(); i != a.cells.end(); ++i, ++j)
    if (i->first != j->first || std::bit_cast<uint64_t>(i->second.value) != std::bit_cast<uint64_t>(j->second.value) ||
        i->second.inferred != j->second.inferred || i->second.location.line != j->second.location.line ||
        i->second.location.column != j->second.location.column || i->second.location.offset != j->second.location.offset)
      return false;
  return true;
}

}  // namespace

// The cross-year pass stores facts packed; what it reads back must be what their JSON (as before) gave.
TEST_CASE("scan.crossyear.packed_facts_read_as_their_json") {
  uint64_t seed = 5;
  auto next = [&] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 33;
  };
  const double odd_values[] = {0.0, -0.0, 1e300, -1e-300, 0.1, 123456789.125, std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::denorm_min(), 4503599627370497.0};
  for (int round = 0; round < 2000; ++round) {
    YearFacts f;
    if (round % 7) f.agency.append("平潭综合实验区").append(std::to_string(next() % 50));
    const int years[] = {2023, 0, -5, 9999, 10000, 1, INT32_MAX, INT32_MIN};
    f.year = years[next() % 8];
    for (uint64_t n = next() % 12; n-- > 0;) {
      YearFacts::Value v;
      v.value = next() % 3 ? static_cast<double>(next() % 100000) / (next() % 2 ? 1 : 7) : odd_values[next() % 11];
      v.inferred = next() % 2;
      v.location.line = next() % 3 ? static_cast<uint32_t>(next() % 500) : 0;
      v.location.column = static_cast<uint32_t>(next() % 80);
      v.location.offset = next() % 5 ? static_cast<uint32_t>(next() % 100000) : UINT32_MAX;
      std::string key = std::to_string(next() % 4);
      key.append("/row").append(std::to_string(next() % 20)).append("/c").append(std::to_string(next() % 9));
      f.cells[key] = v;
    }
    for (uint64_t n = next() % 30; n-- > 0;)
      f.sentences.emplace_back(next() << 31 ^ next(), next() % 2 ? static_cast<uint32_t>(next() % 200) : UINT32_MAX);
    f.sentence_offsets.assign(f.sentences.size(), 7);  // kept by neither form
    const YearFacts via_json = scan::facts_from_json(nlohmann::json::parse(scan::facts_json(f).dump()));
    const std::string packed = scan::pack_facts(f);
    CAPTURE(round);
    CHECK(same_facts(scan::unpack_facts(packed), via_json));
    // Damaged bytes: what was read before the damage, never a crash.
    const YearFacts cut = scan::unpack_facts(std::string_view(packed).substr(0, next() % (packed.size() + 1)));
    CHECK(cut.cells.size() <= via_json.cells.size());
  }
}

TEST_CASE("scan.crossyear.facts_of_a_report") {
  CheckResult r = triage_checker().check(corpus("076-pingtan-jingjifazhanju-2023.txt"), {"076", {}});
  REQUIRE(r.year_facts);
  CHECK(r.year_facts->year == 2023);
  CHECK_FALSE(r.year_facts->agency.empty());
  CHECK(r.year_facts->cells.count("p3/carried/total") == 1);
  CHECK(r.year_facts->cells.count("p2/normative/in-force") == 1);
  CHECK(r.year_facts->sentences.size() > 10);
}

TEST_CASE("scan.record.damaged_lines_read_back") {
  // --resume and merge read lines back; a field of the wrong type or out of range is absent, never a throw or
  // an unchecked cast (found by fuzz_merge).
  const auto line = nlohmann::json::parse(R"({"id": 5, "status": ["checked"], "error": 3,
      "report": {"year": -2147483648, "agency": 1e300},
      "summary": {"errors": 1e300, "warnings": -1, "infos": "many", "uncertain": 4294967296},
      "findings": [1, {"rule": 2}, {"rule": "total.sum", "status": "uncertain"}],
      "year_facts": {"agency": "某局", "year": 1e300, "cells": [1, 2],
                     "sentences": "zz:10,ffffffffffffffffff:1,10:99999999999,abc:12,"}})");
  const scan::Digest d = scan::digest_of(line);
  CHECK(d.id.empty());
  CHECK(d.status.empty());
  CHECK_FALSE(d.year);
  CHECK(d.errors == 0);
  CHECK(d.warnings == 0);
  CHECK(d.uncertain == 0);
  REQUIRE(d.findings.size() == 3);
  CHECK(d.findings[2].rule == "total.sum");
  CHECK(d.findings[2].uncertain);
  const auto facts = scan::facts_of(line);
  REQUIRE(facts);
  CHECK(facts->year == 0);
  CHECK(facts->cells.empty());
  CHECK(facts->sentences == std::vector<std::pair<uint64_t, uint32_t>>{{0xabc, 12}});
  const auto cells = nlohmann::json::parse(R"({"cells": {"a": {"value": 3, "line": 1e300, "col": -1, "offset": 7},
                                                         "b": {"value": "3"}, "c": 4}})");
  const YearFacts f = scan::facts_from_json(cells);
  REQUIRE(f.cells.size() == 1);
  CHECK(f.cells.at("a").value == 3);
  CHECK(f.cells.at("a").location.line == 0);
  CHECK(f.cells.at("a").location.column == 0);
  CHECK(f.cells.at("a").location.offset == 7);
}

TEST_CASE("scan.data_file_kind.delimited_lines") {
  auto lines_of = [](const std::string& line, size_t n, const std::string& other = "", size_t others = 0) {
    std::string text;
    for (size_t i = 0; i < n; ++i) text += line + "\n";
    for (size_t i = 0; i < others; ++i) text += other + "\n\n";  // blank lines do not count
    return text;
  };
  CHECK(scan::data_file_kind(lines_of("a\tb\tc", 5)) == "data-table");
  CHECK(scan::data_file_kind(lines_of("a\tb", 5)).empty());                   // one tab: two columns are not enough
  CHECK(scan::data_file_kind(lines_of("a,b,c,d", 5)) == "data-table");
  CHECK(scan::data_file_kind(lines_of("a,b,c", 5)).empty());                  // two commas: prose has as many
  CHECK(scan::data_file_kind(lines_of("a\tb\tc", 2)).empty());                // fewer than three lines
  CHECK(scan::data_file_kind(lines_of("a\tb\tc", 8, "一、概述", 2)) == "data-table");  // 8 of 10 lines
  CHECK(scan::data_file_kind(lines_of("a\tb\tc", 7, "一、概述", 3)).empty());          // 7 of 10
  CHECK(scan::data_file_kind(lines_of("a,b,c,d", 8, "x\ty\tz", 2)) == "data-table");  // commas decide, not tabs
  CHECK(scan::data_file_kind(lines_of("主动公开,政府信息,30条,其中,规章", 1, "本机关2023年", 4)).empty());
}
