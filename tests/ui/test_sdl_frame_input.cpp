// poll_frame_input against SDL's real event queue (the dummy video driver: no screen) and ImGui's
// SDL backend, as the desktop app and the web page run them: quick clicks, each moving the
// pointer and pressing within one frame, select tab after tab.
#include <SDL.h>
#include <doctest/doctest.h>

#include <array>
#include <cfloat>
#include <cstdlib>
#include <string>

#include "imgui.h"
#include "imgui_impl_sdl.h"
#include "ui/sdl_frame_input.hpp"

namespace {

// Where the pointer rests between events. The dummy driver's window never has the pointer, so
// the backend cannot read its place from SDL; the test puts it there, as a focused window's
// backend does.
ImVec2 resting(-FLT_MAX, -FLT_MAX);

struct SdlImGui {
    SDL_Window* window = nullptr;
    SdlImGui() {
        resting = ImVec2(-FLT_MAX, -FLT_MAX);
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        REQUIRE(SDL_Init(SDL_INIT_VIDEO) == 0);
        window = SDL_CreateWindow("test", 0, 0, 640, 480, 0);
        REQUIRE(window != nullptr);
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // NewFrame needs a built atlas
        ImGui_ImplSDL2_InitForOpenGL(window, nullptr);
    }
    ~SdlImGui() {
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
        SDL_DestroyWindow(window);
        SDL_Quit();
    }
};

constexpr std::array<const char*, 3> kTabs = {"Events", "Lag and throughput", "WAL"};

struct TabsFrame {
    std::array<ImVec2, 3> centre{};
    int visible = -1;  // the tab whose contents were drawn
    driftq::ui::FrameInput input;
};

// One frame as the hosts run it: poll, the backend's frame, pin, a window with three tabs.
TabsFrame frame() {
    TabsFrame f;
    f.input = driftq::ui::poll_frame_input();
    ImGui_ImplSDL2_NewFrame();
    if (!f.input.button_at) ImGui::GetIO().MousePos = resting;
    driftq::ui::pin_pointer(f.input);
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 200));
    ImGui::Begin("##details", nullptr, ImGuiWindowFlags_NoTitleBar);
    if (ImGui::BeginTabBar("##details")) {
        for (int i = 0; i < 3; ++i) {
            const bool open = ImGui::BeginTabItem(kTabs[i]);
            const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
            f.centre[i] = ImVec2((a.x + b.x) / 2, (a.y + b.y) / 2);
            if (open) {
                f.visible = i;
                ImGui::TextUnformatted(kTabs[i]);
                ImGui::EndTabItem();
            }
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
    ImGui::Render();
    return f;
}

void push_button(Uint32 type, ImVec2 at) {
    SDL_Event e{};
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = static_cast<Sint32>(at.x);
    e.button.y = static_cast<Sint32>(at.y);
    REQUIRE(SDL_PushEvent(&e) == 1);
}

// A click as a test or a fast hand makes it: the pointer moves there, press and release queued
// together, within one frame; then frames until the queue is empty, the pointer resting there.
TabsFrame quick_click(ImVec2 at) {
    resting = at;
    push_button(SDL_MOUSEBUTTONDOWN, at);
    push_button(SDL_MOUSEBUTTONUP, at);
    TabsFrame f;
    for (int i = 0; i < 4; ++i) f = frame();
    return f;
}

}  // namespace

TEST_CASE("a quick click on a second tab selects it: the press waits one frame for the pointer") {
    SdlImGui sdl;
    TabsFrame f = frame();
    f = frame();
    CHECK(f.visible == 0);
    const std::array<ImVec2, 3> at = f.centre;
    for (int tab : {2, 0, 1, 2, 1, 0}) {
        f = quick_click(at[tab]);
        CHECK_MESSAGE(f.visible == tab, "after a quick click on " << std::string(kTabs[tab]));
    }
}

TEST_CASE("the frame that moves the pointer to a new place holds its press back, the next takes it") {
    SdlImGui sdl;
    frame();
    TabsFrame f = frame();
    const ImVec2 wal = f.centre[2];
    push_button(SDL_MOUSEBUTTONDOWN, wal);
    push_button(SDL_MOUSEBUTTONUP, wal);
    f = frame();
    CHECK(f.input.press_waits == 0);
    CHECK(!ImGui::GetIO().MouseDown[0]);
    CHECK(ImGui::GetIO().MousePos.x == doctest::Approx(static_cast<int>(wal.x)));
    f = frame();  // the press, where the pointer already is
    CHECK(f.input.press_waits == -1);
    CHECK(ImGui::GetIO().MouseDown[0]);
    f = frame();  // the release
    CHECK(!ImGui::GetIO().MouseDown[0]);
    CHECK(f.visible == 2);
    // A second press at the same place is not held back.
    push_button(SDL_MOUSEBUTTONDOWN, wal);
    f = frame();
    CHECK(f.input.press_waits == -1);
    CHECK(ImGui::GetIO().MouseDown[0]);
}
