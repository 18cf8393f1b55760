// driftq-viz --listen: driftqd's HTTP broker inside the visualiser. The broker runs on its own
// threads with its WAL on real files, exactly as driftqd does; every round's commands reach the
// UI through take(), which appends them to the session, so the panels show real clients'
// traffic as it happens and time travel works on it while the broker goes on.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "native/driftqd/live_broker.hpp"
#include "native/driftqd/routes.hpp"
#include "native/driftqd/server.hpp"
#include "native/file_storage.hpp"
#include "ui/live_source.hpp"

namespace driftq::viz {

class LiveView final : public ui::LiveSource {
public:
    // Listens on `addr` ("127.0.0.1:8080", ":8080", port 0 for any) with the WAL in `wal_dir`,
    // which must hold no records: the view replays the broker from empty.
    static Result<std::unique_ptr<LiveView>> start(const std::string& addr, const std::string& wal_dir);
    ~LiveView() override;

    Batch take() override;
    std::string describe() const override;
    // The scenario the view's session runs: the broker's, with a first lesson step that says
    // what this window is and what to send it.
    sim::Scenario scenario() const;
    std::string address() const { return server_->address(); }

private:
    LiveView() = default;
    void on_round(std::vector<sim::TimedCommand>&& applied, TimeMs now);

    http::LiveOptions options_;
    std::string wal_dir_;
    std::unique_ptr<FileStorage> storage_;
    std::unique_ptr<http::LiveBroker> broker_;
    std::unique_ptr<http::Server> server_;
    http::ServerInfo info_;
    std::thread thread_;
    mutable std::mutex mutex_;
    Batch pending_;
};

}  // namespace driftq::viz
