// The panels, one per file. Each draws the contents of its window or tab (the layout in
// layout.cpp places them) from the Ui's const views and acts only through Ui::act().
#pragma once

#include "ui/ui.hpp"

namespace driftq::ui {

void draw_lanes(Ui& ui);        // panel_lanes.cpp
void draw_groups(Ui& ui);       // panel_groups.cpp
void draw_in_flight(Ui& ui);    // panel_in_flight.cpp
void draw_biography(Ui& ui);    // panel_biography.cpp
void draw_events(Ui& ui);       // panel_events.cpp
void draw_timeline(Ui& ui);     // panel_timeline.cpp
void draw_plots(Ui& ui);        // panel_plots.cpp
void draw_wal(Ui& ui);          // panel_wal.cpp
void draw_lesson(Ui& ui);       // panel_lesson.cpp
void draw_scenario(Ui& ui);     // panel_scenario.cpp
void draw_actions(Ui& ui);      // panel_actions.cpp
void draw_redrive(Ui& ui);      // panel_redrive.cpp: a section of Actions and faults
void draw_compare(Ui& ui);      // panel_compare.cpp
void draw_flow(Ui& ui);         // panel_flow.cpp

}  // namespace driftq::ui
