// Storage on a POSIX directory. Appends go through cached O_APPEND descriptors; sync() is
// fsync of the file, sync_dir() fsync of the directory (needed for creates and renames to
// survive a crash). In the browser the same code runs over Emscripten's file system, where
// durability comes from an IndexedDB sync instead.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "wal/storage.hpp"

namespace driftq {

class FileStorage final : public Storage {
public:
    // Creates the directory if needed.
    static Result<std::unique_ptr<FileStorage>> open(const std::string& dir);
    ~FileStorage() override;
    FileStorage(const FileStorage&) = delete;
    FileStorage& operator=(const FileStorage&) = delete;

    Status append(const std::string& name, std::string_view bytes) override;
    Status sync(const std::string& name) override;
    Status sync_dir() override;
    Result<std::string> read(const std::string& name) const override;
    Result<std::uint64_t> size(const std::string& name) const override;
    Result<std::vector<std::string>> list() const override;
    Status truncate(const std::string& name, std::uint64_t size) override;
    Status rename(const std::string& from, const std::string& to) override;
    Status remove(const std::string& name) override;

    const std::string& dir() const { return dir_; }

private:
    explicit FileStorage(std::string dir) : dir_(std::move(dir)) {}
    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    Result<int> descriptor(const std::string& name);
    void forget(const std::string& name);

    std::string dir_;
    std::map<std::string, int> fds_;  // open append descriptors by file name
};

}  // namespace driftq
