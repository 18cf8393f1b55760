// Our build-time configuration of Dear ImGui (IMGUI_USER_CONFIG), shared by every target that
// compiles or includes it, so the library and its users agree on these types.
#pragma once

// A zoomed-out view of a million messages can need more than 65,535 vertices in one draw list;
// WebGL cannot offset vertices, so indices are 32-bit everywhere (desktop and web alike).
#define ImDrawIdx unsigned int

// Item hooks (ImGuiTestEngineHook_ItemAdd/ItemInfo) that ui/item_recorder.cpp implements: the UI
// driving tests find buttons by label through them. They cost one flag test per item when off.
#define IMGUI_ENABLE_TEST_ENGINE

// Only the API of this version, without the obsolete names.
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS
