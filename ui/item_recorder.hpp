// Records every item ImGui lays out (its id, rectangle, label and window) through the item hooks
// ImGui calls when built with IMGUI_ENABLE_TEST_ENGINE (ui/config/driftq_imconfig.h). Tests use it
// to find a button by its label and click it through ImGui's input, as a person would, and to
// check what a frame showed. Off unless a test starts it, when it costs one flag test per item.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"

namespace driftq::ui {

struct RecordedItem {
    ImGuiID id = 0;
    ImRect rect;
    std::string label;   // empty for items without one (a canvas, a child)
    std::string window;  // the window it was laid out in
};

class ItemRecorder {
public:
    // Starts recording in the current ImGui context; items of each frame replace the last's.
    static void start();
    static void stop();
    // Items of the latest frame that laid any out (after Render: that frame's).
    static const std::vector<RecordedItem>& items();
    // Called by the hooks.
    static void on_new_frame(int frame);
    static void on_item_add(ImGuiContext* ctx, const ImRect& bb, ImGuiID id);
    static void on_item_info(ImGuiID id, const char* label);
};

}  // namespace driftq::ui
