// Names of scenario vocabulary, shared by the reader, the writer and the checks.
#include "sim/scenario.hpp"

namespace driftq::sim {

std::string_view to_string(Invariant i) {
    switch (i) {
        case Invariant::committed_monotonic: return "committed_monotonic";
        case Invariant::no_durable_produce_lost: return "no_durable_produce_lost";
        case Invariant::per_key_order: return "per_key_order";
        case Invariant::all_acked_or_dead_lettered: return "all_acked_or_dead_lettered";
        case Invariant::no_duplicate_side_effect: return "no_duplicate_side_effect";
        case Invariant::replay_equals_durable_state: return "replay_equals_durable_state";
    }
    return "?";
}

std::string_view to_string(Pointer::Kind k) {
    switch (k) {
        case Pointer::Kind::partition: return "partition";
        case Pointer::Kind::message: return "message";
        case Pointer::Kind::member: return "member";
        case Pointer::Kind::commit: return "commit";
        case Pointer::Kind::wal: return "wal";
    }
    return "?";
}

}  // namespace driftq::sim
