#include "id_table.hpp"

#include <cstring>

#include <boost/container_hash/hash.hpp>

#include "errors.hpp"

namespace crmtier {

// --- IdArena::Store --------------------------------------------------------------

std::string_view IdArena::Store::id(Handle h, const unsigned char** after) const {
    const unsigned char* p = at(h);
    std::size_t len = 0;
    for (unsigned shift = 0;; shift += 7) {
        const unsigned char b = *p++;
        len |= static_cast<std::size_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
    }
    if (after) *after = p + len;
    return {reinterpret_cast<const char*>(p), len};
}

IdArena::Handle IdArena::Store::put(std::string_view s, const void* payload) {
    unsigned char head[4];
    std::size_t h = 0;
    for (std::size_t len = s.size();; len >>= 7) {
        head[h++] = static_cast<unsigned char>((len & 0x7f) | (len >= 0x80 ? 0x80 : 0));
        if (len < 0x80) break;
    }
    const std::size_t need = h + s.size() + payload_bytes;
    if (h > sizeof head - 1 || need > kChunk) throw LimitError("an id of " + std::to_string(s.size()) + " bytes is too long to keep");
    if (used.empty() || kChunk - used.back() < need) {
        if (chunks.size() == std::size_t{1} << (32 - kChunkBits))
            throw LimitError("the portfolio's ids would pass 4 GB");
        chunks.push_back(std::make_unique_for_overwrite<unsigned char[]>(kChunk));
        try {
            used.push_back(0);
        } catch (...) {
            chunks.pop_back();
            throw;
        }
    }
    const auto pos = static_cast<Handle>(((chunks.size() - 1) << kChunkBits) | used.back());
    unsigned char* d = chunks.back().get() + used.back();
    std::memcpy(d, head, h);
    std::memcpy(d + h, s.data(), s.size());
    std::memcpy(d + h + s.size(), payload, payload_bytes);
    used.back() += static_cast<std::uint32_t>(need);
    ++entries;
    return pos;
}

void IdArena::Store::unput(Handle h) {
    used.back() = h & (kChunk - 1);  // a chunk it opened stays, empty
    --entries;
}

// --- IdArena ---------------------------------------------------------------------

std::size_t IdArena::Hash::operator()(std::string_view s) const { return boost::hash_range(s.begin(), s.end()); }

IdArena::IdArena(std::size_t payload_bytes)
    : store_(std::make_unique<Store>()), index_(0, Hash{store_.get()}, Eq{store_.get()}) {
    store_->payload_bytes = payload_bytes;
}

// A copy gets its own entries (the same handles: the same layout), so its
// index is built anew around them.
IdArena::IdArena(const IdArena& other) : IdArena(other.store_->payload_bytes) { *this = other; }

IdArena& IdArena::operator=(const IdArena& other) {
    if (this == &other) return *this;
    auto store = std::make_unique<Store>();
    store->payload_bytes = other.store_->payload_bytes;
    store->entries = other.store_->entries;
    store->used = other.store_->used;
    store->chunks.reserve(other.store_->chunks.size());
    for (std::size_t c = 0; c < other.store_->chunks.size(); ++c) {
        store->chunks.push_back(std::make_unique_for_overwrite<unsigned char[]>(Store::kChunk));
        std::memcpy(store->chunks.back().get(), other.store_->chunks[c].get(), other.store_->used[c]);
    }
    Index index(other.index_.size(), Hash{store.get()}, Eq{store.get()});
    for (Handle h : other.index_) index.insert(h);
    index_ = std::move(index);  // the functors come along with the elements
    store_ = std::move(store);
    return *this;
}

IdArena::IdArena(IdArena&&) noexcept = default;
IdArena& IdArena::operator=(IdArena&&) noexcept = default;
IdArena::~IdArena() = default;

IdArena::Handle IdArena::find(std::string_view id) const {
    auto it = index_.find(id);
    return it == index_.end() ? npos : *it;
}

// The entry goes in first (the index holds handles of entries); when the id
// was there already, it is taken out again.
std::pair<IdArena::Handle, bool> IdArena::find_or_add(std::string_view id, const void* payload) {
    const Handle h = store_->put(id, payload);
    std::pair<Index::iterator, bool> in;
    try {
        in = index_.insert(h);
    } catch (...) {
        store_->unput(h);
        throw;
    }
    if (in.second) return {h, true};
    store_->unput(h);
    return {*in.first, false};
}

void IdArena::forget(Handle h) { index_.erase(h); }

void IdArena::reserve(std::size_t n) { index_.reserve(index_.size() + n); }

// --- IdTable ---------------------------------------------------------------------

IdTable::IdTable() : arena_(sizeof(std::uint32_t)) {}

// The copy's entries sit where the original's do, so the handles carry over.
IdTable::IdTable(const IdTable& other) = default;
IdTable& IdTable::operator=(const IdTable& other) = default;

std::uint32_t IdTable::find(std::string_view id) const {
    const IdArena::Handle h = arena_.find(id);
    if (h == IdArena::npos) return npos;
    std::uint32_t n;
    std::memcpy(&n, arena_.payload(h), sizeof n);
    return n;
}

std::pair<std::uint32_t, bool> IdTable::find_or_add(std::string_view id) {
    if (size() >= npos) throw LimitError("more than 4,294,967,294 ids");
    auto n = static_cast<std::uint32_t>(handles_.size());
    handles_.reserve(handles_.size() + 1 > handles_.capacity() ? 2 * handles_.size() + 16 : 0);
    const auto [h, added] = arena_.find_or_add(id, &n);
    if (added) handles_.push_back(h);  // room made above: cannot fail
    else std::memcpy(&n, arena_.payload(h), sizeof n);
    return {n, added};
}

void IdTable::reserve(std::size_t n) {
    arena_.reserve(n);
    handles_.reserve(handles_.size() + n);
}

}  // namespace crmtier
