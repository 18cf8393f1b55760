// The page as a live view of a driftqd (served by `driftqd --web`, opened with ?live): the page
// reads the broker's command log (/live/commands, web/glue_pre.js) and hands each line here. The
// first line is the scenario the broker runs, then its commands and clock, which the session
// mirrors exactly, as driftq-viz --listen does (ui/live_source.hpp).
#include <emscripten.h>

#include <charconv>
#include <string>
#include <string_view>

#include "sim/scenario.hpp"
#include "ui/live_source.hpp"
#include "web/app.hpp"

namespace {

class PageLiveSource final : public driftq::ui::LiveSource {
public:
    Batch take() override {
        Batch b;
        b.commands.swap(pending_.commands);
        b.now = pending_.now;
        return b;
    }
    std::string describe() const override { return "driftqd at " + origin_; }
    void set_origin(std::string o) { origin_ = std::move(o); }
    void add(driftq::sim::TimedCommand c) { pending_.commands.push_back(std::move(c)); }
    void advance(driftq::TimeMs now) { pending_.now = std::max(pending_.now, now); }

private:
    Batch pending_;
    std::string origin_;
};

PageLiveSource& source() {
    static PageLiveSource s;
    return s;
}

void problem(const std::string& what) {
    driftq::web::app().ui->notify("The live broker sent something this page cannot read", what, true);
}

}  // namespace

extern "C" {

// One line of /live/commands.
EMSCRIPTEN_KEEPALIVE void driftq_live_line(const char* text, const char* origin) {
    driftq::web::App& a = driftq::web::app();
    const std::string_view line(text);
    constexpr std::string_view kScenario = "{\"scenario\":", kNow = "{\"now\":";
    if (line.starts_with(kScenario) && line.ends_with("}")) {
        auto s = driftq::sim::parse_scenario(line.substr(kScenario.size(), line.size() - kScenario.size() - 1), "/live/commands",
                                                  driftq::sim::ParseOptions{.live_head = true});
        if (!s) return problem(s.error().message);
        source().set_origin(origin);
        a.live = true;
        s.value().name = std::string("live: driftqd at ") + origin;
        s.value().lessons.push_back(driftq::ui::live_lesson(std::string("http://") + origin));
        a.ui->attach_live(source(), std::move(s.value()));
        a.live_attached = true;
        return;
    }
    if (!a.live_attached) return problem("a command came before the scenario");
    if (!a.ui->is_live()) return;  // the person opened something else: the mirror has ended
    if (line.starts_with(kNow)) {
        driftq::TimeMs now = 0;
        const std::string_view n = line.substr(kNow.size(), line.size() - kNow.size() - 1);
        if (std::from_chars(n.data(), n.data() + n.size(), now).ec != std::errc{}) return problem(std::string(line));
        source().advance(now);
        return;
    }
    auto c = driftq::sim::parse_command(line, "/live/commands");
    if (!c) return problem(c.error().message);
    source().add(std::move(c.value()));
}

}  // extern "C"
