#include "scan/inputs.hpp"

#include <archive.h>
#include <fnmatch.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "scan/warc.hpp"
#include "util/utf8.hpp"

namespace fs = std::filesystem;

namespace xxgk::scan {
namespace {

std::string read_head(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// The first bytes of a gzip file, decompressed.
std::string gunzip_head(const std::string& head) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return {};
  std::string out(64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(head.data()));
  z.avail_in = static_cast<uInt>(head.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  inflate(&z, Z_SYNC_FLUSH);
  out.resize(out.size() - z.avail_out);
  inflateEnd(&z);
  return out;
}

class Inputs final : public InputStream {
 public:
  Inputs(std::vector<std::string> files, uint64_t total, const InputOptions& options)
      : files_(std::move(files)), total_(total), options_(options) {}

  bool next(InputDocument& doc) override {
    while (next_any(doc))
      if (!options_.wanted || options_.wanted(doc.id)) {
        // WHY: names and headers come from outside (a zip's GBK member names, a file name, WARC headers) and go
        // into every output, and JSON takes only UTF-8: a GBK member name made the JSON writer throw and the scan
        // abort.
        for (std::string* text : {&doc.id, &doc.provenance.container, &doc.provenance.member, &doc.provenance.url,
                                  &doc.provenance.date, &doc.provenance.record_type, &doc.provenance.content_type,
                                  &doc.declared_charset, &doc.error_message, &doc.skip_reason})
          if (!utf8::valid(*text)) *text = utf8::escape_invalid(*text);
        return true;
      }
    return false;
  }

  bool next_any(InputDocument& doc) {
    while (true) {
      if (warc_) {
        if (next_record(doc)) return true;
        finish_container();
        continue;
      }
      if (archive_) {
        if (next_entry(doc)) return true;
        finish_container();
        continue;
      }
      if (index_ >= files_.size()) return false;
      const std::string& path = files_[index_++];
      current_ = path;
      current_size_ = path == "-" ? 0 : file_size(path);
      if (path == "-") {
        doc = file_document(path);
        return true;
      }
      const ContainerKind kind = sniff_container(path);
      // A --shard share reads only its own files; a container's documents are chosen one by one inside it.
      if (kind == ContainerKind::document && options_.wanted && !options_.wanted(path)) {
        done_bytes_ += current_size_;
        continue;
      }
      switch (kind) {
        case ContainerKind::warc: {
          std::string error;
          auto stream = ByteStream::open(path, &error);
          if (!stream) {
            doc = error_document(path, "read-failed", options_.voice("input.read-failed", {{"reason", error}}));
            done_bytes_ += current_size_;
            return true;
          }
          warc_ = std::make_unique<WarcReader>(std::move(stream));
          continue;
        }
        case ContainerKind::archive:
          if (open_archive(path, doc)) continue;
          done_bytes_ += current_size_;
          return true;  // the archive could not be opened: one error record
        case ContainerKind::document:
          doc = file_document(path);
          done_bytes_ += current_size_;
          return true;
      }
    }
  }

  uint64_t bytes_read() const override {
    uint64_t current = 0;
    if (warc_) current = warc_->stream().file_consumed();
    if (archive_) current = static_cast<uint64_t>(std::max<la_int64_t>(0, archive_filter_bytes(archive_, -1)));
    return done_bytes_ + std::min(current, current_size_);
  }
  uint64_t bytes_total() const override { return total_; }

  ~Inputs() override {
    if (archive_) archive_read_free(archive_);
  }

 private:
  static uint64_t file_size(const std::string& path) {
    std::error_code ec;
    auto n = fs::file_size(path, ec);
    return ec ? 0 : n;
  }

  static InputDocument error_document(const std::string& id, const std::string& code, const std::string& message) {
    InputDocument d;
    d.id = id;
    d.provenance.container = id;
    d.error_code = code;
    d.error_message = message;
    return d;
  }

  InputDocument file_document(const std::string& path) const {
    InputDocument d;
    d.id = path;
    d.provenance.container = path;
    const Voice& say = options_.voice;
    if (path == "-") {  // standard input: one document
      d.provenance.container = "-";
      read_stream(std::cin, d);
      return d;
    }
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      d.error_code = "read-failed";
      d.error_message = say(ec.value() == ENOENT || !fs::exists(status) ? "input.missing" : "input.read-failed",
                            {{"reason", ec.message()}});
      return d;
    }
    if (!fs::is_regular_file(status)) {  // a FIFO, a character device: read as a stream
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        d.error_code = "read-failed";
        d.error_message = say("input.read-failed", {{"reason", std::strerror(errno)}});
        return d;
      }
      read_stream(in, d);
      return d;
    }
    auto size = fs::file_size(path, ec);
    if (ec) {
      d.error_code = "read-failed";
      d.error_message = say("input.read-failed", {{"reason", ec.message()}});
      return d;
    }
    d.size = size;
    if (size > options_.max_bytes) {
      d.error_code = "too-large";
      d.error_message = say("input.too-large", {{"bytes", std::to_string(size)}, {"limit", std::to_string(options_.max_bytes)}});
      return d;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      d.error_code = "read-failed";
      d.error_message = say(errno == EACCES ? "input.no-permission" : "input.read-failed", {{"reason", std::strerror(errno)}});
      return d;
    }
    d.bytes.resize(size);
    in.read(d.bytes.data(), static_cast<std::streamsize>(size));
    d.bytes.resize(static_cast<size_t>(in.gcount()));
    return d;
  }

  // A stream (standard input, a pipe): read to the end; over the limit, counted on but not kept.
  void read_stream(std::istream& in, InputDocument& d) const {
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      const auto n = static_cast<size_t>(in.gcount());
      d.size += n;
      if (d.size <= options_.max_bytes) d.bytes.append(buffer, n);
      else d.bytes.clear();
    }
    if (d.size > options_.max_bytes) {
      d.bytes.shrink_to_fit();
      d.error_code = "too-large";
      d.error_message = options_.voice("input.too-large", {{"bytes", std::to_string(d.size)}, {"limit", std::to_string(options_.max_bytes)}});
    }
  }

  void finish_container() {
    warc_.reset();
    if (archive_) {
      archive_read_free(archive_);
      archive_ = nullptr;
    }
    done_bytes_ += current_size_;
  }

  // WARC: response and resource records are documents; the others (request, metadata, warcinfo…) are not.
  bool next_record(InputDocument& doc) {
    WarcRecord record;
    std::string error;
    while (true) {
      std::function<bool(uint64_t)> wanted;
      if (options_.wanted) wanted = [&](uint64_t offset) { return options_.wanted(current_ + "@" + std::to_string(offset)); };
      bool ok = warc_->next(record, options_.max_bytes, error, Deadline::after(options_.time_limit_ms), wanted);
      const bool document_type = record.type == "response" || record.type == "resource";
      if (!ok && error.empty()) return false;  // the end
      if (ok && record.passed_over) continue;  // another share's
      if (!ok && !document_type) {
        // The file is damaged where no document record could be read: one error record for the rest of it.
        doc = error_document(current_ + "@" + std::to_string(warc_->stream().position()),
                             record.timed_out ? "time-limit" : "damaged",
                             options_.voice(record.timed_out ? "scan.warc-time-limit" : "scan.warc-damaged", {{"detail", error}}));
        doc.provenance.container = current_;
        return true;
      }
      if (!document_type) continue;
      doc = InputDocument{};
      doc.provenance.container = current_;
      doc.provenance.offset = record.offset;
      doc.provenance.length = record.length;
      doc.provenance.offset_in_file = record.offset_in_file;
      doc.provenance.url = record.header("warc-target-uri");
      if (doc.provenance.url.size() > 1 && doc.provenance.url.front() == '<' && doc.provenance.url.back() == '>')
        doc.provenance.url = doc.provenance.url.substr(1, doc.provenance.url.size() - 2);
      doc.provenance.date = record.header("warc-date");
      doc.provenance.record_type = record.type;
      doc.id = current_ + "@" + std::to_string(record.offset);
      doc.size = record.block_length;
      if (!ok) {
        doc.error_code = record.timed_out ? "time-limit" : error.find("cut short") != std::string::npos ? "truncated" : "damaged";
        doc.error_message = options_.voice("scan.warc-" + doc.error_code, {{"detail", error}});
        return true;
      }
      if (record.block_skipped) {
        doc.error_code = "too-large";
        doc.error_message = options_.voice("scan.record-too-large", {{"bytes", std::to_string(record.block_length)},
                                                                     {"limit", std::to_string(options_.max_bytes)}});
        return true;
      }
      if (record.type == "resource") {
        doc.provenance.content_type = record.header("content-type");
        doc.declared_charset = charset_of(doc.provenance.content_type);
        doc.bytes = std::move(record.block);
        return true;
      }
      auto http = parse_http_response(record.block, options_.max_bytes, Deadline::after(options_.time_limit_ms));
      if (!http) {
        doc.error_code = "damaged";
        doc.error_message = options_.voice("scan.no-http-response");
        return true;
      }
      doc.provenance.http_status = http->status;
      doc.provenance.content_type = http->headers["content-type"];
      doc.declared_charset = http->charset;
      if (!http->problem.empty() && (http->body.empty() || http->timed_out)) {
        doc.error_code = http->timed_out ? "time-limit" : "damaged";
        doc.error_message = options_.voice(http->timed_out ? "scan.http-time-limit" : "scan.http-damaged", {{"detail", http->problem}});
        return true;
      }
      if (http->status < 200 || http->status >= 300) {
        doc.skip_kind = "http-status";
        doc.skip_reason = options_.voice("skip.http-status", {{"status", std::to_string(http->status)}});
      }
      doc.bytes = std::move(http->body);
      doc.size = doc.bytes.size();
      return true;
    }
  }

  bool open_archive(const std::string& path, InputDocument& doc) {
    archive_ = archive_read_new();
    archive_read_support_filter_all(archive_);
    archive_read_support_format_all(archive_);
    archive_read_support_format_raw(archive_);  // a single compressed page (page.html.gz)
    entries_ = 0;
    if (archive_read_open_filename(archive_, path.c_str(), 64 * 1024) != ARCHIVE_OK) {
      archive_read_free(archive_);
      archive_ = nullptr;
      doc = file_document(path);  // not an archive after all: one document
      return false;
    }
    return true;
  }

  bool next_entry(InputDocument& doc) {
    archive_entry* entry = nullptr;
    while (true) {
      int rc = archive_read_next_header(archive_, &entry);
      if (rc == ARCHIVE_EOF) return false;
      if (rc == ARCHIVE_FATAL && entries_ == 0) {
        // Archive magic, but not an archive (a page that starts with "PK", a damaged file): the file is one
        // document, judged like any other.
        archive_read_free(archive_);
        archive_ = nullptr;
        doc = file_document(current_);
        done_bytes_ += current_size_;
        current_size_ = 0;
        return true;
      }
      if (rc == ARCHIVE_FATAL && last_entry_cut_) {
        // The entry before was cut short and has its error record; the archive ends there, with nothing
        // after it to lose, so one record for the damage is enough.
        archive_read_free(archive_);
        archive_ = nullptr;
        done_bytes_ += current_size_;
        current_size_ = 0;
        return false;
      }
      if (rc == ARCHIVE_FATAL) {
        const char* why = archive_error_string(archive_);
        doc = error_document(current_ + "!" + std::to_string(entries_) + "#damaged", "damaged",
                             options_.voice("scan.archive-damaged", {{"entries", std::to_string(entries_)}, {"detail", why ? why : ""}}));
        doc.provenance.container = current_;
        // Nothing more can be read from it.
        archive_read_free(archive_);
        archive_ = nullptr;
        warc_.reset();
        done_bytes_ += current_size_;
        current_size_ = 0;
        return true;
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;
      ++entries_;
      last_entry_cut_ = false;
      const char* name = archive_entry_pathname_utf8(entry);
      if (!name) name = archive_entry_pathname(entry);
      std::string member = name ? name : std::to_string(entries_);
      doc = InputDocument{};
      doc.id = current_ + "!" + member;
      doc.provenance.container = current_;
      doc.provenance.member = member;
      if (options_.wanted && !options_.wanted(doc.id)) {
        archive_read_data_skip(archive_);  // another share's: not inflated where the format allows
        continue;
      }
      // Hidden members and --include/--exclude apply inside archives as in folders.
      if (!options_.filter.keeps_file(member)) {
        archive_read_data_skip(archive_);
        continue;
      }
      // Read up to one byte more than the limit, in chunks, within the time limit.
      char buffer[64 * 1024];
      bool too_large = false;
      const Deadline deadline = Deadline::after(options_.time_limit_ms);
      while (true) {
        if (deadline.passed()) {
          // WHY give up the archive: the rest of a stream (tar.gz) lies behind this entry, and the only way
          // there is to inflate what is left of it, as long as that takes.
          doc.bytes.clear();
          doc.error_code = too_large ? "too-large" : "time-limit";
          doc.error_message = options_.voice(too_large ? "scan.entry-too-large-and-slow" : "scan.entry-slow",
                                             {{"limit", std::to_string(options_.max_bytes)}, {"ms", std::to_string(options_.time_limit_ms)}});
          archive_read_free(archive_);
          archive_ = nullptr;
          done_bytes_ += current_size_;
          current_size_ = 0;
          return true;
        }
        la_ssize_t n = archive_read_data(archive_, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
          last_entry_cut_ = true;
          doc.error_code = "truncated";
          const char* why = archive_error_string(archive_);
          doc.error_message = options_.voice("scan.entry-cut", {{"detail", why ? why : ""}});
          break;
        }
        doc.size += static_cast<uint64_t>(n);
        if (too_large) continue;  // read on to the next entry, within the time limit (a bomb stops there)
        if (doc.bytes.size() + static_cast<size_t>(n) > options_.max_bytes) {
          too_large = true;
          doc.bytes.clear();
          doc.bytes.shrink_to_fit();
          // Without a compression filter around the archive (zip, plain tar) the next header seeks past the
          // rest; a compressed stream (tar.gz) must be inflated through, which the loop does within the limit.
          if (archive_filter_count(archive_) <= 1 && archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0) {
            doc.size = static_cast<uint64_t>(archive_entry_size(entry));
            break;
          }
          continue;
        }
        doc.bytes.append(buffer, static_cast<size_t>(n));
      }
      if (too_large) {
        doc.error_code = "too-large";
        doc.error_message = options_.voice("input.too-large", {{"bytes", std::to_string(doc.size)}, {"limit", std::to_string(options_.max_bytes)}});
      }
      return true;
    }
  }

  std::vector<std::string> files_;
  uint64_t total_ = 0;
  InputOptions options_;
  size_t index_ = 0;
  std::string current_;
  uint64_t current_size_ = 0, done_bytes_ = 0;
  bool last_entry_cut_ = false;  // the archive entry read last ended before its declared size
  std::unique_ptr<WarcReader> warc_;
  archive* archive_ = nullptr;
  size_t entries_ = 0;
};

}  // namespace

// A Word file (.docx) is a zip too, but one document (issue 14): its central directory, at the end of the file,
// names word/document.xml.
bool is_word_package(const std::string& path, const std::string& head) {
  if (head.find("word/document.xml") != std::string::npos) return true;
  std::ifstream in(path, std::ios::binary);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff tail = std::min<std::streamoff>(size, 64 * 1024);
  std::string bytes(static_cast<size_t>(std::max<std::streamoff>(tail, 0)), '\0');
  in.seekg(size - tail);
  in.read(bytes.data(), tail);
  return bytes.find("word/document.xml") != std::string::npos;
}

ContainerKind sniff_container(const std::string& path) {
  const std::string head = read_head(path, 512);
  if (head.rfind("WARC/1.", 0) == 0) return ContainerKind::warc;
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
    return gunzip_head(head).rfind("WARC/1.", 0) == 0 ? ContainerKind::warc : ContainerKind::archive;
  if (head.rfind("PK\x03\x04", 0) == 0 || head.rfind("PK\x05\x06", 0) == 0)
    return is_word_package(path, head) ? ContainerKind::document : ContainerKind::archive;
  if (head.size() >= 262 && head.compare(257, 5, "ustar") == 0) return ContainerKind::archive;
  if (head.rfind("BZh", 0) == 0 || head.rfind("\xFD" "7zXZ", 0) == 0 || head.rfind("7z\xBC\xAF\x27\x1C", 0) == 0)
    return ContainerKind::archive;
  return ContainerKind::document;
}

uint64_t shard_hash(const std::string& id) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

namespace {

bool hidden_name(const std::string& name) { return name.size() > 1 && name[0] == '.' && name != ".."; }

// A glob with '/' against the whole relative path, one without against each name on it.
bool matches(const std::string& glob, const std::string& relative) {
  if (glob.find('/') != std::string::npos) return fnmatch(glob.c_str(), relative.c_str(), 0) == 0;
  for (const auto& part : fs::path(relative))
    if (fnmatch(glob.c_str(), part.string().c_str(), 0) == 0) return true;
  return false;
}

}  // namespace

bool PathFilter::keeps_folder(const std::string& relative) const {
  if (!hidden && hidden_name(fs::path(relative).filename().string())) return false;
  return std::none_of(exclude.begin(), exclude.end(), [&](const std::string& g) { return matches(g, relative); });
}

bool PathFilter::keeps_file(const std::string& relative) const {
  if (!hidden)
    for (const auto& part : fs::path(relative))
      if (hidden_name(part.string())) return false;
  if (std::any_of(exclude.begin(), exclude.end(), [&](const std::string& g) { return matches(g, relative); })) return false;
  return include.empty() || std::any_of(include.begin(), include.end(), [&](const std::string& g) { return matches(g, relative); });
}

std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const PathFilter& filter) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p == "-" || !fs::is_directory(p, ec)) {
      out.push_back(p);  // named on the command line: read whatever it is called
      continue;
    }
    std::vector<std::string> found;
    auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string relative = it->path().lexically_relative(p).generic_string();
      std::error_code type_error;
      if (it->is_directory(type_error)) {
        if (!filter.keeps_folder(relative)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(type_error) && filter.keeps_file(relative)) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::string data_file_kind(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, std::min<size_t>(bytes.size(), 64 * 1024));
  size_t start = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (start == std::string_view::npos) return {};
  const std::string_view body = head.substr(start);
  // The tool's own outputs, by their first bytes: an expected result of corpus/, JSON lines or a summary, SARIF,
  // the HTML report (its generator), JUnit XML.
  if (body.rfind("# xxgk expected result", 0) == 0) return "own-output";
  if (body.front() == '{') {
    const std::string_view first = body.substr(0, std::min<size_t>(body.size(), 200));
    if (first.find("\"schema\":\"xxgk.") != std::string_view::npos || first.find("\"schema\": \"xxgk.") != std::string_view::npos ||
        first.find("sarif") != std::string_view::npos)
      return "own-output";
  }
  if (body.substr(0, 4096).find("<meta name=\"generator\" content=\"xxgk") != std::string_view::npos) return "own-output";
  if (body.rfind("<?xml", 0) == 0 && body.substr(0, 512).find("<testsuites name=\"xxgk\"") != std::string_view::npos) return "own-output";
  // Delimited data: most of the first lines hold the same number (two or more) of tabs, or of commas (three or
  // more). Report prose and crawled tables separate cells by spaces or by one '|', never so regularly.
  // PERF: one pass over the lines counts both (every document of a check or a scan is asked).
  std::map<size_t, size_t> per_tabs, per_commas;
  size_t lines = 0;
  for (size_t pos = 0; pos < body.size() && lines < 50;) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++lines;
    size_t tabs = 0, commas = 0;
    for (char c : line) {
      tabs += c == '\t';
      commas += c == ',';
    }
    ++per_tabs[tabs];
    ++per_commas[commas];
  }
  for (const auto& [per_count, least] : {std::pair{&per_tabs, size_t{2}}, std::pair{&per_commas, size_t{3}}})
    for (const auto& [count, n] : *per_count)
      if (count >= least && lines >= 3 && n * 10 >= lines * 8) return "data-table";
  return {};
}

std::unique_ptr<InputStream> open_inputs(const std::vector<std::string>& paths, const std::string& files_from,
                                         const InputOptions& options) {
  // Standard input is one document; "-" as a --files-from list is the list.
  std::vector<std::string> listed = paths;
  if (!files_from.empty()) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (files_from != "-") {
      file.open(files_from);
      in = &file;
    }
    for (std::string line; std::getline(*in, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty()) listed.push_back(line);
    }
  }
  std::vector<std::string> files = expand_paths(listed, options.filter);
  uint64_t total = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    auto n = fs::file_size(f, ec);
    if (!ec) total += n;
  }
  return std::make_unique<Inputs>(std::move(files), total, options);
}

}  // namespace xxgk::scan
