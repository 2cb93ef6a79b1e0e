// A hash set of 32-bit handles whose keys live elsewhere (IdArena's ids),
// laid out for one cache miss per lookup: open addressing over 64-byte
// buckets of 12 slots, each bucket holding its slots' tags (7 bits of the
// hash) and its handles together, so a lookup reads one cache line and then
// the key of a slot whose tag matches (1 in 128 of the others). The caller
// passes the hash (computed once, possibly on another thread) and how to
// compare and rehash keys, so the set holds no pointer to anything and copies
// and moves as plain data; prefetch() lets a caller start the miss early.
//
// Written by hand rather than Boost's unordered_flat_set, which keeps tags
// and elements in two arrays (two misses per lookup at a million accounts
// and 15 million invoices, the largest cost of a bulk load) and has no way to
// prefetch or to take a hash computed elsewhere.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace crmtier {

class HandleSet {
public:
    static constexpr std::uint32_t npos = UINT32_MAX;

    std::size_t size() const { return size_; }

    // The handle whose key `eq(handle)` accepts among those of `hash`, or npos.
    template <class Eq>
    std::uint32_t find(std::uint64_t hash, Eq&& eq) const {
        if (buckets_.empty()) return npos;
        const std::uint8_t t = tag(hash);
        for (std::size_t b = hash >> shift_, probes = 0; probes < buckets_.size(); ++probes, b = (b + 1) & mask()) {
            const Bucket& k = buckets_[b];
            for (unsigned i = 0; i < kSlots; ++i)
                if (k.tags[i] == t && eq(k.slots[i])) return k.slots[i];
            if (!k.overflow) return npos;
        }
        return npos;
    }

    // Adds a handle that is not in the set. hash_of(handle) gives the hash of
    // any handle in the set (needed when the set grows). Strong guarantee.
    template <class HashOf>
    void insert_new(std::uint64_t hash, std::uint32_t handle, HashOf&& hash_of) {
        if (size_ + 1 > capacity()) rehash(std::max<std::size_t>(2 * buckets_.size(), 16), hash_of);
        place(hash, handle);
        ++size_;
    }

    // Takes out `handle`, which has `hash`; nothing when it is not in the set.
    void erase(std::uint64_t hash, std::uint32_t handle) {
        if (buckets_.empty()) return;
        const std::uint8_t t = tag(hash);
        for (std::size_t b = hash >> shift_, probes = 0; probes < buckets_.size(); ++probes, b = (b + 1) & mask()) {
            Bucket& k = buckets_[b];
            for (unsigned i = 0; i < kSlots; ++i)
                if (k.tags[i] == t && k.slots[i] == handle) {
                    k.tags[i] = 0;  // the overflow marks stay: lookups past this bucket still go on
                    --size_;
                    return;
                }
            if (!k.overflow) return;
        }
    }

    // Room for `n` handles in all without growing.
    template <class HashOf>
    void reserve(std::size_t n, HashOf&& hash_of) {
        std::size_t buckets = 16;
        while (buckets * kSlots * kLoad < n * kLoadDen) buckets *= 2;
        if (buckets > buckets_.size()) rehash(buckets, hash_of);
    }

    void prefetch(std::uint64_t hash) const {
        if (!buckets_.empty()) __builtin_prefetch(&buckets_[hash >> shift_]);
    }

    // Every handle, in no particular order.
    template <class F>
    void for_each(F&& f) const {
        for (const Bucket& k : buckets_)
            for (unsigned i = 0; i < kSlots; ++i)
                if (k.tags[i]) f(k.slots[i]);
    }

private:
    static constexpr unsigned kSlots = 12;
    static constexpr std::size_t kLoad = 7, kLoadDen = 8;  // at most 7/8 of the slots used
    struct alignas(64) Bucket {
        std::uint8_t tags[kSlots] = {};  // 0: empty; else 0x80 | 7 bits of the hash
        std::uint32_t overflow = 0;      // a handle of this bucket's hash went on to the next
        std::uint32_t slots[kSlots];
    };
    static_assert(sizeof(Bucket) == 64);

    static std::uint8_t tag(std::uint64_t hash) { return static_cast<std::uint8_t>(0x80 | (hash & 0x7f)); }
    std::size_t mask() const { return buckets_.size() - 1; }
    std::size_t capacity() const { return buckets_.size() * kSlots * kLoad / kLoadDen; }

    void place(std::uint64_t hash, std::uint32_t handle) {
        for (std::size_t b = hash >> shift_;; b = (b + 1) & mask()) {
            Bucket& k = buckets_[b];
            for (unsigned i = 0; i < kSlots; ++i)
                if (!k.tags[i]) {
                    k.tags[i] = tag(hash);
                    k.slots[i] = handle;
                    return;
                }
            k.overflow = 1;
        }
    }

    template <class HashOf>
    void rehash(std::size_t buckets, HashOf&& hash_of) {
        HandleSet bigger;
        bigger.buckets_.resize(buckets);  // may throw: this set is untouched then
        bigger.shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(buckets));
        for_each([&](std::uint32_t h) { bigger.place(hash_of(h), h); });
        bigger.size_ = size_;
        *this = std::move(bigger);
    }

    std::vector<Bucket> buckets_;  // a power of two of them, or none
    unsigned shift_ = 64;          // bucket = hash >> shift_
    std::size_t size_ = 0;
};

}  // namespace crmtier
