// Appending to the WAL, group commit, segment rolling, and the repairs done at open.
#include "wal/wal.hpp"
#include "wal/wal_format.hpp"

namespace driftq {

namespace {

// A name for set-aside bytes that does not overwrite an earlier quarantine.
std::string aside_name(const Storage& storage, const std::string& base) {
    std::string name = base;
    for (int n = 2; storage.size(name); ++n) name = base + "." + std::to_string(n);
    return name;
}

// Moves what cannot be kept out of the way. Nothing is deleted: damaged bytes are copied to a
// side file before the segment is truncated, and later segments are renamed.
Status quarantine(Storage& storage, WalContents& c, const WalDamage& d) {
    WalSegment& seg = c.segments[d.segment];
    const auto kind = d.torn ? RecoveryIssue::Kind::torn_tail : RecoveryIssue::Kind::corruption;
    c.issues.push_back({kind, seg.name, d.offset, d.detail});
    if (d.offset < kSegmentHeaderSize) {
        const std::string aside = aside_name(storage, seg.name + ".quarantined");
        if (Status s = storage.rename(seg.name, aside); !s) return s;
        c.issues.push_back({RecoveryIssue::Kind::quarantined, seg.name, 0, "renamed to " + aside});
        c.segments.erase(c.segments.begin() + static_cast<std::ptrdiff_t>(d.segment));
    } else {
        auto data = storage.read(seg.name);
        if (!data) return data.error();
        if (d.offset < data.value().size()) {
            const std::string aside = aside_name(storage, seg.name + ".tail-" + std::to_string(d.offset));
            if (Status s = storage.append(aside, std::string_view(data.value()).substr(static_cast<std::size_t>(d.offset))); !s) return s;
            if (Status s = storage.sync(aside); !s) return s;
            c.issues.push_back({RecoveryIssue::Kind::quarantined, seg.name, d.offset,
                                std::to_string(data.value().size() - d.offset) + " bytes copied to " +
                                    aside + " before truncating"});
        }
        if (Status s = storage.truncate(seg.name, d.offset); !s) return s;
        if (Status s = storage.sync(seg.name); !s) return s;
        seg.size = d.offset;
    }
    const std::size_t keep = d.offset < kSegmentHeaderSize ? d.segment : d.segment + 1;
    while (c.segments.size() > keep) {
        const std::string name = c.segments.back().name;
        const std::string aside = aside_name(storage, name + ".quarantined");
        if (Status s = storage.rename(name, aside); !s) return s;
        c.issues.push_back({RecoveryIssue::Kind::quarantined, name, 0,
                            "after the damage; renamed to " + aside});
        c.segments.pop_back();
    }
    return storage.sync_dir();
}

}  // namespace

Result<std::unique_ptr<Wal>> Wal::open(Storage& storage, WalOptions options,
                                       WalContents* recovered, const RecordVisitor& visitor) {
    if (storage.syncs_later()) {  // "durable up to record N" would be said before it is true
        return make_error(Errc::unsupported, "the WAL needs a storage whose sync() is durable when it returns");
    }
    auto read = read_wal(storage, visitor);
    if (!read) return read.error();
    WalContents& c = read.value();
    if (Status s = check_recovery_policy(c, options.recovery); !s) return s.error();
    if (c.damage) {
        if (Status s = quarantine(storage, c, *c.damage); !s) return s.error();
    }
    std::unique_ptr<Wal> wal(new Wal(storage, options));
    wal->segments_ = c.segments;
    wal->appended_ = wal->written_ = wal->durable_ = c.record_count;
    if (wal->segments_.empty() || wal->segments_.back().size >= options.segment_bytes) {
        const std::uint32_t next = wal->segments_.empty() ? 1 : wal->segments_.back().index + 1;
        if (Status s = wal->start_segment(next); !s) return s.error();
    } else {
        wal->current_size_ = wal->segments_.back().size;
        if (Status s = wal->write_manifest(); !s) return s.error();
    }
    if (recovered) *recovered = std::move(c);
    return wal;
}

std::unique_ptr<Wal> Wal::clone(Storage& storage) const {
    std::unique_ptr<Wal> w(new Wal(storage, options_));
    w->segments_ = segments_;
    w->current_size_ = current_size_;
    w->buffer_ = buffer_;
    w->appended_ = appended_;
    w->written_ = written_;
    w->durable_ = durable_;
    w->oldest_unsynced_at_ = oldest_unsynced_at_;
    w->failed_ = failed_;
    return w;
}

Wal::~Wal() {
    if (!failed_) (void)sync();
}

Status Wal::write_manifest() {
    std::string text = std::string(kManifestFirstLine) + "\n";
    for (const WalSegment& s : segments_) text += "segment " + s.name + "\n";
    return write_file_atomic(storage_, kManifestName, text);
}

Status Wal::start_segment(std::uint32_t index) {
    const std::string name = segment_name(index);
    // A leftover file of that name (a crash between creating it and listing it, when it was
    // empty) would otherwise get a second header appended.
    if (storage_.size(name)) {
        if (Status s = storage_.rename(name, aside_name(storage_, name + ".stale")); !s) return s;
    }
    if (Status s = storage_.append(name, encode_segment_header(index, appended_)); !s) return s;
    if (Status s = storage_.sync(name); !s) return s;
    segments_.push_back(WalSegment{name, index, appended_, kSegmentHeaderSize});
    current_size_ = kSegmentHeaderSize;
    return write_manifest();  // syncs the directory too
}

Status Wal::roll() {
    // The old segment is synced whatever the policy, so sync() only ever concerns the current one.
    if (Status s = sync(); !s) return s;
    return start_segment(segments_.back().index + 1);
}

Result<std::uint64_t> Wal::append(const WalRecord& record, TimeMs now) {
    if (failed_) {
        return make_error(Errc::io_error, "WAL refuses appends after an earlier storage error");
    }
    // Encode in place after a header placeholder, then fill the header in.
    const std::size_t start = buffer_.size();
    buffer_.append(kRecordHeaderSize, '\0');
    encode_payload(record, buffer_);
    const std::size_t framed = buffer_.size() - start;
    const auto type = static_cast<std::uint8_t>(record_type(record));
    const std::string_view payload(buffer_.data() + start + kRecordHeaderSize, framed - kRecordHeaderSize);
    if (payload.size() > kMaxRecordPayload) {  // the reader would call it damage: never write it
        const std::size_t size = payload.size();
        buffer_.resize(start);
        return make_error(Errc::too_large, "WAL record too large: " + std::to_string(size) + " bytes, at most " +
                                               std::to_string(kMaxRecordPayload));
    }
    buffer_.replace(start, kRecordHeaderSize, encode_record_header(type, payload));

    if (current_size_ + framed > options_.segment_bytes && current_size_ > kSegmentHeaderSize) {
        // The record belongs to the next segment: hold it back while the current one closes.
        std::string held = buffer_.substr(start);
        buffer_.resize(start);
        if (Status s = roll(); !s) {
            failed_ = true;
            return s.error();
        }
        buffer_ += held;
    }
    current_size_ += framed;
    const std::uint64_t number = appended_++;
    if (!oldest_unsynced_at_) oldest_unsynced_at_ = now;
    Status s;
    if (options_.durability == Durability::always) {
        s = sync();
    } else {
        if (buffer_.size() >= options_.buffer_bytes) s = flush();
        if (s) s = poll(now);
    }
    if (!s) return s.error();
    return number;
}

Status Wal::flush() {
    if (buffer_.empty()) return {};
    if (Status s = storage_.append(segments_.back().name, buffer_); !s) {
        failed_ = true;
        return s;
    }
    buffer_.clear();
    written_ = appended_;
    return {};
}

Status Wal::sync() {
    if (durable_ == appended_) return {};
    if (Status s = flush(); !s) return s;
    if (Status s = storage_.sync(segments_.back().name); !s) {
        failed_ = true;
        return s;
    }
    durable_ = appended_;
    oldest_unsynced_at_.reset();
    return {};
}

Status Wal::poll(TimeMs now) {
    if (options_.durability != Durability::batch || durable_ == appended_) return {};
    const bool full = appended_ - durable_ >= options_.batch_max_records;
    const bool old = oldest_unsynced_at_ && now - *oldest_unsynced_at_ >= options_.batch_max_delay_ms;
    return full || old ? sync() : Status{};
}

}  // namespace driftq
