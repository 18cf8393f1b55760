// The browser's Host: no paths (files come in through the page), saving as a download, the
// clipboard through navigator.clipboard.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "ui/host.hpp"

namespace driftq::web {

class WebHost final : public ui::Host {
public:
    Result<std::string> read_file(const std::string& path) override;
    Result<std::string> save_file(const std::string& name, std::string_view text) override;
    std::string save_location() const override { return "your browser's downloads"; }
    void copy_text(const std::string& text) override;
    const std::string& last_copied() const { return copied_; }
    bool pick_file() override;
    bool share(const std::string& name, const std::string& scenario_text, std::uint64_t seed, TimeMs at) override;
    std::string previous_session() const override { return previous_ ? previous_() : std::string(); }
    void reopen_previous_session() override { reopen_requested_ = true; }
    // Where the previous session's name comes from (SavedPlayground), and whether the person
    // asked to reopen it (the main loop does, between frames).
    void set_previous_source(std::function<std::string()> f) { previous_ = std::move(f); }
    bool take_reopen_request() { return std::exchange(reopen_requested_, false); }

private:
    std::string copied_;
    std::function<std::string()> previous_;
    bool reopen_requested_ = false;
};

}  // namespace driftq::web
