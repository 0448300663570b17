// scan/inputs.hpp — the documents of a crawl, one at a time: files, folders, tar/zip/gzip archives
// (libarchive) and WARC files (scan/warc.hpp), each document with its provenance.
//
// Memory stays bounded: archives and WARC files are read as streams, a document larger than the limit is not
// held (it becomes an error record), and the list of files is walked lazily.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xxgk/output.hpp"

namespace xxgk::scan {

struct Provenance {
  std::string container;  //!< the file the document was found in (a page, an archive, a WARC file)
  std::string member;     //!< path inside a tar/zip archive
  std::optional<uint64_t> offset, length;  //!< WARC: the record (its gzip member, or its bytes) in the file
  bool offset_in_file = true;  //!< false: offsets are in the decompressed data (one gzip member, many records)
  std::string url, date;       //!< WARC-Target-URI, WARC-Date
  std::string record_type;     //!< WARC-Type
  int http_status = 0;         //!< WARC response records
  std::string content_type;
};

struct InputDocument {
  std::string id;  //!< stable key: "path", "archive!member", "file.warc.gz@offset"
  Provenance provenance;
  std::string bytes;
  std::string declared_charset;  //!< the transport charset (an HTTP Content-Type)
  std::string error_code, error_message;  //!< set when the document could not be read
  std::string skip_reason;                //!< set when it is plainly not a page (HTTP 404, a redirect), in words
  std::string skip_kind;                  //!< what kind of skip: "http-status", "data-table", "own-output"
  uint64_t size = 0;                      //!< bytes of the document (also when they were not kept)
};

//! Which files a folder walk yields. Paths named on the command line are always read.
struct PathFilter {
  bool hidden = false;  //!< also hidden files and folders (names starting with '.': .git, .cache)
  //! Globs (fnmatch): a pattern with '/' is matched against the path below the walked folder, one without against
  //! each name on it. A file is read when it matches an include (if there are any) and no exclude; an excluded
  //! folder is not entered.
  std::vector<std::string> include, exclude;
  bool keeps_folder(const std::string& relative) const;
  bool keeps_file(const std::string& relative) const;
};

struct InputOptions {
  uint64_t max_bytes = 32u << 20;  //!< larger documents become "too-large" errors
  //! Reading one document (inflating an archive entry, decoding an HTTP body) that takes longer becomes a
  //! "time-limit" error, as a check does (0: no limit).
  uint32_t time_limit_ms = 0;
  PathFilter filter;
  //! Decides, from a document's id alone, whether it is read at all (the shares of a --shard scan): the bytes of
  //! a document it refuses are skipped unread (a file not opened, an archive entry or WARC record passed over).
  std::function<bool(const std::string& id)> wanted;
  Voice voice;  //!< the words of read errors and skip reasons
};

class InputStream {
 public:
  virtual ~InputStream() = default;
  //! The next document; false when there are none left.
  virtual bool next(InputDocument& doc) = 0;
  //! Bytes of the inputs read so far and in all (0 when unknown), for progress and ETA.
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

//! `paths` with every folder replaced by the regular files below it that `filter` keeps, in name order ("-" and
//! other paths that are not folders stay as they are).
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const PathFilter& filter = {});

//! Why bytes are plainly not a report by their content alone: "data-table" (tab- or comma-separated data: a
//! manifest, an export), "own-output" (the tool's own output: an expected result, JSON lines, SARIF, a report page
//! or JUnit XML), or "" when they may be one. A skip reason is the message "skip.<kind>".
std::string data_file_kind(std::string_view bytes);

//! Documents of `paths` (files or folders, read recursively in name order) and of the paths listed one per line
//! in `files_from` ("-" for standard input; empty for none).
std::unique_ptr<InputStream> open_inputs(const std::vector<std::string>& paths, const std::string& files_from,
                                         const InputOptions& options);

//! Kinds of container a file is, by its first bytes.
enum class ContainerKind { document, warc, archive };
ContainerKind sniff_container(const std::string& path);

//! 64-bit FNV-1a of `id`: decides which shard of a --shard K/N scan a document belongs to.
uint64_t shard_hash(const std::string& id);

}  // namespace xxgk::scan
