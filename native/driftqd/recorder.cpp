#include "native/driftqd/recorder.hpp"

#include <cerrno>
#include <cstring>

#include "sim/scenario.hpp"

namespace driftq::http {

Result<std::unique_ptr<Recorder>> Recorder::create(const std::string& path, std::string head) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return make_error(Errc::io_error, "cannot create " + path + ": " + std::strerror(errno));
    std::unique_ptr<Recorder> r(new Recorder(f));
    head += ",\n  \"timeline\": [";
    if (std::fwrite(head.data(), 1, head.size(), f) != head.size()) {
        return make_error(Errc::io_error, "cannot write " + path + ": " + std::strerror(errno));
    }
    r->tail_at_ = std::ftell(f);
    if (Status s = r->flush(0); !s) return s.error();
    return r;
}

Recorder::~Recorder() { std::fclose(file_); }

void Recorder::add(const sim::TimedCommand& entry) {
    pending_ += (entries_ == 0 ? "\n    " : ",\n    ") + sim::write_command(entry);
    ++entries_;
}

Status Recorder::flush(TimeMs until) {
    const std::string tail = "\n  ],\n  \"until_ms\": " + std::to_string(until) + "\n}\n";
    if (std::fseek(file_, tail_at_, SEEK_SET) != 0 ||
        std::fwrite(pending_.data(), 1, pending_.size(), file_) != pending_.size()) {
        return make_error(Errc::io_error, std::string("recording: ") + std::strerror(errno));
    }
    tail_at_ += static_cast<long>(pending_.size());
    pending_.clear();
    if (std::fwrite(tail.data(), 1, tail.size(), file_) != tail.size() || std::fflush(file_) != 0) {
        return make_error(Errc::io_error, std::string("recording: ") + std::strerror(errno));
    }
    return {};
}

}  // namespace driftq::http
