// driftq-viz: the desktop visualiser. Opens a scenario file (or the first lesson), shows the
// broker in every panel and lets the person play, step, travel back and act.
//
//   driftq-viz [FILE] [--lesson N] [--data-dir DIR] [--size WxH] [--scale S] [--at MS] [--play]
//              [--show PANEL] [--select TOPIC:PARTITION:OFFSET] [--compare] [--layout learn|inspect] [--frames N [--screenshot OUT.ppm]]
//   driftq-viz --listen HOST:PORT [--wal DIR]   (driftqd's HTTP broker inside, shown live)
//
// --at runs the session to a virtual time first; --play starts playback at once; --frames runs
// that many frames and exits (tests and the README's screenshots); --screenshot saves the last.
#include <algorithm>
#include <SDL.h>
#include <SDL_opengl.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "native/live_view.hpp"
#include "native/screenshot.hpp"
#include "native/viz_host.hpp"
#include "native/wal_mirror.hpp"
#include "ui/sdl_frame_input.hpp"
#include "ui/bundled_scenarios.hpp"
#include "ui/theme.hpp"
#include "ui/ui.hpp"

namespace {

struct Args {
    std::string file;
    int lesson = 1;
    std::string data_dir;
    int width = 1600, height = 900;
    bool size_given = false;  // --size: exactly that; else the default, shrunk to fit the screen
    float scale = 0;  // 0: from the display
    std::optional<long> frames;
    std::optional<long> at;  // run to this virtual time before the first frame
    std::string show;        // a panel to bring to the front
    std::optional<driftq::sim::MessageRef> select;
    bool play = false;
    bool compare = false;  // start the comparison the lesson step at --at offers
    std::string screenshot;
    std::optional<driftq::ui::Layout> layout;  // over the one the settings remember
    std::string listen;  // run driftqd's HTTP broker here and show it live
    std::string wal;     // its WAL directory (default DATA_DIR/live-wal, emptied at start)
    std::optional<long> seconds;  // run this long (wall time), then exit (tests, screenshots)
};

constexpr const char* kUsage =
    "usage: driftq-viz [FILE] [--lesson N] [--data-dir DIR] [--size WxH] [--scale S] [--at MS]\n"
    "                  [--play] [--compare] [--show PANEL] [--select TOPIC:PARTITION:OFFSET]\n"
    "                  [--layout learn|inspect]\n"
    "                  [--frames N | --seconds S] [--screenshot OUT.ppm]\n"
    "       driftq-viz --listen HOST:PORT [--wal DIR] [...]\n"
    "Opens FILE (a scenario), or bundled lesson N (default 1). Drop a scenario file on the\n"
    "window to open it. Settings and saved sessions live in DIR (default $XDG_DATA_HOME/driftq).\n"
    "--listen runs driftqd's HTTP broker (docs/http-api.md) inside the window: real clients'\n"
    "requests appear in every panel as they happen; Space pauses the view, the scrubber and the\n"
    "arrow keys go back, L returns to live; the broker never stops. Its WAL is DIR (default\n"
    "DATA_DIR/live-wal, emptied at each start; a DIR you give must be empty).\n";

template <class T>
bool number(std::string_view s, T& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

// "topic:partition:offset"
bool parse_message(std::string_view v, Args& a) {
    const auto c2 = v.rfind(':');
    const auto c1 = c2 == std::string_view::npos || c2 == 0 ? std::string_view::npos : v.rfind(':', c2 - 1);
    if (c1 == std::string_view::npos || c1 == 0) return false;
    driftq::sim::MessageRef m;
    m.topic = std::string(v.substr(0, c1));
    if (!number(v.substr(c1 + 1, c2 - c1 - 1), m.partition) || !number(v.substr(c2 + 1), m.offset)) return false;
    a.select = m;
    return true;
}

std::optional<Args> parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> std::string_view { return i + 1 < argc ? argv[++i] : ""; };
        bool ok = true;
        if (arg == "--help" || arg == "-h") { std::fputs(kUsage, stdout); std::exit(0); }
        else if (arg == "--lesson") ok = number(value(), a.lesson) && a.lesson >= 1;
        else if (arg == "--data-dir") a.data_dir = value();
        else if (arg == "--frames") { long n = 0; ok = number(value(), n) && n > 0; a.frames = n; }
        else if (arg == "--play") a.play = true;
        else if (arg == "--compare") a.compare = true;
        else if (arg == "--at") { long t = 0; ok = number(value(), t) && t >= 0; a.at = t; }
        else if (arg == "--show") { a.show = value(); ok = driftq::ui::panel_named(a.show).has_value(); }
        else if (arg == "--select") ok = parse_message(value(), a);
        else if (arg == "--layout") {
            const std::string_view v = value();
            ok = v == "learn" || v == "inspect";
            a.layout = v == "learn" ? driftq::ui::Layout::learn : driftq::ui::Layout::inspect;
        }
        else if (arg == "--screenshot") a.screenshot = value();
        else if (arg == "--listen") { a.listen = value(); ok = !a.listen.empty(); }
        else if (arg == "--wal") { a.wal = value(); ok = !a.wal.empty(); }
        else if (arg == "--seconds") { long n = 0; ok = number(value(), n) && n > 0; a.seconds = n; }
        else if (arg == "--scale") {
            const std::string v(value());
            char* end = nullptr;
            const double s = std::strtod(v.c_str(), &end);
            ok = !v.empty() && *end == '\0' && s >= 0.5 && s <= 4.0;
            a.scale = static_cast<float>(s);
        }
        else if (arg == "--size") {
            const std::string_view v = value();
            const auto x = v.find('x');
            ok = x != std::string_view::npos && number(v.substr(0, x), a.width) && number(v.substr(x + 1), a.height) && a.width >= 320 && a.height >= 240;
            a.size_given = true;
        } else if (!arg.empty() && arg[0] != '-' && a.file.empty()) a.file = arg;
        else ok = false;
        if (!ok) {
            std::fprintf(stderr, "driftq-viz: bad argument '%s'\n%s", argv[i], kUsage);
            return std::nullopt;
        }
    }
    return a;
}

float display_scale(SDL_Window* window) {
    float dpi = 0;
    if (SDL_GetDisplayDPI(SDL_GetWindowDisplayIndex(window), &dpi, nullptr, nullptr) != 0 || dpi <= 0) return 1.0f;
    const float s = dpi / 96.0f;
    return s < 1.0f ? 1.0f : s > 3.0f ? 3.0f : s;
}

void load_fonts(float scale) {
    const auto sans = driftq::viz::read_whole_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    const auto mono = driftq::viz::read_whole_file("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf");
    auto bytes = [](const auto& r) {
        return r ? std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(r->data()), r->size())
                 : std::span<const unsigned char>();
    };
    if (!sans) std::fprintf(stderr, "driftq-viz: %s; using ImGui's built-in font\n", sans.error().message.c_str());
    driftq::ui::load_fonts(bytes(sans), bytes(mono), scale);
}

bool open_initial(driftq::ui::Ui& ui, driftq::viz::DesktopHost& host, const Args& a) {
    if (!a.file.empty()) {
        auto text = host.read_file(a.file);
        if (!text) {
            std::fprintf(stderr, "driftq-viz: %s\n", text.error().message.c_str());
            return false;
        }
        if (!ui.open(text.value(), a.file)) {
            std::fprintf(stderr, "driftq-viz: %s\n", ui.open_errors().c_str());
            return false;
        }
        return true;
    }
    if (!ui.open_bundled(static_cast<std::size_t>(a.lesson - 1))) {
        std::fprintf(stderr, "driftq-viz: there is no lesson %d (there are %zu)\n", a.lesson, ui.bundled().size());
        return false;
    }
    return true;
}

void open_dropped(driftq::ui::Ui& ui, driftq::viz::DesktopHost& host, const char* path) {
    auto text = host.read_file(path);
    if (!text) ui.set_status(text.error().message, true);
    else ui.open(text.value(), path);
}

}  // namespace

int main(int argc, char** argv) {
    const auto args = parse_args(argc, argv);
    if (!args) return 2;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "driftq-viz: cannot start SDL: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    // The default size never exceeds the screen's usable area (a 1280x800 laptop cut off the
    // lesson panel's left edge and the right-hand panels).
    int width = args->width, height = args->height;
    SDL_Rect usable;
    if (!args->size_given && SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w >= 320 && usable.h >= 240) {
        width = std::min(width, usable.w);
        height = std::min(height, usable.h);
    }
    SDL_Window* window = SDL_CreateWindow("DriftQ Playground", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height,
                                          SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    SDL_GLContext gl = window ? SDL_GL_CreateContext(window) : nullptr;
    if (!gl) {
        std::fprintf(stderr, "driftq-viz: cannot open an OpenGL 3 window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(window, gl);
    SDL_GL_SetSwapInterval(args->frames ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    driftq::viz::DesktopHost host(args->data_dir);
    const std::string ini = host.data_dir() + "/imgui.ini";
    ImGui::GetIO().IniFilename = ini.c_str();
    driftq::ui::Ui ui(host, driftq::ui::bundled_scenarios());
    // A long seek runs a slice a frame with a progress line (a fixed-frame screenshot run is
    // placed with --at before its first frame and needs none).
    if (!args->frames) ui.set_work_budget_ms(driftq::ui::kHostWorkBudgetMs);
    driftq::ui::register_ini_handler(ui.state());
    ImGui::LoadIniSettingsFromDisk(ini.c_str());  // now, so that --layout can override it
    if (args->layout) ui.set_layout(*args->layout);
    const float scale = args->scale > 0 ? args->scale : display_scale(window);
    driftq::ui::apply_style(scale);
    load_fonts(scale);
    ImGui_ImplSDL2_InitForOpenGL(window, gl);
    ImGui_ImplOpenGL3_Init("#version 130");
    std::unique_ptr<driftq::viz::LiveView> live;
    if (!args->listen.empty()) {
        std::string wal = args->wal;
        if (wal.empty()) {  // ours: a live view always starts from an empty broker
            wal = host.data_dir() + "/live-wal";
            std::error_code ignored;
            std::filesystem::remove_all(wal, ignored);
        }
        auto started = driftq::viz::LiveView::start(args->listen, wal);
        if (!started) {
            std::fprintf(stderr, "driftq-viz: %s\n", started.error().message.c_str());
            return 1;
        }
        live = std::move(started.value());
        ui.attach_live(*live, live->scenario());
        std::printf("driftq-viz: listening on %s, WAL %s\n", live->address().c_str(), wal.c_str());
        std::fflush(stdout);
    } else if (!open_initial(ui, host, *args)) {
        return 1;
    }
    if (args->at) ui.session().run_until(*args->at);
    if (!args->show.empty()) ui.state().bring_to_front = driftq::ui::panel_named(args->show);
    if (args->select) ui.select(*args->select);
    if (args->play) ui.state().playing = true;
    if (args->compare) {
        const int step = ui.lesson_step();
        const auto& lessons = ui.session().world().scenario().lessons;
        if (step < 0 || !lessons[static_cast<std::size_t>(step)].what_if) {
            std::fprintf(stderr, "driftq-viz: --compare: the lesson step at this time offers no comparison\n");
            return 2;
        }
        ui.start_compare(*lessons[static_cast<std::size_t>(step)].what_if);
    }

    driftq::viz::WalMirror wal_mirror(host.data_dir() + "/wal");
    Uint64 mirrored_at = 0;
    bool quit = false;
    long frame = 0;
    Uint64 last = SDL_GetPerformanceCounter();
    const Uint64 started_at = last;
    int busy = 3;  // frames still to draw after input (ImGui 1.86 needs one to see a release)
    while (!quit) {
        SDL_Event e;
        // Idle: wait for input rather than redraw an unchanged screen (not while playing).
        // A live view keeps drawing: traffic arrives without input.
        const bool idle = !args->frames && !ui.state().playing && busy <= 0 && !live && !args->seconds;
        if (idle && SDL_WaitEventTimeout(&e, 250)) SDL_PushEvent(&e);
        busy = idle ? 0 : busy - 1;
        // One event per key and one mouse button event a frame (ui/sdl_frame_input.hpp says why).
        const driftq::ui::FrameInput input = driftq::ui::poll_frame_input([&](const SDL_Event& ev) {
            if (ev.type == SDL_QUIT) quit = true;
            if (ev.type == SDL_DROPFILE) {
                open_dropped(ui, host, ev.drop.file);
                SDL_free(ev.drop.file);
            }
        });
        if (input.any) busy = 3;
        if (live && !ui.is_live()) (void)live->take();  // another session is open: drop the broker's commands
        const Uint64 now = SDL_GetPerformanceCounter();
        const double dt = static_cast<double>(now - last) / static_cast<double>(SDL_GetPerformanceFrequency());
        last = now;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        driftq::ui::pin_pointer(input);
        // Fixed-frame runs advance by a fixed step so they show the same thing every time.
        ImGui::GetIO().DeltaTime = args->frames ? 1.0f / 60.0f : static_cast<float>(dt > 0 ? dt : 1e-4);
        ImGui::NewFrame();
        ui.frame(args->frames ? 1.0 / 60.0 : dt);
        ImGui::Render();
        const ImGuiIO& io = ImGui::GetIO();
        glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
                   static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
        glClearColor(0.06f, 0.07f, 0.08f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        ++frame;
        // The run's WAL on disk too, at most four times a second.
        if (ui.has_session() && (now - mirrored_at) * 4 >= SDL_GetPerformanceFrequency()) {
            mirrored_at = now;
            const auto& s = ui.session();
            const auto key = s.visible_events() * 64 + static_cast<std::uint64_t>(s.branch());
            if (const std::string err = wal_mirror.update(s.world(), ui.scenario_name(), key); !err.empty()) ui.set_status(err, true);
        }
        const bool time_up = args->seconds && static_cast<double>(now - started_at) >= static_cast<double>(*args->seconds) * static_cast<double>(SDL_GetPerformanceFrequency());
        if ((args->frames && frame >= *args->frames) || time_up) {
            quit = true;
            if (!args->screenshot.empty()) {
                int w = 0, h = 0;
                SDL_GL_GetDrawableSize(window, &w, &h);
                if (auto s = driftq::viz::save_screenshot(args->screenshot, w, h); !s) {
                    std::fprintf(stderr, "driftq-viz: %s\n", s.error().message.c_str());
                    return 1;
                }
            }
        }
        SDL_GL_SwapWindow(window);
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}
