// The broker behind driftqd: one core Broker journaling to a WAL, recovered at start. Calls are
// serialised by a mutex (one request at a time reaches the core, as upstream's broker lock does);
// every call that journals returns only after its records are durable (durability `always`).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "broker/broker.hpp"
#include "wal/wal.hpp"

namespace driftq::http {

class BrokerService {
public:
    // Recovers the WAL in `storage` (not owned; it must outlive the service) and replays it.
    static Result<std::unique_ptr<BrokerService>> open(Storage& storage, BrokerOptions broker,
                                                       WalOptions wal, TimeMs now);

    std::vector<std::string> topics();
    Status create_topic(std::string_view name, std::int32_t partitions, TimeMs now);
    // What recovery found at start, in words (for the startup line).
    const std::string& recovery_summary() const { return recovery_summary_; }

private:
    BrokerService(BrokerOptions options) : broker_(options) {}
    // Time as the core sees it: never backwards, even if the wall clock steps back.
    TimeMs core_time(TimeMs now);

    std::mutex mutex_;
    Broker broker_;
    std::unique_ptr<Wal> wal_;
    TimeMs last_now_ = 0;
    std::string recovery_summary_;
};

}  // namespace driftq::http
