// The power-loss cases on real files: a broker journals through PowerLossFileStorage (FileStorage
// plus a model of what the disk keeps) into a temporary directory; the power is cut while it
// runs, the state a cut leaves is written to another directory, and a restart from those files
// must rebuild exactly what was acknowledged. The same cut of a storage that skips its syncs
// must fail, so the test would catch a WAL that forgot one.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "native/power_loss_storage.hpp"
#include "random_workload.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char tmpl[] = "/tmp/driftq-power-XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

bool survives_power_cut_on_files(std::uint64_t seed, PowerLoss mode, bool skip_sync, bool skip_dir) {
    TempDir tmp;
    auto disk = PowerLossFileStorage::open((tmp.path / "live").string());
    REQUIRE(disk.ok());
    SwitchedStorage storage(*disk.value());  // skipping a sync in front of the power-loss model
    storage.skip_sync = skip_sync;
    storage.skip_sync_dir = skip_dir;
    BrokerOptions b;
    b.persist_topics = true;
    WalOptions w;
    w.segment_bytes = 4096;
    std::unique_ptr<FileStorage> after;
    std::string live_state;
    {
        Reopened live(storage, b, w);
        REQUIRE(live.restored.ok());
        random_workload(live.broker, seed, 300);
        live_state = live.broker.dump_durable_state();
        auto cut = disk.value()->crash_into((tmp.path / "after").string(), mode, seed);  // the broker still runs
        REQUIRE(cut.ok());
        after = std::move(cut).value();
    }
    Reopened again(*after, b);
    return again.restored.ok() && again.broker.dump_durable_state() == live_state;
}

}  // namespace

TEST_CASE("on real files, a power cut during random operations loses nothing acknowledged") {
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        for (PowerLoss mode : {PowerLoss::drop_unsynced, PowerLoss::keep_prefix, PowerLoss::keep_sectors}) {
            CAPTURE(seed);
            CAPTURE(static_cast<int>(mode));
            CHECK(survives_power_cut_on_files(seed, mode, false, false));
        }
    }
}

TEST_CASE("on real files, the power-cut test catches a skipped data sync and a skipped directory sync") {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
        CAPTURE(seed);
        CHECK_FALSE(survives_power_cut_on_files(seed, PowerLoss::drop_unsynced, true, false));
        CHECK_FALSE(survives_power_cut_on_files(seed, PowerLoss::drop_unsynced, false, true));
    }
}
