// A minimal POSIX tar (ustar) writer, so the WAL's segment files download as one file that any
// tar unpacks (then `driftq-sim wal DIR` reads it). Regular files only, names under 100 bytes.
#pragma once

#include <string>
#include <string_view>

namespace driftq::ui {

class TarWriter {
public:
    // Adds a file (mode 0644, time 0, so the archive is the same bytes for the same files).
    void add(std::string_view name, std::string_view bytes);
    // The archive with its end-of-archive blocks.
    std::string finish() &&;

private:
    std::string out_;
};

}  // namespace driftq::ui
