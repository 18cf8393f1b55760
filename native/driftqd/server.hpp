// The HTTP/1.1 server under driftqd: Boost.Beast for parsing only (our code writes every byte of
// every answer, as upstream's Go server would), on one Asio event loop. Bounded: header and body
// size, read time per request, idle keep-alive time and the number of connections.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "native/driftqd/http_request.hpp"
#include "native/driftqd/http_response.hpp"

namespace driftq::http {

struct ServerLimits {
    std::size_t max_header_bytes = (1u << 20) + 4096;  // Go's DefaultMaxHeaderBytes + its slack
    std::size_t max_body_bytes = 16u << 20;
    std::chrono::milliseconds read_timeout{5000};   // whole request, headers and body
    std::chrono::milliseconds idle_timeout{60000};  // between requests on a kept-alive connection
    std::size_t max_connections = 1024;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class Server {
public:
    // Binds `host`:`port` (port 0: any free one) and serves with `handler` once run() is called.
    Server(const std::string& host, unsigned short port, ServerLimits limits, Handler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    unsigned short port() const;
    std::string address() const;  // "127.0.0.1:8080"
    // Serves until stop() from another thread, or SIGINT or SIGTERM.
    void run();
    void stop();

    struct Impl;  // named by the connection code in server.cpp

private:
    std::unique_ptr<Impl> impl_;
};

// The Date header's value for Unix time `seconds`: "Mon, 30 Nov 2026 12:00:00 GMT".
std::string http_date(std::int64_t seconds);

}  // namespace driftq::http
