// Ids (of accounts, of revenue records) kept once and packed, found by their
// text in O(1).
//
// A portfolio holds millions of ids. As std::string keys of a hash map they
// cost ~40 bytes of slot each (twice the slots while the map grows) plus the
// text; here an id costs its text, a length byte and a fixed-size payload in a
// chunked arena, and a 4-byte hash slot. The payload is what the caller keeps
// per id (a revenue record's row: reading the id and its row is one cache
// miss, not two), or the id's number (IdTable).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin/handle_set.hpp"

namespace crmtier {

class IdArena {
public:
    using Handle = std::uint32_t;  // where an entry is: stable for the arena's life
    static constexpr Handle npos = UINT32_MAX;

    explicit IdArena(std::size_t payload_bytes) { store_.payload_bytes = payload_bytes; }

    // The hash every lookup goes by; computing it ahead (on another thread,
    // say) and passing it saves the work where the lookup happens.
    static std::uint64_t hash(std::string_view id);

    // The entry of `id`, or npos when find() does not know it (never added,
    // or forgotten).
    Handle find(std::string_view id) const { return find(id, hash(id)); }
    Handle find(std::string_view id, std::uint64_t hash) const;
    // find(), and when not found, a new entry with `payload` (payload_bytes
    // of it) copied in: its handle, and whether it is new. Throws LimitError
    // when the entries would pass 4 GB.
    std::pair<Handle, bool> find_or_add(std::string_view id, const void* payload) {
        return find_or_add(id, hash(id), payload);
    }
    std::pair<Handle, bool> find_or_add(std::string_view id, std::uint64_t hash, const void* payload);
    // Starts fetching what a lookup of this hash will read first.
    void prefetch(std::uint64_t hash) const { index_.prefetch(hash); }

    std::string_view id(Handle h) const { return store_.id(h); }
    // The entry's payload_bytes bytes (no alignment: copy them in and out).
    unsigned char* payload(Handle h) { return store_.payload(h); }
    const unsigned char* payload(Handle h) const { return store_.payload(h); }
    // find() no longer finds the entry; it stays, with its payload, and
    // walk() still visits it.
    void forget(Handle h) { index_.erase(hash(id(h)), h); }

    std::size_t live() const { return index_.size(); }      // entries find() finds
    std::size_t entries() const { return store_.entries; }  // entries added
    // Room for `n` more ids without the index growing.
    void reserve(std::size_t n);

    // f(handle) for every entry added (forgotten ones too), in the order added.
    template <class F>
    void walk(F&& f) const {
        for (std::size_t c = 0; c < store_.used.size(); ++c)
            for (std::size_t off = 0; off < store_.used[c];) {
                const auto h = static_cast<Handle>((c << Store::kChunkBits) | off);
                off += store_.entry_size(h);
                f(h);
            }
    }

private:
    // The entries: chunks of 4 MB (1,024 of them: 4 GB), each entry a LEB128
    // length (1 byte below 128 bytes; at most 3 for the 1 MB an id may have),
    // the id's bytes and the payload, never split across chunks. A handle is
    // chunk << 22 | offset. A copy has its entries at the same places, so
    // the same handles (and the index, plain data, copies as it is).
    struct Store {
        static constexpr unsigned kChunkBits = 22;
        static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;

        std::size_t payload_bytes = 0;
        std::vector<std::unique_ptr<unsigned char[]>> chunks;
        std::vector<std::uint32_t> used;  // bytes of entries in each chunk
        std::size_t entries = 0;

        Store() = default;
        Store(const Store& other);
        Store& operator=(const Store& other);
        Store(Store&&) noexcept = default;
        Store& operator=(Store&&) noexcept = default;

        unsigned char* at(Handle h) const { return chunks[h >> kChunkBits].get() + (h & (kChunk - 1)); }
        std::string_view id(Handle h, const unsigned char** after = nullptr) const;
        unsigned char* payload(Handle h) const {
            const unsigned char* after;
            id(h, &after);
            return const_cast<unsigned char*>(after);
        }
        std::size_t entry_size(Handle h) const {
            const unsigned char* after;
            id(h, &after);
            return static_cast<std::size_t>(after - at(h)) + payload_bytes;
        }
        Handle put(std::string_view id, const void* payload);
        void unput(Handle h);  // the entry put last, taken out
    };

    Store store_;
    HandleSet index_;
};

// Ids numbered 0, 1, 2... in the order they were added: the number is the
// index of the id's row in the caller's own arrays (the accounts).
class IdTable {
public:
    static constexpr std::uint32_t npos = UINT32_MAX;

    IdTable() : arena_(sizeof(std::uint32_t)) {}

    // The number of `id`, or npos (never added, or forgotten). `hash`:
    // IdArena::hash(id), when it was computed ahead.
    std::uint32_t find(std::string_view id) const { return find(id, IdArena::hash(id)); }
    std::uint32_t find(std::string_view id, std::uint64_t hash) const;
    // Adds an id that find() does not know and returns its number (size()
    // before the call).
    std::uint32_t add(std::string_view id) { return find_or_add(id).first; }
    // find(), and add() when not found: the number, and whether it is new.
    std::pair<std::uint32_t, bool> find_or_add(std::string_view id) { return find_or_add(id, IdArena::hash(id)); }
    std::pair<std::uint32_t, bool> find_or_add(std::string_view id, std::uint64_t hash);
    void prefetch(std::uint64_t hash) const { arena_.prefetch(hash); }
    // The text of number n (n < size()), also after forget(n).
    std::string_view id(std::uint32_t n) const { return arena_.id(handles_[n]); }
    // find() no longer finds n's id; the number is not handed out again.
    void forget(std::uint32_t n) { arena_.forget(handles_[n]); }

    std::size_t size() const { return handles_.size(); }  // numbers handed out
    std::size_t live() const { return arena_.live(); }    // ids find() finds
    void reserve(std::size_t n);

private:
    IdArena arena_;
    std::vector<IdArena::Handle> handles_;  // number -> entry; the entry's payload is the number
};

}  // namespace crmtier
