#include "native/file_storage.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace driftq {

namespace {

Error os_error(const std::string& what, const std::string& path) {
    return make_error(Errc::io_error, what + " " + path + ": " + std::strerror(errno));
}

Status fsync_path(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return os_error("open", path);
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    errno = saved;
    if (rc != 0) return os_error("fsync", path);
    return {};
}

}  // namespace

Result<std::unique_ptr<FileStorage>> FileStorage::open(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return os_error("mkdir", dir);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return os_error("stat", dir);
    if (!S_ISDIR(st.st_mode)) return make_error(Errc::io_error, dir + " is not a directory");
    return std::unique_ptr<FileStorage>(new FileStorage(dir));
}

FileStorage::~FileStorage() {
    for (auto& [name, fd] : fds_) ::close(fd);
}

Result<int> FileStorage::descriptor(const std::string& name) {
    if (auto it = fds_.find(name); it != fds_.end()) return it->second;
    const std::string p = path(name);
    const int fd = ::open(p.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return os_error("open", p);
    fds_[name] = fd;
    return fd;
}

void FileStorage::forget(const std::string& name) {
    if (auto it = fds_.find(name); it != fds_.end()) {
        ::close(it->second);
        fds_.erase(it);
    }
}

Status FileStorage::append(const std::string& name, std::string_view bytes) {
    auto fd = descriptor(name);
    if (!fd) return fd.error();
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd.value(), bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return os_error("write", path(name));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Status FileStorage::sync(const std::string& name) {
    auto fd = descriptor(name);
    if (!fd) return fd.error();
    if (::fdatasync(fd.value()) != 0) return os_error("fdatasync", path(name));
    return {};
}

Status FileStorage::sync_dir() { return fsync_path(dir_, O_RDONLY | O_DIRECTORY); }

Result<std::string> FileStorage::read(const std::string& name) const {
    const std::string p = path(name);
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return os_error("open", p);
    // Read straight into a string sized from fstat; keep reading past it in case the file grew.
    struct stat st {};
    std::string out(::fstat(fd, &st) == 0 ? static_cast<std::size_t>(st.st_size) : 0, '\0');
    std::size_t have = 0;
    for (;;) {
        if (have == out.size()) out.resize(out.size() + (1 << 16));
        const ssize_t n = ::read(fd, out.data() + have, out.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            const Error e = os_error("read", p);
            ::close(fd);
            return e;
        }
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
    }
    ::close(fd);
    out.resize(have);
    return out;
}

Result<std::uint64_t> FileStorage::size(const std::string& name) const {
    struct stat st {};
    if (::stat(path(name).c_str(), &st) != 0) return os_error("stat", path(name));
    return static_cast<std::uint64_t>(st.st_size);
}

Result<std::vector<std::string>> FileStorage::list() const {
    DIR* d = ::opendir(dir_.c_str());
    if (!d) return os_error("opendir", dir_);
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

Status FileStorage::truncate(const std::string& name, std::uint64_t size) {
    if (::truncate(path(name).c_str(), static_cast<off_t>(size)) != 0) {
        return os_error("truncate", path(name));
    }
    return {};
}

Status FileStorage::rename(const std::string& from, const std::string& to) {
    forget(from);
    forget(to);
    if (::rename(path(from).c_str(), path(to).c_str()) != 0) return os_error("rename", path(from));
    return {};
}

Status FileStorage::remove(const std::string& name) {
    forget(name);
    if (::unlink(path(name).c_str()) != 0) return os_error("unlink", path(name));
    return {};
}

}  // namespace driftq
