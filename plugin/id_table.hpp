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

#include <boost/unordered/unordered_flat_set.hpp>

namespace crmtier {

class IdArena {
public:
    using Handle = std::uint32_t;  // where an entry is: stable for the arena's life
    static constexpr Handle npos = UINT32_MAX;

    explicit IdArena(std::size_t payload_bytes);
    IdArena(const IdArena& other);
    IdArena& operator=(const IdArena& other);
    IdArena(IdArena&&) noexcept;
    IdArena& operator=(IdArena&&) noexcept;
    ~IdArena();

    // The entry of `id`, or npos when find() does not know it (never added,
    // or forgotten).
    Handle find(std::string_view id) const;
    // find(), and when not found, a new entry with `payload` (payload_bytes
    // of it) copied in: its handle, and whether it is new. Throws LimitError
    // when the entries would pass 4 GB.
    std::pair<Handle, bool> find_or_add(std::string_view id, const void* payload);
    std::string_view id(Handle h) const { return store_->id(h); }
    // The entry's payload_bytes bytes (no alignment: copy them in and out).
    unsigned char* payload(Handle h) { return store_->payload(h); }
    const unsigned char* payload(Handle h) const { return store_->payload(h); }
    // find() no longer finds the entry; it stays, with its payload, and
    // walk() still visits it.
    void forget(Handle h);

    std::size_t live() const { return index_.size(); }       // entries find() finds
    std::size_t entries() const { return store_->entries; }  // entries added
    // Room in the index for `n` more ids without rehashing.
    void reserve(std::size_t n);

    // f(handle) for every entry added (forgotten ones too), in the order added.
    template <class F>
    void walk(F&& f) const {
        const Store& s = *store_;
        for (std::size_t c = 0; c < s.used.size(); ++c)
            for (std::size_t off = 0; off < s.used[c];) {
                const auto h = static_cast<Handle>((c << Store::kChunkBits) | off);
                off += s.entry_size(h);
                f(h);
            }
    }

private:
    // The entries: chunks of 4 MB (1,024 of them: 4 GB), each entry a LEB128
    // length (1 byte below 128 bytes; at most 3 for the 1 MB an id may have),
    // the id's bytes and the payload, never split across chunks. A handle is
    // chunk << 22 | offset.
    struct Store {
        static constexpr unsigned kChunkBits = 22;
        static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;

        std::size_t payload_bytes;
        std::vector<std::unique_ptr<unsigned char[]>> chunks;
        std::vector<std::uint32_t> used;  // bytes of entries in each chunk
        std::size_t entries = 0;

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
    struct Hash {
        using is_transparent = void;
        const Store* store;
        std::size_t operator()(std::string_view s) const;
        std::size_t operator()(Handle h) const { return (*this)(store->id(h)); }
    };
    struct Eq {
        using is_transparent = void;
        const Store* store;
        bool operator()(Handle a, Handle b) const { return a == b || store->id(a) == store->id(b); }
        bool operator()(std::string_view s, Handle h) const { return store->id(h) == s; }
        bool operator()(Handle h, std::string_view s) const { return store->id(h) == s; }
    };
    using Index = boost::unordered_flat_set<Handle, Hash, Eq>;

    std::unique_ptr<Store> store_;  // on the heap: the index's functors point at it, so moves keep them valid
    Index index_;
};

// Ids numbered 0, 1, 2... in the order they were added: the number is the
// index of the id's row in the caller's own arrays (the accounts).
class IdTable {
public:
    static constexpr std::uint32_t npos = UINT32_MAX;

    IdTable();
    IdTable(const IdTable& other);
    IdTable& operator=(const IdTable& other);
    IdTable(IdTable&&) noexcept = default;
    IdTable& operator=(IdTable&&) noexcept = default;

    // The number of `id`, or npos (never added, or forgotten).
    std::uint32_t find(std::string_view id) const;
    // Adds an id that find() does not know and returns its number (size()
    // before the call).
    std::uint32_t add(std::string_view id) { return find_or_add(id).first; }
    // find(), and add() when not found: the number, and whether it is new.
    std::pair<std::uint32_t, bool> find_or_add(std::string_view id);
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
