#include "ui/tar_writer.hpp"

#include <cassert>
#include <cstdio>
#include <cstring>

namespace driftq::ui {

namespace {

constexpr std::size_t kBlock = 512;

// An octal field of `width` bytes: digits, then a NUL.
void octal(char* field, std::size_t width, std::uint64_t value) {
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(value));
}

}  // namespace

void TarWriter::add(std::string_view name, std::string_view bytes) {
    assert(name.size() < 100 && "ustar names here are short segment names");
    char h[kBlock] = {};
    std::memcpy(h, name.data(), name.size());
    octal(h + 100, 8, 0644);
    octal(h + 108, 8, 0);
    octal(h + 116, 8, 0);
    octal(h + 124, 12, bytes.size());
    octal(h + 136, 12, 0);
    h[156] = '0';
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    std::memset(h + 148, ' ', 8);  // the checksum counts its own field as spaces
    unsigned sum = 0;
    for (char c : h) sum += static_cast<unsigned char>(c);
    std::snprintf(h + 148, 8, "%06o", sum);
    out_.append(h, kBlock);
    out_.append(bytes);
    out_.append((kBlock - bytes.size() % kBlock) % kBlock, '\0');
}

std::string TarWriter::finish() && {
    out_.append(2 * kBlock, '\0');
    return std::move(out_);
}

}  // namespace driftq::ui
