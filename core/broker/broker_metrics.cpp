// The reference's metrics snapshot (reference 8).
#include <algorithm>

#include "broker/broker_internal.hpp"

namespace driftq {

MetricsSnapshot Broker::metrics() const {
    MetricsSnapshot snap;
    snap.produce_rejected_total = produce_rejected_;
    snap.dlq_messages_total = dlq_routed_;
    for (const auto& [topic_name, t] : topics_) {
        // Groups linger here once they exist (they had a stream or an offset), as upstream.
        for (const auto& [group_name, g] : t.groups) {
            for (std::size_t p = 0; p < t.partitions.size(); ++p) {
                const GroupPartition& gp = g.partitions[p];
                const MessageLog& log = t.partitions[p].messages;
                const auto lag = static_cast<std::int64_t>(
                    log.size() - first_index_after(log, gp.committed.value_or(-1)));
                snap.partitions.push_back(PartitionGauge{topic_name, group_name,
                                                         static_cast<std::int32_t>(p),
                                                         static_cast<std::int64_t>(gp.in_flight.size()),
                                                         lag});
            }
        }
    }
    return snap;
}

}  // namespace driftq
