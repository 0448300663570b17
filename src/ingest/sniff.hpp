// ingest/sniff.hpp — is this document HTML, and what charset does it declare?
//
// Both work on raw bytes of any ASCII-compatible charset (UTF-8, GB18030…), so they run before decoding.
#pragma once

#include <string>
#include <string_view>

namespace xxgk::ingest {

//! True when `text` is an HTML page or fragment: it opens with markup, or holds enough HTML tags early on.
//! Decided by content, never by file name.
bool looks_like_html(std::string_view text);

//! What kind of file `bytes` are, from their content (never from a name).
enum class Container {
  none,         //!< not one of these: text or HTML, or something ingest::decode refuses
  pdf,          //!< "%PDF-" in the first kilobyte (the standard allows junk before it)
  docx,         //!< a zip package whose parts include word/document.xml
  ole2,         //!< an OLE2 compound file (D0 CF 11 E0): an old binary Word .doc (or an encrypted .docx)
};
Container sniff_container(std::string_view bytes);

//! The charset a page declares in <meta charset> or <meta http-equiv="Content-Type" content="…charset=…">,
//! found by a pre-scan of its first `limit` bytes (as browsers do); empty when none.
std::string prescan_charset(std::string_view bytes, size_t limit = 4096);

}  // namespace xxgk::ingest
