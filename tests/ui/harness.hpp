// A headless ImGui for UI tests and the frame benchmark (the pattern of ImGui's example_null):
// a context with a built font atlas and no renderer. It drives the Ui with real input through
// ImGuiIO (moving the mouse, pressing and releasing across frames, as 1.86's state-based input
// needs) and reports what a frame drew: its draw data, the items laid out and the text shown.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "imgui.h"
#include "ui/bundled_scenarios.hpp"
#include "ui/item_recorder.hpp"
#include "ui/drawn_text.hpp"
#include "ui/ui.hpp"

namespace driftq::ui_test {

// Files in memory: what the Scenario panel opens and saves.
class MemoryHost final : public ui::Host {
public:
    std::map<std::string, std::string> files;
    std::string clipboard;
    Result<std::string> read_file(const std::string& path) override;
    Result<std::string> save_file(const std::string& name, std::string_view text) override;
    std::string save_location() const override { return "memory"; }
    void copy_text(const std::string& text) override { clipboard = text; }
};

struct FrameStats {
    std::size_t vertices = 0;
    std::size_t indices = 0;
    std::size_t max_list_vertices = 0;  // the largest draw list's vertex count
    int lists = 0;
};

class Harness {
public:
    explicit Harness(float width = 1600, float height = 900);
    ~Harness();
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    ui::Ui& ui() { return *ui_; }
    MemoryHost& host() { return host_; }
    // Opens bundled lesson n (1-based).
    [[nodiscard]] bool open_lesson(int n);

    // One frame of `dt` seconds of wall time; returns what it drew.
    FrameStats frame(double dt = 1.0 / 60.0);
    // Text the last frame drew, read back from its glyph quads (so custom-drawn labels count as
    // much as widgets): one line of text per run of glyphs.
    const std::string& text() const { return text_; }
    bool shows(const std::string& needle) const { return text_.find(needle) != std::string::npos; }
    // The same text as runs of glyphs with their places and clip edges.
    const std::vector<ui::TextRun>& runs() const { return runs_; }
    // Clicks where the last frame drew `needle` (a tab, a list line): a run of exactly that text
    // first, else the first run containing it; false if none.
    bool click_text(const std::string& needle);
    // Whether frames read their text back (on by default; the benchmark turns it off).
    void read_text(bool on) { read_text_on_ = on; }
    // Items laid out in the last frame.
    const std::vector<ui::RecordedItem>& items() const { return ui::ItemRecorder::items(); }
    // The item labelled `label` (ImGui's "##" suffix ignored) whose window name contains
    // `window`, or nullptr.
    const ui::RecordedItem* find(const std::string& label, const std::string& window = "") const;

    // Input, each over as many frames as ImGui 1.86 needs to see it.
    void move_mouse(ImVec2 to);
    bool click(const std::string& label, const std::string& window = "");  // false: no such item
    void click_at(ImVec2 at);
    void press(ImGuiKey key, bool shift = false);
    void type(const std::string& chars);

private:
    MemoryHost host_;
    std::unique_ptr<ui::Ui> ui_;
    void read_text(const ImDrawData& d);
    std::string text_;
    std::vector<ui::TextRun> runs_;
    bool read_text_on_ = true;
};

}  // namespace driftq::ui_test
