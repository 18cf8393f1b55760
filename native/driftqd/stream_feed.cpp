#include "native/driftqd/stream_feed.hpp"

namespace driftq::http {

bool StreamFeed::push(std::string line) {
    std::function<void()> wake;
    bool kept = true;
    {
        std::lock_guard lock(mutex_);
        if (ended_ || gone_) return false;
        if (lines_.size() + 1 > max_lines_ || bytes_ + line.size() > max_bytes_) {
            overflowed_ = ended_ = true;
            kept = false;
        } else {
            bytes_ += line.size();
            lines_.push_back(std::move(line));
        }
        wake = wake_;
    }
    if (wake) wake();
    return kept;
}

void StreamFeed::end() {
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        ended_ = true;
        wake = wake_;
    }
    if (wake) wake();
}

void StreamFeed::set_wake(std::function<void()> wake) {
    bool pending = false;
    {
        std::lock_guard lock(mutex_);
        wake_ = wake;
        pending = !lines_.empty() || ended_;
    }
    if (pending && wake) wake();
}

StreamFeed::Taken StreamFeed::take() {
    std::lock_guard lock(mutex_);
    Taken t;
    t.lines.swap(lines_);
    bytes_ = 0;
    t.ended = ended_;
    t.overflowed = overflowed_;
    return t;
}

void StreamFeed::client_gone() {
    std::function<void()> fn;
    {
        std::lock_guard lock(mutex_);
        if (gone_) return;
        gone_ = true;
        fn = std::move(on_gone_);
        wake_ = nullptr;
    }
    if (fn) fn();
}

void StreamFeed::set_on_client_gone(std::function<void()> fn) {
    bool gone = false;
    {
        std::lock_guard lock(mutex_);
        gone = gone_;
        if (!gone) on_gone_ = fn;
    }
    if (gone && fn) fn();
}

bool StreamFeed::overflowed() const {
    std::lock_guard lock(mutex_);
    return overflowed_;
}

bool StreamFeed::push_allowed() const {
    std::lock_guard lock(mutex_);
    return !ended_ && !gone_;
}

std::size_t StreamFeed::queued_lines() const {
    std::lock_guard lock(mutex_);
    return lines_.size();
}

}  // namespace driftq::http
