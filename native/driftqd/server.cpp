#include "native/driftqd/server.hpp"

#include <csignal>
#include <ctime>
#include <optional>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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

}  // namespace

struct Server::Impl {
    Impl(const std::string& host, unsigned short port, ServerLimits l, Handler h)
        : limits(l), handler(std::move(h)), acceptor(io, tcp::endpoint(asio::ip::make_address(host), port)) {}

    void accept();

    ServerLimits limits;
    Handler handler;
    asio::io_context io{1};
    tcp::acceptor acceptor;
    std::size_t connections = 0;  // only touched on the io thread
    asio::signal_set signals{io, SIGINT, SIGTERM};  // graceful stop
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
        ++server_.connections;
    }
    ~Connection() { --server_.connections; }

    void read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_.limits.max_header_bytes));
        parser_->body_limit(server_.limits.max_body_bytes);
        stream_.expires_after(server_.limits.read_timeout);
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

private:
    void on_read(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
            close();
            return;
        }
        if (ec) {
            write(unparseable_answer(ec), true);
            return;
        }
        const auto& msg = parser_->get();
        HttpRequest request;
        request.method = std::string(msg.method_string());
        request.target = std::string(msg.target());
        for (const auto& field : msg) request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        request.body = msg.body();
        request.has_body = (parser_->content_length() && *parser_->content_length() > 0) || parser_->chunked();
        HttpResponse response = server_.handler(request);
        const bool close_after = response.close || !msg.keep_alive();
        response.close = close_after;
        write(serialize(response, http_date(unix_seconds())), close_after);
    }

    void write(std::string bytes, bool close_after) {
        out_ = std::move(bytes);
        stream_.expires_after(server_.limits.read_timeout);
        asio::async_write(stream_, asio::buffer(out_),
                          [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
                              if (ec || close_after) self->close();
                              else self->read();
                          });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    Server::Impl& server_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::string out_;
};

}  // namespace

void Server::Impl::accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (!ec) {
            if (connections >= limits.max_connections) {
                beast::error_code ignored;
                socket.close(ignored);  // over the bound: refused at once, documented
            } else {
                std::make_shared<Connection>(std::move(socket), *this)->read();
            }
        }
        accept();
    });
}

Server::Server(const std::string& host, unsigned short port, ServerLimits limits, Handler handler)
    : impl_(std::make_unique<Impl>(host, port, limits, std::move(handler))) {}

Server::~Server() = default;

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string Server::address() const {
    const tcp::endpoint e = impl_->acceptor.local_endpoint();
    return e.address().to_string() + ":" + std::to_string(e.port());
}

void Server::run() {
    impl_->signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) stop();
    });
    impl_->accept();
    impl_->io.run();
}

void Server::stop() {
    asio::post(impl_->io, [this] {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
        impl_->io.stop();
    });
}

}  // namespace driftq::http
