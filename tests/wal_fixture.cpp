#include "wal_fixture.hpp"

#include <doctest/doctest.h>

namespace driftq::testing {

MessageRecord rich_message(std::int64_t offset) {
    auto body = std::make_shared<MessageBody>();
    body->key = "user:" + std::to_string(offset);
    body->value = std::string(static_cast<std::size_t>(offset % 7) * 13, 'v') + "\n\0x";
    Envelope e;
    e.run_id = "run";
    e.step_id = "step";
    e.parent_step_id = "parent";
    e.tenant_id = "acme";
    e.idempotency_key = "ik-" + std::to_string(offset);
    e.target_topic = "t";
    e.deadline_ms = 1'700'000'000'000 + offset;
    e.retry_policy = RetryPolicy{3, 100, 1000};
    e.partition_override = 1;
    e.labels = {{"a", "b"}, {"c", ""}};
    e.dlq = DlqMetadata{"src", 2, offset, 3, "ack_timeout | boom", 42};
    body->envelope = std::make_shared<const Envelope>(std::move(e));
    body->routing = std::make_shared<const Routing>(Routing{"label", {{"source", "router"}}});
    return MessageRecord{"t", 1, offset, std::move(body)};
}

std::vector<WalRecord> sample_records(std::size_t n) {
    std::vector<WalRecord> out;
    out.push_back(TopicRecord{"t", 4});
    for (std::size_t i = 0; out.size() < n; ++i) {
        const auto off = static_cast<std::int64_t>(i);
        switch (i % 5) {
            case 0: out.push_back(rich_message(off)); break;
            case 1: {
                auto body = std::make_shared<MessageBody>();
                body->key = "k" + std::to_string(i);
                body->value = "plain value " + std::to_string(i);
                out.push_back(MessageRecord{"t", 1, off, std::move(body)});
                break;
            }
            case 2: out.push_back(OffsetRecord{"t", "g", 1, off}); break;
            case 3: out.push_back(RetryStateRecord{"t", "g", 1, off, "nack | boom", off * 10}); break;
            case 4:
                out.push_back(ConsumeIdemRecord{
                    IdemKey{IdemScope::consume, "acme", "t", "g", "ik-" + std::to_string(i)},
                    IdemRecord{IdemStatus::committed, "ok", "", off, "", 0}});
                break;
        }
    }
    return out;
}

void write_records(Storage& storage, const std::vector<WalRecord>& records, WalOptions options) {
    auto wal = Wal::open(storage, options, nullptr);
    REQUIRE_MESSAGE(wal.ok(), (wal.ok() ? "" : wal.error().message));
    for (const WalRecord& r : records) REQUIRE(wal.value()->append(r, 0).ok());
    REQUIRE(wal.value()->sync().ok());
}

Reopened::Reopened(Storage& storage, BrokerOptions b, WalOptions w, TimeMs now)
    : broker(b), restored(restore_broker(broker, storage, w, now)) {
    broker.set_event_sink(&sink);
}

std::string text_of(const Storage& storage, const std::string& name) {
    auto r = storage.read(name);
    REQUIRE_MESSAGE(r.ok(), name);
    return r.value();
}

}  // namespace driftq::testing
