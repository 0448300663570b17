// Fuzz target: the WARC reader (plain or gzip, any member layout) and the HTTP responses it holds.
#include <cstdio>

#include "fuzz_common.hpp"
#include "scan/warc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::FILE* file = fmemopen(const_cast<uint8_t*>(data), size, "rb");
  if (!file) return 0;
  std::string error;
  auto stream = xxgk::scan::ByteStream::adopt(file, &error);
  if (!stream) return 0;
  xxgk::scan::WarcReader reader(std::move(stream));
  xxgk::scan::WarcRecord record;
  for (int records = 0; records < 10'000; ++records) {
    error.clear();
    const bool more = reader.next(record, 1u << 20, error);
    if (!record.block.empty()) {
      if (auto response = xxgk::scan::parse_http_response(record.block, 1u << 20))
        (void)xxgk::scan::charset_of(response->headers["content-type"]);
    }
    if (!more) break;
  }
  return 0;
}
