#include "native/driftqd/http_response.hpp"

#include <algorithm>
#include <cstdio>

#include "native/driftqd/go_json.hpp"

namespace driftq::http {

void HttpResponse::set(std::string name, std::string value) {
    for (auto& [n, v] : headers) {
        if (n == name) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

const std::string* HttpResponse::find(std::string_view name) const {
    for (const auto& [n, v] : headers) {
        if (n == name) return &v;
    }
    return nullptr;
}

std::string_view status_text(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 301: return "Moved Permanently";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 413: return "Request Entity Too Large";
        case 421: return "Misdirected Request";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        case 505: return "HTTP Version Not Supported";
        default: return "";
    }
}

std::string serialize(const HttpResponse& r, std::string_view date) {
    std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + std::string(status_text(r.status)) + "\r\n";
    auto sorted = r.headers;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // Transfer-Encoding is one of the headers Go's server adds itself, after Connection.
    const std::string* streamed = r.find("Transfer-Encoding");
    for (const auto& [name, value] : sorted) {
        if (name != "Transfer-Encoding") out += name + ": " + value + "\r\n";
    }
    out += "Date: " + std::string(date) + "\r\n";
    const bool bodiless = r.status == 204 || r.status == 304;
    // Go's ResponseWriter buffers 2 KiB; a handler that writes more gets a chunked answer.
    const bool chunked = !streamed && !bodiless && r.go_buffered && r.body.size() > kGoChunkingBytes;
    if (!bodiless && !streamed && !chunked) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    if (r.close) out += "Connection: close\r\n";
    if (streamed) out += "Transfer-Encoding: " + *streamed + "\r\n";
    if (chunked) out += "Transfer-Encoding: chunked\r\n";
    out += "\r\n";
    if (bodiless) return out;
    if (!chunked) return out + r.body;
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", r.body.size());
    return out + size + r.body + "\r\n0\r\n\r\n";
}

HttpResponse json_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.set("Content-Type", "application/json; charset=utf-8");
    r.body = std::move(body);
    return r;
}

HttpResponse json_error(int status, std::string_view code, std::string_view message) {
    return json_response(status, go_error_body(code, message));
}

HttpResponse text_error(int status, std::string_view text) {
    HttpResponse r;
    r.status = status;
    r.set("Content-Type", "text/plain; charset=utf-8");
    r.set("X-Content-Type-Options", "nosniff");
    r.body = std::string(text) + "\n";
    return r;
}

}  // namespace driftq::http
