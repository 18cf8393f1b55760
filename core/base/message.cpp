#include "base/message.hpp"

namespace driftq {

namespace {
const std::string kEmpty;
}

const std::string& Message::idempotency_key() const {
    const Envelope* env = envelope();
    return env ? env->idempotency_key : kEmpty;
}

const std::string& Message::tenant_id() const {
    const Envelope* env = envelope();
    return env ? env->tenant_id : kEmpty;
}

}  // namespace driftq
