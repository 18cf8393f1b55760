// Must not compile: the WAL layer may not see the broker (docs/architecture.md). The
// native.layering tests build this against driftq_wal and expect the include to be refused.
#include "broker/broker.hpp"
