// xxgk/export.hpp — XXGK_API marks what a shared libxxgk exports; the library is built with hidden visibility, so
// everything else (the stages under src/) stays internal and may change between releases.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define XXGK_API __attribute__((visibility("default")))
#else
#define XXGK_API
#endif
