// A built-in teaching run: a small billing pipeline with a poison message, a hung worker and a
// crash, driven on virtual time. It stands in for scenario files until the simulator lands.
#pragma once

#include "broker/broker.hpp"

namespace driftq::demo {

// Runs the story to completion on `broker` (whose event sink the caller sets beforehand).
void run(Broker& broker);

}  // namespace driftq::demo
