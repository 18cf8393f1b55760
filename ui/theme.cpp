#include "ui/theme.hpp"

#include <cstring>

#include "ui/narration.hpp"

namespace driftq::ui {

namespace colors {

ImU32 cell(CellState s) {
    switch (s) {
        case CellState::acked: return IM_COL32(46, 125, 82, 255);        // green
        case CellState::waiting: return IM_COL32(86, 110, 140, 255);     // slate blue
        case CellState::in_flight: return IM_COL32(230, 159, 0, 255);    // orange
        case CellState::expired: return IM_COL32(240, 200, 60, 255);     // yellow: lease ran out
        case CellState::redelivered: return IM_COL32(213, 94, 0, 255);   // vermilion
        case CellState::dead: return IM_COL32(170, 40, 120, 255);        // reddish purple
        case CellState::skipped: return IM_COL32(34, 34, 40, 255);       // a hole: nearly black
    }
    return IM_COL32(255, 0, 255, 255);
}
ImU32 cell_border(CellState s) {
    switch (s) {
        case CellState::expired: return IM_COL32(200, 30, 30, 255);
        case CellState::skipped: return IM_COL32(255, 80, 80, 255);  // the hole, outlined in red
        default: return IM_COL32(20, 22, 28, 255);
    }
}
bool has_border(CellState s) { return s == CellState::expired || s == CellState::skipped; }
ImU32 committed_marker() { return IM_COL32(120, 230, 150, 255); }
ImU32 next_marker() { return IM_COL32(255, 255, 255, 220); }
ImU32 end_marker() { return IM_COL32(190, 190, 200, 255); }
ImU32 selection() { return IM_COL32(80, 200, 255, 255); }
ImU32 fault() { return IM_COL32(235, 60, 60, 255); }
ImU32 marker(EventKind k) {
    if (is_fault(k)) return fault();
    switch (k) {
        case EventKind::broker_restarted: return IM_COL32(90, 200, 255, 255);
        case EventKind::lease_expired: return cell(CellState::expired);
        case EventKind::dead_lettered: return cell(CellState::dead);
        case EventKind::command: return IM_COL32(220, 220, 220, 255);
        default: return IM_COL32(150, 150, 150, 255);
    }
}
ImU32 plot_line(int i) {
    // Okabe-Ito, ordered so that neighbours (p0, p1, p2, ...) differ most.
    static const ImU32 palette[] = {IM_COL32(86, 180, 233, 255), IM_COL32(230, 159, 0, 255),
                                    IM_COL32(0, 158, 115, 255),  IM_COL32(204, 121, 167, 255),
                                    IM_COL32(240, 228, 66, 255), IM_COL32(0, 114, 178, 255),
                                    IM_COL32(213, 94, 0, 255),   IM_COL32(200, 200, 200, 255)};
    return palette[static_cast<unsigned>(i) % (sizeof palette / sizeof palette[0])];
}
ImU32 grid() { return IM_COL32(255, 255, 255, 30); }
ImVec4 error_text() { return ImVec4(1.0f, 0.45f, 0.4f, 1.0f); }
ImVec4 task_text() { return ImVec4(1.0f, 0.78f, 0.3f, 1.0f); }
ImVec4 ok_text() { return ImVec4(0.45f, 0.9f, 0.55f, 1.0f); }
ImVec4 dim_text() { return ImVec4(0.6f, 0.62f, 0.68f, 1.0f); }

}  // namespace colors

namespace {
ImFont* g_mono = nullptr;
ImFont* g_reading = nullptr;

ImFont* add_font(std::span<const unsigned char> data, float px) {
    // The atlas frees what it owns with IM_FREE, so it gets its own copy.
    void* copy = IM_ALLOC(data.size());
    std::memcpy(copy, data.data(), data.size());
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(copy, static_cast<int>(data.size()), px, &cfg);
}
}  // namespace

void apply_style(float scale) {
    ImGui::StyleColorsDark();
    ImGuiStyle& s = ImGui::GetStyle();
    s.WindowRounding = 4.0f;
    s.FrameRounding = 3.0f;
    s.TabRounding = 3.0f;
    s.WindowBorderSize = 1.0f;
    s.FramePadding = ImVec2(6, 4);
    s.ItemSpacing = ImVec2(8, 5);
    s.Colors[ImGuiCol_WindowBg] = ImVec4(0.10f, 0.11f, 0.13f, 1.0f);
    s.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.16f, 0.29f, 0.48f, 1.0f);
    s.ScaleAllSizes(scale);
}

void load_fonts(std::span<const unsigned char> sans, std::span<const unsigned char> mono, float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    g_mono = g_reading = nullptr;
    const float px = 15.0f * scale;
    if (!sans.empty()) {
        add_font(sans, px);
        g_reading = add_font(sans, px * 1.2f);
    } else {
        ImFontConfig cfg;
        cfg.SizePixels = 13.0f * scale;
        io.Fonts->AddFontDefault(&cfg);
        cfg.SizePixels = 13.0f * 1.2f * scale;
        g_reading = io.Fonts->AddFontDefault(&cfg);
    }
    if (!mono.empty()) g_mono = add_font(mono, px * 0.95f);
}

ImFont* reading_font() { return g_reading ? g_reading : ImGui::GetIO().Fonts->Fonts[0]; }

ImFont* mono_font() { return g_mono ? g_mono : ImGui::GetIO().Fonts->Fonts[0]; }

}  // namespace driftq::ui
