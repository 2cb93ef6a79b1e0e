#include "plugin/id_table.hpp"

#include <cstring>

#include <boost/container_hash/hash.hpp>

#include "base/errors.hpp"

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

// A copy's chunks hold the same bytes at the same places.
IdArena::Store::Store(const Store& other)
    : payload_bytes(other.payload_bytes), used(other.used), entries(other.entries) {
    chunks.reserve(other.chunks.size());
    for (std::size_t c = 0; c < other.chunks.size(); ++c) {
        chunks.push_back(std::make_unique_for_overwrite<unsigned char[]>(kChunk));
        std::memcpy(chunks.back().get(), other.chunks[c].get(), other.used[c]);
    }
}

IdArena::Store& IdArena::Store::operator=(const Store& other) {
    if (this != &other) *this = Store(other);
    return *this;
}

// --- IdArena ---------------------------------------------------------------------

// Boost's hash of the bytes, then mixed (SplitMix64's finaliser): the index
// takes the bucket from the high bits and the tag from the low ones.
std::uint64_t IdArena::hash(std::string_view id) {
    std::uint64_t h = boost::hash_range(id.begin(), id.end());
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

IdArena::Handle IdArena::find(std::string_view id, std::uint64_t hash) const {
    return index_.find(hash, [&](Handle h) { return store_.id(h) == id; });
}

std::pair<IdArena::Handle, bool> IdArena::find_or_add(std::string_view id, std::uint64_t hash, const void* payload) {
    if (const Handle h = find(id, hash); h != npos) return {h, false};
    const Handle h = store_.put(id, payload);
    try {
        index_.insert_new(hash, h, [&](Handle x) { return IdArena::hash(store_.id(x)); });
    } catch (...) {
        store_.unput(h);
        throw;
    }
    return {h, true};
}

void IdArena::reserve(std::size_t n) {
    index_.reserve(index_.size() + n, [&](Handle x) { return hash(store_.id(x)); });
}

// --- IdTable ---------------------------------------------------------------------

std::uint32_t IdTable::find(std::string_view id, std::uint64_t hash) const {
    const IdArena::Handle h = arena_.find(id, hash);
    if (h == IdArena::npos) return npos;
    std::uint32_t n;
    std::memcpy(&n, arena_.payload(h), sizeof n);
    return n;
}

std::pair<std::uint32_t, bool> IdTable::find_or_add(std::string_view id, std::uint64_t hash) {
    if (size() >= npos) throw LimitError("more than 4,294,967,294 ids");
    auto n = static_cast<std::uint32_t>(handles_.size());
    if (handles_.size() == handles_.capacity()) handles_.reserve(2 * handles_.size() + 16);
    const auto [h, added] = arena_.find_or_add(id, hash, &n);
    if (added) handles_.push_back(h);  // room made above: cannot fail
    else std::memcpy(&n, arena_.payload(h), sizeof n);
    return {n, added};
}

void IdTable::reserve(std::size_t n) {
    arena_.reserve(n);
    handles_.reserve(handles_.size() + n);
}

}  // namespace crmtier
