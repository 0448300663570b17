// pipeline/stage_clock.hpp — where a check's time goes, stage by stage, for tools/bench (issue 17: "price every
// stage"). Off unless a caller sets the clock of its thread; then the checker adds each stage's seconds to it.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>

namespace xxgk::pipeline {

enum class Stage : size_t { ingest, normalise, sections, tables, checks, results };
inline constexpr size_t kStages = 6;
inline constexpr std::array<const char*, kStages> kStageNames = {"ingest", "normalise", "sections", "tables", "checks", "results"};

struct StageClock {
  std::array<double, kStages> seconds{};
};

//! The clock the checker adds to on this thread; null (the default) reads no clock at all.
inline thread_local StageClock* stage_clock = nullptr;

//! Adds the time since the last lap to a stage, when this thread has a clock.
class StageLap {
 public:
  StageLap() : clock_(stage_clock) {
    if (clock_) last_ = std::chrono::steady_clock::now();
  }
  void operator()(Stage stage) {
    if (!clock_) return;
    const auto now = std::chrono::steady_clock::now();
    clock_->seconds[static_cast<size_t>(stage)] += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  StageClock* clock_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace xxgk::pipeline
