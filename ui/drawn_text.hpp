// The text a frame drew, read back from its draw data: every glyph is a quad whose texture
// coordinates name it in the font atlas. Tests check what a person would read on screen with it
// (tests/ui/harness, the web page's test hook); nothing in the UI depends on it.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"

namespace driftq::ui {

// Glyphs on one baseline that follow each other.
struct TextRun {
    std::string text;      // characters outside ASCII as '?'
    std::vector<float> x;  // left edge of each character, then the right edge of the last
    float y = 0, height = 0;
    float clip_right = 0;  // the right edge of the clip rectangle its glyphs were drawn in
    std::string window;    // the window whose draw list holds it
    // Its last glyph runs past that edge: the text is cut where a person sees it end.
    bool cut() const { return !x.empty() && x.back() > clip_right + 0.5f; }
};

std::vector<TextRun> drawn_text(const ImDrawData& d);

// The run is cut where nothing lets a person see the rest: cut(), in a window that has no
// horizontal scrollbar (a table wider than its panel scrolls), and not in the scenario editor
// (it scrolls with its text cursor). What the layout tests refuse.
bool cut_out_of_reach(const TextRun& run);

// The runs, one a line.
std::string join_lines(const std::vector<TextRun>& runs);

}  // namespace driftq::ui
