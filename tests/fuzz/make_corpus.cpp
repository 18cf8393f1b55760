// Writes a seed corpus for fuzz_wal_reader: real WAL segments of each record type, as the
// fuzzer's input format expects (one selector byte, then the segment bytes).
#define DOCTEST_CONFIG_IMPLEMENT  // the shared fixture uses doctest assertions
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "wal_fixture.hpp"
#include "wal/wal_format.hpp"

using namespace driftq;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_corpus DIR\n");
        return 2;
    }
    const std::size_t sizes[] = {1, 5, 20, 60};
    int n = 0;
    for (std::size_t count : sizes) {
        MemoryStorage s;
        auto wal = Wal::open(s, WalOptions{}).value();
        for (const WalRecord& r : testing::sample_records(count)) (void)wal->append(r, 0);
        (void)wal->sync();
        const std::string seg = s.read(segment_name(1)).value();
        for (char selector : {'\x00', '\x80'}) {
            const std::string path = std::string(argv[1]) + "/seed-" + std::to_string(n++);
            FILE* f = std::fopen(path.c_str(), "wb");
            if (!f) return 1;
            std::fputc(selector, f);
            std::fwrite(seg.data(), 1, seg.size(), f);
            std::fclose(f);
        }
    }
    return 0;
}
