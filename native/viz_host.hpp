// The desktop visualiser's Host: files on the local disk, a data directory under XDG
// ($XDG_DATA_HOME/driftq, else ~/.local/share/driftq) for settings and saved sessions, and the
// SDL clipboard.
#pragma once

#include <string>

#include "ui/host.hpp"

namespace driftq::viz {

class DesktopHost final : public ui::Host {
public:
    // `data_dir` empty: the XDG default. Creates it if needed.
    explicit DesktopHost(std::string data_dir);
    Result<std::string> read_file(const std::string& path) override;
    Result<std::string> save_file(const std::string& name, std::string_view text) override;
    std::string save_location() const override { return data_dir_ + "/sessions"; }
    void copy_text(const std::string& text) override;
    const std::string& data_dir() const { return data_dir_; }

private:
    std::string data_dir_;
};

// Reads a whole file (fonts, scenarios); errors name the path.
Result<std::string> read_whole_file(const std::string& path);

}  // namespace driftq::viz
