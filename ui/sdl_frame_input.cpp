#include "ui/sdl_frame_input.hpp"

#include <set>
#include <vector>

#include "imgui_impl_sdl.h"

namespace driftq::ui {

namespace {
std::uint64_t button_events = 0;  // one SDL event queue per process, so one count
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
    if (input.button_at) ImGui::GetIO().MousePos = *input.button_at;
}

}  // namespace driftq::ui
