#include "html/render.hpp"

#include <gumbo.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "util/utf8.hpp"

namespace xxgk::html {
namespace {

// Memory for one parse. WHY: gumbo frees its tree with a recursive walk, which a page of a million nested
// elements turns into a stack overflow; the tree is dropped with the arena instead, in one go. Freed blocks
// are kept per power-of-two size class and reused, so the parser's temporary buffers do not pile up.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() {
    for (void* block : blocks_) std::free(block);
  }

  void* allocate(size_t size) {
    const size_t cls = size_class(size + sizeof(Header));
    Header* h = nullptr;
    if (cls < kClasses && free_[cls]) {
      h = free_[cls];
      free_[cls] = h->next;
    } else {
      const size_t bytes = cls < kClasses ? size_t{1} << (cls + kMinShift) : round_up(size + sizeof(Header));
      h = static_cast<Header*>(bump(bytes));
    }
    h->cls = cls;
    return h + 1;
  }

  void release(void* ptr) {
    if (!ptr) return;
    Header* h = static_cast<Header*>(ptr) - 1;
    if (h->cls >= kClasses) return;  // a huge block stays until the arena goes
    h->next = free_[h->cls];
    free_[h->cls] = h;
  }

 private:
  struct alignas(16) Header {
    size_t cls;
    Header* next;
  };
  static constexpr size_t kMinShift = 5;  // 32 bytes
  static constexpr size_t kClasses = 16;  // up to 1 MB
  static size_t round_up(size_t n) { return (n + 15) & ~size_t{15}; }
  // The smallest class whose blocks hold n bytes (kClasses: too big for any class).
  // PERF: from the bit width, not a loop over the classes (gumbo allocates some 36,000 times per page).
  static size_t size_class(size_t n) {
    if (n <= (size_t{1} << kMinShift)) return 0;
    return std::min<size_t>(static_cast<size_t>(std::bit_width(n - 1)) - kMinShift, kClasses);
  }
  void* bump(size_t bytes) {
    if (bytes > left_) refill(bytes);
    void* out = current_;
    current_ += bytes;
    left_ -= bytes;
    return out;
  }
  // PERF: out of line, so that allocate (some 36,000 calls per page) saves no registers for the rare malloc.
  [[gnu::noinline]] void refill(size_t bytes) {
    size_t block = std::max(bytes, next_block_);
    next_block_ = std::min<size_t>(next_block_ * 2, size_t{8} << 20);
    char* p = static_cast<char*>(std::malloc(block));
    if (!p) std::abort();  // gumbo cannot take a failed allocation
    blocks_.push_back(p);
    current_ = p;
    left_ = block;
  }

  std::vector<void*> blocks_;
  char* current_ = nullptr;
  size_t left_ = 0;
  size_t next_block_ = 64 << 10;
  Header* free_[kClasses] = {};
};

void* arena_allocate(void* arena, size_t size) { return static_cast<Arena*>(arena)->allocate(size); }
void arena_release(void* arena, void* ptr) { static_cast<Arena*>(arena)->release(ptr); }

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Elements whose content is not page text.
bool is_skipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_TITLE: case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_BASE:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP:
    case GUMBO_TAG_AREA:
      return true;
    default:
      return false;
  }
}

// Elements that start and end a line.
bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_HTML: case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL:
    case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_UL:
    case GUMBO_TAG_CAPTION: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_LISTING: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_XMP: case GUMBO_TAG_BR:
      return true;
    default:
      return false;
  }
}

const char* attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

// PERF: ASCII only, inline (Word's pages put a long style on every span; std::tolower is a call per byte).
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// The attributes the renderer reads from every element, found in one pass over its attributes.
// PERF: gumbo_get_attribute walks the list with strcasecmp for each name asked; six names were asked per element.
struct ElementAttributes {
  const char* id = nullptr;
  const char* cls = nullptr;
  const char* style = nullptr;
  const char* colspan = nullptr;
  const char* rowspan = nullptr;
  bool hidden = false;
};

// `name` equals `lower` (a lowercase ASCII name) ignoring ASCII case, as strcasecmp compares them.
bool name_is(const char* name, std::string_view lower) {
  for (char c : lower)
    if (ascii_lower(*name++) != c) return false;
  return *name == '\0';
}

ElementAttributes attributes_of(const GumboElement& e) {
  ElementAttributes a;
  // The first attribute of each name counts, as with gumbo_get_attribute.
  auto take = [](const char*& slot, const GumboAttribute* attr) {
    if (!slot) slot = attr->value;
  };
  for (unsigned i = 0; i < e.attributes.length; ++i) {
    const auto* attr = static_cast<const GumboAttribute*>(e.attributes.data[i]);
    const char* n = attr->name;
    // PERF: by the first letter; most attributes (lang, width, align, href…) are none of the six and stop there.
    switch (ascii_lower(n[0])) {
      case 'i':
        if (name_is(n, "id")) take(a.id, attr);
        break;
      case 'c':
        if (name_is(n, "class")) take(a.cls, attr);
        else if (name_is(n, "colspan")) take(a.colspan, attr);
        break;
      case 's':
        if (name_is(n, "style")) take(a.style, attr);
        break;
      case 'r':
        if (name_is(n, "rowspan")) take(a.rowspan, attr);
        break;
      case 'h':
        if (name_is(n, "hidden")) a.hidden = true;
        break;
      default:
        break;
    }
  }
  return a;
}

// Hidden by the page itself (style="display:none", the hidden attribute).
bool is_hidden(const ElementAttributes& a) {
  if (a.hidden) return true;
  const char* style = a.style;
  if (!style) return false;
  // What hides: the style, with blanks dropped and case folded, holds display:none or visibility:hidden. Each
  // occurrence has its colon in the style, so the test is made at each colon: the name before it and the value
  // after it, read outward skipping blanks and folding case.
  // PERF: Word's pages put a long style on every span; it is neither copied nor folded, and the colons are found
  // by strchr (memchr-fast).
  auto value_is = [](const char* p, std::string_view want) {  // from just after the colon, forward
    for (char w : want) {
      while (is_ascii_space(*p)) ++p;
      if (ascii_lower(*p) != w) return false;
      ++p;
    }
    return true;
  };
  auto name_is_before = [style](const char* colon, std::string_view want) {  // from the colon, backward
    const char* p = colon;
    for (size_t k = want.size(); k-- > 0;) {
      do {
        if (p == style) return false;
        --p;
      } while (is_ascii_space(*p));
      if (ascii_lower(*p) != want[k]) return false;
    }
    return true;
  };
  for (const char* colon = std::strchr(style, ':'); colon; colon = std::strchr(colon + 1, ':')) {
    if (value_is(colon + 1, "none") && name_is_before(colon, "display")) return true;
    if (value_is(colon + 1, "hidden") && name_is_before(colon, "visibility")) return true;
  }
  return false;
}

// Whether the id or a class token of an element names the report container, and whether one names chrome.
TokenMatcher::Verdict attribute_verdict(const ElementAttributes& a, TokenMatcher& matcher) {
  TokenMatcher::Verdict v;
  auto add = [&](std::string_view token) {
    const TokenMatcher::Verdict t = matcher.of(token);
    v.container |= t.container;
    v.chrome |= t.chrome;
  };
  if (a.id) add(a.id);
  if (a.cls) {
    std::string_view all(a.cls);
    size_t pos = 0;
    while (pos < all.size() && !(v.container && v.chrome)) {
      while (pos < all.size() && is_ascii_space(all[pos])) ++pos;
      size_t end = pos;
      while (end < all.size() && !is_ascii_space(all[end])) ++end;
      if (end > pos) add(all.substr(pos, end - pos));
      pos = end;
    }
  }
  return v;
}

// Origin of every byte of a text node's decoded text, from its original text (entities, CR LF).
void align_origins(std::string_view decoded, std::string_view original, uint32_t base, std::vector<uint32_t>& out) {
  out.resize(decoded.size());
  size_t i = 0, j = 0;
  while (j < decoded.size()) {
    const uint32_t here = base + static_cast<uint32_t>(std::min(i, original.size()));
    if (i < original.size() && original[i] == '&' && decoded[j] != '&') {
      // A character reference: one decoded code point for the whole "&name;" / "&#NNN;".
      size_t k = i + 1;
      if (k < original.size() && original[k] == '#') ++k;
      while (k < original.size() && k - i < 40 && std::isalnum(static_cast<unsigned char>(original[k]))) ++k;
      if (k < original.size() && original[k] == ';') ++k;
      size_t n = utf8::sequence_length(static_cast<unsigned char>(decoded[j]));
      for (size_t b = 0; b < n && j < decoded.size(); ++b) out[j++] = here;
      i = k;
    } else if (i < original.size() && original[i] == '&' && decoded[j] == '&' && i + 1 < original.size() &&
               (std::isalpha(static_cast<unsigned char>(original[i + 1])) || original[i + 1] == '#') &&
               original.substr(i, 5) == "&amp;") {
      out[j++] = here;
      i += 5;
    } else if (i < original.size() && original[i] == '\r' && decoded[j] == '\n') {
      out[j++] = here;
      ++i;
      if (i < original.size() && original[i] == '\n') ++i;
    } else {
      // Equal bytes, or a replacement (NUL → U+FFFD): step both.
      out[j++] = here;
      if (i < original.size()) ++i;
    }
  }
}

struct ElementSpan {
  uint32_t begin = 0, end = 0;  //!< rendered
  uint32_t origin = 0;
  uint32_t depth = 0;
  bool container = false, chrome = false;
};

struct TableContext {
  bool grid = false;
  GridDraft draft;
  uint32_t begin = 0;
  bool row_open = false;
};

class Renderer {
 public:
  Renderer(std::string_view html, const grammar::HtmlPage& rules)
      : html_(html),
        tokens_(rules.content_container ? &*rules.content_container : nullptr,
                rules.chrome_attribute ? &*rules.chrome_attribute : nullptr) {}

  void run(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      size_t next_child;
      size_t span;  // index into spans_, or npos
    };
    std::vector<Frame> stack;
    stack.push_back({root, 0, enter(root)});
    while (!stack.empty()) {
      Frame& f = stack.back();
      const GumboVector* children = child_list(f.node);
      if (children && f.next_child < children->length && f.span != kSkip) {
        const auto* child = static_cast<const GumboNode*>(children->data[f.next_child++]);
        if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE || child->type == GUMBO_NODE_CDATA) {
          text(child->v.text);
          continue;
        }
        if (child->type != GUMBO_NODE_ELEMENT && child->type != GUMBO_NODE_TEMPLATE) continue;
        size_t span = enter(child);
        stack.push_back({child, 0, span});
        continue;
      }
      if (f.span != kSkip) leave(f.node, f.span);
      stack.pop_back();
    }
    flush_line();
    if (link_depth_ > 0) close_link();
  }

  std::string out;
  std::vector<uint32_t> origin;
  //! Whether the byte at `pos` was rendered from inside <a>.
  bool in_link(uint32_t pos) const {
    auto after = std::upper_bound(links_.begin(), links_.end(), pos,
                                  [](uint32_t p, const std::pair<uint32_t, uint32_t>& link) { return p < link.first; });
    return after != links_.begin() && pos < std::prev(after)->second;
  }
  std::vector<ElementSpan> spans;
  std::vector<Grid> grids;
  std::vector<std::pair<std::string, uint32_t>> metas;  //!< "name\tcontent", origin
  std::string title;
  uint32_t title_origin = 0;

 private:
  static constexpr size_t kSkip = static_cast<size_t>(-1);

  static const GumboVector* child_list(const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT) return &node->v.document.children;
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) return &node->v.element.children;
    return nullptr;
  }

  static uint32_t origin_of(const GumboNode* node) {
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) return node->v.element.start_pos.offset;
    return 0;
  }

  size_t enter(const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT) return spans_index_push(node, 0);
    const GumboElement& e = node->v.element;
    const GumboTag tag = e.tag;
    if (tag == GUMBO_TAG_META) collect_meta(e);
    if (tag == GUMBO_TAG_TITLE && title.empty()) collect_title(node);
    if (tag == GUMBO_TAG_HEAD) {
      // Meta tags and the title are read from the head; nothing there is rendered.
      scan_head(node);
      return kSkip;
    }
    if (is_skipped(tag)) return kSkip;
    const ElementAttributes attrs = attributes_of(e);
    if (is_hidden(attrs)) return kSkip;
    const uint32_t here = e.start_pos.offset;
    if (tag == GUMBO_TAG_TABLE) {
      ++table_count_;
      TableContext t;
      t.grid = !holds_table(node);
      t.draft.table = table_count_;
      break_line(here);
      t.begin = static_cast<uint32_t>(out.size());
      tables_.push_back(std::move(t));
    } else if ((tag == GUMBO_TAG_TR) && !tables_.empty() && tables_.back().grid) {
      break_line(here);
      tables_.back().draft.rows.emplace_back();
      tables_.back().row_open = true;
    } else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && !tables_.empty() && tables_.back().grid) {
      TableContext& t = tables_.back();
      if (!t.row_open) {  // a cell outside any row (the parser normally makes one)
        break_line(here);
        t.draft.rows.emplace_back();
        t.row_open = true;
      }
      auto& row = t.draft.rows.back();
      if (!row.empty()) {
        pending_space_ = false;
        append_raw(" |", here);
      }
      GridDraft::Cell cell;
      cell.begin = static_cast<uint32_t>(out.size());
      if (!row.empty()) append_raw(" ", here);
      cell.origin = here;
      cell.colspan = parse_span(attrs.colspan, 1, kMaxColspan);
      cell.rowspan = parse_span(attrs.rowspan, 1, 65534);
      if (cell.colspan == 0) cell.colspan = 1;
      row.push_back(cell);
      ++cell_depth_;
      at_cell_start_ = true;
    } else if (tag == GUMBO_TAG_A) {
      if (link_depth_++ == 0) links_.emplace_back(static_cast<uint32_t>(out.size()), static_cast<uint32_t>(out.size()));
    } else if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_PLAINTEXT) {
      ++pre_depth_;
      break_line(here);
    } else if (tag == GUMBO_TAG_BR) {
      break_line(here);
    } else if (is_block(tag)) {
      break_line(here);
    }
    size_t index = spans_index_push(node, here);
    ElementSpan& s = spans[index];
    const TokenMatcher::Verdict verdict = attribute_verdict(attrs, tokens_);
    s.container = verdict.container;
    s.chrome = verdict.chrome;
    return index;
  }

  // Whether `table` holds another table (in any element below it, rendered or not): then it lays the page out, and
  // only the innermost tables are grids. PERF: asked as each table is entered, walking its subtree only up to the
  // first table in it, so every node is walked at most once, by the table nearest above it (a walk of the whole
  // tree before rendering visited every node and text once more); the walk also brings the table into the cache
  // for its rendering.
  bool holds_table(const GumboNode* table) {
    walk_.clear();
    auto push_children = [this](const GumboNode* n) {
      const GumboVector& c = n->v.element.children;
      for (unsigned i = 0; i < c.length; ++i) {
        const auto* child = static_cast<const GumboNode*>(c.data[i]);
        if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE) walk_.push_back(child);
      }
    };
    push_children(table);
    while (!walk_.empty()) {
      const GumboNode* n = walk_.back();
      walk_.pop_back();
      if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_TABLE) return true;
      push_children(n);
    }
    return false;
  }

  size_t spans_index_push(const GumboNode*, uint32_t here) {
    ElementSpan s;
    s.begin = static_cast<uint32_t>(out.size());
    s.origin = here;
    s.depth = depth_++;
    spans.push_back(s);
    return spans.size() - 1;
  }

  void leave(const GumboNode* node, size_t span) {
    --depth_;
    if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
      const GumboElement& e = node->v.element;
      const GumboTag tag = e.tag;
      const uint32_t here = e.end_pos.offset ? e.end_pos.offset : e.start_pos.offset;
      if (tag == GUMBO_TAG_TABLE && !tables_.empty()) {
        TableContext t = std::move(tables_.back());
        tables_.pop_back();
        break_line(here);
        if (t.grid && !t.draft.rows.empty()) {
          Grid g = lay_out(t.draft);
          g.begin = t.begin;
          g.end = static_cast<uint32_t>(out.size());
          grids.push_back(std::move(g));
        }
      } else if (tag == GUMBO_TAG_TR && !tables_.empty() && tables_.back().grid) {
        break_line(here);
        tables_.back().row_open = false;
      } else if ((tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) && !tables_.empty() && tables_.back().grid) {
        pending_space_ = false;
        auto& rows = tables_.back().draft.rows;
        if (!rows.empty() && !rows.back().empty()) rows.back().back().end = static_cast<uint32_t>(out.size());
        if (cell_depth_ > 0) --cell_depth_;
        at_cell_start_ = false;
      } else if (tag == GUMBO_TAG_A) {
        if (link_depth_ > 0 && --link_depth_ == 0) close_link();
      } else if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_PLAINTEXT) {
        if (pre_depth_ > 0) --pre_depth_;
        break_line(here);
      } else if (is_block(tag) && tag != GUMBO_TAG_BR) {
        break_line(here);
      }
    }
    spans[span].end = static_cast<uint32_t>(out.size());
  }

  void scan_head(const GumboNode* head) {
    std::vector<const GumboNode*> stack{head};
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type != GUMBO_NODE_ELEMENT) continue;
      if (n->v.element.tag == GUMBO_TAG_META) collect_meta(n->v.element);
      if (n->v.element.tag == GUMBO_TAG_TITLE && title.empty()) collect_title(n);
      const GumboVector& c = n->v.element.children;
      for (unsigned i = c.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(c.data[i]));
    }
  }

  void collect_meta(const GumboElement& e) {
    const char* name = attribute(e, "name");
    const char* content = attribute(e, "content");
    if (!name || !content) return;
    metas.emplace_back(lower(name) + "\t" + content, e.start_pos.offset);
  }

  void collect_title(const GumboNode* node) {
    std::string t;
    for (unsigned i = 0; i < node->v.element.children.length; ++i) {
      const auto* c = static_cast<const GumboNode*>(node->v.element.children.data[i]);
      if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE) t += c->v.text.text;
    }
    std::string collapsed;
    bool space = false;
    for (char ch : t) {
      if (is_ascii_space(ch)) {
        space = !collapsed.empty();
        continue;
      }
      if (space) collapsed.push_back(' ');
      space = false;
      collapsed.push_back(ch);
    }
    title = collapsed;
    title_origin = node->v.element.start_pos.offset;
  }

  void text(const GumboText& t) {
    std::string_view decoded(t.text);
    std::string_view original(t.original_text.data ? t.original_text.data : "", t.original_text.length);
    const uint32_t base = t.start_pos.offset;
    // PERF: a text as long as its source, with no character reference and no CR in it (most of them, and every
    // run of blanks between tags), has the origins base + j: align_origins steps both sides together there (a
    // replaced character, U+FDD0 → U+FFFD, is as long as it was). Only the others are aligned.
    const bool verbatim = decoded.size() == original.size() && !std::memchr(original.data(), '&', original.size()) &&
                          !std::memchr(original.data(), '\r', original.size());
    if (!verbatim) align_origins(decoded, original, base, text_origin_);
    auto origin_at = [&](size_t j) { return verbatim ? base + static_cast<uint32_t>(j) : text_origin_[j]; };
    for (size_t j = 0; j < decoded.size();) {
      char c = decoded[j];
      if (is_ascii_space(c)) {
        if (pre_depth_ > 0 && c == '\n') {
          break_line(origin_at(j));
        } else if (!pending_space_) {
          pending_space_ = true;
          space_origin_ = origin_at(j);
        }
        ++j;
        continue;
      }
      if (pending_space_ && !line_start_ && !at_cell_start_) append_raw(" ", space_origin_);
      pending_space_ = false;
      // The characters up to the next blank. PERF: appended as one run, not byte by byte into three vectors.
      size_t k = j;
      do k += std::min(utf8::sequence_length(static_cast<unsigned char>(decoded[k])), decoded.size() - k);
      while (k < decoded.size() && !is_ascii_space(decoded[k]));
      out.append(decoded.data() + j, k - j);
      if (verbatim) {
        // PERF: grown once and counted up (a push_back per byte checked the capacity at each).
        const size_t at = origin.size();
        origin.resize(at + (k - j));
        for (size_t b = 0; b < k - j; ++b) origin[at + b] = base + static_cast<uint32_t>(j + b);
      } else {
        origin.insert(origin.end(), text_origin_.begin() + static_cast<std::ptrdiff_t>(j),
                      text_origin_.begin() + static_cast<std::ptrdiff_t>(k));
      }
      line_start_ = false;
      at_cell_start_ = false;
      j = k;
    }
  }

  void push(char c, uint32_t from) {
    out.push_back(c);
    origin.push_back(from);
  }

  void append_raw(std::string_view s, uint32_t from) {
    for (char c : s) push(c, from);
    line_start_ = false;
  }

  // Ends the current line; inside a grid cell a block break is a space (the row stays one line).
  void break_line(uint32_t from) {
    if (cell_depth_ > 0 && !tables_.empty() && tables_.back().grid) {
      if (!at_cell_start_ && !pending_space_) {
        pending_space_ = true;
        space_origin_ = from;
      }
      return;
    }
    pending_space_ = false;
    if (!line_start_) {
      push('\n', from);
      line_start_ = true;
    }
  }

  // The text written inside the outermost <a> ends here (an empty one is not kept).
  void close_link() {
    links_.back().second = static_cast<uint32_t>(out.size());
    if (links_.back().second == links_.back().first) links_.pop_back();
  }

  void flush_line() {
    if (!line_start_) push('\n', static_cast<uint32_t>(html_.size()));
    line_start_ = true;
  }

  std::string_view html_;
  TokenMatcher tokens_;
  std::vector<const GumboNode*> walk_;  //!< holds_table's stack, kept for the next table
  std::vector<TableContext> tables_;
  std::vector<uint32_t> text_origin_;
  uint32_t depth_ = 0;
  uint32_t table_count_ = 0;
  int cell_depth_ = 0, link_depth_ = 0, pre_depth_ = 0;
  //! Rendered ranges [begin, end) written inside an outermost <a>, in order. PERF: a flag per rendered byte was
  //! written for every byte and read for a few hundred.
  std::vector<std::pair<uint32_t, uint32_t>> links_;
  bool line_start_ = true, pending_space_ = false, at_cell_start_ = false;
  uint32_t space_origin_ = 0;

 public:
  uint32_t tables_seen() const { return table_count_; }
};

// Lines of `text` as [begin, end) without the line break.
std::vector<std::pair<uint32_t, uint32_t>> lines_of(std::string_view text) {
  std::vector<std::pair<uint32_t, uint32_t>> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(static_cast<uint32_t>(pos), static_cast<uint32_t>(end));
    pos = end + 1;
  }
  return lines;
}

constexpr size_t kMaxTitleChars = 80;

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool token_matches(const Regex& pattern, std::string_view token) {
  if (token.empty() || token.size() >= 200 || !utf8::valid(token)) return false;
  thread_local Regex::Match m;
  return pattern.search(token, 0, m) && m.begin == 0 && m.end == token.size();
}

TokenMatcher::Verdict TokenMatcher::of(std::string_view token) {
  if (auto it = seen_.find(token); it != seen_.end()) return it->second;
  Verdict v;
  v.container = container_ && token_matches(*container_, token);
  v.chrome = chrome_ && token_matches(*chrome_, token);
  seen_.emplace(std::string(token), v);
  return v;
}

// A tag name of at most 8 bytes as one number (byte k in bits 8k…8k+7); 0 for a longer name, which no name below has.
constexpr uint64_t packed_name(std::string_view name) {
  if (name.size() > 8) return 0;
  uint64_t key = 0;
  for (size_t k = 0; k < name.size(); ++k) key |= uint64_t{static_cast<unsigned char>(name[k])} << (8 * k);
  return key;
}

// Elements that do not nest: void elements, and elements whose end tag may be left out. `name` is lowercase.
// PERF: a switch on the packed name (a search of a list of strings compared some 36 names by memcmp per tag, most
// of what measuring a page cost).
bool is_not_nesting(uint64_t packed) {
  switch (packed) {
    // void elements
    case packed_name("area"): case packed_name("base"): case packed_name("br"): case packed_name("col"):
    case packed_name("embed"): case packed_name("hr"): case packed_name("img"): case packed_name("input"):
    case packed_name("link"): case packed_name("meta"): case packed_name("param"): case packed_name("source"):
    case packed_name("track"): case packed_name("wbr"): case packed_name("basefont"): case packed_name("bgsound"):
    case packed_name("frame"): case packed_name("keygen"):
    // end tag optional
    case packed_name("p"): case packed_name("li"): case packed_name("td"): case packed_name("th"):
    case packed_name("tr"): case packed_name("option"): case packed_name("optgroup"): case packed_name("dt"):
    case packed_name("dd"): case packed_name("thead"): case packed_name("tbody"): case packed_name("tfoot"):
    case packed_name("colgroup"): case packed_name("caption"): case packed_name("rb"): case packed_name("rt"):
    case packed_name("rp"): case packed_name("head"): case packed_name("body"): case packed_name("html"):
      return true;
    default:
      return false;
  }
}

HtmlShape measure_shape(std::string_view html) {
  size_t depth = 0, deepest = 0, elements = 0;
  size_t i = 0;
  const size_t n = html.size();
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (i + 3 < n && html[i + 1] == '!' && html[i + 2] == '-' && html[i + 3] == '-') {  // "<!--" (PERF: no memcmp)
      size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 3;
      continue;
    }
    const bool closing = i + 1 < n && html[i + 1] == '/';
    // The name lowercased, packed as packed_name packs it while it is read; 0 when it is longer than 8 bytes, as no
    // name below is. PERF: no lowercased copy that was packed again for every test.
    const size_t name_begin = i + 1 + closing;
    size_t name_end = name_begin;
    uint64_t name = 0;
    for (; name_end < n; ++name_end) {
      const char c = html[name_end];
      if (!ascii_alpha(c) && !(name_end > name_begin && ((c >= '0' && c <= '9') || c == ':'))) break;
      if (name_end - name_begin < 8)
        name |= uint64_t{static_cast<unsigned char>(ascii_lower(c))} << (8 * (name_end - name_begin));
    }
    if (name_end == name_begin) {
      ++i;
      continue;
    }
    const size_t length = name_end - name_begin;
    if (length > 8) name = 0;
    size_t close = html.find('>', name_end);
    if (close == std::string_view::npos) break;
    const bool self_closing = html[close - 1] == '/';
    i = close + 1;
    if (!closing && (name == packed_name("script") || name == packed_name("style") || name == packed_name("textarea") ||
                     name == packed_name("title"))) {
      size_t end = html.find("</", i);
      auto closes_it = [&](size_t at) {  // "</" + the name, in any case
        if (at + 2 + length > n) return false;
        for (size_t k = 0; k < length; ++k)
          if (ascii_lower(html[at + 2 + k]) != static_cast<char>(name >> (8 * k) & 0xFF)) return false;
        return true;
      };
      while (end != std::string_view::npos && !closes_it(end)) end = html.find("</", end + 2);
      if (end == std::string_view::npos) break;
      i = end;
      continue;
    }
    if (!closing) ++elements;
    if (is_not_nesting(name)) continue;
    if (closing) {
      if (depth > 0) --depth;
    } else if (!self_closing) {
      deepest = std::max(deepest, ++depth);
    }
  }
  return {deepest, elements};
}

size_t estimate_nesting_depth(std::string_view html) { return measure_shape(html).depth; }

Page render(std::string_view html, const grammar::GrammarSet& grammars) {
  const grammar::HtmlPage& rules = grammars.html;
  Page page;
  Arena arena;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = arena_allocate;
  options.deallocator = arena_release;
  options.userdata = &arena;
  options.max_errors = 0;  // errors are not reported; recording them costs time and memory
  // The tree lives in the arena and is dropped with it (no gumbo_destroy_output, see Arena).
  GumboOutput* parsed = gumbo_parse_with_options(&options, html.data(), html.size());

  Renderer r(html, rules);
  r.run(parsed->document);
  page.tables = r.tables_seen();
  const std::string& full = r.out;
  auto lines = lines_of(full);

  // 1. The body: the smallest element holding `share` of the content markers outside links.
  std::vector<uint32_t> markers;
  // PERF: memmem, not std::string::find: find stops at every byte equal to the word's first (in Chinese text the
  // lead byte of a good share of the characters) and compares there; memmem skips ahead by the word's length.
  for (const std::string& word : rules.content_markers) {
    if (word.empty()) continue;
    for (const char* at = full.data(); (at = static_cast<const char*>(
                                            memmem(at, full.data() + full.size() - at, word.data(), word.size())));
         at += word.size()) {
      const size_t pos = static_cast<size_t>(at - full.data());
      if (!r.in_link(static_cast<uint32_t>(pos))) markers.push_back(static_cast<uint32_t>(pos));
    }
  }
  std::sort(markers.begin(), markers.end());
  auto markers_in = [&](uint32_t b, uint32_t e) {
    return static_cast<size_t>(std::lower_bound(markers.begin(), markers.end(), e) -
                               std::lower_bound(markers.begin(), markers.end(), b));
  };
  const ElementSpan* body = nullptr;
  if (markers.size() >= rules.marker_min_count) {
    const auto needed = static_cast<size_t>(std::ceil(rules.marker_share * static_cast<double>(markers.size())));
    for (const ElementSpan& s : r.spans)
      if (markers_in(s.begin, s.end) >= needed && (!body || s.end - s.begin < body->end - body->begin ||
                                                    (s.end - s.begin == body->end - body->begin && s.depth > body->depth)))
        body = &s;
    if (body) page.body_via = "markers";
  }
  if (!body) {
    for (const ElementSpan& s : r.spans)
      if (s.container && (!body || s.end - s.begin > body->end - body->begin)) body = &s;
    if (body) page.body_via = "container";
  }
  uint32_t body_begin = 0, body_end = static_cast<uint32_t>(full.size());
  if (body) {
    body_begin = body->begin;
    body_end = body->end;
    page.body_origin = body->origin;
  } else {
    page.body_via = "page";
  }

  // 2. What to keep: the body's lines, without chrome elements and chrome lines; a report title standing
  // just before the body.
  std::vector<uint8_t> keep(full.size() + 1, 0);
  for (uint32_t i = body_begin; i < body_end; ++i) keep[i] = 1;
  for (const ElementSpan& s : r.spans)
    if (s.chrome && s.begin >= body_begin && s.end <= body_end && s.end > s.begin && markers_in(s.begin, s.end) == 0 &&
        !(s.begin == body_begin && s.end == body_end)) {
      for (uint32_t i = s.begin; i < s.end; ++i) keep[i] = 0;
      ++page.chrome_dropped;
    }
  auto inside_grid = [&](uint32_t pos) {
    return std::any_of(r.grids.begin(), r.grids.end(), [&](const Grid& g) { return pos >= g.begin && pos < g.end; });
  };
  Regex::Match m;
  for (const auto& [b, e] : lines) {
    if (b < body_begin || e > body_end || !keep[b]) continue;
    std::string_view line(full.data() + b, e - b);
    // PERF: a grid's rows (most lines of a report's tables) are not matched against the pattern at all.
    if (rules.chrome_line && !inside_grid(b) && rules.chrome_line->search(line, 0, m) && m.begin == 0 &&
        m.end == line.size()) {
      for (uint32_t i = b; i <= e && i < full.size(); ++i) keep[i] = 0;
      ++page.chrome_dropped;
    }
  }
  const Regex* report_title = grammars.common.report_title ? &*grammars.common.report_title : nullptr;
  // A title is a short line that names a report (not a sentence that mentions one).
  auto titled = [&](uint32_t b, uint32_t e) {
    if (!report_title || utf8::length(std::string_view(full.data() + b, e - b)) > kMaxTitleChars) return false;
    std::string key;
    for (char c : grammars.normalizer().normalize_label(std::string_view(full.data() + b, e - b)))
      if (!Normalizer::is_layout(c)) key.push_back(c);
    return report_title->search(key, 0, m);
  };
  size_t first_body_line = 0;
  while (first_body_line < lines.size() && lines[first_body_line].second <= body_begin) ++first_body_line;
  bool body_titled = false;
  for (size_t i = first_body_line, seen = 0; i < lines.size() && seen < 5 && lines[i].first < body_end; ++i)
    if (keep[lines[i].first] && lines[i].second > lines[i].first) {
      ++seen;
      body_titled |= titled(lines[i].first, lines[i].second);
    }
  std::optional<std::pair<uint32_t, uint32_t>> title_line;
  if (!body_titled)
    for (size_t i = first_body_line, n = 0; i-- > 0 && n < rules.title_lookback_lines; ++n) {
      auto [b, e] = lines[i];
      if (e > b && !r.in_link(b) && !inside_grid(b) && titled(b, e)) {
        title_line = lines[i];
        break;
      }
    }

  // 3. Header lines: the page title, meta tags, then facts stated before the body.
  std::vector<std::pair<std::string, std::pair<std::string, uint32_t>>> header;  // key → value, origin
  auto has = [&](const std::string& key) {
    return std::any_of(header.begin(), header.end(), [&](const auto& h) { return h.first == key; });
  };
  for (const auto& [name, key] : rules.meta)
    for (const auto& [entry, where] : r.metas) {
      size_t tab = entry.find('\t');
      if (entry.compare(0, tab, name) != 0 || tab != name.size()) continue;
      std::string value = entry.substr(tab + 1);
      while (!value.empty() && is_ascii_space(value.back())) value.pop_back();
      while (!value.empty() && is_ascii_space(value.front())) value.erase(value.begin());
      if (!value.empty() && utf8::valid(value) && value.find('\n') == std::string::npos && !has(key)) {
        header.push_back({key, {value, where}});
        break;
      }
    }
  for (const auto& fact : rules.facts) {
    if (has(fact.key)) continue;
    for (size_t i = first_body_line, n = 0; i-- > 0 && n < 400; ++n) {
      auto [b, e] = lines[i];
      std::string_view line(full.data() + b, e - b);
      if (fact.pattern.search(line, 0, m)) {
        std::string_view value = group_text(line, m, fact.pattern.group("value"));
        size_t at = b + m.groups[static_cast<size_t>(fact.pattern.group("value"))].begin;
        header.push_back({fact.key, {std::string(value), r.origin[at]}});
        break;
      }
    }
  }

  // 4. Assemble: header, separator, title line, body; with the byte map and the grids moved along.
  std::string& text = page.text;
  std::vector<uint32_t>& origin = page.origin;
  auto add = [&](std::string_view s, uint32_t from) {
    text.append(s);
    origin.insert(origin.end(), s.size(), from);
  };
  {
    std::string t = r.title;
    for (char& c : t)
      if (c == '\n' || c == '\r') c = ' ';
    add("页面标题: ", r.title_origin);
    add(utf8::valid(t) ? t : std::string(), r.title_origin);
    add("\n", r.title_origin);
    for (const auto& [key, value] : header) {
      add(key + ": ", value.second);
      add(value.first, value.second);
      add("\n", value.second);
    }
    add("==========\n", page.body_origin);
  }
  // The runs of `full` copied into `text`, in order. PERF: copied a run at a time, and an offset of `full` is
  // moved into `text` by a search of the runs (a map of every byte was built and filled backward).
  struct Run {
    uint32_t from, to, at;  //!< full [from, to) is text [at, at + to - from)
  };
  std::vector<Run> runs;
  auto copy = [&](uint32_t b, uint32_t e) {
    runs.push_back({b, e, static_cast<uint32_t>(text.size())});
    text.append(full, b, e - b);
    origin.insert(origin.end(), r.origin.begin() + b, r.origin.begin() + e);
  };
  if (title_line) {
    copy(title_line->first, title_line->second);
    add("\n", r.origin[title_line->second < r.origin.size() ? title_line->second : title_line->first]);
  }
  for (uint32_t i = body_begin; i < body_end;) {
    const auto* from = static_cast<const uint8_t*>(std::memchr(keep.data() + i, 1, body_end - i));
    if (!from) break;
    i = static_cast<uint32_t>(from - keep.data());
    const auto* to = static_cast<const uint8_t*>(std::memchr(keep.data() + i, 0, body_end - i));
    const uint32_t j = to ? static_cast<uint32_t>(to - keep.data()) : body_end;
    copy(i, j);
    i = j;
  }
  if (!text.empty() && text.back() != '\n') add("\n", static_cast<uint32_t>(html.size()));
  origin.push_back(static_cast<uint32_t>(html.size()));
  // An offset that was copied moves with its byte; one that was dropped moves to the next byte copied after it
  // (the end of the text when none is).
  const uint32_t end = static_cast<uint32_t>(text.size());
  auto moved = [&](uint32_t x) {
    auto run = std::upper_bound(runs.begin(), runs.end(), x, [](uint32_t v, const Run& c) { return v < c.to; });
    if (run == runs.end()) return end;
    return run->from <= x ? run->at + (x - run->from) : run->at;
  };
  for (Grid& g : r.grids) {
    if (g.begin < body_begin || g.end > body_end) continue;  // tables of the page around the report
    g.begin = moved(g.begin);
    g.end = moved(g.end);
    for (GridCell& c : g.cells) {
      c.begin = moved(c.begin);
      c.end = moved(c.end);
    }
    page.grids.push_back(std::move(g));
  }
  std::sort(page.grids.begin(), page.grids.end(), [](const Grid& a, const Grid& b) { return a.begin < b.begin; });
  return page;
}

}  // namespace xxgk::html
