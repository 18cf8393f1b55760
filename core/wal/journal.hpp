// Where the broker writes its durable records before it changes memory. The WAL implements it;
// a broker without a journal is purely in memory.
#pragma once

#include "base/error.hpp"
#include "base/time.hpp"
#include "wal/wal_record.hpp"

namespace driftq {

class Journal {
public:
    virtual ~Journal() = default;
    // Fails when the record could not be accepted; the caller then changes nothing.
    virtual Status write(const WalRecord& record, TimeMs now) = 0;
};

}  // namespace driftq
