// The lessons that ship with the app (scenarios/*.json, compiled in by the build).
#pragma once

#include <utility>
#include <vector>

#include "ui/host.hpp"

namespace driftq::ui {

// File name and JSON text of each, in file-name order (generated).
const std::vector<std::pair<const char*, const char*>>& bundled_scenario_texts();
// Each with its title and one-line summary (the scenario's name and the first sentence of its
// description).
std::vector<BundledScenario> bundled_scenarios();

}  // namespace driftq::ui
