#include "ui/live_source.hpp"

namespace driftq::ui {

sim::Lesson live_lesson(const std::string& url) {
    return sim::Lesson{0,
        "**A DriftQ broker is listening at `" + url + "`.** Every request its clients send appears in these "
        "panels as it happens: topics, partitions, deliveries with their leases, acks, redeliveries, dead letters.\n\n"
        "Try these with curl (`curl -X POST` and `curl -N` for the stream), prefixed with the address:\n\n"
        "`POST /v1/topics?name=orders&partitions=3`\n\n"
        "`POST /v1/produce?topic=orders&value=hi`\n\n"
        "`GET /v1/consume?topic=orders&group=g&owner=a`\n\n"
        "**Space** pauses the view (the broker goes on), **Left** and **Right** and the scrubber travel in time, "
        "**L** returns to live. Acting in the Actions panel starts a what-if branch: the live broker is only ever "
        "changed by its clients. docs/http-api.md lists every endpoint."};
}

}  // namespace driftq::ui
