// The HTTP/1.1 server under driftqd: Boost.Beast for parsing only (our code writes every byte of
// every answer, as upstream's Go server would), on Asio event loops. Bounded: header and body
// size, read time per request (and idle time between requests) and the number of connections.
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
    // A whole request, headers and body, and the wait for the next one on a kept-alive connection
    // (Go's ReadTimeout, which upstream sets, also bounds that wait).
    std::chrono::milliseconds read_timeout{5000};
    std::size_t max_connections = 1024;
    unsigned threads = 1;  // threads running the event loop
    bool handle_signals = true;  // SIGINT and SIGTERM stop the server (off inside the visualiser)
};

class StreamFeed;

// How a handler answers one request, now or later, from any thread: once, with send() or
// stream(). A reply dropped without either closes the connection.
class Reply {
public:
    virtual ~Reply() = default;
    virtual void send(HttpResponse response) = 0;
    // Answers with `head` and then the feed's lines, one chunk each (Transfer-Encoding:
    // chunked). As upstream's Go server does, nothing is written until the first line: a client
    // of an empty topic sees no status line yet. The connection closes when the feed ends.
    virtual void stream(HttpResponse head, std::shared_ptr<StreamFeed> feed) = 0;
};

using Handler = std::function<void(const HttpRequest&, std::shared_ptr<Reply>)>;

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
    // Stops gracefully: the listener closes, `on_stop` runs on the server's thread (the owner
    // ends its streams there), and the event loop ends shortly after.
    void stop();
    void set_on_stop(std::function<void()> on_stop);

    struct Impl;  // named by the connection code in server.cpp

private:
    std::unique_ptr<Impl> impl_;
};

// The Date header's value for Unix time `seconds`: "Mon, 30 Nov 2026 12:00:00 GMT".
std::string http_date(std::int64_t seconds);

}  // namespace driftq::http
