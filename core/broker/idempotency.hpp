// Idempotency records in two scopes (reference section 6):
//  - produce scope (tenant, final topic, key): dedupes producer retries for a window;
//  - consume scope (tenant, topic, group, key): a lease per delivery so that a side effect runs
//    once per group; COMMITTED records are kept forever.
// The store is a plain value owned by the broker; the broker wraps each call to report events.
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <string>
#include <tuple>

#include "base/error.hpp"
#include "base/idem_record.hpp"
#include "broker/options.hpp"
#include "base/time.hpp"

namespace driftq {

class IdempotencyStore {
public:
    explicit IdempotencyStore(const BrokerOptions& options);

    // Produce scope. begin_produce returns true when the key is already COMMITTED (the produce
    // must succeed without enqueueing), an idem_in_flight error when it is PENDING, and otherwise
    // marks it PENDING.
    Result<bool> begin_produce(const std::string& tenant, const std::string& topic,
                               const std::string& key, TimeMs now);
    void commit_produce(const std::string& tenant, const std::string& topic,
                        const std::string& key, TimeMs now);
    void fail_produce(const std::string& tenant, const std::string& topic, const std::string& key,
                      const std::string& cause, TimeMs now);

    // Consume scope.
    struct BeginOutcome {
        bool already_done = false;  // key COMMITTED: do not run the side effect again
        std::string prior_result;
    };
    Result<BeginOutcome> begin_lease(const IdemKey& key, std::string owner, TimeMs lease,
                                     TimeMs now);
    Status renew_lease(const IdemKey& key, std::string owner, TimeMs lease, TimeMs now);
    Status commit_if_owner(const IdemKey& key, std::string owner, std::string result, TimeMs now);
    Status fail_if_owner(const IdemKey& key, std::string owner, std::string cause, TimeMs now);
    const IdemRecord* check(const IdemKey& key, TimeMs now);

    const std::map<IdemKey, IdemRecord>& records() const { return items_; }
    // The record of a key as the broker sees it at `now`: nullptr when absent or expired (records
    // are dropped lazily, so records() may still hold expired ones). Changes nothing.
    const IdemRecord* peek(const IdemKey& key, TimeMs now) const {
        auto it = items_.find(key);
        return it == items_.end() || deletable(key, it->second, now) ? nullptr : &it->second;
    }

    // Called before every consume-scope change with the record about to be stored; if it fails
    // the change is not made and the error is returned (the broker journals here).
    using WriteHook = std::function<Status(const IdemKey&, const IdemRecord&)>;
    void set_write_hook(WriteHook hook) { write_hook_ = std::move(hook); }

    // Stores a record as-is, without the hook (WAL replay).
    void restore(const IdemKey& key, IdemRecord record);

private:
    Status validate_lease(TimeMs lease) const;
    // Drops records idle for longer than the window, except consume-scope COMMITTED records and
    // consume-scope PENDING records whose lease is still active (reference cleanupLocked).
    void cleanup(TimeMs now);
    bool deletable(const IdemKey& key, const IdemRecord& rec, TimeMs now) const;
    TimeMs earliest_deletion(const IdemKey& key, const IdemRecord& rec) const;
    Status put(const IdemKey& key, IdemRecord rec);
    void store(const IdemKey& key, IdemRecord rec);
    // Common precondition of renew/commit/fail: a PENDING record whose lease `owner` holds.
    Status check_lease_owner(const IdemKey& key, const std::string& owner, TimeMs now,
                             bool committed_is_ok) const;

    BrokerOptions options_;
    std::map<IdemKey, IdemRecord> items_;
    WriteHook write_hook_;
    // No record can become deletable before this time, so cleanup() can skip its scan. This
    // keeps the reference's "sweep on every call" semantics at amortised O(log n) per call.
    TimeMs next_cleanup_at_ = std::numeric_limits<TimeMs>::max();
};

}  // namespace driftq
