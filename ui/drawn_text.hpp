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
};

std::vector<TextRun> drawn_text(const ImDrawData& d);

// The runs, one a line.
std::string join_lines(const std::vector<TextRun>& runs);

}  // namespace driftq::ui
