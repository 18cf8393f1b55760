#include "base/error.hpp"

namespace driftq {

std::string_view to_string(Errc code) {
    switch (code) {
        case Errc::invalid_argument: return "invalid_argument";
        case Errc::topic_not_found: return "topic_not_found";
        case Errc::out_of_range: return "out_of_range";
        case Errc::deadline_exceeded: return "deadline_exceeded";
        case Errc::producer_overloaded: return "producer_overloaded";
        case Errc::not_in_flight: return "not_in_flight";
        case Errc::not_owner: return "not_owner";
        case Errc::idem_in_flight: return "idem_in_flight";
        case Errc::idem_lease_held: return "idem_lease_held";
        case Errc::idem_lease_lost: return "idem_lease_lost";
        case Errc::idem_not_found: return "idem_not_found";
        case Errc::idem_bad_lease: return "idem_bad_lease";
        case Errc::io_error: return "io_error";
        case Errc::corrupt_data: return "corrupt_data";
        case Errc::unsupported: return "unsupported";
        case Errc::too_large: return "too_large";
    }
    return "unknown";
}

}  // namespace driftq
