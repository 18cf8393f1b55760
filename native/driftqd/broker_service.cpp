#include "native/driftqd/broker_service.hpp"

#include <algorithm>

#include "broker/recovery.hpp"

namespace driftq::http {

Result<std::unique_ptr<BrokerService>> BrokerService::open(Storage& storage, BrokerOptions broker,
                                                           WalOptions wal, TimeMs now) {
    std::unique_ptr<BrokerService> s(new BrokerService(broker));
    s->last_now_ = now;
    auto restored = restore_broker(s->broker_, storage, wal, now);
    if (!restored) return restored.error();
    s->wal_ = std::move(restored.value().wal);
    const WalContents& c = restored.value().contents;
    s->recovery_summary_ = std::to_string(c.record_count) + " records replayed";
    for (const RecoveryIssue& i : c.issues) s->recovery_summary_ += "; " + to_string(i);
    return s;
}

TimeMs BrokerService::core_time(TimeMs now) {
    last_now_ = std::max(last_now_, now);
    return last_now_;
}

std::vector<std::string> BrokerService::topics() {
    std::lock_guard lock(mutex_);
    return broker_.list_topics();
}

Status BrokerService::create_topic(std::string_view name, std::int32_t partitions, TimeMs now) {
    std::lock_guard lock(mutex_);
    return broker_.create_topic(name, partitions, core_time(now));
}

}  // namespace driftq::http
