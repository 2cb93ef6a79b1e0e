// An ordered set of money amounts that finds its k-th smallest element and an
// entry's rank in logarithmic time, touching few cache lines. Each amount is
// stored with the account it belongs to, so equal amounts stay distinct
// entries and one account's entry can be found and removed.
//
// The entries live in sorted blocks of at most kBlockMax keys (a key is 32
// bytes, Money being a 128-bit integer: a block is 8 KiB), in order; a small
// array of each block's largest key finds the block of a key, and a Fenwick
// tree over the blocks' sizes gives the entries before a block and the block
// of the k-th entry. At 800,000 entries that is 3,000-6,000 blocks: the index
// (100-200 KiB of keys, 12-25 KiB of counts) mostly stays in the cache, and a
// walk touches one block's binary search (a few lines) instead of the 20-40
// scattered nodes of a red-black tree. (kBlockMax was chosen by timing erase
// + insert + rank + two k-th queries at 800,000 entries with a cold cache:
// 128-256 best, 512 and 1,024 slower.) A block that is full when a key comes
// is split in two (the Fenwick tree is rebuilt: O(blocks), at most once per
// kBlockMax/2 inserts into a block); an emptied block is removed, and a block
// that falls under kBlockMax/8 is merged into a neighbour with room.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/numbers.hpp"

namespace crmtier {

class OrderStats {
public:
    using Key = std::pair<Money, std::uint32_t>;  // (amount, account)
    static constexpr std::size_t kBlockMax = 256;

    // Adds (amount, account); nothing when it is already there.
    void insert(Money amount, std::uint32_t account) {
        const Key key{amount, account};
        if (blocks_.empty()) {
            blocks_.emplace_back(1, key);
            last_.push_back(key);
            size_ = 1;
            rebuild();
            return;
        }
        std::size_t b = block_of(key);
        if (b == blocks_.size()) b = blocks_.size() - 1;  // above every key: the last block
        auto it = std::lower_bound(blocks_[b].begin(), blocks_[b].end(), key);
        if (it != blocks_[b].end() && *it == key) return;
        ++size_;
        if (blocks_[b].size() == kBlockMax) {  // full: split first, so no block outgrows kBlockMax
            split(b);
            if (last_[b] < key) ++b;
            auto& blk = blocks_[b];
            blk.insert(std::lower_bound(blk.begin(), blk.end(), key), key);
            if (last_[b] < key) last_[b] = key;
            add(b, 1);
            return;
        }
        blocks_[b].insert(it, key);
        if (last_[b] < key) last_[b] = key;
        add(b, 1);
    }

    // Removes (amount, account); nothing when it is not there.
    void erase(Money amount, std::uint32_t account) {
        const Key key{amount, account};
        const std::size_t b = block_of(key);
        if (b == blocks_.size()) return;
        auto& blk = blocks_[b];
        const auto it = std::lower_bound(blk.begin(), blk.end(), key);
        if (it == blk.end() || *it != key) return;
        blk.erase(it);
        --size_;
        if (blk.empty()) {
            remove_block(b);
            return;
        }
        last_[b] = blk.back();
        if (blk.size() < kBlockMax / 8 && merge(b)) return;
        add(b, -1);
    }

    void clear() {
        blocks_.clear();
        last_.clear();
        fenwick_.clear();
        size_ = 0;
    }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    // The k-th smallest amount, 0-based (k < size()).
    Money at(std::size_t k) const { return key_at(k).first; }
    // The k-th smallest entry, 0-based (k < size()).
    const Key& key_at(std::size_t k) const {
        // The Fenwick descent: the last block whose preceding entries are <= k.
        std::size_t pos = 0;
        for (std::size_t step = top_; step; step >>= 1)
            if (pos + step < fenwick_.size() && fenwick_[pos + step] <= k) {
                pos += step;
                k -= fenwick_[pos];
            }
        return blocks_[pos][k];
    }
    // How many entries are smaller than (amount, account).
    std::size_t rank_of(Money amount, std::uint32_t account) const {
        const Key key{amount, account};
        const std::size_t b = block_of(key);
        if (b == blocks_.size()) return size_;
        const auto& blk = blocks_[b];
        return before(b) + static_cast<std::size_t>(std::lower_bound(blk.begin(), blk.end(), key) - blk.begin());
    }
    Money max() const { return last_.back().first; }
    // The sum of the n largest amounts (n <= size()).
    Money sum_of_largest(std::size_t n) const {
        Money s = 0;
        for (std::size_t b = blocks_.size(); n > 0 && b-- > 0;)
            for (std::size_t i = blocks_[b].size(); n > 0 && i-- > 0; --n) s += blocks_[b][i].first;
        return s;
    }

private:
    // The first block whose largest key is >= key (blocks_.size() if none).
    std::size_t block_of(const Key& key) const {
        return static_cast<std::size_t>(std::lower_bound(last_.begin(), last_.end(), key) - last_.begin());
    }
    // Entries in the blocks before block b.
    std::size_t before(std::size_t b) const {
        std::size_t s = 0;
        for (std::size_t i = b; i > 0; i -= i & (~i + 1)) s += fenwick_[i];
        return s;
    }
    void add(std::size_t b, int delta) {
        for (std::size_t i = b + 1; i < fenwick_.size(); i += i & (~i + 1))
            fenwick_[i] = static_cast<std::uint32_t>(static_cast<std::int64_t>(fenwick_[i]) + delta);
    }
    void rebuild() {
        const std::size_t n = blocks_.size();
        fenwick_.assign(n + 1, 0);
        for (std::size_t i = 1; i <= n; ++i) {
            fenwick_[i] += static_cast<std::uint32_t>(blocks_[i - 1].size());
            if (const std::size_t j = i + (i & (~i + 1)); j <= n) fenwick_[j] += fenwick_[i];
        }
        top_ = 1;
        while (top_ * 2 <= n) top_ *= 2;
    }
    void split(std::size_t b) {
        auto& blk = blocks_[b];
        const std::size_t half = blk.size() / 2;
        std::vector<Key> upper(blk.begin() + static_cast<std::ptrdiff_t>(half), blk.end());
        blk.erase(blk.begin() + static_cast<std::ptrdiff_t>(half), blk.end());
        last_[b] = blk.back();
        blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(b) + 1, std::move(upper));
        last_.insert(last_.begin() + static_cast<std::ptrdiff_t>(b) + 1, blocks_[b + 1].back());
        rebuild();
    }
    void remove_block(std::size_t b) {
        blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(b));
        last_.erase(last_.begin() + static_cast<std::ptrdiff_t>(b));
        rebuild();
    }
    // Block b (small) into a neighbour with room; false when neither has.
    bool merge(std::size_t b) {
        const std::size_t room = kBlockMax / 2;
        if (b + 1 < blocks_.size() && blocks_[b].size() + blocks_[b + 1].size() <= room) {
            auto& next = blocks_[b + 1];
            next.insert(next.begin(), blocks_[b].begin(), blocks_[b].end());
            remove_block(b);
            return true;
        }
        if (b > 0 && blocks_[b - 1].size() + blocks_[b].size() <= room) {
            auto& prev = blocks_[b - 1];
            prev.insert(prev.end(), blocks_[b].begin(), blocks_[b].end());
            last_[b - 1] = prev.back();
            remove_block(b);
            return true;
        }
        return false;
    }

    std::vector<std::vector<Key>> blocks_;  // sorted, each non-empty, in order
    std::vector<Key> last_;                 // last_[b] = blocks_[b].back()
    std::vector<std::uint32_t> fenwick_;    // 1-based, over the blocks' sizes
    std::size_t top_ = 0;                   // the highest power of two <= blocks
    std::size_t size_ = 0;
};

}  // namespace crmtier
