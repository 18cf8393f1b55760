#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "broker/broker.hpp"
#include "base/text_codecs.hpp"
#include "wal/upstream_wal.hpp"

using namespace driftq;

namespace {
std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("base64 decodes Go's padded standard encoding and rejects the rest") {
    CHECK(base64_decode("azE=").value() == "k1");
    CHECK(base64_decode("").value().empty());
    CHECK(base64_decode("aGVsbG8gd29ybGQ=").value() == "hello world");
    CHECK(base64_decode("YQ==").value() == "a");
    CHECK_FALSE(base64_decode("YQ="));
    CHECK_FALSE(base64_decode("Y!==").ok());
    CHECK(base64_encode("hello world") == "aGVsbG8gd29ybGQ=");
    for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", std::string("\0\xff\x10", 3)}) {
        CHECK(base64_decode(base64_encode(s)).value() == s);
    }
}

TEST_CASE("RFC 3339 times become Unix milliseconds, fractions truncated, zones applied") {
    CHECK(parse_rfc3339_ms("1970-01-01T00:00:00Z").value() == 0);
    CHECK(parse_rfc3339_ms("2030-01-02T03:04:05Z").value() == 1893553445000);
    CHECK(parse_rfc3339_ms("2026-11-26T17:08:07.601374684Z").value() == 1795712887601);
    CHECK(parse_rfc3339_ms("2026-11-26T18:08:07.6+01:00").value() == 1795712887600);
    CHECK(parse_rfc3339_ms("2024-02-29T12:00:00-00:30").value() == 1709208000000 + 1800000);
    CHECK_FALSE(parse_rfc3339_ms("2026-11-26 17:08:07Z"));
    CHECK_FALSE(parse_rfc3339_ms("2026-13-26T17:08:07Z"));
    CHECK(parse_rfc3339_ms("2026-11-26T17:08:07").error().message.find("missing zone") !=
          std::string::npos);
}

TEST_CASE("the reference's observed upstream WAL replays to the state it describes") {
    const UpstreamWal parsed = parse_upstream_wal(read_file(DRIFTQ_TEST_DATA "/upstream_driftq.wal"), 0);
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.records.size() == 8);
    Broker b;
    for (const WalRecord& r : parsed.records) REQUIRE(b.apply_record(r, 0));
    b.finish_replay();
    // Partition count = highest index seen + 1; offsets 0 omitted by omitempty read back as 0.
    const Topic* t = b.find_topic("t");
    REQUIRE(t);
    CHECK(t->partitions.size() == 2);
    REQUIRE(t->partitions[1].messages.size() == 2);
    CHECK(t->partitions[1].messages[0].offset == 0);
    CHECK(t->partitions[1].messages[0].key() == "k1");
    const Envelope* env = t->partitions[1].messages[1].envelope();
    REQUIRE(env);
    CHECK(env->partition_override == 1);
    CHECK(env->retry_policy == RetryPolicy{1, 0, 0});
    CHECK(env->deadline_ms == 1893553445000);
    CHECK(b.committed_offset("t", "g", 1) == 1);
    const Message& dlq = b.find_topic("dlq.t")->partitions[0].messages.at(0);
    CHECK(dlq.envelope()->dlq == DlqMetadata{"t", 1, 1, 1, "boom", 1795712887105});
    // PENDING is dropped on replay; FAILED comes back without its owner.
    const IdemRecord& rec = b.idempotency().records().at(IdemKey{IdemScope::consume, "ten", "t", "g", "ik"});
    CHECK(rec.status == IdemStatus::failed);
    CHECK(rec.owner.empty());
    // Retry state at or below the commit is purged at the end of replay.
    CHECK(t->groups.at("g").partitions[1].retry_state.empty());
}

TEST_CASE("bad upstream lines are reported with their line numbers") {
    const std::string text =
        "{\"type\":1,\"topic\":\"t\",\"key\":\"azE=\",\"value\":\"djE=\"}\n"
        "\n"
        "{\"type\":1,\"topic\":\"t\",\"partition\":\"one\"}\n"
        "{\"type\":1,\"topic\":\"t\",\"key\":\"!!!!\"}\n"
        "{\"type\":3,\"topic\":\"t\"}\n"
        "{\"type\":4,\"topic\":\"t\",\"last_error_at\":\"yesterday\"}\n"
        "{\"type\":1,\"topic\":\"t\",\"val";
    const UpstreamWal parsed = parse_upstream_wal(text, 0);
    CHECK(parsed.records.size() == 1);
    CHECK(parsed.ignored == 1);
    REQUIRE(parsed.errors.size() == 4);
    CHECK(parsed.errors[0] == "line 3: field \"partition\": expected an integer");
    CHECK(parsed.errors[1].rfind("line 4: field \"key\": expected base64", 0) == 0);
    CHECK(parsed.errors[2].rfind("line 6: field \"last_error_at\"", 0) == 0);
    CHECK(parsed.errors[3] == "line 7: not a JSON object (torn last line?)");
}
