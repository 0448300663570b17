// The run-time version: from the same project(VERSION) as the header's macros.
#include "xxgk/version.hpp"

namespace xxgk {

const char* version() { return XXGK_VERSION_STRING; }

}  // namespace xxgk
