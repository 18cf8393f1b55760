// One frame's input from SDL's queue, as ImGui 1.86 can see it. 1.86 reads keys and mouse buttons
// as held or not, and the pointer's position, once a frame: a key pressed and released within a
// frame, a release and the next press of one key, or a click followed in the same slow frame by a
// move or by a second click (two quick clicks on two tabs) were lost or landed in the wrong place.
// So each key moves at most once a frame, the mouse makes at most one button event a frame and is
// seen where that event happened; the rest of the frame's input waits for the next frame.
// A press somewhere the pointer was not last frame waits one frame more, with the pointer already
// there: ImGui's tabs (and every item that allows overlap) take a press only over an item hovered
// the frame before, so a quick click that moved and pressed within one frame (a test's click, a
// person's on a slow frame) did nothing on a second tab.
// Shared by the desktop app and the web page (both on SDL2 and ImGui's SDL backend).
#pragma once

#include <SDL.h>

#include <cstdint>
#include <functional>
#include <optional>

#include "imgui.h"

namespace driftq::ui {

struct FrameInput {
    std::optional<ImVec2> button_at;  // where this frame's one mouse button event happened
    int press_waits = -1;             // ImGui's button whose press waits for the next frame
    bool any = false;                 // some event was handled
};

// Hands each event of this frame to ImGui's SDL backend and then to `also` (the host's own
// handling: quit, dropped files); defers the rest as above.
FrameInput poll_frame_input(const std::function<void(const SDL_Event&)>& also = {});

// Mouse button events handed to ImGui so far (the web test hook reports it).
std::uint64_t button_events_seen();

// Call after ImGui_ImplSDL2_NewFrame (which reads the pointer's latest position): puts the
// pointer where this frame's button event happened.
void pin_pointer(const FrameInput& input);

}  // namespace driftq::ui
