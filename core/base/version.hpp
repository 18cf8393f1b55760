// Versions a saved thing carries, so that whoever opens it can tell what may differ.
#pragma once

namespace driftq {

// The engine: the broker's and the simulator's semantics. Raise it when a trace of the same
// scenario and seed can change (and the project version with it, CMakeLists.txt); share links
// and saved sessions record it.
inline constexpr const char* kEngineVersion = "0.2.0";

}  // namespace driftq
