// Colours and fonts. Every state has one colour used everywhere (lanes, tables, plots, legend),
// chosen to stay apart for the common colour-vision deficiencies (blue / orange / vermilion /
// green, after Okabe and Ito), and each is paired with a shape or text so colour is never the
// only cue.
#pragma once

#include <span>

#include "imgui.h"
#include "ui/lane_model.hpp"

namespace driftq::ui {

namespace colors {
ImU32 cell(CellState s);
ImU32 cell_border(CellState s);
bool has_border(CellState s);  // states drawn with a border of their own (expired, skipped)
ImU32 committed_marker();
ImU32 next_marker();
ImU32 end_marker();
ImU32 selection();
ImU32 fault();
ImU32 marker(EventKind k);
ImU32 plot_line(int i);
ImU32 grid();
ImVec4 error_text();
ImVec4 ok_text();
ImVec4 task_text();  // a task not yet solved: asks to be looked at, is not an error
ImVec4 dim_text();
}  // namespace colors

// Style and sizes for a display `scale` (1 = 96 dpi).
void apply_style(float scale);
// Loads the UI fonts from TrueType data (the host reads the files): a proportional one for
// text (and the same a fifth larger for reading) and a monospaced one for offsets, the event log and the WAL. With no data,
// ImGui's built-in font (legible, but small and bitmap-only).
void load_fonts(std::span<const unsigned char> sans, std::span<const unsigned char> mono, float scale);
ImFont* mono_font();
// The proportional font a fifth larger: the lesson's text in the Learn layout.
ImFont* reading_font();

}  // namespace driftq::ui
