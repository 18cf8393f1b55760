#include "ui/drawn_text.hpp"

#include <cmath>
#include <map>
#include <utility>

#include "imgui_internal.h"

namespace driftq::ui {

// A glyph quad's first vertex carries the glyph's top-left texture coordinate and its third the
// bottom-right one: matching those against the fonts' glyph tables names the glyph.
std::vector<TextRun> drawn_text(const ImDrawData& d) {
    std::map<std::pair<float, float>, std::vector<std::pair<const ImFontGlyph*, float>>> by_uv;  // glyph, font size
    for (const ImFont* f : ImGui::GetIO().Fonts->Fonts) {
        for (const ImFontGlyph& g : f->Glyphs) {
            if (g.Visible) by_uv[{g.U0, g.V0}].push_back({&g, f->FontSize});
        }
    }
    std::vector<TextRun> runs;
    for (int l = 0; l < d.CmdListsCount; ++l) {
        const ImDrawList& list = *d.CmdLists[l];
        const ImVector<ImDrawVert>& v = list.VtxBuffer;
        // Each vertex's clip rectangle's right edge, from the command whose indices use it.
        std::vector<float> clip_right(static_cast<std::size_t>(v.Size), 1e30f);
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            for (unsigned k = 0; k < cmd.ElemCount; ++k) {
                const unsigned idx = cmd.VtxOffset + list.IdxBuffer[static_cast<int>(cmd.IdxOffset + k)];
                if (idx < clip_right.size()) clip_right[idx] = cmd.ClipRect.z;
            }
        }
        for (int i = 0; i + 3 < v.Size; ++i) {
            const auto it = by_uv.find({v[i].uv.x, v[i].uv.y});
            if (it == by_uv.end()) continue;
            const ImFontGlyph* glyph = nullptr;
            float h = 0;
            for (const auto& [g, size] : it->second) {
                if (v[i + 2].uv.x == g->U1 && v[i + 2].uv.y == g->V1) {
                    glyph = g;
                    h = size;
                }
            }
            if (!glyph) continue;
            const float x = v[i].pos.x - glyph->X0, top = v[i].pos.y - glyph->Y0;
            TextRun* run = runs.empty() ? nullptr : &runs.back();
            const bool same_line = run && std::abs(run->y - top) < 1.0f && x >= run->x.back() - 1.0f && x - run->x.back() < run->height * 0.9f;
            if (!same_line) {
                runs.push_back(TextRun{{}, {}, top, h, clip_right[static_cast<std::size_t>(i)], list._OwnerName ? list._OwnerName : ""});
                run = &runs.back();
            } else if (x - run->x.back() > run->height * 0.2f) {
                run->text += ' ';  // a gap wider than a space: the glyphs a space skipped
                run->x.push_back(x);
            }
            run->text += glyph->Codepoint < 128 ? static_cast<char>(glyph->Codepoint) : '?';
            run->x.push_back(x + glyph->AdvanceX);
            i += 3;
        }
    }
    return runs;
}

bool cut_out_of_reach(const TextRun& run) {
    if (!run.cut()) return false;
    if (run.window.find("##scenario_text") != std::string::npos) return false;
    const ImGuiWindow* w = ImGui::FindWindowByName(run.window.c_str());
    return !(w && w->ScrollbarX);
}

std::string join_lines(const std::vector<TextRun>& runs) {
    std::string out;
    for (const TextRun& r : runs) out += r.text + "\n";
    return out;
}

}  // namespace driftq::ui
