#include "scan/warc.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>

#include "util/numbers.hpp"

namespace xxgk::scan {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxHeaderLine = 64 * 1024;
constexpr size_t kMaxHeaderLines = 512;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

// Inflates `in` (gzip, zlib or raw deflate) into at most `limit` bytes before `deadline`; false when the data
// are damaged, larger than the limit or too slow to inflate.
bool inflate_all(const std::string& in, int window_bits, uint64_t limit, const Deadline& deadline, std::string& out) {
  if (in.size() > UINT32_MAX) return false;  // zlib counts input in 32 bits; no real page comes near
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buffer[kChunk];
  int ret = Z_OK;
  while (ret == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    ret = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > limit || deadline.passed()) {
      inflateEnd(&z);
      return false;
    }
    if (ret == Z_BUF_ERROR && z.avail_in == 0) break;  // input ended without a stream end
  }
  inflateEnd(&z);
  return ret == Z_STREAM_END;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------

struct ByteStream::Inflater {
  z_stream z{};
  bool initialised = false;
  bool in_member = false;
  std::deque<Member> members;  // recent members, oldest first
  ~Inflater() {
    if (initialised) inflateEnd(&z);
  }
};

std::unique_ptr<ByteStream> ByteStream::open(const std::string& path, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    if (error) *error = "cannot open " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  return adopt(f, error);
}

std::unique_ptr<ByteStream> ByteStream::adopt(std::FILE* f, std::string* error) {
  auto s = std::unique_ptr<ByteStream>(new ByteStream());
  s->file_ = f;
  unsigned char magic[2] = {0, 0};
  size_t n = std::fread(magic, 1, 2, f);
  std::rewind(f);
  s->gzip_ = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  s->input_.resize(kChunk);
  if (s->gzip_) {
    s->inflater_ = std::make_unique<Inflater>();
    if (inflateInit2(&s->inflater_->z, 15 + 16) != Z_OK) {
      if (error) *error = "zlib cannot start";
      return nullptr;
    }
    s->inflater_->initialised = true;
  }
  return s;
}

ByteStream::~ByteStream() {
  if (file_) std::fclose(file_);
}

bool ByteStream::fill() {
  if (eof_) return false;
  if (buffer_pos_ > 0) {
    buffer_.erase(0, buffer_pos_);
    buffer_pos_ = 0;
  }
  const size_t before = buffer_.size();
  while (buffer_.size() == before) {
    if (input_pos_ == input_len_) {
      input_file_offset_ += input_len_;
      input_len_ = std::fread(input_.data(), 1, input_.size(), file_);
      input_pos_ = 0;
      file_consumed_ = input_file_offset_ + input_len_;
      if (input_len_ == 0) {
        eof_ = true;
        if (gzip_ && inflater_->in_member) {
          damage_ = "the gzip data end inside a member";
          damage_from_ = inflater_->members.empty() ? 0 : inflater_->members.back().begin;
        }
        return false;
      }
    }
    if (!gzip_) {
      buffer_.append(input_.data() + input_pos_, input_len_ - input_pos_);
      input_pos_ = input_len_;
      break;
    }
    Inflater& inf = *inflater_;
    if (!inf.in_member) {
      // A new member starts here, unless only padding or junk remains.
      if (static_cast<unsigned char>(input_[input_pos_]) != 0x1f) {
        bool zeros = std::all_of(input_.begin() + static_cast<std::ptrdiff_t>(input_pos_),
                                 input_.begin() + static_cast<std::ptrdiff_t>(input_len_), [](char c) { return c == 0; });
        if (zeros) {
          input_pos_ = input_len_;
          continue;
        }
        damage_ = "bytes after the last gzip member are not gzip";
        eof_ = true;
        return buffer_.size() > before;
      }
      inflateReset(&inf.z);
      inf.in_member = true;
      Member m;
      m.begin = position_ + (buffer_.size() - buffer_pos_);
      m.file_begin = input_file_offset_ + input_pos_;
      inf.members.push_back(m);
      while (inf.members.size() > 64) inf.members.pop_front();
    }
    char out[kChunk];
    inf.z.next_in = reinterpret_cast<Bytef*>(input_.data() + input_pos_);
    inf.z.avail_in = static_cast<uInt>(input_len_ - input_pos_);
    inf.z.next_out = reinterpret_cast<Bytef*>(out);
    inf.z.avail_out = sizeof out;
    int ret = inflate(&inf.z, Z_NO_FLUSH);
    input_pos_ = input_len_ - inf.z.avail_in;
    buffer_.append(out, sizeof out - inf.z.avail_out);
    if (ret == Z_STREAM_END) {
      inf.in_member = false;
      inf.members.back().end = position_ + (buffer_.size() - buffer_pos_);
      inf.members.back().file_end = input_file_offset_ + input_pos_;
    } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
      damage_ = std::string("the gzip data are damaged (") + (inf.z.msg ? inf.z.msg : "zlib error") + ")";
      damage_from_ = inf.members.empty() ? 0 : inf.members.back().begin;
      eof_ = true;
      return buffer_.size() > before;
    }
  }
  return true;
}

size_t ByteStream::read(std::string& out, size_t n) {
  size_t got = 0;
  while (got < n) {
    if (buffer_pos_ == buffer_.size() && !fill()) break;
    size_t take = std::min(n - got, buffer_.size() - buffer_pos_);
    out.append(buffer_, buffer_pos_, take);
    buffer_pos_ += take;
    position_ += take;
    got += take;
  }
  return got;
}

size_t ByteStream::skip(size_t n) {
  size_t got = 0;
  while (got < n) {
    if (buffer_pos_ == buffer_.size() && !fill()) break;
    size_t take = std::min(n - got, buffer_.size() - buffer_pos_);
    buffer_pos_ += take;
    position_ += take;
    got += take;
  }
  return got;
}

std::optional<ByteStream::Member> ByteStream::member_at(uint64_t pos) const {
  if (!inflater_) return std::nullopt;
  for (auto it = inflater_->members.rbegin(); it != inflater_->members.rend(); ++it)
    if (it->begin <= pos) return *it;
  return std::nullopt;
}

int ByteStream::peek() {
  if (buffer_pos_ == buffer_.size() && !fill()) return -1;
  return static_cast<unsigned char>(buffer_[buffer_pos_]);
}

bool ByteStream::read_line(std::string& line, size_t max) {
  line.clear();
  while (line.size() < max) {
    if (buffer_pos_ == buffer_.size() && !fill()) return !line.empty();
    size_t nl = buffer_.find('\n', buffer_pos_);
    size_t end = nl == std::string::npos ? buffer_.size() : nl + 1;
    size_t take = std::min(end - buffer_pos_, max - line.size());
    line.append(buffer_, buffer_pos_, take);
    buffer_pos_ += take;
    position_ += take;
    if (!line.empty() && line.back() == '\n') return true;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------

std::string WarcRecord::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

bool WarcReader::next(WarcRecord& record, uint64_t max_block, std::string& error, const Deadline& deadline,
                      const std::function<bool(uint64_t offset)>& wanted) {
  record = WarcRecord{};
  error.clear();
  if (done_) return false;
  ByteStream& s = *stream_;
  // Records are separated by CRLF CRLF; tolerate any run of line ends.
  for (int c = s.peek(); c == '\r' || c == '\n'; c = s.peek()) s.skip(1);
  if (s.peek() < 0) {
    done_ = true;
    if (!s.damage().empty()) error = s.damage();
    return false;
  }
  const uint64_t begin = s.position();
  std::string line;
  if (!s.read_line(line, 64) || line.rfind("WARC/1.", 0) != 0) {
    done_ = true;
    error = "no WARC record at " + std::to_string(begin) + (s.gzip() ? " (decompressed)" : "") + ": the file is not WARC or is damaged";
    return false;
  }
  const std::optional<ByteStream::Member> first_member = s.member_at(begin);
  size_t lines = 0;
  std::string last;
  while (true) {
    if (!s.read_line(line, kMaxHeaderLine) || ++lines > kMaxHeaderLines) {
      done_ = true;
      error = "the WARC record at " + std::to_string(begin) + " ends inside its header";
      return false;
    }
    if (line == "\r\n" || line == "\n") break;
    if ((line[0] == ' ' || line[0] == '\t') && !last.empty()) {
      record.headers[last] += " " + trim(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    last = lower(trim(line.substr(0, colon)));
    record.headers[last] = trim(line.substr(colon + 1));
  }
  record.type = lower(record.header("warc-type"));
  const std::string length = record.header("content-length");
  // Any size up to 2^50 is taken (larger blocks are skipped, not held); beyond that it is not a length.
  const auto block_length = numbers::parse_size(length, 10, uint64_t{1} << 50);
  if (!block_length) {
    done_ = true;
    error = "the WARC record at " + std::to_string(begin) + " has no valid Content-Length";
    return false;
  }
  record.block_length = *block_length;
  // The record's offset as computed below, known before its block: a member's start for a member per record.
  const uint64_t offset = s.gzip() && first_member && first_member->begin == begin ? first_member->file_begin : begin;
  record.passed_over = wanted && !wanted(offset);
  record.block_skipped = !record.passed_over && record.block_length > max_block;
  // In steps, so that a block inflated from a gzip bomb (a thousand times its size in the file) stops at the
  // deadline; the rest of the file lies behind it and cannot be reached without inflating it.
  constexpr uint64_t kStep = uint64_t{4} << 20;
  uint64_t got = 0;
  while (got < record.block_length) {
    if (deadline.passed()) {
      record.timed_out = true;
      done_ = true;
      error = "the WARC record at " + std::to_string(begin) + " takes longer than the time limit to read (" +
              std::to_string(got) + " of " + std::to_string(record.block_length) + " bytes)";
      break;
    }
    const uint64_t step = std::min(kStep, record.block_length - got);
    const size_t n = record.passed_over || record.block_skipped ? s.skip(step) : s.read(record.block, step);
    got += n;
    if (n < step) break;
  }
  if (!record.timed_out && got < record.block_length) {
    done_ = true;
    error = "the WARC record at " + std::to_string(begin) + " is cut short: " + std::to_string(got) + " of " +
            std::to_string(record.block_length) + " bytes" + (s.damage().empty() ? "" : "; " + s.damage());
  } else if (!record.timed_out) {
    for (int i = 0, c = s.peek(); i < 4 && (c == '\r' || c == '\n'); ++i, c = s.peek()) s.skip(1);
  }
  // Where the record is in the file.
  if (!s.gzip()) {
    record.offset = begin;
    record.length = s.position() - begin;
  } else {
    const uint64_t end = s.position();
    s.peek();  // lets the stream finish the member that holds the record's end
    // A member whose check sum fails damages what it held: the record cannot be trusted.
    if (error.empty() && !s.damage().empty() && s.damage_from() < end) {
      done_ = true;
      error = "the WARC record at " + std::to_string(begin) + " is damaged: " + s.damage();
    }
    const auto last_member = s.member_at(end > begin ? end - 1 : begin);
    // Standard WARC.gz: each record is its own gzip member; then its place in the file is the member's.
    if (first_member && last_member && first_member->begin == begin && last_member->begin == begin &&
        last_member->end == end && last_member->file_end != UINT64_MAX) {
      record.offset = last_member->file_begin;
      record.length = last_member->file_end - last_member->file_begin;
    } else {
      record.offset_in_file = false;
      record.offset = begin;
      record.length = end - begin;
    }
  }
  return error.empty();
}

// ---------------------------------------------------------------------------------------------------------

std::string charset_of(const std::string& content_type) {
  std::string l = lower(content_type);
  size_t at = l.find("charset=");
  if (at == std::string::npos) return {};
  std::string value = content_type.substr(at + 8);
  size_t end = value.find_first_of("; \t");
  if (end != std::string::npos) value = value.substr(0, end);
  value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
  value.erase(std::remove(value.begin(), value.end(), '\''), value.end());
  return value;
}

std::optional<HttpResponse> parse_http_response(const std::string& block, uint64_t max_body, const Deadline& deadline) {
  HttpResponse r;
  size_t eol = block.find('\n');
  if (block.rfind("HTTP/", 0) != 0 || eol == std::string::npos) return std::nullopt;
  std::string status_line = block.substr(0, eol);
  size_t sp = status_line.find(' ');
  if (sp == std::string::npos) return std::nullopt;
  // The three digits after the version; anything else (junk, a number of twenty digits) is status 0.
  std::string_view code = std::string_view(status_line).substr(sp + 1);
  while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
  code = code.substr(0, code.find(' '));
  r.status = static_cast<int>(numbers::parse_size(code, 10, 999).value_or(0));
  size_t pos = eol + 1;
  while (pos < block.size()) {
    size_t e = block.find('\n', pos);
    if (e == std::string::npos) e = block.size();
    std::string line = block.substr(pos, e - pos);
    pos = e + 1;
    if (trim(line).empty()) break;
    size_t colon = line.find(':');
    if (colon != std::string::npos) r.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  std::string body = pos < block.size() ? block.substr(pos) : std::string();
  if (lower(r.headers["transfer-encoding"]).find("chunked") != std::string::npos) {
    std::string plain;
    size_t p = 0;
    bool ok = false;
    while (p < body.size()) {
      size_t e = body.find('\n', p);
      if (e == std::string::npos) break;
      const auto n = numbers::parse_size(std::string_view(body).substr(p, e - p), 16);
      if (!n) break;
      p = e + 1;
      if (*n == 0) {
        ok = true;
        break;
      }
      // Every step consumes input, so the loop ends; a chunk said to be larger than what is left is cut there.
      if (!numbers::fits(p, *n, body.size())) {
        plain.append(body, p, std::string::npos);
        break;
      }
      plain.append(body, p, *n);
      p += *n;
      if (p < body.size() && body[p] == '\r') ++p;
      if (p < body.size() && body[p] == '\n') ++p;
    }
    if (!ok) r.problem = "the chunked body is damaged";
    body = std::move(plain);
  }
  const std::string coding = lower(r.headers["content-encoding"]);
  if (coding == "gzip" || coding == "x-gzip" || coding == "deflate") {
    std::string plain;
    bool ok = inflate_all(body, coding == "deflate" ? 15 : 15 + 16, max_body, deadline, plain);
    if (!ok && coding == "deflate" && !deadline.passed()) {
      plain.clear();
      ok = inflate_all(body, -15, max_body, deadline, plain);  // raw deflate, as some servers send
    }
    r.timed_out = !ok && deadline.passed();
    if (!ok)
      r.problem = r.timed_out ? "the " + coding + " body takes longer than the time limit to decompress"
                                    : "the " + coding + " body cannot be decompressed (damaged, or larger than the limit)";
    body = std::move(plain);
  }
  r.body = std::move(body);
  r.charset = charset_of(r.headers["content-type"]);
  return r;
}

}  // namespace xxgk::scan
