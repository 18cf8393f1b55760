// Reading scenario text in tests: a parse that must succeed (its errors are the failure message).
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "sim/scenario.hpp"

inline driftq::sim::Scenario parse_ok(const std::string& text) {
    auto s = driftq::sim::parse_scenario(text, "x.json");
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    return s.value();
}
