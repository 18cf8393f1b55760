#include "ui/bundled_scenarios.hpp"

#include "sim/scenario.hpp"

namespace driftq::ui {

std::vector<BundledScenario> bundled_scenarios() {
    std::vector<BundledScenario> out;
    for (const auto& [file, text] : bundled_scenario_texts()) {
        BundledScenario b{file, file, {}, text};
        if (auto parsed = sim::parse_scenario(text, file)) {
            b.title = parsed->name;
            const std::string& d = parsed->description;
            const auto stop = d.find(". ");
            b.summary = stop == std::string::npos ? d : d.substr(0, stop + 1);
        }
        out.push_back(std::move(b));
    }
    return out;
}

}  // namespace driftq::ui
