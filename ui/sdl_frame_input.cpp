#include "ui/sdl_frame_input.hpp"

#include <cmath>
#include <set>
#include <vector>

#include "imgui_impl_sdl.h"

namespace driftq::ui {

namespace {
std::uint64_t button_events = 0;  // one SDL event queue per process, so one count

// Whether the pointer ImGui saw last frame was elsewhere.
bool moved_to(ImVec2 at) {
    const ImVec2 last = ImGui::GetIO().MousePos;
    return std::fabs(last.x - at.x) > 0.5f || std::fabs(last.y - at.y) > 0.5f;
}

// ImGui's index of an SDL mouse button (left 0, right 1, middle 2), or -1 for the others.
int imgui_button(Uint8 sdl_button) {
    switch (sdl_button) {
        case SDL_BUTTON_LEFT: return 0;
        case SDL_BUTTON_RIGHT: return 1;
        case SDL_BUTTON_MIDDLE: return 2;
        default: return -1;
    }
}

}  // namespace

std::uint64_t button_events_seen() { return button_events; }

FrameInput poll_frame_input(const std::function<void(const SDL_Event&)>& also) {
    FrameInput in;
    SDL_Event e;
    std::vector<SDL_Event> later;
    std::set<SDL_Scancode> moved;
    while (SDL_PollEvent(&e)) {
        if (e.type == SDL_KEYDOWN || e.type == SDL_KEYUP) {
            if (!moved.insert(e.key.keysym.scancode).second) {
                later.push_back(e);
                continue;
            }
        }
        const bool button = e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEBUTTONUP;
        if ((button || e.type == SDL_MOUSEMOTION) && in.button_at) {
            later.push_back(e);
            continue;
        }
        if (button) {
            in.button_at = ImVec2(static_cast<float>(e.button.x), static_cast<float>(e.button.y));
            if (e.type == SDL_MOUSEBUTTONDOWN && moved_to(*in.button_at)) {
                // A press where the pointer was not last frame: ImGui first sees the pointer
                // there, and the press a frame later (see the header).
                in.press_waits = imgui_button(e.button.button);
                in.any = true;
                later.push_back(e);
                continue;
            }
            ++button_events;
        }
        in.any = true;
        ImGui_ImplSDL2_ProcessEvent(&e);
        if (also) also(e);
    }
    for (SDL_Event& next : later) SDL_PushEvent(&next);
    return in;
}

void pin_pointer(const FrameInput& input) {
    ImGuiIO& io = ImGui::GetIO();
    if (input.button_at) io.MousePos = *input.button_at;
    // The backend reads the button as SDL holds it now; the press it waits for is not seen yet.
    if (input.press_waits >= 0) io.MouseDown[input.press_waits] = false;
}

}  // namespace driftq::ui
