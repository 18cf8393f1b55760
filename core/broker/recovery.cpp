#include "broker/recovery.hpp"

namespace driftq {

Result<Restored> restore_broker(Broker& broker, Storage& storage, WalOptions options, TimeMs now) {
    Restored out;
    // Records are applied as they are read, so a large log is never held in memory twice. If
    // recovery then refuses the log, the broker is half-built; the caller discards it.
    std::uint64_t n = 0;
    auto apply = [&](WalRecord&& record, std::size_t segment, std::uint64_t offset) -> Status {
        Status s = broker.apply_record(record, now);
        if (!s) {
            return make_error(s.error().code, "replay of record " + std::to_string(n) + " (segment #" +
                                                  std::to_string(segment + 1) + " of the log, byte " +
                                                  std::to_string(offset) + ") failed: " + s.message());
        }
        ++n;
        return s;
    };
    auto wal = Wal::open(storage, options, &out.contents, apply);
    if (!wal) return wal.error();
    broker.finish_replay();
    out.wal = std::move(wal.value());
    broker.set_journal(out.wal.get());
    return out;
}

}  // namespace driftq
