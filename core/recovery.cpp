#include "core/recovery.hpp"

namespace driftq {

Result<Restored> restore_broker(Broker& broker, Storage& storage, WalOptions options, TimeMs now) {
    Restored out;
    auto wal = Wal::open(storage, options, &out.contents);
    if (!wal) return wal.error();
    const WalContents& c = out.contents;
    for (std::size_t i = 0; i < c.records.size(); ++i) {
        if (Status s = broker.apply_record(c.records[i], now); !s) {
            return make_error(s.error().code, "replay of record " + std::to_string(i) + " (" +
                                                  c.segments[c.record_segments[i]].name +
                                                  " byte " + std::to_string(c.record_offsets[i]) +
                                                  ") failed: " + s.message());
        }
    }
    broker.finish_replay();
    out.wal = std::move(wal.value());
    broker.set_journal(out.wal.get());
    return out;
}

}  // namespace driftq
