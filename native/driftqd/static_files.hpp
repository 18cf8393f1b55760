// driftqd --web DIR: the web playground's files (a `web` preset build, build/web/web), served at
// `/` next to the API, so a browser opening http://HOST:PORT/?live mirrors this broker. Only
// regular files directly in DIR or below it; GET and HEAD; no listing.
#pragma once

#include <optional>
#include <string>

#include "native/driftqd/http_response.hpp"

namespace driftq::http {

class StaticFiles {
public:
    explicit StaticFiles(std::string dir) : dir_(std::move(dir)) {}
    // The answer for a clean request path ("/" is index.html), or nothing if no such file.
    std::optional<HttpResponse> get(std::string_view path) const;
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
};

}  // namespace driftq::http
