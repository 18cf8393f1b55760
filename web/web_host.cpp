#include "web/web_host.hpp"

#include <emscripten.h>

namespace driftq::web {

namespace {

// A new Blob per save, and its URL revoked after: a reused one gives stale data in some browsers.
EM_JS(void, js_download, (const char* name, const char* data, int size), {
    const bytes = HEAPU8.slice(data, data + size);  // a copy: views detach when memory grows
    const file = UTF8ToString(name);
    const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.tar') ? 'application/x-tar' : 'text/plain';
    const url = URL.createObjectURL(new Blob([bytes], {type}));
    const a = document.createElement('a');
    a.href = url;
    a.download = file;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
});

EM_JS(void, js_pick_file, (), { DriftqGlue.pickFile(); });
EM_JS(void, js_share, (const char* text, const char* seed, double at, const char* name), {
    DriftqGlue.share(UTF8ToString(text), UTF8ToString(seed), at, UTF8ToString(name));
});

EM_JS(void, js_copy, (const char* text), {
    const s = UTF8ToString(text);
    if (navigator.clipboard) navigator.clipboard.writeText(s).catch(() => {});
});

}  // namespace

Result<std::string> WebHost::read_file(const std::string& path) {
    return make_error(Errc::unsupported, path + ": the browser has no file paths; drop the file on the page instead");
}

Result<std::string> WebHost::save_file(const std::string& name, std::string_view text) {
    js_download(name.c_str(), text.data(), static_cast<int>(text.size()));
    return "your downloads, as " + name;
}

void WebHost::copy_text(const std::string& text) {
    copied_ = text;
    js_copy(text.c_str());
}

}  // namespace driftq::web

namespace driftq::web {

bool WebHost::pick_file() {
    js_pick_file();
    return true;
}

bool WebHost::share(const std::string& name, const std::string& scenario_text, std::uint64_t seed, TimeMs at) {
    js_share(scenario_text.c_str(), std::to_string(seed).c_str(), static_cast<double>(at), name.c_str());
    return true;
}

}  // namespace driftq::web
