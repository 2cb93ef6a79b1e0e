// An ordered multiset of money amounts that finds its k-th smallest element in
// logarithmic time (an order-statistic red-black tree, GCC's pb_ds). Each
// amount is stored with the account it belongs to, so equal amounts stay
// distinct entries and one account's entry can be found and removed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include "base/numbers.hpp"

namespace crmtier {

class OrderStats {
public:
    using Key = std::pair<Money, std::uint32_t>;  // (amount, account)

    void insert(Money amount, std::uint32_t account) { tree_.insert({amount, account}); }
    void erase(Money amount, std::uint32_t account) { tree_.erase({amount, account}); }
    void clear() { tree_.clear(); }
    std::size_t size() const { return tree_.size(); }
    bool empty() const { return tree_.empty(); }

    // The k-th smallest amount, 0-based (k < size()).
    Money at(std::size_t k) const { return tree_.find_by_order(k)->first; }
    // How many entries are smaller than (amount, account).
    std::size_t rank_of(Money amount, std::uint32_t account) const { return tree_.order_of_key({amount, account}); }
    Money max() const { return std::prev(tree_.end())->first; }
    // The sum of the n largest amounts (n <= size()).
    Money sum_of_largest(std::size_t n) const {
        Money s = 0;
        auto it = tree_.end();
        for (std::size_t i = 0; i < n; ++i) s += (--it)->first;
        return s;
    }

private:
    __gnu_pbds::tree<Key, __gnu_pbds::null_type, std::less<Key>, __gnu_pbds::rb_tree_tag,
                     __gnu_pbds::tree_order_statistics_node_update>
        tree_;
};

}  // namespace crmtier
