#include "native/viz_host.hpp"

#include <SDL.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace driftq::viz {

namespace {

std::string default_data_dir() {
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/driftq";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/driftq";
    return ".driftq";
}

}  // namespace

Result<std::string> read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::io_error, path + ": cannot open: " + std::strerror(errno));
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) return make_error(Errc::io_error, path + ": read failed");
    return s.str();
}

DesktopHost::DesktopHost(std::string data_dir) : data_dir_(data_dir.empty() ? default_data_dir() : std::move(data_dir)) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir_ + "/sessions", ec);
}

Result<std::string> DesktopHost::read_file(const std::string& path) { return read_whole_file(path); }

Result<std::string> DesktopHost::save_file(const std::string& name, std::string_view text) {
    // A bare name goes to the sessions folder; a path is used as given.
    const bool bare = name.find('/') == std::string::npos;
    const std::string path = bare ? save_location() + "/" + name : name;
    if (name.empty()) return make_error(Errc::io_error, "give the file a name");
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return make_error(Errc::io_error, path + ": cannot write: " + std::strerror(errno));
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!out.flush()) return make_error(Errc::io_error, path + ": write failed");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);  // whole or not at all
    if (ec) return make_error(Errc::io_error, path + ": " + ec.message());
    return path;
}

void DesktopHost::copy_text(const std::string& text) { SDL_SetClipboardText(text.c_str()); }

}  // namespace driftq::viz
