// Must compile: the control case for the layering tests. The broker may include the WAL and the
// basics, so a failure of the wrong-way cases is the include view refusing, nothing else.
#include "base/time.hpp"
#include "wal/wal.hpp"

int driftq_layering_control() { return static_cast<int>(sizeof(driftq::WalOptions)); }
