#include "scan/scanner.hpp"

#include <fcntl.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>
#include <unordered_set>

#include "scan/record.hpp"
#include "scan/sqlite_store.hpp"
#include "util/numbers.hpp"
#include "util/tsan.hpp"
#include "xxgk/output.hpp"

namespace fs = std::filesystem;

namespace xxgk::scan {
namespace {

using Clock = std::chrono::steady_clock;

bool is_sqlite(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  return ext == ".sqlite" || ext == ".db" || ext == ".sqlite3";
}

bool is_xlsx(const std::string& path) { return fs::path(path).extension() == ".xlsx"; }

bool is_html(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  return ext == ".html" || ext == ".htm";
}

// A JSON Lines file written one whole line per write(2), so that a killed scan leaves at most one partial
// line, at the end, which --resume cuts off.
class LineFile {
 public:
  static std::unique_ptr<LineFile> open(const std::string& path, bool append, std::string* error) {
    auto f = std::unique_ptr<LineFile>(new LineFile());
    if (path == "-") {
      f->fd_ = STDOUT_FILENO;
      return f;
    }
    f->fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
    if (f->fd_ < 0) {
      if (error) *error = "cannot write " + path + ": " + std::strerror(errno);
      return nullptr;
    }
    f->owned_ = true;
    return f;
  }
  ~LineFile() {
    if (owned_) ::close(fd_);
  }
  bool write(std::string line) {
    line.push_back('\n');
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return true;
  }

 private:
  LineFile() = default;
  int fd_ = -1;
  bool owned_ = false;
};

// An existing JSON Lines output: its complete lines (a partial last line is cut off the file).
template <typename Each>
void read_lines(const std::string& path, bool repair, Each each) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  if (repair) {
    // Cut a partial last line left by a killed scan.
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    auto size = static_cast<uint64_t>(in.tellg());
    uint64_t keep = size;
    while (keep > 0) {
      in.seekg(static_cast<std::streamoff>(keep - 1));
      if (in.get() == '\n') break;
      --keep;
    }
    in.close();
    if (keep != size) fs::resize_file(path, keep, ec);
  }
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) continue;
    each(record);
  }
}

Digest digest_from(const InputDocument& doc, const std::string& status, const std::string& reason, const CheckResult& r) {
  Digest d;
  d.id = doc.id;
  d.status = status;
  d.reason = reason;
  if (!doc.error_code.empty()) d.error_code = doc.error_code;
  else if (r.error) d.error_code = r.error->code;
  d.format = r.report.format;
  d.level = r.report.level;
  d.kind = r.report.kind;
  d.agency = r.report.agency;
  d.year = r.report.year;
  if (status == "checked") {
    Tally t;
    t.add(r);
    d.errors = static_cast<uint32_t>(t.errors);
    d.warnings = static_cast<uint32_t>(t.warnings);
    d.infos = static_cast<uint32_t>(t.infos);
    d.uncertain = static_cast<uint32_t>(t.uncertain);
    for (const Finding& f : r.findings) d.findings.push_back({f.rule, to_string(f.severity), f.status == FindingStatus::uncertain});
  }
  return d;
}

struct Work {
  InputDocument doc;
  size_t number = 0;  // in the order of input
  HtmlReport::Entry html_entry;
  std::string html_section;
  std::string line;   // the JSON line
  std::string status, reason;
  Digest digest;
  CheckResult result;  // kept only for a SQLite output or a workbook
  std::optional<YearFacts> facts;
  bool to_lines = true, to_database = true;
};

class Progress {
 public:
  Progress(std::ostream& out, bool enabled) : out_(out), enabled_(enabled), start_(Clock::now()), last_(start_) {}
  void update(size_t documents, uint64_t bytes, size_t errors, uint64_t read, uint64_t total, bool final) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    double seconds = std::max(1e-3, std::chrono::duration<double>(now - start_).count());
    char line[256];
    int n = std::snprintf(line, sizeof line, "\r%zu documents, %.1f MB, %.0f documents/s, %.1f MB/s, %zu errors",
                          documents, static_cast<double>(bytes) / 1e6, static_cast<double>(documents) / seconds,
                          static_cast<double>(bytes) / 1e6 / seconds, errors);
    std::string text(line, static_cast<size_t>(std::max(0, n)));
    if (total > 0 && read > 0 && read < total && !final) {
      double eta = seconds * static_cast<double>(total - read) / static_cast<double>(read);
      char tail[64];
      if (const auto whole_seconds = numbers::integral<long long>(std::floor(eta))) {  // a 10^20 s ETA is no integer
        std::snprintf(tail, sizeof tail, ", ETA %lld:%02lld", *whole_seconds / 60, *whole_seconds % 60);
        text += tail;
      }
    }
    out_ << text << "   " << (final ? "\n" : "") << std::flush;
  }

 private:
  std::ostream& out_;
  bool enabled_;
  Clock::time_point start_, last_;
};

// Groups the year facts by body and compares consecutive years; writes the findings everywhere they go.
size_t crossyear_pass(const Checker& checker, FactsStore& store, const std::string& lines_path, ResultsDatabase* database,
                      HtmlReport* html, XlsxWorkbook* workbook, Summary& summary, std::string* error) {
  std::unique_ptr<LineFile> out;
  if (!lines_path.empty()) {
    out = LineFile::open(lines_path, false, error);
    if (!out) return 0;
  }
  if (database) database->commit();
  size_t found = 0;
  // Reports arrive ordered by body, year and id. Several documents of one year (the same report crawled
  // twice) are each compared with the first (by id) of the year before, which stands for that year.
  std::optional<std::pair<std::string, YearFacts>> previous_year, this_year;
  store.for_each_report([&](const std::string& id, const YearFacts& current) {
    if (!this_year || this_year->second.agency != current.agency || this_year->second.year != current.year) {
      const bool next_year = this_year && this_year->second.agency == current.agency;
      previous_year = next_year ? std::move(this_year) : std::nullopt;
      this_year.emplace(id, current);
    }
    if (!previous_year || previous_year->second.year != current.year - 1) return;
    for (const Finding& f : checker.compare_years(previous_year->second, current)) {
      ++found;
      summary.add_crossyear(f);
      if (out) out->write(crossyear_record(f, id, previous_year->first, current, previous_year->second).dump());
      if (database) database->add_crossyear(f, id, previous_year->first, current.year, previous_year->second.year);
      if (html) html->add_crossyear(f, current.agency, id, previous_year->first);
      if (workbook) workbook->add_crossyear(f, current.agency, current.year, previous_year->second.year, id, previous_year->first);
    }
  });
  if (database) database->commit();
  return found;
}

std::string beside(const std::string& output, const std::string& suffix) {
  fs::path p(output);
  return (p.parent_path() / p.stem()).string() + suffix;
}

}  // namespace

bool run_scan(const ScanOptions& options, std::ostream& progress_out, ScanTotals& totals, std::string* error) {
  Options check_options;
  check_options.grammar_dir = options.grammar_dir;
  check_options.language = options.language;
  check_options.max_input_bytes = options.max_bytes;
  const bool has_html = std::any_of(options.outputs.begin(), options.outputs.end(), is_html);
  check_options.keep_text = has_html;  // the HTML report shows the source around findings
  check_options.triage = true;
  check_options.year_facts = true;
  check_options.time_budget_ms = options.time_limit_ms;
  auto checker = Checker::create(check_options, error);
  if (!checker) return false;

  // Outputs, and with --resume what each already holds.
  std::vector<std::string> outputs = options.outputs.empty() ? std::vector<std::string>{"-"} : options.outputs;
  std::string first_lines, first_path;
  for (const std::string& o : outputs) {
    if (first_path.empty()) first_path = o;
    if (!is_sqlite(o) && !is_html(o) && !is_xlsx(o) && first_lines.empty()) first_lines = o;
  }
  if (options.resume && (first_lines.empty() || first_lines == "-")) {
    if (error) *error = "--resume needs a JSON Lines output file (-o results.jsonl)";
    return false;
  }
  if (options.resume && std::any_of(outputs.begin(), outputs.end(), [](const std::string& o) { return is_html(o) || is_xlsx(o); })) {
    if (error) *error = "an HTML report or a workbook cannot be resumed (it would hold only the rest); scan again without --resume";
    return false;
  }
  std::string temp_error;
  auto facts = FactsStore::create(options.temp_dir, &temp_error);
  if (!facts) {
    if (error) *error = temp_error;
    return false;
  }
  Summary summary;
  std::unordered_set<std::string> in_lines, in_database;
  if (options.resume) {
    read_lines(first_lines, true, [&](const nlohmann::json& record) {
      const Digest digest = digest_of(record);  // WHY not record.value("id", ""): it throws when "id" is not a string
      if (digest.id.empty() || !in_lines.insert(digest.id).second) return;
      summary.add(digest);
      if (auto f = scan::facts_of(record)) facts->add(digest.id, *f);
      ++totals.resumed;
    });
  }
  std::vector<std::unique_ptr<LineFile>> line_files;
  std::unique_ptr<ResultsDatabase> database;
  std::ofstream html_file;
  std::unique_ptr<HtmlReport> html;
  std::unique_ptr<XlsxWorkbook> workbook;
  for (const std::string& o : outputs) {
    if (is_xlsx(o)) {
      if (workbook) {
        if (error) *error = "one workbook per scan";
        return false;
      }
      XlsxWorkbook::Settings settings;
      settings.table_sheets = false;  // thousands of documents: the tables are in the HTML report and the JSON lines
      settings.constant_memory = true;
      workbook = XlsxWorkbook::create(o, settings, error);
      if (!workbook) return false;
      continue;
    }
    if (is_html(o)) {
      if (html) {
        if (error) *error = "one HTML report per scan";
        return false;
      }
      html_file.open(o, std::ios::binary | std::ios::trunc);
      if (!html_file) {
        if (error) *error = "cannot write " + o + ": " + std::strerror(errno);
        return false;
      }
      std::string title = "xxgk scan — ";
      title += options.inputs.size() == 1 ? options.inputs.front() : std::to_string(options.inputs.size()) + " inputs";
      html = std::make_unique<HtmlReport>(html_file, HtmlReport::Settings{title, options.language, true});
      continue;
    }
    if (is_sqlite(o)) {
      if (!options.resume) {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(o + suffix, ec);
      }
      database = ResultsDatabase::open(o, error);
      if (!database) return false;
      if (options.resume)
        for (std::string& id : database->ids()) in_database.insert(std::move(id));
      continue;
    }
    auto f = LineFile::open(o, options.resume, error);
    if (!f) return false;
    line_files.push_back(std::move(f));
  }
  const bool has_lines = !line_files.empty();

  InputOptions input_options;
  input_options.max_bytes = options.max_bytes;
  input_options.time_limit_ms = options.time_limit_ms;
  auto inputs = open_inputs(options.inputs, options.files_from, input_options);
  const unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  Progress progress(progress_out, !options.quiet);
  std::atomic<uint64_t> bytes_read{0};
  const uint64_t bytes_total = inputs->bytes_total();
  uint64_t bytes_done = 0;
  size_t errors = 0, next_number = 0;

  auto process = [&](Work* w) {
    InputDocument& doc = w->doc;
    CheckResult& r = w->result;
    if (!doc.error_code.empty() || !doc.skip_reason.empty()) {
      r.source.path = doc.id;
      r.source.bytes = doc.size;
      r.report.is_report = false;
      r.report.format = "unknown";
      if (!doc.error_code.empty()) r.error = InputError{doc.error_code, doc.error_message};
    } else {
      r = checker->check(doc.bytes, InputInfo{doc.id, doc.declared_charset});
    }
    doc.bytes.clear();
    doc.bytes.shrink_to_fit();
    if (html) {
      w->html_entry = HtmlReport::entry_of(r, w->number, true);
      if (!doc.skip_reason.empty()) w->html_entry.detail = doc.skip_reason;
      w->html_section = HtmlReport::section_of(r, w->number, true);
      r.text.clear();
    }
    w->status = status_of(doc, r);
    nlohmann::ordered_json record = document_record(doc, r, options.tables);
    w->reason = record["reason"].is_string() ? record["reason"].get<std::string>() : std::string();
    w->line = record.dump();
    w->digest = digest_from(doc, w->status, w->reason, r);
    if (w->status == "checked" && r.year_facts) w->facts = std::move(r.year_facts);
    if (!database && !workbook) r = CheckResult{};
  };

  auto write = [&](Work* w) {
    if (has_lines && w->to_lines)
      for (auto& f : line_files) f->write(w->line);
    if (database && w->to_database) database->add(w->doc, w->status, w->reason, w->result);
    if (html) html->add(w->html_entry, w->html_section);
    if (workbook) {
      if (!w->doc.skip_reason.empty() && w->result.skipped.empty()) w->result.skipped = w->doc.skip_reason;
      workbook->add(w->result);
    }
    if (w->to_lines || !in_lines.count(w->doc.id)) {
      summary.add(w->digest);
      if (w->facts) facts->add(w->doc.id, *w->facts);
    }
    ++totals.documents;
    if (w->status == "checked") ++totals.checked;
    else if (w->status == "skipped") ++totals.skipped;
    else ++totals.errors, ++errors;
    bytes_done += w->doc.size;
    progress.update(totals.documents + totals.resumed, bytes_done, errors, bytes_read.load(), bytes_total, false);
  };

  tbb::task_arena arena(static_cast<int>(jobs));
  // For ThreadSanitizer only (util/tsan.hpp): the pipeline starts after what came before, each serial filter runs
  // one call at a time, an item is handed from filter to filter, and what follows sees all of it.
  const char started = 0, reading = 0, writing = 0, finished = 0;
  tsan::release(&started);
  arena.execute([&] {
    tbb::parallel_pipeline(
        jobs * 16,  // documents in flight: memory is bounded by this many documents; WHY so many: with ordered
                    // output one slow page holds back the documents after it, and idle tokens idle a core
        tbb::make_filter<void, Work*>(tbb::filter_mode::serial_in_order,
                                      [&](tbb::flow_control& fc) -> Work* {
                                        tsan::acquire(&started);
                                        tsan::acquire(&reading);
                                        auto w = std::make_unique<Work>();
                                        while (inputs->next(w->doc)) {
                                          bytes_read = inputs->bytes_read();
                                          if (options.shards > 1 &&
                                              shard_hash(w->doc.id) % options.shards != options.shard - 1)
                                            continue;
                                          w->to_lines = has_lines && !in_lines.count(w->doc.id);
                                          w->to_database = database && !in_database.count(w->doc.id);
                                          if (!w->to_lines && !w->to_database && !html && !workbook) continue;  // --resume: done
                                          w->number = next_number++;
                                          tsan::release(w.get());
                                          tsan::release(&reading);
                                          return w.release();
                                        }
                                        fc.stop();
                                        tsan::release(&reading);
                                        tsan::release(&finished);
                                        return nullptr;
                                      }) &
            tbb::make_filter<Work*, Work*>(tbb::filter_mode::parallel,
                                           [&](Work* w) {
                                             tsan::acquire(&started);
                                             tsan::acquire(w);
                                             process(w);
                                             tsan::release(w);
                                             return w;
                                           }) &
            tbb::make_filter<Work*, void>(options.ordered ? tbb::filter_mode::serial_in_order
                                                          : tbb::filter_mode::serial_out_of_order,
                                          [&](Work* w) {
                                            tsan::acquire(&started);
                                            tsan::acquire(&writing);
                                            tsan::acquire(w);
                                            {
                                              std::unique_ptr<Work> owned(w);
                                              write(w);
                                            }
                                            tsan::release(&writing);
                                            tsan::release(&finished);
                                          }));
  });
  tsan::acquire(&finished);
  progress.update(totals.documents + totals.resumed, bytes_done, errors, bytes_total, bytes_total, true);

  // Across years, over everything the outputs hold.
  if (options.crossyear) {
    std::string lines_path = options.crossyear_output;
    if (lines_path.empty() && !first_lines.empty() && first_lines != "-") lines_path = beside(first_lines, ".crossyear.jsonl");
    totals.crossyear_findings = crossyear_pass(*checker, *facts, lines_path, database.get(), html.get(), workbook.get(), summary, error);
  }
  if (workbook && !workbook->close(error)) return false;
  if (html) {
    html->finish();
    html_file.close();
    if (!html_file) {
      if (error) *error = "writing the HTML report failed";
      return false;
    }
  }
  if (database) database->commit();
  if (options.summary) {
    summary.print(progress_out);
    std::string path = options.summary_output;
    if (path.empty() && first_path != "-") path = beside(first_path, ".summary.json");
    if (!path.empty()) std::ofstream(path) << summary.to_json().dump(2) << "\n";
  }
  return true;
}

bool merge_scans(const std::vector<std::string>& parts, const ScanOptions& options, std::ostream& report, ScanTotals& totals,
                 std::string* error) {
  Options check_options;
  check_options.grammar_dir = options.grammar_dir;
  check_options.language = options.language;
  auto checker = Checker::create(check_options, error);
  if (!checker) return false;
  auto facts = FactsStore::create(options.temp_dir, error);
  if (!facts) return false;
  const std::string output = options.outputs.empty() ? std::string("-") : options.outputs.front();
  auto out = LineFile::open(output, false, error);
  if (!out) return false;
  Summary summary;
  std::unordered_set<std::string> seen;
  for (const std::string& part : parts) {
    std::ifstream in(part, std::ios::binary);
    if (!in) {
      if (error) *error = "cannot read " + part;
      return false;
    }
    for (std::string line; std::getline(in, line);) {
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded() || !record.is_object()) continue;  // a partial line of a killed shard
      const Digest digest = digest_of(record);  // WHY not record.value("id", ""): it throws when "id" is not a string
      if (digest.id.empty() || !seen.insert(digest.id).second) continue;  // a document in two parts counts once
      out->write(line);
      summary.add(digest);
      if (auto f = scan::facts_of(record)) facts->add(digest.id, *f);
      ++totals.documents;
      if (digest.status == "checked") ++totals.checked;
      else if (digest.status == "skipped") ++totals.skipped;
      else ++totals.errors;
    }
  }
  if (options.crossyear) {
    std::string lines_path = options.crossyear_output;
    if (lines_path.empty() && output != "-") lines_path = beside(output, ".crossyear.jsonl");
    totals.crossyear_findings = crossyear_pass(*checker, *facts, lines_path, nullptr, nullptr, nullptr, summary, error);
  }
  std::string path = options.summary_output;
  if (path.empty() && output != "-") path = beside(output, ".summary.json");
  if (!path.empty()) std::ofstream(path) << summary.to_json().dump(2) << "\n";
  if (options.summary) summary.print(report);
  return true;
}

}  // namespace xxgk::scan
