// What the platform does for the UI. ui/ never touches files, threads, clocks or the OS itself,
// so the same code runs on the desktop and in the browser: it asks its Host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/time.hpp"

namespace driftq::ui {

// A scenario that ships with the app (scenarios/*.json), shown in the Lessons menu.
struct BundledScenario {
    std::string file;   // "04-ack-timeout-redelivery.json"
    std::string title;  // "ack-timeout-redelivery"
    std::string summary;
    std::string text;   // the JSON
};

class Host {
public:
    virtual ~Host() = default;
    // Reads a file the person named (the scenario panel's Open). The web host has no paths and
    // opens through the browser instead.
    virtual Result<std::string> read_file(const std::string& path) = 0;
    // Saves text under a name the person chose or the UI suggested; returns where it went.
    virtual Result<std::string> save_file(const std::string& name, std::string_view text) = 0;
    // Where saved files go, shown next to the Save button ("~/.local/share/driftq/...").
    virtual std::string save_location() const = 0;
    // Copies text to the system clipboard.
    virtual void copy_text(const std::string& text) = 0;
    // Asks the person for a scenario file with the platform's own dialog; the file arrives later
    // through Ui::open. False where there is none (the desktop opens by path or by drop).
    virtual bool pick_file() { return false; }
    // The session the current one replaced, where the host keeps one (the web keeps it in the
    // browser): its name, or "" when there is none. Reopening it makes the two swap places.
    virtual std::string previous_session() const { return {}; }
    virtual void reopen_previous_session() {}
    // Makes a link that opens this session, at time `at`, for someone else (the web's share links).
    // False where the platform has no links.
    virtual bool share(const std::string& name, const std::string& scenario_text, std::uint64_t seed, TimeMs at) {
        (void)name, (void)scenario_text, (void)seed, (void)at;
        return false;
    }
};

}  // namespace driftq::ui
