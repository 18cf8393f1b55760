#include "harness.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "imgui_internal.h"
#include "ui/theme.hpp"

namespace driftq::ui_test {

Result<std::string> MemoryHost::read_file(const std::string& path) {
    const auto it = files.find(path);
    if (it == files.end()) return make_error(Errc::io_error, path + ": no such file");
    return it->second;
}

Result<std::string> MemoryHost::save_file(const std::string& name, std::string_view text) {
    files[name] = std::string(text);
    return "memory/" + name;
}

Harness::Harness(float width, float height) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(width, height);
    // 1.86 maps named keys through KeyMap; the harness uses the ImGuiKey values as its indices.
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
    ui::apply_style(1.0f);
    ui::load_fonts({}, {}, 1.0f);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas; no texture is made
    ui_ = std::make_unique<ui::Ui>(host_, ui::bundled_scenarios());
    ui::register_ini_handler(ui_->state());
    ui::ItemRecorder::start();
}

Harness::~Harness() {
    ui::ItemRecorder::stop();
    ui_.reset();
    ImGui::DestroyContext();
}

bool Harness::open_lesson(int n) { return n >= 1 && ui_->open_bundled(static_cast<std::size_t>(n - 1)); }

FrameStats Harness::frame(double dt) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = static_cast<float>(dt);
    ImGui::NewFrame();
    ui_->frame(dt);
    ImGui::Render();
    if (read_text_on_) read_text(*ImGui::GetDrawData());
    FrameStats s;
    const ImDrawData* d = ImGui::GetDrawData();
    for (int i = 0; i < d->CmdListsCount; ++i) {
        const ImDrawList* l = d->CmdLists[i];
        s.vertices += static_cast<std::size_t>(l->VtxBuffer.Size);
        s.indices += static_cast<std::size_t>(l->IdxBuffer.Size);
        s.max_list_vertices = std::max(s.max_list_vertices, static_cast<std::size_t>(l->VtxBuffer.Size));
    }
    s.lists = d->CmdListsCount;
    return s;
}

void Harness::read_text(const ImDrawData& d) {
    runs_ = ui::drawn_text(d);
    text_ = ui::join_lines(runs_);
    if (std::getenv("DRIFTQ_DEBUG_RUNS")) {
        for (const ui::TextRun& r : runs_) std::printf("run y=%.1f x=%.1f..%.1f h=%.1f '%s'\n", r.y, r.x.front(), r.x.back(), r.height, r.text.c_str());
    }
}

bool Harness::click_text(const std::string& needle) {
    // A run that is exactly the text (a tab, a button) wins over one that contains it.
    const ui::TextRun* hit = nullptr;
    std::size_t at = 0;
    for (const ui::TextRun& r : runs_) {
        if (r.text == needle) {
            hit = &r;
            at = 0;
            break;
        }
        const auto pos = r.text.find(needle);
        if (!hit && pos != std::string::npos) {
            hit = &r;
            at = pos;
        }
    }
    if (!hit) return false;
    const float x0 = at == 0 ? hit->x.front() - 4.0f : hit->x[at - 1];
    click_at(ImVec2(x0 + 3.0f, hit->y + hit->height * 0.5f));
    return true;
}

const ui::RecordedItem* Harness::find(const std::string& label, const std::string& window) const {
    for (const ui::RecordedItem& i : items()) {
        const std::string shown = i.label.substr(0, i.label.find("##"));
        if (shown == label && i.window.find(window) != std::string::npos) return &i;
    }
    return nullptr;
}

void Harness::move_mouse(ImVec2 to) {
    ImGui::GetIO().MousePos = to;
    frame();
}

void Harness::click_at(ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    move_mouse(at);
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
}

bool Harness::click(const std::string& label, const std::string& window) {
    const ui::RecordedItem* item = find(label, window);
    if (!item) return false;
    click_at(item->rect.GetCenter());
    return true;
}

void Harness::press(ImGuiKey key, bool shift) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyShift = shift;
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    frame();
    io.KeyShift = false;
}

void Harness::type(const std::string& chars) {
    for (const char c : chars) ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(c));
    frame();
}

}  // namespace driftq::ui_test
