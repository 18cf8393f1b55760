#include "ui/item_recorder.hpp"

#include <cstdarg>
#include <map>

namespace driftq::ui {

namespace {

struct Recording {
    bool on = false;
    int frame = -1;
    std::vector<RecordedItem> current;
    std::map<ImGuiID, std::size_t> index;  // of `current`, by id (the latest item with it)
};

Recording& rec() {
    static Recording r;
    return r;
}

}  // namespace

void ItemRecorder::start() {
    rec() = Recording{};
    rec().on = true;
    ImGui::GetCurrentContext()->TestEngineHookItems = true;
}

void ItemRecorder::stop() {
    rec().on = false;
    if (ImGui::GetCurrentContext()) ImGui::GetCurrentContext()->TestEngineHookItems = false;
}

const std::vector<RecordedItem>& ItemRecorder::items() { return rec().current; }

void ItemRecorder::on_new_frame(int frame) {
    Recording& r = rec();
    if (frame == r.frame) return;
    r.frame = frame;
    r.current.clear();
    r.index.clear();
}

void ItemRecorder::on_item_add(ImGuiContext* ctx, const ImRect& bb, ImGuiID id) {
    Recording& r = rec();
    if (!r.on) return;
    on_new_frame(ctx->FrameCount);
    r.index[id] = r.current.size();
    r.current.push_back({id, bb, {}, ctx->CurrentWindow ? ctx->CurrentWindow->Name : ""});
}

void ItemRecorder::on_item_info(ImGuiID id, const char* label) {
    Recording& r = rec();
    if (!r.on || !label) return;
    const auto it = r.index.find(id);
    if (it != r.index.end()) r.current[it->second].label = label;
}

}  // namespace driftq::ui

// The hooks ImGui declares under IMGUI_ENABLE_TEST_ENGINE (imgui_internal.h).
void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, const ImRect& bb, ImGuiID id) {
    driftq::ui::ItemRecorder::on_item_add(ctx, bb, id);
}
void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
    driftq::ui::ItemRecorder::on_item_info(id, label);
}
void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
