#include "normalize/normalizer.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <map>
#include <set>
#include <unordered_set>

#include "util/regex.hpp"
#include "util/utf8.hpp"

namespace xxgk {
namespace {

// Unification applied after NFKC (docs/grammar.md, "matching form").
std::u32string unify(char32_t c) {
  switch (c) {
    case U'〔': case U'〕': case U'【': case U'】': case U'〖': case U'〗':
      return std::u32string(1, (c == U'〔' || c == U'【' || c == U'〖') ? U'[' : U']');
    case U'“': case U'”': case U'„': case U'‟': case U'〝': case U'〞': case U'「': case U'」':
    case U'『': case U'』':
      return U"\"";
    case U'‘': case U'’': case U'‚': case U'‛':
      return U"'";
    case U'—': case U'–': case U'―': case U'‐': case U'‑': case U'‒': case U'−': case U'─': case U'━':
      return U"-";
    case U'\r': case 0x200B: case 0x200C: case 0x200D: case 0xFEFF: case 0x00AD: case 0x2060:
      return U"";
    case 0x202F: case 0x205F: case 0x3000: case 0x00A0:
      return U" ";
    default:
      return std::u32string(1, c);
  }
}

// The per-code-point map for the BMP: NFKC, then unify(). Entries equal to the code point are marked
// identity and cost nothing at run time.
class BmpTable {
 public:
  BmpTable() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    offsets_.assign(0x10000, kIdentity);
    for (char32_t c = 0; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      std::u32string mapped;
      if (c >= 0x2460 && c <= 0x2473) {
        // ①…⑳ are ordinal markers; NFKC would make them bare digits.
        mapped.push_back(U'(');
        unsigned n = static_cast<unsigned>(c - 0x2460 + 1);
        if (n >= 10) mapped.push_back(U'0' + n / 10);
        mapped.push_back(U'0' + n % 10);
        mapped.push_back(U')');
      } else {
        std::u32string after_nfkc;
        if (U_SUCCESS(status) && !nfkc->isInert(static_cast<UChar32>(c))) {
          icu::UnicodeString in(static_cast<UChar32>(c));
          UErrorCode st = U_ZERO_ERROR;
          icu::UnicodeString out = nfkc->normalize(in, st);
          if (U_SUCCESS(st)) {
            for (int32_t i = 0; i < out.length();) {
              UChar32 cp = out.char32At(i);
              after_nfkc.push_back(static_cast<char32_t>(cp));
              i += U16_LENGTH(cp);
            }
          } else {
            after_nfkc.push_back(c);
          }
        } else {
          after_nfkc.push_back(c);
        }
        for (char32_t d : after_nfkc) mapped += unify(d);
      }
      if (mapped.size() == 1 && mapped[0] == c) continue;
      changed_[c / 64] |= uint64_t{1} << (c % 64);
      offsets_[c] = static_cast<uint32_t>(pool_.size());
      std::string bytes;
      for (char32_t d : mapped) utf8::append(bytes, d);
      pool_.push_back(static_cast<char>(bytes.size()));
      pool_ += bytes;
    }
  }

  //! Mapped bytes of `c`, or nullptr when `c` maps to itself.
  const char* lookup(char32_t c, size_t& length) const {
    // PERF: an 8 KB bitmap answers for most characters without touching the 256 KB offset table.
    if (c >= 0x10000 || !(changed_[c / 64] & (uint64_t{1} << (c % 64)))) return nullptr;
    uint32_t offset = offsets_[c];
    if (offset == kIdentity) return nullptr;
    length = static_cast<unsigned char>(pool_[offset]);
    return pool_.data() + offset + 1;
  }

 private:
  static constexpr uint32_t kIdentity = 0xFFFFFFFFu;
  std::vector<uint32_t> offsets_;
  std::vector<uint64_t> changed_ = std::vector<uint64_t>(0x10000 / 64, 0);
  std::string pool_;
};

const BmpTable& bmp_table() {
  static const BmpTable table;
  return table;
}

bool is_pinyin_letter(char32_t c, bool& tone) {
  static const std::u32string kTone = U"āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";
  if (c >= U'a' && c <= U'z') return true;
  if (c == U'ü' || c == U'ê') return true;
  if (kTone.find(c) != std::u32string::npos) {
    tone = true;
    return true;
  }
  return false;
}

// Length in bytes of a pinyin gloss "(jī)" starting at `pos`, or 0.
size_t gloss_length(std::string_view text, size_t pos, bool* has_tone) {
  size_t p = pos;
  char32_t open = utf8::next(text, p);
  if (open != U'(' && open != U'（') return 0;
  size_t letters = 0;
  bool tone = false;
  while (p < text.size()) {
    size_t q = p;
    char32_t c = utf8::next(text, q);
    if (c == U')' || c == U'）') {
      if (letters == 0 || letters > 7) return 0;
      if (has_tone) *has_tone = tone;
      return q - pos;
    }
    if (!is_pinyin_letter(c, tone)) return 0;
    ++letters;
    p = q;
  }
  return 0;
}

}  // namespace

Normalizer::Normalizer(NormalizerConfig config)
    : config_(std::move(config)), marker_(0x10000, false), simplified_bmp_(0x10000, 0) {
  (void)bmp_table();
  for (char32_t c : config_.traditional_markers)
    if (c < 0x10000) marker_[c] = true;
  for (const auto& [traditional, simplified] : config_.traditional_to_simplified)
    if (traditional < 0x10000)
      simplified_bmp_[traditional] = simplified > 0 && simplified < kSearchPairs ? static_cast<char16_t>(simplified) : kSearchPairs;
}

Normalizer::Output Normalizer::normalize(std::string_view source) const {
  const BmpTable& table = bmp_table();
  const auto& to_simplified = config_.traditional_to_simplified;
  auto simplified = [&](char32_t c) {
    if (c < 0x10000) {
      const char16_t s = simplified_bmp_[c];
      if (s == 0) return c;
      if (s != kSearchPairs) return static_cast<char32_t>(s);
    }
    auto it = std::lower_bound(to_simplified.begin(), to_simplified.end(), c,
                               [](const std::pair<char32_t, char32_t>& p, char32_t x) { return p.first < x; });
    return it != to_simplified.end() && it->first == c ? it->second : c;
  };
  // What decides the mapping: is the page traditional, has it pinyin glosses to strip?
  struct Counts {
    size_t han = 0, markers = 0, glosses = 0;
  };

  // One mapping pass. PERF: the first pass maps as for a simplified page without glosses and counts what decides
  // the mapping on the way; only a page that turns out traditional or glossed is mapped a second time.
  // Buffers are written through raw pointers, sized for the common case and grown when a mapping expands
  // (㈠ → (一)): push_back and vector::insert cost more than the mapping itself.
  auto map = [&](bool traditional, bool strip_glosses, Counts* counts, Output& out) {
    std::string& text = out.match.text;
    std::vector<uint32_t>& parent = out.match.parent;
    size_t capacity = source.size() + source.size() / 4 + 64;
    text.resize(capacity);
    parent.resize(capacity + 1);
    size_t k = 0;
    auto reserve = [&](size_t length) {
      if (k + length + 1 > capacity) {
        capacity = capacity * 2 + length;
        text.resize(capacity);
        parent.resize(capacity + 1);
      }
    };
    auto emit = [&](const char* bytes, size_t length, uint32_t at) {
      reserve(length);
      // PERF: a character's bytes (1–4, a few more for ㈠) by hand: a call to memcpy costs more.
      char* const to = text.data() + k;
      uint32_t* const parents = parent.data() + k;
      for (size_t i = 0; i < length; ++i) {
        to[i] = bytes[i];
        parents[i] = at;
      }
      k += length;
    };
    auto count_gloss = [&](size_t at) {
      bool tone = false;
      if (gloss_length(source, at, &tone) && tone) ++counts->glosses;
    };
    bool previous_han = false;
    for (size_t pos = 0; pos < source.size();) {
      auto lead = static_cast<unsigned char>(source[pos]);
      if (lead < 0x80 && lead != '\r' && !(strip_glosses && previous_han && lead == '(')) {
        if (counts && previous_han && lead == '(') count_gloss(pos);
        // PERF: ASCII maps to itself (but for \r and gloss brackets, which only follow a Han character):
        // copied a run at a time.
        size_t run_end = pos + 1;
        while (run_end < source.size() && static_cast<unsigned char>(source[run_end]) < 0x80 && source[run_end] != '\r')
          ++run_end;
        const size_t length = run_end - pos;
        reserve(length);
        std::memcpy(text.data() + k, source.data() + pos, length);
        for (size_t i = 0; i < length; ++i) parent[k + i] = static_cast<uint32_t>(pos + i);
        k += length;
        pos = run_end;
        previous_han = false;
        continue;
      }
      const auto at = static_cast<uint32_t>(pos);
      if (strip_glosses && previous_han) {
        if (size_t skip = gloss_length(source, pos, nullptr)) {
          pos += skip;
          ++out.glosses_removed;
          continue;
        }
      }
      const size_t start = pos;
      char32_t c = utf8::next(source, pos);
      const bool han = utf8::is_han(c);
      if (counts) {
        if (han) {
          ++counts->han;
          if (c < 0x10000 && marker_[c]) ++counts->markers;
        } else if (previous_han && (c == U'（' || c == U'(')) {  // '(' here: a sequence that is not UTF-8
          count_gloss(start);
        }
      }
      previous_han = han;
      char32_t mapped_c = traditional && han ? simplified(c) : c;
      size_t length = 0;
      if (const char* mapped = table.lookup(mapped_c, length)) {
        emit(mapped, length, at);
      } else if (mapped_c == c) {
        emit(source.data() + start, pos - start, at);  // PERF: most characters map to themselves
      } else {
        std::string bytes;
        utf8::append(bytes, mapped_c);
        emit(bytes.data(), bytes.size(), at);
      }
    }
    text.resize(k);
    parent.resize(k);
    parent.push_back(static_cast<uint32_t>(source.size()));
  };

  Output out;
  Counts counts;
  map(false, false, &counts, out);
  out.traditional = counts.markers >= config_.traditional_min_count &&
                    static_cast<double>(counts.markers) >= config_.traditional_min_share * static_cast<double>(counts.han);
  const bool strip_glosses = counts.glosses >= config_.gloss_min_count;
  if (out.traditional || strip_glosses) map(out.traditional, strip_glosses, nullptr, out);
  return out;
}

std::string Normalizer::normalize_label(std::string_view text) const {
  const BmpTable& table = bmp_table();
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    char32_t c = utf8::next(text, pos);
    size_t length = 0;
    if (const char* mapped = table.lookup(c, length))
      out.append(mapped, length);
    else
      utf8::append(out, c);
  }
  return out;
}

size_t Normalizer::blank_lines(MappedText& match, const Regex& furniture) {
  size_t blanked = 0;
  for (const Regex::Match& m : furniture.find_all(match.text)) {
    if (m.end <= m.begin) continue;
    for (size_t i = m.begin; i < m.end; ++i)
      if (match.text[i] != '\n') match.text[i] = ' ';
    ++blanked;
  }
  return blanked;
}

namespace {

// A key that can stand for furniture: some words, or a page number alone. A run of numbers (a table's value row
// at the top of two pages) is never furniture.
bool furniture_like(std::string_view key) {
  size_t digits = 0;
  for (char c : key) digits += c == '#';
  if (digits == key.size()) return digits <= 3;
  return std::any_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80 ||
                                                                  (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

}  // namespace

std::string Normalizer::repetition_key(std::string_view line) {
  std::string key;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\f' || c == '\r') continue;
    key.push_back(c >= '0' && c <= '9' ? '#' : c);
  }
  return key;
}

size_t Normalizer::blank_running_lines(MappedText& match) {
  constexpr size_t kEdgeLines = 2;  // lines looked at on each edge of a page
  std::string& text = match.text;
  struct Line {
    size_t begin, end;
    std::string key;
  };
  std::vector<std::vector<Line>> edges;  // per page, the lines at its top and bottom
  size_t page_begin = 0;
  while (page_begin <= text.size()) {
    size_t page_end = std::min(text.find('\f', page_begin), text.size());
    std::vector<Line> lines;
    for (size_t b = page_begin; b < page_end;) {
      size_t e = std::min(text.find('\n', b), page_end);
      std::string key = repetition_key(std::string_view(text).substr(b, e - b));
      if (!key.empty()) lines.push_back({b, e, std::move(key)});
      b = e + 1;
    }
    std::vector<Line> edge;
    for (size_t i = 0; i < lines.size(); ++i)
      if (i < kEdgeLines || i + kEdgeLines >= lines.size()) edge.push_back(std::move(lines[i]));
    edges.push_back(std::move(edge));
    if (page_end == text.size()) break;
    page_begin = page_end + 1;
  }
  if (edges.size() < 2) return 0;
  std::map<std::string, size_t> pages_with;
  for (const auto& page : edges) {
    std::set<std::string_view> seen;
    for (const Line& l : page) seen.insert(l.key);
    for (std::string_view key : seen) ++pages_with[std::string(key)];
  }
  const size_t repeated = std::max<size_t>(2, (edges.size() + 1) / 2);
  size_t blanked = 0;
  for (const auto& page : edges)
    for (const Line& l : page) {
      if (pages_with[l.key] < repeated || !furniture_like(l.key)) continue;
      for (size_t i = l.begin; i < l.end; ++i)
        if (text[i] != '\f') text[i] = ' ';
      ++blanked;
    }
  return blanked;
}

MappedText Normalizer::compact(const MappedText& match) {
  MappedText out;
  const size_t n = match.text.size();
  out.text.resize(n);
  out.parent.resize(n + 1);
  char* text = out.text.data();
  uint32_t* parent = out.parent.data();
  // PERF: branch-free, one table load per byte; layout bytes are overwritten by the next byte.
  static constexpr std::array<unsigned char, 256> kKept = [] {
    std::array<unsigned char, 256> kept{};
    for (size_t c = 0; c < 256; ++c) kept[c] = !is_layout(static_cast<char>(c));
    return kept;
  }();
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = match.text[i];
    text[k] = c;
    parent[k] = static_cast<uint32_t>(i);
    k += kKept[static_cast<unsigned char>(c)];
  }
  parent[k] = static_cast<uint32_t>(n);
  out.text.resize(k);
  out.parent.resize(k + 1);
  return out;
}

void Normalizer::normalize_document(Document& doc, const Regex* furniture, const Regex* markup,
                                    const Regex* placeholder_headers, const Regex* chrome) const {
  doc.lines = LineIndex(doc.original);
  Output normal = normalize(doc.source);
  doc.match = std::move(normal.match);
  doc.traditional = normal.traditional;
  doc.glosses_removed = normal.glosses_removed;
  if (furniture) doc.furniture_lines = blank_lines(doc.match, *furniture);
  if (doc.match.text.find('\f') != std::string::npos) doc.furniture_lines += blank_running_lines(doc.match);
  if (markup) doc.markup_blanked = blank_lines(doc.match, *markup);
  if (placeholder_headers) blank_lines(doc.match, *placeholder_headers);
  if (chrome) blank_lines(doc.match, *chrome);
  doc.compact = compact(doc.match);
}

}  // namespace xxgk
