#include "scan/sinks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "scan/sqlite_store.hpp"

namespace fs = std::filesystem;

namespace xxgk::scan {
namespace {

// A JSON Lines file written one whole line per write(2), so that a killed scan leaves at most one partial
// line, at the end, which --resume cuts off.
class LineFile {
 public:
  static std::unique_ptr<LineFile> open(const std::string& path, bool append, const Voice& say, std::string* error) {
    auto f = std::unique_ptr<LineFile>(new LineFile());
    if (path == "-") {
      f->fd_ = STDOUT_FILENO;
      return f;
    }
    f->fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
    if (f->fd_ < 0) {
      if (error) *error = say("ui.cli.cannot-write", {{"path", path}, {"reason", std::strerror(errno)}});
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

class JsonLinesSink final : public Sink {
 public:
  JsonLinesSink(std::unique_ptr<LineFile> file, std::unordered_set<std::string> held)
      : file_(std::move(file)), held_(std::move(held)) {}
  const std::unordered_set<std::string>* held() const override { return &held_; }
  void write(Work& work, size_t) override {
    if (!file_->write(work.line)) failed_ = true;
  }
  bool finish(std::string* error) override {
    if (failed_ && error) *error = "writing the JSON lines failed";
    return !failed_;
  }

 private:
  std::unique_ptr<LineFile> file_;
  std::unordered_set<std::string> held_;
  bool failed_ = false;
};

class CrossyearLinesSink final : public Sink {
 public:
  explicit CrossyearLinesSink(std::unique_ptr<LineFile> file) : file_(std::move(file)) {}
  void write(Work&, size_t) override {}
  void add_crossyear(const CrossyearFinding& c) override {
    file_->write(crossyear_record(c.finding, c.document, c.previous, c.current, c.before).dump());
  }
  bool finish(std::string*) override { return true; }

 private:
  std::unique_ptr<LineFile> file_;
};

class SqliteSink final : public Sink {
 public:
  explicit SqliteSink(std::unique_ptr<ResultsDatabase> db) : db_(std::move(db)) {
    for (std::string& id : db_->ids()) held_.insert(std::move(id));
  }
  const std::unordered_set<std::string>* held() const override { return &held_; }
  bool needs_result() const override { return true; }
  void write(Work& w, size_t) override { db_->add(w.doc, w.status, w.reason, w.digest, w.result); }
  void add_crossyear(const CrossyearFinding& c) override {
    if (!committed_) db_->commit(), committed_ = true;  // the documents first, whole
    db_->add_crossyear(c.finding, c.document, c.previous, c.current.year, c.before.year);
  }
  bool finish(std::string*) override {
    db_->finish();
    return true;
  }

 private:
  std::unique_ptr<ResultsDatabase> db_;
  std::unordered_set<std::string> held_;
  bool committed_ = false;
};

class HtmlSink final : public Sink {
 public:
  struct Page : Prepared {
    HtmlReport::Entry entry;
    std::string section;
  };
  HtmlSink(std::unique_ptr<std::ofstream> file, const SinkSettings& settings) : file_(std::move(file)) {
    HtmlReport::Settings s;
    s.title = settings.title;
    s.language = settings.voice.language;
    s.words = settings.voice.words;
    s.compact = true;
    s.generator = settings.tool.value("version", "") + " (grammars " + settings.tool.value("grammars", "") + ")";
    report_ = std::make_unique<HtmlReport>(*file_, s);
  }
  void prepare(Work& w, size_t slot) const override {
    auto page = std::make_unique<Page>();
    page->entry = report_->entry_of(w.result, w.number, true);
    if (!w.reason.text.empty()) page->entry.detail = w.reason.text;
    page->entry.region = w.digest.province + (w.digest.city.empty() ? "" : " " + w.digest.city);
    page->section = report_->section_of(w.result, w.number, true);
    w.prepared[slot] = std::move(page);
  }
  void write(Work& w, size_t slot) override {
    auto* page = static_cast<Page*>(w.prepared[slot].get());
    report_->add(page->entry, page->section);
  }
  void add_crossyear(const CrossyearFinding& c) override {
    report_->add_crossyear(c.finding, c.current.agency, c.document, c.previous);
  }
  bool finish(std::string* error) override {
    report_->finish();
    file_->close();
    if (!*file_) {
      if (error) *error = "writing the HTML report failed";
      return false;
    }
    return true;
  }

 private:
  std::unique_ptr<std::ofstream> file_;
  std::unique_ptr<HtmlReport> report_;
};

class XlsxSink final : public Sink {
 public:
  explicit XlsxSink(std::unique_ptr<XlsxWorkbook> book) : book_(std::move(book)) {}
  bool needs_result() const override { return true; }
  void write(Work& w, size_t) override {
    if (!w.reason.text.empty() && w.result.skipped.empty()) w.result.skipped = w.reason.text;
    book_->add(w.result);
  }
  void add_crossyear(const CrossyearFinding& c) override {
    book_->add_crossyear(c.finding, c.current.agency, c.current.year, c.before.year, c.document, c.previous);
  }
  bool finish(std::string* error) override { return book_->close(error); }

 private:
  std::unique_ptr<XlsxWorkbook> book_;
};

// The ids of the complete lines of an existing JSON Lines output; a partial last line (a killed scan) is cut.
std::unordered_set<std::string> held_lines(const std::string& path, const std::function<void(const nlohmann::json&)>& each) {
  std::unordered_set<std::string> ids;
  std::error_code ec;
  if (path == "-" || !fs::exists(path, ec)) return ids;
  {
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
    std::string id = digest_of(record).id;  // WHY not record.value("id", ""): it throws when "id" is not a string
    if (id.empty() || !ids.insert(id).second) continue;
    if (each) each(record);
  }
  return ids;
}

}  // namespace

std::string output_kind(const std::string& path) {
  if (path == "-") return "jsonl";
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return "jsonl";
  if (ext == ".sqlite" || ext == ".db" || ext == ".sqlite3") return "sqlite";
  if (ext == ".html" || ext == ".htm") return "html";
  if (ext == ".xlsx") return "xlsx";
  return {};
}

std::vector<std::unique_ptr<Sink>> open_sinks(const std::vector<std::string>& outputs, const std::string& crossyear_output,
                                              const SinkSettings& settings, std::string* error) {
  const Voice& say = settings.voice;
  std::vector<std::unique_ptr<Sink>> sinks;
  auto fail = [&](std::string message) {
    if (error) *error = std::move(message);
    return std::vector<std::unique_ptr<Sink>>{};
  };
  bool html = false, xlsx = false, lines_replayed = false;
  for (const std::string& o : outputs) {
    const std::string kind = output_kind(o);
    if (kind.empty()) return fail(say("ui.cli.unknown-output", {{"path", o}}));
    if (settings.resume && (kind == "html" || kind == "xlsx")) return fail(say("ui.cli.cannot-resume", {{"path", o}}));
    if (kind == "jsonl") {
      if (settings.resume && o == "-") return fail(say("ui.cli.resume-needs-file"));
      std::unordered_set<std::string> held;
      if (settings.resume) {
        // The first JSON Lines output replays what it holds into the summary and the cross-year facts.
        held = held_lines(o, lines_replayed ? nullptr : settings.on_held_record);
        lines_replayed = true;
      }
      auto file = LineFile::open(o, settings.resume, say, error);
      if (!file) return {};
      sinks.push_back(std::make_unique<JsonLinesSink>(std::move(file), std::move(held)));
    } else if (kind == "sqlite") {
      if (!settings.resume) {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(o + suffix, ec);
      }
      auto db = ResultsDatabase::open(o, settings.tool, error);
      if (!db) return {};
      sinks.push_back(std::make_unique<SqliteSink>(std::move(db)));
    } else if (kind == "html") {
      if (html) return fail(say("ui.cli.one-page"));
      html = true;
      auto file = std::make_unique<std::ofstream>(o, std::ios::binary | std::ios::trunc);
      if (!*file) return fail(say("ui.cli.cannot-write", {{"path", o}, {"reason", std::strerror(errno)}}));
      sinks.push_back(std::make_unique<HtmlSink>(std::move(file), settings));
    } else {
      if (xlsx) return fail(say("ui.cli.one-workbook"));
      xlsx = true;
      XlsxWorkbook::Settings book;
      book.table_sheets = false;  // thousands of documents: the tables are in the HTML report and the JSON lines
      book.constant_memory = true;
      book.voice = settings.voice;
      book.properties = settings.tool.value("version", "") + " (grammars " + settings.tool.value("grammars", "") + ")";
      auto workbook = XlsxWorkbook::create(o, book, error);
      if (!workbook) return {};
      sinks.push_back(std::make_unique<XlsxSink>(std::move(workbook)));
    }
  }
  if (settings.resume && !lines_replayed) return fail(say("ui.cli.resume-needs-file"));
  if (!crossyear_output.empty()) {
    auto file = LineFile::open(crossyear_output, false, say, error);
    if (!file) return {};
    sinks.push_back(std::make_unique<CrossyearLinesSink>(std::move(file)));
  }
  return sinks;
}

}  // namespace xxgk::scan
