#include "wal/storage.hpp"

namespace driftq {

Status write_file_atomic(Storage& storage, const std::string& name, std::string_view bytes) {
    const std::string tmp = name + ".tmp";
    if (auto existing = storage.size(tmp); existing) {
        if (Status s = storage.remove(tmp); !s) return s;
    }
    if (Status s = storage.append(tmp, bytes); !s) return s;
    if (Status s = storage.sync(tmp); !s) return s;
    if (Status s = storage.rename(tmp, name); !s) return s;
    return storage.sync_dir();
}

}  // namespace driftq
