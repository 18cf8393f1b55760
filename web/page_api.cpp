// Entry points the page calls (web/glue_pre.js): open scenario text from a file or a share link,
// show a notice, paste, release mouse buttons. They act through Ui like the panels do.
#include <emscripten.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "base/version.hpp"
#include "imgui.h"
#include "sim/scenario.hpp"
#include "web/app.hpp"

using driftq::web::app;

extern "C" {

EMSCRIPTEN_KEEPALIVE void driftq_notify(const char* title, const char* body, int warning, const char* copyable) {
    app().ui->notify(title, body, warning != 0, copyable);
}

// `seed`: digits to run with instead of the scenario's own, or "". `warnings`: shown first.
EMSCRIPTEN_KEEPALIVE void driftq_open_text(const char* text, const char* name, const char* seed, double at,
                                           const char* warnings) {
    driftq::ui::Ui& ui = *app().ui;
    auto parsed = driftq::sim::parse_scenario(text, name);
    if (!parsed) {
        ui.notify(std::string("Could not open ") + name, parsed.error().message, true);
        if (!ui.has_session()) driftq::web::open_default(app());
        return;
    }
    driftq::sim::Scenario sc = std::move(parsed).value();
    std::string note = warnings;
    if (*seed) {
        errno = 0;
        const std::uint64_t s = std::strtoull(seed, nullptr, 10);
        if (errno == ERANGE) {
            ui.notify(std::string("Could not open ") + name, std::string("The link's seed ") + seed + " does not fit in 64 bits.", true);
            if (!ui.has_session()) driftq::web::open_default(app());
            return;
        }
        if (s != sc.seed) {
            note += (note.empty() ? "" : "\n\n") + std::string("This link runs with seed ") + seed + "; the scenario itself says " +
                    std::to_string(sc.seed) + ".";
            sc.seed = s;
        }
    }
    const driftq::TimeMs end = sc.until_ms;
    ui.open(std::move(sc), name);
    // Not past the scenario's own end: a huge `at` in a link would run the simulation for ever.
    if (at > 0) ui.seek(std::min(static_cast<driftq::TimeMs>(std::min(at, 9.0e15)), end));
    if (!note.empty()) ui.notify(std::string("About ") + name, note, !std::string(warnings).empty());
}

EMSCRIPTEN_KEEPALIVE void driftq_link_failed(const char* why, const char* link) {
    driftq::web::open_default(app());
    app().ui->notify("This link cannot be opened", why, true, link);
}

// Text from the browser's paste event, typed into the field being edited (if any) once Ctrl or
// Cmd is up: ImGui's text fields ignore characters typed with Ctrl held.
EMSCRIPTEN_KEEPALIVE void driftq_paste(const char* text) { app().pending_paste += text; }

EMSCRIPTEN_KEEPALIVE void driftq_release_buttons() { app().release_buttons = true; }

EMSCRIPTEN_KEEPALIVE char* driftq_engine_version() { return strdup(driftq::kEngineVersion); }

}  // extern "C"
