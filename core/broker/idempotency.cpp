#include "broker/idempotency.hpp"

#include <algorithm>

namespace driftq {

namespace {

Error in_flight() { return make_error(Errc::idem_in_flight, "idempotency: key already in-flight"); }
Error lease_held() {
    return make_error(Errc::idem_lease_held, "idempotency: lease held by another worker");
}
Error lease_lost() {
    return make_error(Errc::idem_lease_lost, "idempotency: lease lost or expired");
}
Error not_found() { return make_error(Errc::idem_not_found, "idempotency: key not found"); }
Error bad_lease() {
    return make_error(Errc::idem_bad_lease, "idempotency: invalid lease duration");
}

IdemKey produce_key(const std::string& tenant, const std::string& topic, const std::string& key) {
    return IdemKey{IdemScope::produce, tenant, topic, "", key};
}

bool lease_active(const IdemRecord& rec, TimeMs now) {
    return rec.lease_until != 0 && now < rec.lease_until;
}

}  // namespace

IdempotencyStore::IdempotencyStore(const BrokerOptions& options) : options_(options) {}

bool IdempotencyStore::deletable(const IdemKey& key, const IdemRecord& rec, TimeMs now) const {
    if (key.scope == IdemScope::consume) {
        if (rec.status == IdemStatus::committed) return false;
        if (rec.status == IdemStatus::pending && lease_active(rec, now)) return false;
    }
    return rec.updated_at < now - options_.idempotency_window_ms;
}

TimeMs IdempotencyStore::earliest_deletion(const IdemKey& key, const IdemRecord& rec) const {
    if (key.scope == IdemScope::consume && rec.status == IdemStatus::committed) {
        return std::numeric_limits<TimeMs>::max();
    }
    TimeMs at = rec.updated_at + options_.idempotency_window_ms + 1;
    if (key.scope == IdemScope::consume && rec.status == IdemStatus::pending) {
        at = std::max(at, rec.lease_until);
    }
    return at;
}

void IdempotencyStore::cleanup(TimeMs now) {
    if (options_.idempotency_window_ms <= 0 || now < next_cleanup_at_) return;
    next_cleanup_at_ = std::numeric_limits<TimeMs>::max();
    for (auto it = items_.begin(); it != items_.end();) {
        if (deletable(it->first, it->second, now)) {
            it = items_.erase(it);
        } else {
            next_cleanup_at_ = std::min(next_cleanup_at_, earliest_deletion(it->first, it->second));
            ++it;
        }
    }
}

void IdempotencyStore::store(const IdemKey& key, IdemRecord rec) {
    next_cleanup_at_ = std::min(next_cleanup_at_, earliest_deletion(key, rec));
    items_[key] = std::move(rec);
}

Status IdempotencyStore::put(const IdemKey& key, IdemRecord rec) {
    if (key.scope == IdemScope::consume && write_hook_) {
        if (Status s = write_hook_(key, rec); !s) return s;
    }
    store(key, std::move(rec));
    return {};
}

void IdempotencyStore::restore(const IdemKey& key, IdemRecord record) {
    store(key, std::move(record));
}

Result<bool> IdempotencyStore::begin_produce(const std::string& tenant, const std::string& topic,
                                             const std::string& key, TimeMs now) {
    if (key.empty()) return false;
    cleanup(now);
    const IdemKey k = produce_key(tenant, topic, key);
    auto it = items_.find(k);
    if (it != items_.end()) {
        if (it->second.status == IdemStatus::committed) return true;
        if (it->second.status == IdemStatus::pending) return in_flight();
    }
    const auto bound = options_.max_idempotency_records;
    if (it == items_.end() && bound > 0 && items_.size() >= static_cast<std::size_t>(bound)) {
        return make_error(Errc::too_large, "too many idempotency records: " + std::to_string(items_.size()) +
                                               " are kept, at most " + std::to_string(bound) +
                                               " (max_idempotency_records); they expire after idempotency_window_ms");
    }
    store(k, IdemRecord{IdemStatus::pending, {}, {}, now, {}, 0});
    return false;
}

void IdempotencyStore::commit_produce(const std::string& tenant, const std::string& topic,
                                      const std::string& key, TimeMs now) {
    if (key.empty()) return;
    store(produce_key(tenant, topic, key), IdemRecord{IdemStatus::committed, {}, {}, now, {}, 0});
}

void IdempotencyStore::fail_produce(const std::string& tenant, const std::string& topic,
                                    const std::string& key, const std::string& cause, TimeMs now) {
    if (key.empty()) return;
    store(produce_key(tenant, topic, key), IdemRecord{IdemStatus::failed, {}, cause, now, {}, 0});
}

Status IdempotencyStore::validate_lease(TimeMs lease) const {
    if (lease < options_.min_idempotency_lease_ms || lease > options_.max_idempotency_lease_ms) {
        return bad_lease();
    }
    return {};
}

Result<IdempotencyStore::BeginOutcome> IdempotencyStore::begin_lease(const IdemKey& key,
                                                                     std::string owner,
                                                                     TimeMs lease, TimeMs now) {
    if (key.key.empty()) return BeginOutcome{};
    if (Status s = validate_lease(lease); !s) return s.error();
    if (owner.empty()) owner = "unknown";
    cleanup(now);
    IdemRecord rec;
    if (auto it = items_.find(key); it != items_.end()) {
        rec = it->second;
        if (rec.status == IdemStatus::committed) return BeginOutcome{true, rec.result};
        if (rec.status == IdemStatus::pending && lease_active(rec, now) && rec.owner != owner) {
            return lease_held();
        }
        // An expired or own PENDING lease is refreshed; FAILED is taken over. Only FAILED (and
        // unknown) records clear their last error, as in the reference.
        if (rec.status != IdemStatus::pending) rec.last_error.clear();
    }
    rec.status = IdemStatus::pending;
    rec.owner = std::move(owner);
    rec.lease_until = now + lease;
    rec.updated_at = now;
    if (Status s = put(key, std::move(rec)); !s) return s.error();
    return BeginOutcome{};
}

Status IdempotencyStore::check_lease_owner(const IdemKey& key, const std::string& owner,
                                           TimeMs now, bool committed_is_ok) const {
    auto it = items_.find(key);
    if (it == items_.end()) return not_found();
    const IdemRecord& rec = it->second;
    if (rec.status == IdemStatus::committed && committed_is_ok) return {};
    if (rec.status != IdemStatus::pending) return lease_lost();
    if (rec.owner != owner) return lease_held();
    if (!lease_active(rec, now)) return lease_lost();
    return {};
}

Status IdempotencyStore::renew_lease(const IdemKey& key, std::string owner, TimeMs lease,
                                     TimeMs now) {
    if (key.key.empty()) return {};
    if (Status s = validate_lease(lease); !s) return s;
    if (owner.empty()) owner = "unknown";
    cleanup(now);
    if (Status s = check_lease_owner(key, owner, now, false); !s) return s;
    IdemRecord rec = items_.at(key);
    rec.lease_until = now + lease;
    rec.updated_at = now;
    return put(key, std::move(rec));
}

Status IdempotencyStore::commit_if_owner(const IdemKey& key, std::string owner,
                                         std::string result, TimeMs now) {
    if (key.key.empty()) return {};
    if (owner.empty()) owner = "unknown";
    cleanup(now);
    if (Status s = check_lease_owner(key, owner, now, true); !s) return s;
    if (items_.at(key).status == IdemStatus::committed) return {};
    return put(key, IdemRecord{IdemStatus::committed, std::move(result), {}, now, {}, 0});
}

Status IdempotencyStore::fail_if_owner(const IdemKey& key, std::string owner, std::string cause,
                                       TimeMs now) {
    if (key.key.empty()) return {};
    if (owner.empty()) owner = "unknown";
    cleanup(now);
    if (Status s = check_lease_owner(key, owner, now, false); !s) return s;
    return put(key, IdemRecord{IdemStatus::failed, {}, std::move(cause), now, {}, 0});
}

const IdemRecord* IdempotencyStore::check(const IdemKey& key, TimeMs now) {
    cleanup(now);
    auto it = items_.find(key);
    return it == items_.end() ? nullptr : &it->second;
}

}  // namespace driftq
