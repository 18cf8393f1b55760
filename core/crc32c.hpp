// CRC32C (Castagnoli), the checksum of every WAL record. Software slicing-by-8, so it is the same
// natively and in WebAssembly.
#pragma once

#include <cstdint>
#include <string_view>

namespace driftq {

// Extends `crc` (0 to start) with `data`.
std::uint32_t crc32c_extend(std::uint32_t crc, std::string_view data);
inline std::uint32_t crc32c(std::string_view data) { return crc32c_extend(0, data); }

}  // namespace driftq
