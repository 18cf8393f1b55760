// "What if...": a second session on the same scenario with one option changed, kept at the
// Ui's session's moment, and where the two runs first part.
#include <algorithm>

#include "imgui.h"
#include "ui/ui.hpp"

namespace driftq::ui {

namespace {

// The first position (0-based) where two logs differ within their first `n` events, or n.
std::uint64_t equal_prefix(const sim::EventLog& a, const sim::EventLog& b, std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) {
        if (!(a[static_cast<std::size_t>(i)] == b[static_cast<std::size_t>(i)])) return i;
    }
    return n;
}

}  // namespace

bool Ui::start_compare(const sim::WhatIf& w) {
    // This branch's scenario, the person's commands included, with the change made.
    sim::Scenario changed = session_->scenario();
    if (const std::string why = sim::apply_what_if(changed, w); !why.empty()) {
        set_status("What if " + sim::describe(w) + ": " + why, true);
        return false;
    }
    start_compare_with(w, std::move(changed), sim::describe(w));
    return true;
}

void Ui::start_compare_branch(int id) {
    start_compare_with(std::nullopt, session_->scenario_of(id), "branch " + std::to_string(id));
}

void Ui::start_compare_with(std::optional<sim::WhatIf> w, sim::Scenario other, std::string label) {
    auto c = std::make_unique<Comparison>();
    c->what_if = w;
    c->label = std::move(label);
    c->other = std::make_unique<sim::Session>(std::move(other));
    // Both runs to the end once, to find where they part wherever it is. This run is replayed in
    // a throwaway session (its saved scenario replays it exactly), so its own history and head stay
    // as they were: acting at this moment afterwards still does not fork.
    const TimeMs now = session_->now();
    const TimeMs end = std::max({session_->world().scenario().until_ms, session_->head_time(), c->other->world().scenario().until_ms});
    sim::Session ours_run(session_->scenario());
    ours_run.run_until(end);
    c->other->run_until(end);
    const sim::EventLog& ours = ours_run.log();
    const sim::EventLog& theirs = c->other->log();
    const std::uint64_t n = std::min<std::uint64_t>(ours.size(), theirs.size());
    const std::uint64_t same = equal_prefix(ours, theirs, n);
    if (same < n || ours.size() != theirs.size()) {
        c->first_difference = same + 1;
        if (same < ours.size()) c->ours = ours[static_cast<std::size_t>(same)];
        if (same < theirs.size()) c->theirs = theirs[static_cast<std::size_t>(same)];
        c->difference_at = std::min(c->ours ? c->ours->at : end, c->theirs ? c->theirs->at : end);
    }
    c->other->seek(now);
    compare_ = std::move(c);
    state_.is_open(Panel::compare) = true;
    state_.bring_to_front = Panel::compare;
    set_status("Comparing with " + compare_->label + ": both runs, one above the other, in the Compare tab.");
    refresh_views();
}

void Ui::stop_compare() {
    compare_.reset();
    state_.is_open(Panel::compare) = false;
}

// The other run follows this one's moment, wherever it moves (play, step, seek).
void Ui::sync_compare() {
    if (!compare_) return;
    // Closing the Compare tab stops comparing (once it has been open: the settings loaded at the
    // first frame may say it was closed last time).
    const bool open = state_.is_open(Panel::compare);
    if (compare_->tab_seen_open && !open) return stop_compare();
    compare_->tab_seen_open = open;
    sim::Session& other = *compare_->other;
    if (other.now() != session_->now()) other.run_until(session_->now());
    compare_->events.update(other);
}

void Ui::draw_what_if_menu() {
    if (!ImGui::BeginMenu("What if...")) return;
    const sim::Scenario& sc = session_->world().scenario();
    ImGui::TextDisabled("Run this scenario again with one option changed, beside this run.");
    using K = sim::WhatIf::Kind;
    for (const K kind : sim::kWhatIfKinds) {
        const std::int64_t now_value = sim::current_value(sc, kind);
        if (kind == K::commit_rule || kind == K::durability) {
            const int choices = kind == K::commit_rule ? 2 : 3;
            if (kind == K::durability && !sc.wal) continue;
            for (int v = 0; v < choices; ++v) {
                if (v == now_value) continue;
                const sim::WhatIf w{kind, v};
                if (ImGui::MenuItem(("With " + sim::describe(w)).c_str())) start_compare(w);
            }
            continue;
        }
        if (ImGui::BeginMenu((std::string("With another ") + sim::name(kind)).c_str())) {
            for (const std::int64_t v : {now_value / 2, now_value * 2, now_value + 1, std::int64_t{0}}) {
                if (v == now_value || v < 0 || (v == 0 && kind == K::lease_ms)) continue;
                const sim::WhatIf w{kind, v};
                if (ImGui::MenuItem(sim::describe(w).c_str())) start_compare(w);
            }
            ImGui::TextDisabled("now: %s", sim::describe(sim::WhatIf{kind, now_value}).c_str());
            ImGui::EndMenu();
        }
    }
    if (compare_ && ImGui::MenuItem("Stop comparing")) stop_compare();
    ImGui::EndMenu();
}

}  // namespace driftq::ui
