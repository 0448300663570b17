#include "ingest/sniff.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace xxgk::ingest {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool starts_with_ci(std::string_view text, size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (lower(text[pos + i]) != word[i]) return false;
  return true;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Tag names that only HTML documents are full of. A tag counts when its name is followed by '>', '/' or space.
// WHY no br, span, font or a: Markdown from OCR and converters writes <br> in its cells, and Word's text keeps stray
// inline tags; neither is a page.
constexpr std::array<std::string_view, 18> kTags = {"html", "head", "body", "meta", "title", "div", "p", "table", "tr",
                                                    "td", "th", "script", "style", "link", "h1", "h2", "ul", "li"};

size_t tag_at(std::string_view text, size_t pos) {  // pos is just after '<' (or "</")
  for (std::string_view tag : kTags)
    if (starts_with_ci(text, pos, tag)) {
      size_t end = pos + tag.size();
      if (end < text.size() && (text[end] == '>' || text[end] == '/' || is_space(text[end]))) return tag.size();
    }
  return 0;
}

}  // namespace

bool looks_like_html(std::string_view text) {
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos < text.size() && text[pos] == '<') {
    if (starts_with_ci(text, pos + 1, "!doctype html")) return true;
    // A comment first is a page's, unless it is Word's conditional comment left in a text (<!--[if !supportLists]-->).
    if (starts_with_ci(text, pos + 1, "!--") && !starts_with_ci(text, pos + 4, "[if")) return true;
    if (tag_at(text, pos + 1)) return true;
  }
  // Otherwise (a crawler's text header in front of the markup, a CMS body fragment) count tags early on.
  const size_t window = std::min<size_t>(text.size(), 64 * 1024);
  size_t tags = 0;
  for (size_t i = text.find('<'); i < window; i = text.find('<', i + 1)) {
    size_t name = i + 1 + (i + 1 < window && text[i + 1] == '/');
    if (tag_at(text, name) && ++tags >= 8) return true;
  }
  return false;
}

std::string prescan_charset(std::string_view bytes, size_t limit) {
  std::string_view head = bytes.substr(0, std::min(bytes.size(), limit));
  for (size_t i = 0; (i = head.find('<', i)) != std::string_view::npos; ++i) {
    if (head.substr(i, 4) == "<!--") {  // comments are skipped whole
      size_t end = head.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 2;
      continue;
    }
    if (!starts_with_ci(head, i + 1, "meta") || i + 5 >= head.size() || !(is_space(head[i + 5]) || head[i + 5] == '/'))
      continue;
    // Attributes up to '>'.
    std::string charset, content;
    bool content_type = false;
    size_t p = i + 5;
    while (p < head.size() && head[p] != '>') {
      while (p < head.size() && (is_space(head[p]) || head[p] == '/')) ++p;
      size_t name_begin = p;
      while (p < head.size() && !is_space(head[p]) && head[p] != '=' && head[p] != '>' && head[p] != '/') ++p;
      std::string name;
      for (size_t k = name_begin; k < p; ++k) name.push_back(lower(head[k]));
      while (p < head.size() && is_space(head[p])) ++p;
      std::string value;
      if (p < head.size() && head[p] == '=') {
        ++p;
        while (p < head.size() && is_space(head[p])) ++p;
        if (p < head.size() && (head[p] == '"' || head[p] == '\'')) {
          char quote = head[p++];
          size_t end = head.find(quote, p);
          if (end == std::string_view::npos) end = head.size();
          value = std::string(head.substr(p, end - p));
          p = std::min(end + 1, head.size());
        } else {
          size_t begin = p;
          while (p < head.size() && !is_space(head[p]) && head[p] != '>') ++p;
          value = std::string(head.substr(begin, p - begin));
        }
      }
      if (name.empty()) {
        if (p < head.size() && head[p] != '>') ++p;  // stray character: step over it
        continue;
      }
      if (name == "charset") charset = value;
      if (name == "content") content = value;
      if (name == "http-equiv") {
        std::string v;
        for (char c : value) v.push_back(lower(c));
        content_type = v == "content-type";
      }
    }
    auto trim = [](std::string s) {
      size_t b = 0, e = s.size();
      while (b < e && (is_space(s[b]) || s[b] == '"' || s[b] == '\'')) ++b;
      while (e > b && (is_space(s[e - 1]) || s[e - 1] == '"' || s[e - 1] == '\'' || s[e - 1] == ';')) --e;
      return s.substr(b, e - b);
    };
    if (!trim(charset).empty()) return trim(charset);
    if (content_type || !content.empty()) {
      std::string l;
      for (char c : content) l.push_back(lower(c));
      size_t at = l.find("charset");
      if (at != std::string::npos) {
        size_t eq = l.find('=', at + 7);
        if (eq != std::string::npos) {
          size_t end = eq + 1;
          while (end < content.size() && content[end] != ';' && !is_space(content[end])) ++end;
          std::string value = trim(content.substr(eq + 1, end - eq - 1));
          if (!value.empty()) return value;
        }
      }
    }
    i = p;
  }
  return {};
}

Container sniff_container(std::string_view bytes) {
  static constexpr std::string_view kOle2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return Container::pdf;
  if (bytes.substr(0, kOle2.size()) == kOle2) return Container::ole2;
  // A zip's local headers and central directory hold the part names as plain text; word/document.xml is the
  // main part of every WordprocessingML package. PERF: the name is looked for, the zip is not opened.
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4) && bytes.find("word/document.xml") != std::string_view::npos)
    return Container::docx;
  return Container::none;
}

}  // namespace xxgk::ingest
