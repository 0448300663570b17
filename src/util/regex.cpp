#include "util/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace xxgk {
namespace {

// WHY: a bound on backtracking, so that no grammar pattern can run away on hostile input.
constexpr uint32_t kMatchLimit = 2'000'000;
constexpr uint32_t kDepthLimit = 20'000;
constexpr uint32_t kMaxGroups = 64;

struct MatchContext {
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  MatchContext() {
    pcre2_set_match_limit(context, kMatchLimit);
    pcre2_set_depth_limit(context, kDepthLimit);
  }
  ~MatchContext() { pcre2_match_context_free(context); }
};

const MatchContext& shared_context() {
  static const MatchContext context;
  return context;
}

struct ThreadMatchData {
  pcre2_match_data* data = pcre2_match_data_create(kMaxGroups, nullptr);
  ~ThreadMatchData() { pcre2_match_data_free(data); }
};

pcre2_match_data* thread_match_data() {
  thread_local ThreadMatchData data;
  return data.data;
}

thread_local size_t limit_hits_in_thread = 0;

}  // namespace

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

Regex::Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

std::optional<Regex> Regex::compile(std::string_view pattern, std::string* error, bool anchored) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  uint32_t options = PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_MULTILINE;
  if (anchored) options |= PCRE2_ANCHORED;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options,
                                   &error_code, &error_offset, nullptr);
  if (!code) {
    if (error) {
      PCRE2_UCHAR buffer[256];
      pcre2_get_error_message(error_code, buffer, sizeof buffer);
      *error = std::string(reinterpret_cast<char*>(buffer)) + " at offset " + std::to_string(error_offset) +
               " in pattern " + std::string(pattern);
    }
    return std::nullopt;
  }
  uint32_t captures = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
  if (captures + 1 > kMaxGroups) {
    pcre2_code_free(code);
    if (error) *error = "too many capture groups in pattern " + std::string(pattern);
    return std::nullopt;
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is unavailable
  Regex regex;
  regex.code_ = std::make_unique<Code>();
  regex.code_->code = code;
  regex.pattern_ = pattern;
  regex.group_count_ = captures;
  return regex;
}

bool Regex::search(std::string_view subject, size_t start, Match& match) const {
  if (!code_ || start > subject.size()) return false;
  pcre2_match_data* data = thread_match_data();
  int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start,
                       PCRE2_NO_UTF_CHECK, data, shared_context().context);
  if (rc <= 0) {  // no match, or a limit was hit: treat as no match
    limit_hits_in_thread += rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
                            rc == PCRE2_ERROR_JIT_STACKLIMIT;
    return false;
  }
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
  match.begin = ovector[0];
  match.end = ovector[1];
  match.groups.assign(group_count_ + 1, Span{});
  for (size_t i = 1; i <= group_count_ && i < static_cast<size_t>(rc); ++i) {
    if (ovector[2 * i] == PCRE2_UNSET) continue;
    match.groups[i] = Span{ovector[2 * i], ovector[2 * i + 1], true};
  }
  return true;
}

std::vector<Regex::Match> Regex::find_all(std::string_view subject) const {
  std::vector<Match> matches;
  size_t start = 0;
  Match m;
  while (start <= subject.size() && search(subject, start, m)) {
    size_t next = m.end;
    if (m.end == m.begin) {
      // Empty match: step over one code point so the loop ends.
      if (next >= subject.size()) {
        matches.push_back(m);
        break;
      }
      next += 1;
      while (next < subject.size() && (static_cast<unsigned char>(subject[next]) & 0xC0) == 0x80) ++next;
    }
    matches.push_back(m);
    start = next;
  }
  return matches;
}

size_t Regex::limit_hits() { return limit_hits_in_thread; }

int Regex::group(std::string_view name) const {
  if (!code_) return -1;
  std::string n(name);
  int number = pcre2_substring_number_from_name(code_->code, reinterpret_cast<PCRE2_SPTR>(n.c_str()));
  return number > 0 ? number : -1;
}

}  // namespace xxgk
