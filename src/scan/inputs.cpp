#include "scan/inputs.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
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
    if (!next_document(doc)) return false;
    // WHY: names and headers come from outside (a zip's GBK member names, a file name, WARC headers) and go into
    // every output, and JSON takes only UTF-8: a GBK member name made the JSON writer throw and the scan abort.
    for (std::string* text : {&doc.id, &doc.provenance.container, &doc.provenance.member, &doc.provenance.url,
                              &doc.provenance.date, &doc.provenance.record_type, &doc.provenance.content_type,
                              &doc.declared_charset, &doc.error_message, &doc.skip_reason})
      if (!utf8::valid(*text)) *text = utf8::escape_invalid(*text);
    return true;
  }

 private:
  bool next_document(InputDocument& doc) {
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
      current_size_ = file_size(path);
      switch (sniff_container(path)) {
        case ContainerKind::warc: {
          std::string error;
          auto stream = ByteStream::open(path, &error);
          if (!stream) {
            doc = error_document(path, "read-failed", error);
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

 public:
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
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) {
      d.error_code = "read-failed";
      d.error_message = "cannot read: " + ec.message();
      return d;
    }
    d.size = size;
    if (size > options_.max_bytes) {
      d.error_code = "too-large";
      d.error_message = "the file has " + std::to_string(size) + " bytes, more than the limit of " +
                        std::to_string(options_.max_bytes);
      return d;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      d.error_code = "read-failed";
      d.error_message = "cannot open the file";
      return d;
    }
    d.bytes.resize(size);
    in.read(d.bytes.data(), static_cast<std::streamsize>(size));
    d.bytes.resize(static_cast<size_t>(in.gcount()));
    return d;
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
      bool ok = warc_->next(record, options_.max_bytes, error, Deadline::after(options_.time_limit_ms));
      const bool document_type = record.type == "response" || record.type == "resource";
      if (!ok && error.empty()) return false;  // the end
      if (!ok && !document_type) {
        // The file is damaged where no document record could be read: one error record for the rest of it.
        doc = error_document(current_ + "@" + std::to_string(warc_->stream().position()),
                             record.timed_out ? "time-limit" : "damaged", error);
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
        doc.error_message = error;
        return true;
      }
      if (record.block_skipped) {
        doc.error_code = "too-large";
        doc.error_message = "the record holds " + std::to_string(record.block_length) + " bytes, more than the limit of " +
                            std::to_string(options_.max_bytes);
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
        doc.error_message = "the response record holds no HTTP response";
        return true;
      }
      doc.provenance.http_status = http->status;
      doc.provenance.content_type = http->headers["content-type"];
      doc.declared_charset = http->charset;
      if (!http->problem.empty() && (http->body.empty() || http->timed_out)) {
        doc.error_code = http->timed_out ? "time-limit" : "damaged";
        doc.error_message = http->problem;
        return true;
      }
      if (http->status < 200 || http->status >= 300) doc.skip_reason = "HTTP status " + std::to_string(http->status);
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
                             std::string("the archive is damaged after ") + std::to_string(entries_) + " entries: " +
                                 (why ? why : "unknown error"));
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
          doc.error_message = (too_large ? "the entry has more than " + std::to_string(options_.max_bytes) + " bytes, the limit, and "
                                         : std::string("the entry ")) +
                              "takes longer than the time limit of " + std::to_string(options_.time_limit_ms) +
                              " ms to read; the rest of the archive is not read";
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
          doc.error_message = std::string("the entry cannot be read: ") + (why ? why : "unknown error");
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
        doc.error_message = "the entry has " + std::to_string(doc.size) + " bytes, more than the limit of " +
                            std::to_string(options_.max_bytes);
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

ContainerKind sniff_container(const std::string& path) {
  const std::string head = read_head(path, 512);
  if (head.rfind("WARC/1.", 0) == 0) return ContainerKind::warc;
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
    return gunzip_head(head).rfind("WARC/1.", 0) == 0 ? ContainerKind::warc : ContainerKind::archive;
  if (head.rfind("PK\x03\x04", 0) == 0 || head.rfind("PK\x05\x06", 0) == 0) return ContainerKind::archive;
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

std::vector<std::string> expand_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p == "-" || !fs::is_directory(p, ec)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::unique_ptr<InputStream> open_inputs(const std::vector<std::string>& paths, const std::string& files_from,
                                         const InputOptions& options) {
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
  std::vector<std::string> files = expand_paths(listed);
  uint64_t total = 0;
  for (const std::string& f : files) {
    std::error_code ec;
    auto n = fs::file_size(f, ec);
    if (!ec) total += n;
  }
  return std::make_unique<Inputs>(std::move(files), total, options);
}

}  // namespace xxgk::scan
