// util/tsan.hpp — what oneTBB guarantees, told to ThreadSanitizer (the XXGK_TSAN build, docs/fuzzing.md).
//
// WHY: Debian's libtbb is not instrumented, so ThreadSanitizer cannot see the synchronisation inside it: that a
// serial pipeline filter runs one call at a time (on whichever thread), that an item is handed from one filter
// to the next, that the pipeline starts after and ends before the code around it. Without being told, it reports
// every touch of the serial filters' state as a race. These calls state exactly those guarantees and no more, so
// that a race between the parallel calls (the shared Checker, the output writers) is still seen. They are
// nothing without ThreadSanitizer.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define XXGK_TSAN_ON 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define XXGK_TSAN_ON 1
#endif
#endif

#ifdef XXGK_TSAN_ON
#include <sanitizer/tsan_interface.h>
#endif

namespace xxgk::tsan {

#ifdef XXGK_TSAN_ON
//! What was written before a release(p) is seen by the code after a later acquire(p).
inline void release(const void* p) { __tsan_release(const_cast<void*>(p)); }
inline void acquire(const void* p) { __tsan_acquire(const_cast<void*>(p)); }
#else
inline void release(const void*) {}
inline void acquire(const void*) {}
#endif

}  // namespace xxgk::tsan
