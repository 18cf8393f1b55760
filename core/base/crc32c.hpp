// CRC32C (Castagnoli), the checksum of every WAL record.
#pragma once

#include <cstdint>
#include <string_view>

namespace driftq {

// Extends `crc` (0 to start) with `data`. Uses the CPU's crc32 instruction where there is one.
std::uint32_t crc32c_extend(std::uint32_t crc, std::string_view data);
// The portable table-driven version (what WebAssembly runs); same results.
std::uint32_t crc32c_software(std::uint32_t crc, std::string_view data);
inline std::uint32_t crc32c(std::string_view data) { return crc32c_extend(0, data); }

}  // namespace driftq
