// output/json_stream.hpp — JSON written as it is produced, without a document tree (issue 17): the check's JSON
// and the scan's lines are most of a run's allocations when built as an nlohmann DOM first.
//
// The bytes are nlohmann's dump(indent) of the same values, byte for byte (tests/unit/test_json_stream.cpp and
// the corpus test `json_stream_bytes` prove it): no spaces when compact; with an indent, a newline and the
// indent before every member and element, ": " after keys, "{}" and "[]" for empty containers; strings escaped as
// nlohmann escapes them (", \, \b \f \n \r \t, other control characters as \u00xx, everything else as is);
// non-whole numbers as nlohmann prints doubles.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "xxgk/xxgk.hpp"

namespace xxgk {

class JsonStream {
 public:
  //! Appends to `out`; `indent` < 0: compact, as dump() writes.
  explicit JsonStream(std::string& out, int indent = -1) : out_(out), indent_(indent) {}

  JsonStream& begin_object() { return open('{'); }
  JsonStream& end_object() { return close('}'); }
  JsonStream& begin_array() { return open('['); }
  JsonStream& end_array() { return close(']'); }
  //! A member's key; its value follows.
  JsonStream& key(std::string_view name);

  JsonStream& null();
  JsonStream& value(bool b);
  JsonStream& value(std::string_view text);
  JsonStream& value(const char* text) { return value(std::string_view(text)); }
  JsonStream& value(const std::string& text) { return value(std::string_view(text)); }
  JsonStream& value(double number);
  template <typename Integer>
    requires(std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>)
  JsonStream& value(Integer number) {
    if constexpr (std::is_signed_v<Integer>) return integer(static_cast<int64_t>(number));
    else return unsigned_integer(static_cast<uint64_t>(number));
  }
  //! Any nlohmann value (small ones: the "tool" object), written as dump(indent) would at this depth.
  JsonStream& value(const nlohmann::ordered_json& j);

  //! The text, or null when it is empty.
  JsonStream& text_or_null(std::string_view text) { return text.empty() ? null() : value(text); }
  //! `key` then `value`.
  template <typename T>
  JsonStream& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

 private:
  JsonStream& open(char bracket);
  JsonStream& close(char bracket);
  JsonStream& integer(int64_t number);
  JsonStream& unsigned_integer(uint64_t number);
  void before_value();
  void newline(size_t depth);

  std::string& out_;
  int indent_;
  std::vector<unsigned char> has_members_;  // per open container: has it a member yet (bytes: vector<bool> costs)
  bool after_key_ = false;
};

//! to_json(result, with_tables), written straight from the result (no DOM): the members of the object without its
//! braces, `schema` included when asked. For the scan's records, which put members of their own around them.
struct CheckJsonParts {
  bool schema = true;
  bool with_tables = true;
  bool findings_left_out = false;  //!< "findings": [] and a zero summary (a scanned page that is not a report)
};
void write_check_members(JsonStream& out, const CheckResult& result, const CheckJsonParts& parts);

//! `check --format json`'s object for a result: to_json(result) with "tool" added, as dump(indent) writes it.
void write_check_json(std::string& out, const CheckResult& result, const nlohmann::ordered_json& tool, int indent = -1);

}  // namespace xxgk
