#include "native/driftqd/server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "native/driftqd/stream_feed.hpp"

namespace driftq::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string http_date(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

namespace {

std::int64_t unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// What Go's server answers to a request it cannot parse, before any handler runs.
std::string unparseable_answer(const beast::error_code& ec) {
    int status = 400;
    if (ec == bhttp::error::header_limit) status = 431;
    if (ec == bhttp::error::body_limit) status = 413;
    const std::string line = std::to_string(status) + " " + std::string(status_text(status));
    return "HTTP/1.1 " + line + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" + line;
}

std::string chunk(const std::string& data) {
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return size + data + "\r\n";
}

}  // namespace

struct Server::Impl {
    Impl(const tcp::endpoint& at, ServerLimits l, Handler h) : limits(l), handler(std::move(h)), acceptor(io, at) {}

    void accept();

    ServerLimits limits;
    Handler handler;
    // Before io: connections still open when io is destroyed count themselves out of it.
    std::atomic<std::size_t> connections{0};
    asio::io_context io;
    tcp::acceptor acceptor;
    std::optional<asio::signal_set> signals;  // SIGINT and SIGTERM, when limits.handle_signals
    std::function<void()> on_stop;
    bool stopping = false;
    asio::steady_timer grace{io};
    asio::steady_timer accept_pause{io};  // after an accept error (no file descriptors left, ...)
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
        ++server_.connections;
    }
    ~Connection() {
        if (feed_) feed_->client_gone();
        --server_.connections;
    }

    // Headers first: a client that sent "Expect: 100-continue" waits for our go-ahead before
    // the body, as Go's server gives it (curl asks for bodies over 1 KiB).
    void read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_.limits.max_header_bytes));
        parser_->body_limit(server_.limits.max_body_bytes);
        stream_.expires_after(server_.limits.read_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec || self->parser_->is_done()) return self->on_read(ec);
            const auto expect = self->parser_->get()[bhttp::field::expect];
            if (beast::iequals(expect, "100-continue")) {
                self->continue_ = "HTTP/1.1 100 Continue\r\n\r\n";
                return asio::async_write(self->stream_, asio::buffer(self->continue_), [self](beast::error_code wec, std::size_t) {
                    if (wec) return self->close();
                    self->read_body();
                });
            }
            self->read_body();
        });
    }
    void read_body() {
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    // From any thread.
    void post_response(HttpResponse r) {
        asio::post(stream_.get_executor(), [self = shared_from_this(), r = std::move(r)]() mutable {
            self->respond(std::move(r));
        });
    }
    void post_stream(HttpResponse head, std::shared_ptr<StreamFeed> feed) {
        asio::post(stream_.get_executor(), [self = shared_from_this(), head = std::move(head), feed]() mutable {
            self->start_stream(std::move(head), std::move(feed));
        });
    }

private:
    class ReplyImpl;

    void on_read(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
            close();
            return;
        }
        if (ec) {
            close_after_write_ = true;
            queue_write(unparseable_answer(ec));
            return;
        }
        const auto& msg = parser_->get();
        if (msg.version() == 11 && msg.find(bhttp::field::host) == msg.end()) {
            // Go's server refuses an HTTP/1.1 request without Host before any handler runs.
            close_after_write_ = true;
            queue_write(
                "HTTP/1.1 400 Bad Request: missing required Host header\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Connection: close\r\n\r\n400 Bad Request: missing required Host header");
            return;
        }
        HttpRequest request;
        request.method = std::string(msg.method_string());
        request.target = std::string(msg.target());
        for (const auto& field : msg) request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        request.body = msg.body();
        request.has_body = (parser_->content_length() && *parser_->content_length() > 0) || parser_->chunked();
        keep_alive_ = msg.keep_alive();
        head_request_ = msg.method() == bhttp::verb::head;
        beast::error_code ignored;
        request.remote_ip = stream_.socket().remote_endpoint(ignored).address().to_string();
        stream_.expires_never();  // the broker always answers; a stream may idle for ever
        dispatch(request);
    }
    void dispatch(const HttpRequest& request);  // after ReplyImpl

    void respond(HttpResponse response) {
        response.close = response.close || !keep_alive_;
        close_after_write_ = response.close;
        if (head_request_) response.go_buffered = false;  // headers of the GET answer, with its length
        std::string bytes = serialize(response, http_date(unix_seconds()));
        // A HEAD answer has the headers of the GET answer but no body, as Go writes it.
        if (head_request_) bytes.resize(bytes.size() - (response.status == 204 || response.status == 304 ? 0 : response.body.size()));
        queue_write(std::move(bytes));
    }

    void start_stream(HttpResponse head, std::shared_ptr<StreamFeed> feed) {
        head.set("Transfer-Encoding", "chunked");
        head_ = serialize(head, http_date(unix_seconds()));
        feed_ = std::move(feed);
        std::weak_ptr<Connection> weak = shared_from_this();
        feed_->set_wake([weak, ex = stream_.get_executor()] {
            asio::post(ex, [weak] {
                if (auto self = weak.lock()) self->drain();
            });
        });
        watch_for_close();
    }

    // While streaming, a read only tells us when the client goes away.
    void watch_for_close() {
        stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                if (self->feed_) self->feed_->client_gone();
                self->close();
                return;
            }
            self->watch_for_close();
        });
    }

    // Moves the feed's lines to the socket, but only while no write is pending: a client that
    // stops reading leaves them in the feed, whose bound then ends the stream (stream_feed.hpp).
    void drain() {
        if (!feed_ || closed_) return;
        if (writing_) {
            // Stalled on a full socket: once the feed has overflowed, nothing will ever drain it.
            if (feed_->overflowed()) {
                feed_->client_gone();
                close();
            }
            return;
        }
        StreamFeed::Taken t = feed_->take();
        std::string bytes;
        if ((!t.lines.empty() || !t.history.empty()) && !head_.empty()) bytes = std::move(head_), head_.clear();
        for (const auto& piece : t.history) bytes += chunk(*piece);
        for (const std::string& line : t.lines) bytes += chunk(line);
        if (t.ended) {
            // The stream is over (shutdown, or the consumer fell too far behind): end the body
            // properly if it began, else the client gets no answer at all, and close.
            if (head_.empty()) bytes += "0\r\n\r\n";
            close_after_write_ = true;
            feed_->client_gone();  // the broker has already let this consumer go
        }
        if (!bytes.empty()) queue_write(std::move(bytes));
        else if (t.ended) close();
    }

    void queue_write(std::string bytes) {
        pending_ += bytes;
        if (!writing_) write_pending();
    }

    void write_pending() {
        if (pending_.empty()) {
            writing_ = false;
            if (close_after_write_) close();
            else if (feed_) drain();  // what arrived while this write was on its way
            else read();
            return;
        }
        writing_ = true;
        out_.swap(pending_);
        pending_.clear();
        if (!feed_) stream_.expires_after(server_.limits.read_timeout);
        asio::async_write(stream_, asio::buffer(out_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                if (self->feed_) self->feed_->client_gone();
                self->close();
                return;
            }
            self->write_pending();
        });
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    Server::Impl& server_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::string out_, pending_;
    bool writing_ = false, close_after_write_ = false, keep_alive_ = true, closed_ = false, head_request_ = false;
    std::shared_ptr<StreamFeed> feed_;
    std::string head_;  // a stream's head, written with its first line
    std::string continue_;  // "100 Continue", while it is being written
    char scratch_[512];
};

class Connection::ReplyImpl final : public Reply {
public:
    explicit ReplyImpl(std::shared_ptr<Connection> c) : connection_(std::move(c)) {}
    ~ReplyImpl() override {
        if (!answered_) {
            HttpResponse r = json_error(500, "INTERNAL", "no answer");
            r.close = true;
            connection_->post_response(std::move(r));
        }
    }
    void send(HttpResponse response) override {
        answered_ = true;
        connection_->post_response(std::move(response));
    }
    void stream(HttpResponse head, std::shared_ptr<StreamFeed> feed) override {
        answered_ = true;
        connection_->post_stream(std::move(head), std::move(feed));
    }

private:
    std::shared_ptr<Connection> connection_;
    bool answered_ = false;
};

void Connection::dispatch(const HttpRequest& request) {
    server_.handler(request, std::make_shared<ReplyImpl>(shared_from_this()));
}

// TCP keepalive: a peer that vanished without a FIN (a machine powered off, a NAT that forgot
// the connection) is found within about a minute, so an idle consume stream, which never
// writes, does not hold its connection and its stream slot for good.
void keep_alive(tcp::socket& socket) {
    beast::error_code ignored;
    socket.set_option(asio::socket_base::keep_alive(true), ignored);
    const int fd = socket.native_handle();
    const int idle_s = 30, interval_s = 10, probes = 3;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s);
    (void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof interval_s);
    (void)setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
}

}  // namespace

void Server::Impl::accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (ec) {  // out of file descriptors, say: try again shortly rather than spin
            accept_pause.expires_after(std::chrono::milliseconds(50));
            accept_pause.async_wait([this](beast::error_code wec) {
                if (!wec) accept();
            });
            return;
        }
        {
            if (connections >= limits.max_connections) {
                beast::error_code ignored;
                socket.close(ignored);  // over the bound: refused at once, documented
            } else {
                // Answers and stream lines are small and must leave at once, not wait for an ACK.
                beast::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                keep_alive(socket);
                std::make_shared<Connection>(std::move(socket), *this)->read();
            }
        }
        accept();
    });
}

namespace {

// Where to listen: an IP address, a host name (resolved), or "" for every interface (IPv6 and
// IPv4, as Go's ":8080" listens).
tcp::endpoint listen_endpoint(const std::string& host, unsigned short port) {
    if (host.empty() || host == "0.0.0.0" || host == "::") return tcp::endpoint(host == "0.0.0.0" ? tcp::v4() : tcp::v6(), port);
    beast::error_code ec;
    const auto ip = asio::ip::make_address(host, ec);
    if (!ec) return tcp::endpoint(ip, port);
    asio::io_context resolve;
    tcp::resolver r(resolve);
    const auto found = r.resolve(host, std::to_string(port));  // throws with the reason
    return *found.begin();
}

}  // namespace

Server::Server(const std::string& host, unsigned short port, ServerLimits limits, Handler handler)
    : impl_(std::make_unique<Impl>(listen_endpoint(host, port), limits, std::move(handler))) {}

Server::~Server() = default;

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string Server::address() const {
    const tcp::endpoint e = impl_->acceptor.local_endpoint();
    const std::string ip = e.address().to_string();
    return (e.address().is_v6() ? "[" + ip + "]" : ip) + ":" + std::to_string(e.port());
}

void Server::set_on_stop(std::function<void()> fn) { impl_->on_stop = std::move(fn); }

void Server::run() {
    if (impl_->limits.handle_signals) {
        impl_->signals.emplace(impl_->io, SIGINT, SIGTERM);
        impl_->signals->async_wait([this](beast::error_code ec, int) {
            if (!ec) stop();
        });
    }
    impl_->accept();
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < impl_->limits.threads; ++i) extra.emplace_back([this] { impl_->io.run(); });
    impl_->io.run();
    for (std::thread& t : extra) t.join();
}

void Server::stop() {
    asio::post(impl_->io, [this] {
        if (impl_->stopping) return;
        impl_->stopping = true;
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
        if (impl_->signals) impl_->signals->cancel(ignored);
        // The owner ends its streams; their last chunks get a moment to go out.
        if (impl_->on_stop) impl_->on_stop();
        impl_->grace.expires_after(std::chrono::milliseconds(300));
        impl_->grace.async_wait([this](beast::error_code) { impl_->io.stop(); });
    });
}

}  // namespace driftq::http
