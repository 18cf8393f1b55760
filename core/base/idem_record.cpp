#include "base/idem_record.hpp"

namespace driftq {

std::string_view to_string(IdemScope scope) {
    return scope == IdemScope::produce ? "produce" : "consume";
}

std::string_view to_string(IdemStatus status) {
    switch (status) {
        case IdemStatus::pending: return "PENDING";
        case IdemStatus::committed: return "COMMITTED";
        case IdemStatus::failed: return "FAILED";
    }
    return "UNKNOWN";
}

}  // namespace driftq
