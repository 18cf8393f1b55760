// The browser playground's entry point: the same ui/ as the desktop app, on SDL2 + WebGL 2,
// driven by the browser's animation frames. The canvas follows the window and the device pixel
// ratio; the page (index.html) shows progress while the module loads.
#include <SDL.h>
#include <SDL_opengles2.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "ui/bundled_scenarios.hpp"
#include "ui/sdl_frame_input.hpp"
#include "ui/theme.hpp"
#include "ui/ui.hpp"
#include "ui/item_recorder.hpp"
#include "web/app.hpp"
#include "web/idb_storage.hpp"

namespace driftq::web {

App& app() {
    static App instance;
    return instance;
}

void open_default(App& a) {
    if (!a.saved->resume(*a.ui)) a.ui->open_bundled(0);
}

}  // namespace driftq::web

namespace {

using driftq::web::App;

// A whole file of the module's packed file system ("" if it is missing: ImGui's own font then).
std::string read_packed(const char* path) {
    std::string out;
    if (std::FILE* f = std::fopen(path, "rb")) {
        char buf[65536];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
        std::fclose(f);
    }
    return out;
}

std::span<const unsigned char> bytes(const std::string& s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

// Tells the page (index.html) why the playground cannot start.
EM_JS(void, js_fail, (const char* why), { window.driftqFail && window.driftqFail(UTF8ToString(why)); });
EM_JS(int, js_link_in_page, (), { return DriftqGlue.linkInPage() ? 1 : 0; });
EM_JS(void, js_open_link, (), { DriftqGlue.openLink(); });
EM_JS(void, js_install_glue, (), { DriftqGlue.install(); });
EM_JS(int, js_live_requested, (), { return DriftqLive.requested() ? 1 : 0; });
EM_JS(void, js_live_start, (), { DriftqLive.start(); });
EM_JS(int, js_is_mac, (), { return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? 1 : 0; });

// Canvas backing store = CSS size x devicePixelRatio, so text is crisp on HiDPI screens.
void fit_canvas(App& a) {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    const double dpr = emscripten_get_device_pixel_ratio();
    const int w = static_cast<int>(std::lround(css_w * dpr)), h = static_cast<int>(std::lround(css_h * dpr));
    int cur_w = 0, cur_h = 0;
    emscripten_get_canvas_element_size("#canvas", &cur_w, &cur_h);
    if (w != cur_w || h != cur_h) {
        emscripten_set_canvas_element_size("#canvas", w, h);
        SDL_SetWindowSize(a.window, w, h);
    }
    if (dpr != a.dpr) {  // fonts and sizes at the new scale
        a.dpr = dpr;
        driftq::ui::apply_style(static_cast<float>(dpr));
        driftq::ui::load_fonts(bytes(a.sans), bytes(a.mono), static_cast<float>(dpr));
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
}

void frame() {
    App& a = driftq::web::app();
    const double start = emscripten_get_now();
    fit_canvas(a);
    // One event per key and one mouse button event a frame (ui/sdl_frame_input.hpp says why).
    const driftq::ui::FrameInput input = driftq::ui::poll_frame_input();
    ImGuiIO& io = ImGui::GetIO();
    if (!a.pending_paste.empty() && !io.KeyCtrl && !io.KeySuper) {
        if (io.WantTextInput) io.AddInputCharactersUTF8(a.pending_paste.c_str());
        a.pending_paste.clear();
    }
    if (a.release_buttons) {  // released outside the canvas: SDL never saw it
        a.release_buttons = false;
        for (bool& down : io.MouseDown) down = false;
    }
    const double now = emscripten_get_now();
    const double dt = a.last_ms > 0 ? (now - a.last_ms) / 1000.0 : 1.0 / 60.0;
    a.last_ms = now;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    driftq::ui::pin_pointer(input);
    io.DeltaTime = static_cast<float>(dt > 1e-4 ? dt : 1e-4);  // 1.86 asserts on a zero step
    ImGui::NewFrame();
    a.ui->frame(dt);
    ImGui::Render();
    // A live mirror is the broker's, not this browser's: nothing is saved while it is on screen.
    if (a.live && a.live_attached && !a.ui->is_live()) a.live = false;  // another session opened
    if (!a.live) a.saved->update(*a.ui, now);
    if (a.host.take_reopen_request()) a.saved->reopen_previous(*a.ui);
    glViewport(0, 0, static_cast<int>(io.DisplaySize.x), static_cast<int>(io.DisplaySize.y));
    glClearColor(0.06f, 0.07f, 0.08f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    a.frame_ms[a.frames++ % a.frame_ms.size()] = emscripten_get_now() - start;
    if (a.frames == 1) EM_ASM({ window.__driftqFirstFrame = performance.now(); });
}

}  // namespace

int main() {
    App& app = driftq::web::app();
    SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");  // keys typed elsewhere stay there
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        js_fail((std::string("SDL could not start: ") + SDL_GetError()).c_str());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    app.window = SDL_CreateWindow("DriftQ Playground", 0, 0, 1280, 720, SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE);
    app.gl = app.window ? SDL_GL_CreateContext(app.window) : nullptr;
    if (!app.gl) {
        js_fail((std::string("This browser has no WebGL 2: ") + SDL_GetError()).c_str());
        return 1;
    }
    app.sans = read_packed("/fonts/DejaVuSans.ttf");
    app.mono = read_packed("/fonts/DejaVuSansMono.ttf");
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    app.ui = std::make_unique<driftq::ui::Ui>(app.host, driftq::ui::bundled_scenarios());
    app.ui->set_work_budget_ms(driftq::ui::kHostWorkBudgetMs);  // a long seek never freezes the tab
    driftq::ui::register_ini_handler(app.ui->state());
    ImGui_ImplSDL2_InitForOpenGL(app.window, app.gl);
    // SDL2 has no clipboard on the web: copies go to navigator.clipboard (and a local copy for
    // ImGui), pastes come from the page's paste event (page_api.cpp).
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigMacOSXBehaviors = js_is_mac() != 0;  // Cmd, not Ctrl, for shortcuts and word moves
    io.SetClipboardTextFn = [](void*, const char* text) { driftq::web::app().host.copy_text(text); };
    io.GetClipboardTextFn = [](void*) { return driftq::web::app().host.last_copied().c_str(); };
    ImGui_ImplOpenGL3_Init("#version 300 es");
    driftq::ui::ItemRecorder::start();  // for the test hook (web/test_hook.cpp)
    app.saved = std::make_unique<driftq::web::SavedPlayground>(driftq::web::IdbStorage::instance());
    // A first visit meets the Learn layout; the settings kept from a visit before say otherwise.
    app.ui->state().layout = driftq::ui::Layout::learn;
    app.saved->load_settings();
    app.host.set_previous_source([&app] { return app.saved->previous_name(); });
    js_install_glue();
    // ?live: mirror the driftqd that serves this page. Else a share link wins over what this
    // browser kept; it opens once decoded (asynchronously).
    if (js_live_requested()) {
        app.ui->open_bundled(0);  // on screen until the broker's scenario arrives
        app.live = true;
        js_live_start();
    } else if (js_link_in_page()) {
        js_open_link();
    } else {
        driftq::web::open_default(app);
    }
    EM_ASM({ window.driftqReady && window.driftqReady(); });
    emscripten_set_main_loop(frame, 0, true);
    return 0;
}
