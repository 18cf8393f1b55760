#include "web/idb_storage.hpp"

#include <emscripten.h>

#include <cassert>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace driftq::web {

namespace {

EM_JS(void, js_idb_put, (const char* name, const char* data, int size), {
    DriftqIdb.put(UTF8ToString(name), HEAPU8.slice(data, data + size));  // a copy of the bytes
});
EM_JS(void, js_idb_remove, (const char* name), { DriftqIdb.remove(UTF8ToString(name)); });
EM_JS(void, js_idb_commit, (double epoch), { DriftqIdb.commit(epoch); });
EM_JS(int, js_idb_load_error, (), { return DriftqIdb.error ? DriftqIdb.error.code : 0; });
EM_JS(char*, js_idb_error_text, (), {
    return allocateUTF8(DriftqIdb.error ? DriftqIdb.error.text : "");
});

std::string take_js_string(char* s) {
    std::string out = s ? s : "";
    std::free(s);
    return out;
}

Error no_file(const std::string& name) { return make_error(Errc::io_error, "no such file: " + name); }

constexpr const char* kLoadDir = "/idb";  // where idb_pre.js put what the browser kept

}  // namespace

IdbStorage& IdbStorage::instance() {
    static IdbStorage storage;
    return storage;
}

IdbStorage::IdbStorage() {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(kLoadDir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        files_[fs::relative(it->path(), kLoadDir).generic_string()] = bytes.str();
        ++loaded_;
    }
    error_ = static_cast<IdbError>(js_idb_load_error());
    error_text_ = take_js_string(js_idb_error_text());
    // What could not be read must not be overwritten by what this page writes.
    writable_ = error_ == IdbError::none;
}

void IdbStorage::touch(const std::string& name) {
    dirty_.insert(name);
    removed_.erase(name);
}

Status IdbStorage::append(const std::string& name, std::string_view bytes) {
    files_[name].append(bytes);
    touch(name);
    return {};
}

Status IdbStorage::sync(const std::string& name) {
    if (!files_.count(name)) return no_file(name);
    wanted_ = true;
    return {};
}

Status IdbStorage::sync_dir() {
    wanted_ = true;
    return {};
}

Result<std::string> IdbStorage::read(const std::string& name) const {
    auto it = files_.find(name);
    if (it == files_.end()) return no_file(name);
    return it->second;
}

Result<std::uint64_t> IdbStorage::size(const std::string& name) const {
    auto it = files_.find(name);
    if (it == files_.end()) return no_file(name);
    return static_cast<std::uint64_t>(it->second.size());
}

Result<std::vector<std::string>> IdbStorage::list() const {
    std::vector<std::string> names;
    for (const auto& [name, bytes] : files_) names.push_back(name);
    return names;
}

Status IdbStorage::truncate(const std::string& name, std::uint64_t size) {
    auto it = files_.find(name);
    if (it == files_.end()) return no_file(name);
    if (size < it->second.size()) it->second.resize(static_cast<std::size_t>(size));
    touch(name);
    return {};
}

Status IdbStorage::rename(const std::string& from, const std::string& to) {
    auto it = files_.find(from);
    if (it == files_.end()) return no_file(from);
    files_[to] = std::move(it->second);
    files_.erase(from);
    dirty_.erase(from);
    removed_.insert(from);
    touch(to);
    return {};
}

Status IdbStorage::remove(const std::string& name) {
    if (!files_.erase(name)) return no_file(name);
    dirty_.erase(name);
    removed_.insert(name);
    return {};
}

std::uint64_t IdbStorage::flush() {
    if (!wanted_ || in_flight_ != 0 || !writable_) return 0;  // not writable: the error says why
    wanted_ = false;
    for (const std::string& name : dirty_) {
        const std::string& bytes = files_.at(name);
        js_idb_put(name.c_str(), bytes.data(), static_cast<int>(bytes.size()));
    }
    for (const std::string& name : removed_) js_idb_remove(name.c_str());
    in_flight_files_ = std::move(dirty_);
    in_flight_files_.insert(removed_.begin(), removed_.end());
    dirty_.clear();
    removed_.clear();
    const std::uint64_t epoch = next_epoch_++;
    in_flight_ = epoch;
    js_idb_commit(static_cast<double>(epoch));  // may report at once (no database)
    return epoch;
}

void IdbStorage::on_done(std::uint64_t epoch, int code) {
    if (epoch != in_flight_) return;  // not ours (one transaction in flight): never count it durable
    in_flight_ = 0;
    if (code == 0) {
        durable_epoch_ = epoch;
        error_ = IdbError::none;
        error_text_.clear();
    } else {
        // Nothing of the batch is kept: hand its files over again with the next change.
        for (const std::string& name : in_flight_files_) {
            if (files_.count(name)) dirty_.insert(name);
            else removed_.insert(name);
        }
        error_ = static_cast<IdbError>(code);
        error_text_ = take_js_string(js_idb_error_text());
        if (error_ == IdbError::closed) writable_ = false;  // another tab took the database over
    }
    in_flight_files_.clear();
}

std::string IdbStorage::advice() const {
    switch (error_) {
        case IdbError::none: return {};
        case IdbError::unavailable:
            return "This browser gives the page no storage (a private window, or storage turned off for this site). "
                   "The playground works, but nothing is kept after a reload: download what you want to keep.";
        case IdbError::blocked:
            return "Another tab has an older version of the playground open. Close it and reload this page.";
        case IdbError::version:
            return "This browser's saved playground was written by a newer version. Open the newer playground, "
                   "or clear this site's data in the browser settings to start afresh (the saved work is lost).";
        case IdbError::quota:
            return "The browser's storage for this site is full. Download the WAL or the session to keep them, then "
                   "free space (clear this site's data, or other sites' data) and act again to retry.";
        case IdbError::closed:
            return "A newer version of the playground opened in another tab and took over the storage. "
                   "Reload this page to go on saving.";
        case IdbError::other:
            if (!writable_) {
                return "Part of what this browser kept could not be read, so this visit saves nothing rather than write "
                       "over it. Download what you want to keep; clearing this site's data starts afresh.";
            }
            return "The browser refused to save. Download the WAL or the session to keep them; acting again retries.";
    }
    return {};
}

}  // namespace driftq::web

extern "C" EMSCRIPTEN_KEEPALIVE void driftq_idb_done(double epoch, int code) {
    driftq::web::IdbStorage::instance().on_done(static_cast<std::uint64_t>(epoch), code);
}
