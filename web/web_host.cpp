#include "web/web_host.hpp"

#include <emscripten.h>

namespace driftq::web {

namespace {

// A new Blob per save, and its URL revoked after: a reused one gives stale data in some browsers.
EM_JS(void, js_download, (const char* name, const char* data, int size), {
    const bytes = HEAPU8.slice(data, data + size);  // a copy: views detach when memory grows
    const url = URL.createObjectURL(new Blob([bytes], {type: 'application/json'}));
    const a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
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

void WebHost::copy_text(const std::string& text) { js_copy(text.c_str()); }

}  // namespace driftq::web
