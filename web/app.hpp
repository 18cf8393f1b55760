// The web playground's one instance: the window, the UI and what it keeps in the browser. The
// page's entry points (page_api.cpp, test_hook.cpp) reach it through app().
#pragma once

#include <SDL.h>

#include <array>
#include <memory>
#include <string>

#include "ui/ui.hpp"
#include "web/saved_playground.hpp"
#include "web/web_host.hpp"

namespace driftq::web {

struct App {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    WebHost host;
    std::unique_ptr<ui::Ui> ui;
    std::unique_ptr<SavedPlayground> saved;
    double last_ms = 0;
    double dpr = 0;
    std::string sans, mono;  // TrueType data, loaded with the page (driftq.data)
    bool release_buttons = false;  // the page saw the mouse released outside the canvas
    std::string pending_paste;     // pasted text waiting for Ctrl / Cmd to be released
    bool live = false;             // mirroring a driftqd (?live): nothing is kept in the browser
    bool live_attached = false;    // the broker's scenario has arrived and the view follows it
    // CPU time of the latest frames (UI, session and drawing, not the browser's compositing), for
    // the benchmark (web/e2e/bench.mjs) through the test hook.
    std::array<double, 240> frame_ms{};
    std::uint64_t frames = 0;
};

App& app();

// What opens when there is no link to open: the saved session, else lesson 1.
void open_default(App& a);

}  // namespace driftq::web
