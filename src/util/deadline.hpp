// util/deadline.hpp — a point in time after which bounded work stops (the per-document time limit).
#pragma once

#include <chrono>
#include <cstdint>

namespace xxgk {

struct Deadline {
  using Clock = std::chrono::steady_clock;
  Clock::time_point at = Clock::time_point::max();  //!< max: no limit

  //! `ms` milliseconds from now; 0 means no limit.
  static Deadline after(uint32_t ms) {
    Deadline d;
    if (ms) d.at = Clock::now() + std::chrono::milliseconds(ms);
    return d;
  }
  bool limited() const { return at != Clock::time_point::max(); }
  bool passed() const { return limited() && Clock::now() >= at; }
};

}  // namespace xxgk
