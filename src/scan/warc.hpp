// scan/warc.hpp — WARC 1.0/1.1 records, read as a stream, plain or gzip (a member per record, or the whole file).
//
// libarchive lists WARC entries but keeps only the last part of the target URI and no record offsets, and Debian
// ships no other WARC library; this reader is small and strict about what it trusts: Content-Length decides a
// record's extent, a record cut short is reported as truncated and ends the file, and a block larger than the
// caller's limit is skipped without being held in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/deadline.hpp"

namespace xxgk::scan {

//! Bytes of a file, decompressed when it is gzip (any number of members), with the positions a record needs.
class ByteStream {
 public:
  //! Opens `path`; gzip is recognised by its magic bytes.
  static std::unique_ptr<ByteStream> open(const std::string& path, std::string* error);
  //! Reads an open stream (a pipe, an fmemopen buffer) and closes it when done.
  static std::unique_ptr<ByteStream> adopt(std::FILE* file, std::string* error);
  ~ByteStream();
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  //! Up to `n` bytes appended to `out`; fewer only at the end of the data (or on a damaged stream).
  size_t read(std::string& out, size_t n);
  //! Skips up to `n` bytes; returns how many were skipped.
  size_t skip(size_t n);
  //! Reads a line up to and including '\n' (at most `max` bytes); false at the end of the data.
  bool read_line(std::string& line, size_t max);
  //! Peeks at the next byte without consuming it; -1 at the end.
  int peek();

  bool gzip() const { return gzip_; }
  //! Offset in the decompressed data of the next byte.
  uint64_t position() const { return position_; }
  //! A gzip member: its decompressed bytes [begin, end) and its bytes in the file [file_begin, file_end);
  //! the ends are UINT64_MAX while the member is still being read.
  struct Member {
    uint64_t begin = 0, end = UINT64_MAX, file_begin = 0, file_end = UINT64_MAX;
  };
  //! The member (of the most recent few) that holds decompressed offset `pos`.
  std::optional<Member> member_at(uint64_t pos) const;
  //! Bytes of the file consumed so far (for progress).
  uint64_t file_consumed() const { return file_consumed_; }
  //! Set when the gzip data are damaged; the stream then ends.
  const std::string& damage() const { return damage_; }
  //! Decompressed offset where the damaged member began (what came before it is sound).
  uint64_t damage_from() const { return damage_from_; }

 private:
  ByteStream() = default;
  bool fill();  // refills `buffer_`; false at the end

  std::FILE* file_ = nullptr;
  bool gzip_ = false;
  struct Inflater;
  std::unique_ptr<Inflater> inflater_;
  std::vector<char> input_;     // compressed bytes read from the file
  size_t input_pos_ = 0, input_len_ = 0;
  std::string buffer_;          // decompressed (or plain) bytes not yet consumed
  size_t buffer_pos_ = 0;
  uint64_t position_ = 0, file_consumed_ = 0;
  uint64_t input_file_offset_ = 0;  // file offset of input_[0]
  bool eof_ = false;
  std::string damage_;
  uint64_t damage_from_ = UINT64_MAX;
};

struct WarcRecord {
  std::string type;  //!< WARC-Type
  std::map<std::string, std::string> headers;  //!< names in lower case
  uint64_t offset = 0, length = 0;  //!< the record in the file: its gzip member(s), or its bytes in a plain file
  bool offset_in_file = true;       //!< false when one gzip member holds several records (offsets are then
                                    //!< positions in the decompressed data)
  std::string block;                //!< the content block (empty when skipped)
  uint64_t block_length = 0;        //!< Content-Length
  bool block_skipped = false;       //!< the block was larger than the limit and was not kept
  bool passed_over = false;         //!< the caller did not want the record: its block was skipped unread
  bool timed_out = false;           //!< reading the block passed the deadline (the file ends there)
  std::string header(const std::string& name) const;
};

class WarcReader {
 public:
  explicit WarcReader(std::unique_ptr<ByteStream> stream) : stream_(std::move(stream)) {}

  //! The next record. Returns false at the end; `error` is set when the file is damaged or a record is cut
  //! short (then `record` holds what was read of it, and the file ends there). `wanted`, when given, is asked
  //! with the record's offset (as WarcRecord::offset will be) before its block is read; a record it refuses is
  //! passed over unread. Reading a block that passes `deadline` stops there (`record.timed_out`), and the file
  //! ends too.
  bool next(WarcRecord& record, uint64_t max_block, std::string& error, const Deadline& deadline = {},
            const std::function<bool(uint64_t offset)>& wanted = {});
  const ByteStream& stream() const { return *stream_; }

 private:
  std::unique_ptr<ByteStream> stream_;
  bool done_ = false;
};

//! An HTTP response as a WARC response record stores it: status, headers (names in lower case), body with
//! chunked transfer coding and gzip/deflate content coding undone.
struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  std::string charset;  //!< from Content-Type, when given
  std::string problem;  //!< why the body could not be fully decoded (then `body` is what could be)
  bool timed_out = false;  //!< decoding passed the deadline
};
//! The body is decoded into at most `max_body` bytes; decoding that passes `deadline` stops with a problem.
std::optional<HttpResponse> parse_http_response(const std::string& block, uint64_t max_body,
                                                const Deadline& deadline = {});

//! The charset parameter of a Content-Type value, or "".
std::string charset_of(const std::string& content_type);

}  // namespace xxgk::scan
