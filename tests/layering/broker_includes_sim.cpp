// Must not compile: the broker may not see the simulator (docs/architecture.md).
#include "sim/world.hpp"
