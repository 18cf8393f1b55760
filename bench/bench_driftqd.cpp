// Load generator for driftqd over loopback (docs/benchmarks.md#driftqd), plain blocking sockets,
// one thread per connection:
//
//   bench_driftqd produce HOST:PORT CONNECTIONS SECONDS
//       keep-alive POST /v1/produce?topic=bench&key=..&value=(100 bytes) on each connection;
//       prints requests/s and latency percentiles (every answer must be 200).
//   bench_driftqd consume HOST:PORT CONSUMERS MESSAGES
//       produces MESSAGES to topic bench, then CONSUMERS streams in one group read them and ack
//       each (an ack waits for its sync); prints acked messages/s and ack latency.
//
// The topic `bench` must exist (scripts/bench-driftqd.sh creates it).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Addr {
    std::string host;
    int port = 0;
};

int connect_to(const Addr& a) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(a.port));
    ::inet_pton(AF_INET, a.host.c_str(), &sa.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        std::perror("connect");
        std::exit(1);
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

void send_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) {
            std::perror("send");
            std::exit(1);
        }
        off += static_cast<std::size_t>(n);
    }
}

// Reads one whole answer (headers and Content-Length body) from `buf`+socket; returns the status.
int read_answer(int fd, std::string& buf) {
    for (;;) {
        const std::size_t end = buf.find("\r\n\r\n");
        if (end != std::string::npos) {
            std::size_t length = 0;
            const std::size_t cl = buf.find("Content-Length: ");
            if (cl != std::string::npos && cl < end) length = std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
            if (buf.size() >= end + 4 + length) {
                const int status = std::atoi(buf.c_str() + 9);
                buf.erase(0, end + 4 + length);
                return status;
            }
        }
        char tmp[65536];
        const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
        if (n <= 0) return -1;
        buf.append(tmp, static_cast<std::size_t>(n));
    }
}

std::string request(const std::string& method, const std::string& target, const std::string& body = {}) {
    return method + " " + target + " HTTP/1.1\r\nHost: bench\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct Latencies {
    std::mutex mutex;
    std::vector<double> us;
    void add(std::vector<double>& mine) {
        std::lock_guard lock(mutex);
        us.insert(us.end(), mine.begin(), mine.end());
    }
    double pct(double p) {
        if (us.empty()) return 0;
        std::sort(us.begin(), us.end());
        return us[std::min(us.size() - 1, static_cast<std::size_t>(p * static_cast<double>(us.size())))];
    }
};

const std::string kValue(100, 'v');

int produce(const Addr& a, int connections, double seconds) {
    std::atomic<long> done{0}, failed{0};
    Latencies lat;
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            const int fd = connect_to(a);
            std::string buf;
            std::vector<double> mine;
            for (long i = 0; Clock::now() < until; ++i) {
                const auto t0 = Clock::now();
                send_all(fd, request("POST", "/v1/produce?topic=bench&key=c" + std::to_string(c) + "-" + std::to_string(i) + "&value=" + kValue));
                const int status = read_answer(fd, buf);
                mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
                (status == 200 ? done : failed)++;
            }
            ::close(fd);
            lat.add(mine);
        });
    }
    for (auto& t : threads) t.join();
    std::printf("produce: %d connections, %.0f s: %ld requests, %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %ld not 200\n",
                connections, seconds, done.load(), static_cast<double>(done) / seconds, lat.pct(0.50) / 1000, lat.pct(0.99) / 1000,
                failed.load());
    return failed == 0 ? 0 : 1;
}

// The offset and partition of one NDJSON line.
bool position(const std::string& line, long& partition, long& offset) {
    const auto p = line.find("\"partition\":"), o = line.find("\"offset\":");
    if (p == std::string::npos || o == std::string::npos) return false;
    partition = std::strtol(line.c_str() + p + 12, nullptr, 10);
    offset = std::strtol(line.c_str() + o + 9, nullptr, 10);
    return true;
}

int consume(const Addr& a, int consumers, long messages) {
    {  // load the topic first, on 16 connections
        std::vector<std::thread> loaders;
        for (int c = 0; c < 16; ++c) {
            loaders.emplace_back([&, c] {
                const int fd = connect_to(a);
                std::string buf;
                for (long i = c; i < messages; i += 16) {
                    send_all(fd, request("POST", "/v1/produce?topic=bench&key=m" + std::to_string(i) + "&value=" + kValue));
                    if (read_answer(fd, buf) != 200) std::exit(1);
                }
                ::close(fd);
            });
        }
        for (auto& t : loaders) t.join();
    }
    std::atomic<long> acked{0};
    Latencies lat;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < consumers; ++c) {
        threads.emplace_back([&, c] {
            const std::string owner = "w" + std::to_string(c);
            const int stream = connect_to(a);
            send_all(stream, request("GET", "/v1/consume?topic=bench&group=bench-readers&owner=" + owner + "&lease_ms=60000"));
            const int acks = connect_to(a);
            std::string sbuf, abuf;
            std::vector<double> mine;
            bool head = false;
            while (acked < messages) {
                char tmp[65536];
                const ssize_t n = ::recv(stream, tmp, sizeof tmp, 0);
                if (n <= 0) break;
                sbuf.append(tmp, static_cast<std::size_t>(n));
                if (!head) {
                    const auto e = sbuf.find("\r\n\r\n");
                    if (e == std::string::npos) continue;
                    sbuf.erase(0, e + 4);
                    head = true;
                }
                // Chunks: "<hex>\r\n<line>\r\n".
                for (;;) {
                    const auto crlf = sbuf.find("\r\n");
                    if (crlf == std::string::npos) break;
                    const std::size_t size = std::strtoul(sbuf.c_str(), nullptr, 16);
                    if (sbuf.size() < crlf + 2 + size + 2) break;
                    const std::string line = sbuf.substr(crlf + 2, size);
                    sbuf.erase(0, crlf + 2 + size + 2);
                    long p = 0, o = 0;
                    if (!position(line, p, o)) continue;
                    const auto t0 = Clock::now();
                    send_all(acks, request("POST", "/v1/ack?topic=bench&group=bench-readers&owner=" + owner + "&partition=" +
                                                       std::to_string(p) + "&offset=" + std::to_string(o)));
                    if (read_answer(acks, abuf) == 204) ++acked;
                    mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
                }
            }
            ::shutdown(stream, SHUT_RDWR);
            ::close(stream);
            ::close(acks);
            lat.add(mine);
        });
    }
    // The last consumers may wait on a stream with nothing left for them: stop them once all is acked.
    while (acked < messages && Clock::now() - start < std::chrono::seconds(120)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("consume: %d consumers, %ld messages: %.0f acked messages/s, ack p50 %.2f ms, p99 %.2f ms\n", consumers,
                acked.load(), static_cast<double>(acked) / took, lat.pct(0.50) / 1000, lat.pct(0.99) / 1000);
    std::fflush(stdout);
    std::_Exit(acked >= messages ? 0 : 1);  // streams of consumers with nothing left still block
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: bench_driftqd produce HOST:PORT CONNECTIONS SECONDS\n"
                             "       bench_driftqd consume HOST:PORT CONSUMERS MESSAGES\n");
        return 2;
    }
    const std::string mode = argv[1], addr = argv[2];
    Addr a{addr.substr(0, addr.rfind(':')), std::atoi(addr.c_str() + addr.rfind(':') + 1)};
    if (mode == "produce") return produce(a, std::atoi(argv[3]), std::atof(argv[4]));
    if (mode == "consume") return consume(a, std::atoi(argv[3]), std::atol(argv[4]));
    return 2;
}
