// ingest/ingest.hpp — stage 1: bytes of one document → UTF-8 text, or a per-document error.
//
// Order of evidence: BOM; valid UTF-8; the transport charset the caller declares (an HTTP header, --charset);
// for HTML, the charset its <meta> declares; ICU detection; GB18030 as the last resort. Every GB label
// (gb2312, gbk, gb18030, cp936…) is decoded as GB18030: the strict GB2312 converters drop GBK-only
// characters (library-notes.md, pitfall 2).
// WHY valid UTF-8 before any declaration: crawlers re-encode pages to UTF-8 and keep the old <meta> (and
// servers send stale headers); GB18030 decodes most UTF-8 byte streams into mojibake without an error, while
// Chinese text in another charset is practically never valid UTF-8. A declaration that is overruled is noted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "document/phrase.hpp"

namespace xxgk::ingest {

struct Decoded {
  std::string text;             //!< UTF-8, BOM removed
  std::string encoding;         //!< canonical name, e.g. "UTF-8", "GB18030", "UTF-16LE"
  std::string encoding_source;  //!< "bom", "valid-utf8", "declared", "meta", "detected", "fallback"
  Phrase note;                  //!< e.g. why a declared charset was not used; put into words by the checker
  bool html = false;            //!< the content is HTML (sniffed, not taken from a file name)
};

struct Error {
  std::string code;         //!< "empty", "too-large", "not-text", "undecodable"
  Phrase message;  //!< put into words by the checker, in the language of the run
};

using Outcome = std::variant<Decoded, Error>;

//! The largest document decoded whatever `max_bytes` says. WHY: offsets into the text are 32-bit, ICU counts in
//! int32_t, and decoding can make the text half as long again; above this they would wrap.
inline constexpr uint64_t kMaxDocumentBytes = uint64_t{1} << 30;

//! `bytes` as UTF-8; inputs larger than `max_bytes` (at most kMaxDocumentBytes) are the error "too-large".
Outcome decode(std::string_view bytes, std::string_view declared_charset, uint64_t max_bytes);

//! Canonical converter name for a charset label: GB labels → "GB18030"; "" when unknown.
std::string canonical_charset(std::string_view label);

}  // namespace xxgk::ingest
