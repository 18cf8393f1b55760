// A Reply that keeps the answer it is given, for a test to wait on (driftqd's routes answer from
// the broker thread): the whole answer, or a stream's head and its feed.
#pragma once

#include <future>
#include <memory>

#include "native/driftqd/server.hpp"
#include "native/driftqd/stream_feed.hpp"

namespace driftq::http {

class Captured final : public Reply {
public:
    void send(HttpResponse r) override { done_.set_value(std::move(r)); }
    void stream(HttpResponse head, std::shared_ptr<StreamFeed> feed) override {
        feed_ = std::move(feed);
        done_.set_value(std::move(head));
    }
    std::future<HttpResponse> future() { return done_.get_future(); }
    std::shared_ptr<StreamFeed> feed_;  // set by stream()

private:
    std::promise<HttpResponse> done_;
};

}  // namespace driftq::http
