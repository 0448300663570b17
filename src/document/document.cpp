#include "document/document.hpp"

#include <algorithm>
#include <cstring>

#include "util/utf8.hpp"

namespace xxgk {

size_t MappedText::from_parent(uint32_t parent_offset) const {
  auto it = std::lower_bound(parent.begin(), parent.end(), parent_offset);
  return static_cast<size_t>(it - parent.begin());
}

LineIndex::LineIndex(std::string_view source) : source_(source) {
  starts_.push_back(0);
  for (const char* p = source.data(); (p = static_cast<const char*>(std::memchr(p, '\n', source.data() + source.size() - p)));)
    starts_.push_back(static_cast<uint32_t>(++p - source.data()));
  checkpoints_.reserve(source.size() / kCheckpoint + 1);
  uint32_t chars = 0;
  for (size_t block = 0; block < source.size(); block += kCheckpoint) {
    checkpoints_.push_back(chars);
    chars += static_cast<uint32_t>(utf8::length(source.substr(block, kCheckpoint)));
  }
}

uint32_t LineIndex::chars_before(uint32_t offset) const {
  uint32_t block = offset / kCheckpoint;
  if (block >= checkpoints_.size()) block = static_cast<uint32_t>(checkpoints_.size()) - 1;
  uint32_t from = block * kCheckpoint;
  return checkpoints_[block] + static_cast<uint32_t>(utf8::length(source_.substr(from, offset - from)));
}

Location LineIndex::locate(uint32_t offset) const {
  if (starts_.empty()) return {};
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(source_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  size_t line = static_cast<size_t>(it - starts_.begin());  // 1-based
  uint32_t start = starts_[line - 1];
  uint32_t column = checkpoints_.empty() ? 1 : chars_before(offset) - chars_before(start) + 1;
  return Location{static_cast<uint32_t>(line), column, offset};
}

std::string_view LineIndex::line(uint32_t line_number) const {
  if (line_number == 0 || line_number > starts_.size()) return {};
  uint32_t start = starts_[line_number - 1];
  uint32_t end = line_number < starts_.size() ? starts_[line_number] - 1 : static_cast<uint32_t>(source_.size());
  std::string_view line = source_.substr(start, end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string Document::source_text(size_t compact_begin, size_t compact_end) const {
  if (compact_end <= compact_begin) return {};
  uint32_t begin = source_of_compact(compact_begin);
  uint32_t last = source_of_compact(compact_end - 1);
  uint32_t end = static_cast<uint32_t>(
      std::min(source.size(), last + utf8::sequence_length(static_cast<unsigned char>(source[last]))));
  return std::string(source.substr(begin, end - begin));
}

size_t Document::match_end(size_t compact_end) const {
  // Compact bytes are match bytes with some ASCII removed: the byte after the last one ends the range.
  return compact_end == 0 ? 0 : match_of_compact(compact_end - 1) + 1;
}

}  // namespace xxgk

namespace xxgk {

uint32_t Layout::page_of(uint32_t offset) const {
  auto it = std::upper_bound(page_starts.begin(), page_starts.end(), offset);
  return static_cast<uint32_t>(it - page_starts.begin());
}

const PlacedSpan* Layout::span_at(uint32_t offset) const {
  auto it = std::upper_bound(spans.begin(), spans.end(), offset, [](uint32_t o, const PlacedSpan& s) { return o < s.begin; });
  return it == spans.begin() ? nullptr : &*(it - 1);
}

Location Document::locate_on_page(size_t source_pos) const {
  const auto offset = static_cast<uint32_t>(std::min(source_pos, original.size()));
  Location at = lines.locate(offset);
  const PlacedSpan* span = layout->span_at(offset);
  if (!span || layout->page_of(offset) == 0) return at;
  // The line as it shows on the page, and the column in it.
  at.page = span->page;
  at.line = span->line;
  const uint32_t from = std::min(span->begin, offset);
  at.column = static_cast<uint32_t>(utf8::length(original.substr(from, std::min(offset, span->end) - from))) + 1;
  at.box = span->box;
  return at;
}

}  // namespace xxgk
