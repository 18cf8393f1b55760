#include "native/driftqd/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace driftq::http {

namespace {

std::string_view content_type(std::string_view path) {
    auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
    if (ends(".html")) return "text/html; charset=utf-8";
    if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
    if (ends(".wasm")) return "application/wasm";
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".json")) return "application/json";
    if (ends(".png")) return "image/png";
    if (ends(".svg")) return "image/svg+xml";
    return "application/octet-stream";
}

}  // namespace

std::optional<HttpResponse> StaticFiles::get(std::string_view path) const {
    // The path is already clean (routes redirect unclean ones): no "..", no "//".
    if (path.find("..") != std::string_view::npos || path.find('\0') != std::string_view::npos) return std::nullopt;
    std::string file = dir_ + std::string(path);
    if (path == "/") file = dir_ + "/index.html";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream body;
    body << in.rdbuf();
    HttpResponse r;
    r.status = 200;
    r.set("Content-Type", std::string(content_type(file)));
    r.set("Cache-Control", "no-cache");
    // No other site may frame the playground (a framed page could be clicked into acting).
    r.set("Content-Security-Policy", "frame-ancestors 'none'");
    r.set("X-Frame-Options", "DENY");
    r.body = body.str();
    r.go_buffered = false;  // with its length, as Go's FileServer sends a file
    return r;
}

}  // namespace driftq::http
