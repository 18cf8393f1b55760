// Idempotency keys and records (reference section 6): the vocabulary the broker's store and the
// WAL's consume-idempotency records share. The store itself is broker/idempotency.hpp.
#pragma once

#include <string>
#include <string_view>
#include <tuple>

#include "base/time.hpp"

namespace driftq {

enum class IdemScope { produce, consume };
enum class IdemStatus { pending, committed, failed };

std::string_view to_string(IdemScope scope);
std::string_view to_string(IdemStatus status);  // "PENDING", "COMMITTED", "FAILED"

struct IdemKey {
    IdemScope scope = IdemScope::produce;
    std::string tenant;
    std::string topic;
    std::string group;  // empty in produce scope
    std::string key;

    bool operator==(const IdemKey&) const = default;
    // Written out because Emscripten's libc++ has no operator<=> for std::string.
    bool operator<(const IdemKey& o) const {
        return std::tie(scope, tenant, topic, group, key) <
               std::tie(o.scope, o.tenant, o.topic, o.group, o.key);
    }
};

struct IdemRecord {
    IdemStatus status = IdemStatus::pending;
    std::string result;
    std::string last_error;
    TimeMs updated_at = 0;
    std::string owner;      // consume scope: holder of the lease
    TimeMs lease_until = 0;  // consume scope: lease end (exclusive); 0 = none

    bool operator==(const IdemRecord&) const = default;
};

}  // namespace driftq
