#include "ui/markdown.hpp"

#include <string>
#include <vector>

#include "imgui.h"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

struct Word {
    std::string text;
    bool bold = false;
    bool code = false;
    bool space_before = true;
};

// Splits one paragraph into words, tracking ** and ` spans. A word glued to the previous one
// (as in "**bold**," where the comma follows the span) keeps space_before false.
std::vector<Word> words(std::string_view p) {
    std::vector<Word> out;
    bool bold = false, code = false, space = false;
    std::string cur;
    auto flush = [&] {
        if (!cur.empty()) {
            out.push_back({cur, bold, code, space});
            space = false;
        }
        cur.clear();
    };
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (!code && c == '*' && i + 1 < p.size() && p[i + 1] == '*') {
            flush();
            bold = !bold;
            ++i;
        } else if (c == '`') {
            flush();
            code = !code;
        } else if (c == ' ' || c == '\n' || c == '\t') {
            flush();
            space = true;
        } else {
            cur += c;
        }
    }
    flush();
    return out;
}

void paragraph(std::string_view p) {
    const float right = ImGui::GetContentRegionAvail().x;
    const float space_w = ImGui::CalcTextSize(" ").x;
    float x = 0;
    bool first = true;
    for (const Word& w : words(p)) {
        ImFont* font = w.code ? mono_font() : nullptr;
        if (font) ImGui::PushFont(font);
        const float ww = ImGui::CalcTextSize(w.text.c_str()).x + (w.bold ? 1.0f : 0.0f);
        const float gap = (w.space_before && !first) ? space_w : 0.0f;
        if (!first && x + gap + ww > right) {
            x = 0;
        } else if (!first) {
            ImGui::SameLine(0, gap);
            x += gap;
        }
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        if (w.code) {
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(pos.x - 1, pos.y), ImVec2(pos.x + ww + 1, pos.y + ImGui::GetTextLineHeight()),
                                                      IM_COL32(255, 255, 255, 28), 2.0f);
        }
        if (w.bold) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.86f, 0.45f, 1.0f));  // no bold face: colour
        ImGui::TextUnformatted(w.text.c_str());
        if (w.bold) ImGui::PopStyleColor();
        if (font) ImGui::PopFont();
        x += ww;
        first = false;
    }
}

}  // namespace

void markdown(std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find("\n\n", start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view p = text.substr(start, end - start);
        if (!p.empty()) {
            paragraph(p);
            ImGui::Spacing();
        }
        start = end + 2;
    }
}

}  // namespace driftq::ui
