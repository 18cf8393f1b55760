// The browser's Host: no paths (files come in through the page), saving as a download, the
// clipboard through navigator.clipboard.
#pragma once

#include <string>

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

private:
    std::string copied_;
};

}  // namespace driftq::web
