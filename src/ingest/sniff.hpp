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

//! The charset a page declares in <meta charset> or <meta http-equiv="Content-Type" content="…charset=…">,
//! found by a pre-scan of its first `limit` bytes (as browsers do); empty when none.
std::string prescan_charset(std::string_view bytes, size_t limit = 4096);

}  // namespace xxgk::ingest
