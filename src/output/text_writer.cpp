#include <algorithm>
#include <string>

#include "util/utf8.hpp"
#include "xxgk/output.hpp"

namespace xxgk {
namespace {

constexpr size_t kContextChars = 36;  // characters of a long source line shown on each side

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

const char* color_of(std::string_view kind) {
  if (kind == "error") return "\033[1;31m";
  if (kind == "warning") return "\033[1;35m";
  if (kind == "info") return "\033[1;36m";
  return "\033[1;34m";  // review
}

// The source line around column `column` (1-based, characters), and the caret line under it: ^ at the start and
// ~ under the rest of the finding's range on that line (`end_column`, exclusive; 0: no range).
void show_source(std::ostream& out, std::string_view line, uint32_t column, uint32_t end_column) {
  std::u32string chars;
  for (size_t pos = 0; pos < line.size();) {
    size_t before = pos;
    char32_t c = utf8::next(line, pos);
    if (pos > line.size()) {
      pos = before + 1;
      continue;
    }
    chars.push_back(c == U'\t' ? U' ' : c);
  }
  size_t at = column > 0 ? column - 1 : 0;
  size_t from = at > kContextChars ? at - kContextChars : 0;
  size_t to = std::min(chars.size(), at + kContextChars);
  std::string shown = from > 0 ? "…" : "";
  size_t caret = from > 0 ? 1 : 0, underline = 0;
  const size_t end = end_column > column ? std::min<size_t>(end_column - 1, to) : at;  // no range: the caret alone
  for (size_t i = from; i < to; ++i) {
    utf8::append(shown, chars[i]);
    if (i < at) caret += is_wide(chars[i]) ? 2 : 1;
    else if (i < end) underline += is_wide(chars[i]) ? 2 : 1;
  }
  if (to < chars.size()) shown += "…";
  out << "    " << shown << "\n    " << std::string(caret, ' ') << "^" << std::string(underline > 1 ? underline - 1 : 0, '~') << "\n";
}

}  // namespace

void write_text(std::ostream& out, const CheckResult& r, const TextStyle& style) {
  const char* bold = style.color ? "\033[1m" : "";
  const char* reset = style.color ? "\033[0m" : "";
  const Voice& say = style.voice;
  if (r.error) {
    out << bold << r.source.path << ":" << reset << " " << (style.color ? color_of("error") : "") << say("ui.prefix.input-error")
        << reset << r.error->message << " [input." << r.error->code << "]\n";
    return;
  }
  if (!r.skipped.empty()) {
    out << bold << r.source.path << ":" << reset << " " << say("ui.prefix.skipped") << r.skipped << "\n";
    return;
  }
  // Line starts, for showing the source.
  std::vector<size_t> starts{0};
  if (style.show_source)
    for (size_t i = 0; i < r.text.size(); ++i)
      if (r.text[i] == '\n') starts.push_back(i + 1);
  for (const Finding& f : r.findings) {
    const std::string kind = kind_of(f);
    out << bold << r.source.path;
    // PDF input (issue 14): path:page:line of that page.
    if (f.location.page) out << ":" << f.location.page << ":" << f.location.line;
    else if (f.location.line) out << ":" << f.location.line << ":" << f.location.column;
    out << ":" << reset << " " << (style.color ? color_of(kind) : "") << say("ui.prefix." + kind) << reset << f.message << " ["
        << f.rule << "]\n";
    // The line of the text: by number, or for a page location (whose line counts from the page's top) by offset.
    const size_t text_line = f.location.page
                                 ? static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), f.location.offset) - starts.begin())
                                 : f.location.line;
    if (style.show_source && text_line && text_line <= starts.size() && !r.text.empty()) {
      size_t b = starts[text_line - 1];
      size_t e = text_line < starts.size() ? starts[text_line] - 1 : r.text.size();
      std::string_view line(r.text.data() + b, e - b);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      // A page location's column counts in the line of the page; in the text its line is the whole paragraph.
      const bool on_page = f.location.page && f.location.offset >= b && f.location.offset <= e;
      const uint32_t column =
          on_page ? static_cast<uint32_t>(utf8::length(std::string_view(r.text).substr(b, f.location.offset - b))) + 1
                  : f.location.column;
      uint32_t end_column = !f.location.page && f.end.line == f.location.line ? f.end.column : 0;
      if (on_page && f.end.offset > f.location.offset && f.end.offset <= e)
        end_column = static_cast<uint32_t>(utf8::length(std::string_view(r.text).substr(b, f.end.offset - b))) + 1;
      show_source(out, line, column, end_column);
    }
  }
}

std::string summary_line(const Tally& t, const Voice& say) {
  auto count = [&](const char* what, size_t n) {
    return say(std::string("ui.count.") + what + (n == 1 ? ".one" : ""), {{"n", std::to_string(n)}});
  };
  std::string counts = count("errors", t.errors);
  for (const auto& [what, n] : {std::pair<const char*, size_t>{"warnings", t.warnings}, {"infos", t.infos}, {"review", t.uncertain}})
    counts += say("ui.comma") + count(what, n);
  std::string line = say("ui.summary", {{"files", count("files", t.files)}, {"counts", counts}});
  if (t.skipped) line = say("ui.summary.more", {{"summary", line}, {"more", count("skipped", t.skipped)}});
  if (t.input_errors) line = say("ui.summary.more", {{"summary", line}, {"more", count("unreadable", t.input_errors)}});
  return line;
}

void write_summary(std::ostream& out, const Tally& t, const TextStyle& style) {
  const char* bold = style.color ? "\033[1m" : "";
  const char* reset = style.color ? "\033[0m" : "";
  out << bold << summary_line(t, style.voice) << reset << "\n";
}

}  // namespace xxgk
