#include "native/driftqd/stream_feed.hpp"

#include <algorithm>

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

void StreamFeed::set_history(std::vector<std::shared_ptr<const std::string>> pieces) {
    std::lock_guard lock(mutex_);
    history_ = std::move(pieces);
    history_next_ = 0;
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
        pending = !lines_.empty() || ended_ || history_next_ < history_.size();
    }
    if (pending && wake) wake();
}

StreamFeed::Taken StreamFeed::take() {
    // About 1 MiB of a history of 64 KiB pieces per write, so a reader never holds it all.
    constexpr std::size_t kHistoryPiecesPerTake = 16;
    std::lock_guard lock(mutex_);
    Taken t;
    if (history_next_ < history_.size()) {
        const std::size_t end = std::min(history_.size(), history_next_ + kHistoryPiecesPerTake);
        t.history.assign(history_.begin() + static_cast<std::ptrdiff_t>(history_next_), history_.begin() + static_cast<std::ptrdiff_t>(end));
        history_next_ = end;
        if (history_next_ == history_.size()) history_.clear(), history_next_ = 0;
        t.more = true;  // come back for the rest, and the lines
        return t;
    }
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
