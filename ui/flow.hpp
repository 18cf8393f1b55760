// Items laid out in a row that wraps: the next item goes beside the last one if it fits in the
// window's content width, else on a new line, so nothing is cut at the panel's right edge.
#pragma once

#include "imgui.h"

namespace driftq::ui {

// Call before an item `width` pixels wide that should follow the previous one.
inline void same_line_or_wrap(float width) {
    ImGui::SameLine();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
}

inline float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

inline float checkbox_width(const char* label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

// Dim text that wraps at the panel's edge instead of running past it.
inline void dim_wrapped(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

}  // namespace driftq::ui
