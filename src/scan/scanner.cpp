#include "scan/scanner.hpp"

#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "scan/record.hpp"
#include "scan/sinks.hpp"
#include "scan/sqlite_store.hpp"
#include "util/numbers.hpp"
#include "util/tsan.hpp"
#include "xxgk/output.hpp"

namespace fs = std::filesystem;

namespace xxgk::scan {
namespace {

using Clock = std::chrono::steady_clock;

class Progress {
 public:
  Progress(std::ostream& out, bool enabled, const Voice& voice)
      : out_(out), enabled_(enabled), voice_(voice), start_(Clock::now()), last_(start_) {}
  void update(size_t documents, uint64_t bytes, size_t errors, uint64_t read, uint64_t total, bool final) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    double seconds = std::max(1e-3, std::chrono::duration<double>(now - start_).count());
    char figures[4][32];
    std::snprintf(figures[0], sizeof figures[0], "%.1f", static_cast<double>(bytes) / 1e6);
    std::snprintf(figures[1], sizeof figures[1], "%.0f", static_cast<double>(documents) / seconds);
    std::snprintf(figures[2], sizeof figures[2], "%.1f", static_cast<double>(bytes) / 1e6 / seconds);
    std::string text = voice_("ui.scan.progress", {{"documents", std::to_string(documents)},
                                                   {"mb", figures[0]},
                                                   {"per_second", figures[1]},
                                                   {"mb_per_second", figures[2]},
                                                   {"errors", std::to_string(errors)}});
    if (total > 0 && read > 0 && read < total && !final) {
      double eta = seconds * static_cast<double>(total - read) / static_cast<double>(read);
      if (const auto whole_seconds = numbers::integral<long long>(std::floor(eta))) {  // a 10^20 s ETA is no integer
        std::snprintf(figures[3], sizeof figures[3], "%lld:%02lld", *whole_seconds / 60, *whole_seconds % 60);
        text += voice_("ui.scan.eta", {{"eta", figures[3]}});
      }
    }
    // \r back to the start, \033[K clears what a longer line before left behind.
    out_ << "\r" << text << "\033[K" << (final ? "\n" : "") << std::flush;
  }

 private:
  std::ostream& out_;
  bool enabled_;
  const Voice& voice_;
  Clock::time_point start_, last_;
};

std::string beside(const std::string& output, const std::string& suffix) {
  fs::path p(output);
  return (p.parent_path() / p.stem()).string() + suffix;
}

Severity severity_named(const std::string& name) {
  return name == "info" ? Severity::info : name == "warning" ? Severity::warning : Severity::error;
}

size_t failing_in(const Digest& d, FailOn threshold) {
  size_t n = 0;
  for (const auto& f : d.findings)
    n += fails(severity_named(f.severity), f.uncertain ? FindingStatus::uncertain : FindingStatus::fail, threshold);
  return n;
}

// What every outcome of a scan shares: the summary, the totals and the facts of each year.
struct Tallies {
  Summary summary;
  ScanTotals& totals;
  FailOn threshold;
  FactsStore& facts;
  //! `stored`: the facts' stored form (pack_facts) when the parallel stage wrote it, else empty.
  void add(const Digest& d, const std::optional<YearFacts>& year_facts, const std::string& stored = {}) {
    summary.add(d);
    totals.failing += failing_in(d, threshold);
    if (d.status != "error") ++totals.readable;
    if (year_facts && d.status == "checked") {
      if (stored.empty()) facts.add(d.id, *year_facts);
      else facts.add(d.id, *year_facts, stored);
    }
  }
};

// Groups the year facts by body and compares consecutive years; every sink gets the findings. Several documents of
// one year (the same report crawled twice) are each compared with the first (by id) of the year before, which
// stands for that year. PERF: the reports are read in order and handed out in batches to `jobs` threads, which
// parse their facts and compare them (one thread after the documents was the scan's longest serial step); each
// report carries the year before's first report, so memory stays bounded by one batch per thread however many
// reports a body has. The findings reach the tallies and the sinks in the order one thread gives.
void crossyear_pass(const Checker& checker, FactsStore& store, std::vector<std::unique_ptr<Sink>>& sinks, Tallies& tallies,
                    unsigned jobs) {
  constexpr size_t kBatch = 32;  // reports per task: enough to outweigh the hand-over, few enough to bound memory
  struct Batch {
    struct Item {
      std::string id;
      std::string facts;  //!< packed (pack_facts)
      std::shared_ptr<const FactsStore::StoredReport> previous;  //!< the year before's first report
    };
    std::vector<Item> items;
    struct Found {
      Finding finding;
      std::string id, previous_id;
      std::shared_ptr<const YearFacts> current, previous;
    };
    std::vector<Found> found;
  };
  auto reader = store.read_reports();
  std::shared_ptr<const FactsStore::StoredReport> previous_year, this_year;  // the first report (by id) of each
  // The next batch of reports that have a year before to be compared with; false when none is left.
  auto next_batch = [&](Batch& batch) {
    FactsStore::StoredReport row;
    while (batch.items.size() < kBatch && reader->next(row)) {
      if (!this_year || this_year->agency != row.agency || this_year->year != row.year) {
        const bool next_year = this_year && this_year->agency == row.agency;
        previous_year = next_year ? std::move(this_year) : nullptr;
        this_year = std::make_shared<const FactsStore::StoredReport>(row);
      }
      if (!previous_year || previous_year->year != row.year - 1) continue;
      batch.items.push_back(Batch::Item{std::move(row.id), std::move(row.facts), previous_year});
    }
    return !batch.items.empty();
  };
  auto compare = [&](Batch& batch) {
    const FactsStore::StoredReport* parsed_for = nullptr;  // consecutive reports share the year before: parsed once
    std::shared_ptr<const YearFacts> previous;
    for (Batch::Item& item : batch.items) {
      if (item.previous.get() != parsed_for) {
        parsed_for = item.previous.get();
        previous = std::make_shared<const YearFacts>(unpack_facts(parsed_for->facts));
      }
      auto current = std::make_shared<const YearFacts>(unpack_facts(item.facts));
      for (Finding& f : checker.compare_years(*previous, *current))
        batch.found.push_back(Batch::Found{std::move(f), item.id, parsed_for->id, current, previous});
    }
    batch.items.clear();
  };
  auto report = [&](const Batch& batch) {
    for (const Batch::Found& x : batch.found) {
      ++tallies.totals.crossyear_findings;
      tallies.totals.failing += fails(x.finding, tallies.threshold);
      tallies.summary.add_crossyear(x.finding);
      const CrossyearFinding found{x.finding, x.id, x.previous_id, *x.current, *x.previous};
      for (auto& sink : sinks) sink->add_crossyear(found);
    }
  };
  // Threads of its own, not oneTBB's: its workers outlive the scan's pipeline, and a second pipeline built for
  // them is shared without a synchronisation ThreadSanitizer can see (util/tsan.hpp); a mutex and a condition
  // are seen. Each thread reads a batch (in turn), compares it, and hands its findings on when every batch read
  // before has been; so at most one batch per thread is held.
  std::mutex turn;
  std::condition_variable handed_on;
  size_t next_read = 0, next_report = 0;
  std::exception_ptr failure;  // the first exception of any thread, thrown again here
  auto work = [&] {
    try {
      for (;;) {
        Batch batch;
        size_t number = 0;
        {
          std::lock_guard<std::mutex> lock(turn);
          if (failure || !next_batch(batch)) return;
          number = next_read++;
        }
        compare(batch);
        std::unique_lock<std::mutex> lock(turn);
        handed_on.wait(lock, [&] { return next_report == number || failure; });
        if (failure) return;
        report(batch);
        ++next_report;
        handed_on.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(turn);
      if (!failure) failure = std::current_exception();
      handed_on.notify_all();
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned i = 1; i < std::max(1u, jobs); ++i) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  if (failure) std::rethrow_exception(failure);
}

bool finish(std::vector<std::unique_ptr<Sink>>& sinks, std::string* error) {
  bool ok = true;
  for (auto& sink : sinks) ok &= sink->finish(ok ? error : nullptr);
  return ok;
}

// The summary: totals on the progress stream, JSON where asked (or beside the first output; with results on
// standard output, scan.summary.json in the working folder).
void write_summary(const ScanOptions& options, const Summary& summary, const std::string& first_output,
                   const nlohmann::ordered_json& tool, const Voice& say, std::ostream& out, bool always_json) {
  if (options.summary) summary.print(out, say);
  if (!options.summary && !always_json) return;
  std::string path = options.summary_output;
  if (path.empty()) path = first_output == "-" ? std::string("scan.summary.json") : beside(first_output, ".summary.json");
  nlohmann::ordered_json j = summary.to_json();
  j["tool"] = tool;
  std::ofstream(path) << j.dump(2) << "\n";
}

}  // namespace

int ScanTotals::exit_status(bool share) const {
  if (readable == 0 && (!share || errors > 0)) return 2;
  return failing ? 1 : 0;
}

bool run_scan(const ScanOptions& options, std::ostream& progress_out, ScanTotals& totals, std::string* error) {
  const Voice say{options.words, options.check.language};
  std::vector<std::string> outputs = options.outputs.empty() ? std::vector<std::string>{"-"} : options.outputs;
  Options check_options = options.check;
  check_options.keep_text = std::any_of(outputs.begin(), outputs.end(), [](const std::string& o) { return output_kind(o) == "html"; });
  check_options.triage = true;
  check_options.year_facts = true;
  check_options.time_budget_ms = options.time_limit_ms;
  auto checker = Checker::create(check_options, error);
  if (!checker) return false;
  const nlohmann::ordered_json tool = tool_json(options.tool_version, checker->grammar_revision());

  std::string first_lines;
  for (const std::string& o : outputs)
    if (first_lines.empty() && output_kind(o) == "jsonl") first_lines = o;
  std::string crossyear_path = options.crossyear_output;
  if (crossyear_path.empty() && options.crossyear && !first_lines.empty() && first_lines != "-")
    crossyear_path = beside(first_lines, ".crossyear.jsonl");
  if (!options.crossyear) crossyear_path.clear();

  std::string temp_error;
  auto facts = FactsStore::create(options.temp_dir, &temp_error);
  if (!facts) {
    if (error) *error = temp_error;
    return false;
  }
  Tallies tallies{Summary{}, totals, options.fail_on, *facts};
  std::unordered_set<std::string> replayed;  // documents the first JSON Lines output held before (--resume)
  SinkSettings settings;
  settings.title = "xxgk scan — " + (options.inputs.size() == 1 ? options.inputs.front() : std::to_string(options.inputs.size()) + " inputs");
  settings.resume = options.resume;
  settings.voice = say;
  settings.tool = tool;
  settings.on_held_record = [&](const nlohmann::json& record) {
    const Digest digest = digest_of(record);  // WHY not record.value("id", ""): it throws when "id" is not a string
    replayed.insert(digest.id);
    tallies.add(digest, scan::facts_of(record));
    ++totals.resumed;
  };
  auto sinks = open_sinks(outputs, crossyear_path, settings, error);
  if (sinks.empty()) return false;
  const bool keep_results = std::any_of(sinks.begin(), sinks.end(), [](const auto& s) { return s->needs_result(); });

  InputOptions input_options;
  input_options.max_bytes = options.check.max_input_bytes;
  input_options.time_limit_ms = options.time_limit_ms;
  input_options.filter = options.filter;
  input_options.voice = say;
  if (options.shards > 1)  // the share is chosen from the id, before the bytes are read
    input_options.wanted = [&](const std::string& id) { return shard_hash(id) % options.shards == options.shard - 1; };
  auto inputs = open_inputs(options.inputs, options.files_from, input_options);
  const unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  Progress progress(progress_out, !options.quiet, say);
  std::atomic<uint64_t> bytes_read{0};
  const uint64_t bytes_total = inputs->bytes_total();
  uint64_t bytes_done = 0;
  size_t errors = 0, next_number = 0;

  auto process = [&](Work* w) {
    InputDocument& doc = w->doc;
    CheckResult& r = w->result;
    if (doc.error_code.empty() && doc.skip_reason.empty()) {
      const std::string kind = data_file_kind(doc.bytes);
      if (!kind.empty()) {
        doc.skip_kind = kind;
        doc.skip_reason = say("skip." + kind);
      }
    }
    if (!doc.error_code.empty() || !doc.skip_reason.empty()) {
      r.source.path = doc.id;
      r.source.bytes = doc.size;
      r.report.is_report = false;
      r.report.format = "unknown";
      if (!doc.error_code.empty()) r.error = InputError{doc.error_code, doc.error_message};
    } else {
      r = checker->check(doc.bytes, InputInfo{doc.id, doc.declared_charset.empty() ? options.charset : doc.declared_charset});
    }
    doc.bytes.clear();
    doc.bytes.shrink_to_fit();
    w->status = status_of(doc, r);
    w->reason = skip_reason_of(doc, r, say);
    // PERF: the line is written straight from the result, and the digest taken from the same values (no DOM);
    // the JSON line stays the unit: resume and merge read these fields back from it (tests/unit/test_scan.cpp).
    w->line = document_line(doc, r, options.tables, say, tool);
    w->digest = digest_of(doc, r, say);
    if (w->status == "checked" && r.year_facts) {
      w->facts = std::move(r.year_facts);
      w->facts_packed = pack_facts(*w->facts);  // PERF: here, in parallel, not in the serial write
    }
    for (size_t i = 0; i < sinks.size(); ++i)
      if (w->fresh[i]) sinks[i]->prepare(*w, i);
    r.text.clear();
    r.rendered.clear();
    if (!keep_results) r = CheckResult{};
  };

  auto write = [&](Work* w) {
    for (size_t i = 0; i < sinks.size(); ++i)
      if (w->fresh[i]) sinks[i]->write(*w, i);
    if (!replayed.count(w->doc.id)) tallies.add(w->digest, w->facts, w->facts_packed);
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
                                          // --resume: a document every output already holds is done.
                                          w->fresh.assign(sinks.size(), true);
                                          bool any = false;
                                          for (size_t i = 0; i < sinks.size(); ++i) {
                                            const auto* held = sinks[i]->held();
                                            w->fresh[i] = !held || !held->count(w->doc.id);
                                            any |= w->fresh[i] && held;  // a resumable output lacks it
                                          }
                                          if (options.resume && !any) continue;
                                          w->prepared.resize(sinks.size());
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
  if (options.crossyear) crossyear_pass(*checker, *facts, sinks, tallies, jobs);
  if (!finish(sinks, error)) return false;
  write_summary(options, tallies.summary, outputs.front(), tool, say, progress_out, false);
  return true;
}

bool merge_scans(const std::vector<std::string>& parts, const ScanOptions& options, std::ostream& report, ScanTotals& totals,
                 std::string* error) {
  const Voice say{options.words, options.check.language};
  auto checker = Checker::create(options.check, error);
  if (!checker) return false;
  const nlohmann::ordered_json tool = tool_json(options.tool_version, checker->grammar_revision());
  auto facts = FactsStore::create(options.temp_dir, error);
  if (!facts) return false;
  const std::vector<std::string> outputs = options.outputs.empty() ? std::vector<std::string>{"-"} : options.outputs;
  std::string first_lines;
  for (const std::string& o : outputs)
    if (first_lines.empty() && output_kind(o) == "jsonl") first_lines = o;
  std::string crossyear_path = options.crossyear_output;
  if (crossyear_path.empty() && !first_lines.empty() && first_lines != "-") crossyear_path = beside(first_lines, ".crossyear.jsonl");
  if (!options.crossyear) crossyear_path.clear();
  SinkSettings settings;
  settings.title = "xxgk merge — " + std::to_string(parts.size()) + " parts";
  settings.voice = say;
  settings.tool = tool;
  auto sinks = open_sinks(outputs, crossyear_path, settings, error);
  if (sinks.empty()) return false;
  Tallies tallies{Summary{}, totals, options.fail_on, *facts};
  std::unordered_set<std::string> seen;
  size_t number = 0;
  for (const std::string& part : parts) {
    std::ifstream in(part, std::ios::binary);
    if (!in) {
      if (error) *error = say("ui.cli.cannot-read", {{"path", part}});
      return false;
    }
    for (std::string line; std::getline(in, line);) {
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded() || !record.is_object()) continue;  // a partial line of a killed shard
      Digest digest = digest_of(record);  // WHY not record.value("id", ""): it throws when "id" is not a string
      if (digest.id.empty() || !seen.insert(digest.id).second) continue;  // a document in two parts counts once
      Work w;
      w.doc = document_of(record);
      w.number = number++;
      w.status = digest.status;
      w.reason = {digest.reason, digest.reason_kind};
      w.result = result_from_json(record);
      w.line = std::move(line);
      w.digest = std::move(digest);
      w.facts = scan::facts_of(record);
      w.fresh.assign(sinks.size(), true);
      w.prepared.resize(sinks.size());
      for (size_t i = 0; i < sinks.size(); ++i) sinks[i]->prepare(w, i);
      for (size_t i = 0; i < sinks.size(); ++i) sinks[i]->write(w, i);
      tallies.add(w.digest, w.facts);
      ++totals.documents;
      if (w.status == "checked") ++totals.checked;
      else if (w.status == "skipped") ++totals.skipped;
      else ++totals.errors;
    }
  }
  if (options.crossyear)
    crossyear_pass(*checker, *facts, sinks, tallies, options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()));
  if (!finish(sinks, error)) return false;
  // merge always writes the summary JSON beside its output (the shards' summaries are partial).
  write_summary(options, tallies.summary, outputs.front(), tool, say, report, outputs.front() != "-");
  return true;
}

}  // namespace xxgk::scan
