// An answer, and its bytes on the wire in the order Go's net/http writes them: the status line,
// the handler's headers sorted by name, then Date and Content-Length, then the body.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace driftq::http {

// Go's bufferBeforeChunkingSize.
inline constexpr std::size_t kGoChunkingBytes = 2048;

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // canonical names ("Content-Type")
    std::string body;
    bool close = false;  // close the connection after it ("Connection: close" is added)
    // Written as Go's server writes a handler's answer: a body over 2 KiB (its buffer before
    // chunking) goes out chunked, the rest with Content-Length. Off: always Content-Length.
    bool go_buffered = true;

    void set(std::string name, std::string value);  // replaces a header of that name
    const std::string* find(std::string_view name) const;
};

// "OK", "Not Found", ... ("" for a code it does not know).
std::string_view status_text(int status);

// The response's bytes; `date` is the Date header's value (RFC 1123, GMT). A 204 or 304 carries
// no Content-Length and no body, as Go writes them; a Go-buffered body over 2 KiB is one chunk.
std::string serialize(const HttpResponse& response, std::string_view date);

// A JSON answer: Content-Type application/json; charset=utf-8 and `body`.
HttpResponse json_response(int status, std::string body);
// Upstream's JSON error: {"error":"CODE","message":"text"}.
HttpResponse json_error(int status, std::string_view code, std::string_view message);
// Go's http.Error: text/plain, X-Content-Type-Options: nosniff, `text` and a newline.
HttpResponse text_error(int status, std::string_view text);

}  // namespace driftq::http
