// The order-statistic structure behind the benchmark and the look-alike
// percentiles, against a sorted vector worked out from scratch after every
// step of a long random mix of inserts and erases (enough entries for blocks
// to split, empty, merge and be removed).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "plugin/order_stats.hpp"

using namespace crmtier;

namespace {

void require_same(const OrderStats& t, const std::vector<OrderStats::Key>& sorted, std::uint64_t probe) {
    REQUIRE(t.size() == sorted.size());
    REQUIRE(t.empty() == sorted.empty());
    if (sorted.empty()) return;
    REQUIRE(t.max() == sorted.back().first);
    const std::size_t n = sorted.size();
    for (std::size_t k : {std::size_t{0}, n - 1, n / 2, static_cast<std::size_t>(probe % n), (n * 95 + 99) / 100 - 1})
        REQUIRE(t.at(k) == sorted[k].first);
    for (std::size_t i : {std::size_t{0}, n - 1, static_cast<std::size_t>(probe % n)}) {
        const auto& key = sorted[i];
        REQUIRE(t.rank_of(key.first, key.second) == i);
        // A key that is not there: the entries below it.
        const OrderStats::Key absent{key.first, key.second + 1};
        const std::size_t below =
            static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), absent) - sorted.begin());
        REQUIRE(t.rank_of(absent.first, absent.second) == below);
    }
    const std::size_t top = std::min<std::size_t>(n, probe % 40 + 1);
    Money sum = 0;
    for (std::size_t i = n - top; i < n; ++i) sum += sorted[i].first;
    REQUIRE(t.sum_of_largest(top) == sum);
}

}  // namespace

TEST_CASE("order statistics: k-th, rank, max and top sums equal a sorted vector's after random changes",
          "[order_stats]") {
    std::uint64_t x = 12345;
    auto next = [&] { return (x = x * 6364136223846793005ull + 1442695040888963407ull) >> 33; };
    OrderStats t;
    std::vector<OrderStats::Key> sorted;
    auto add = [&](Money m, std::uint32_t acc) {
        t.insert(m, acc);
        const OrderStats::Key key{m, acc};
        auto it = std::lower_bound(sorted.begin(), sorted.end(), key);
        if (it == sorted.end() || *it != key) sorted.insert(it, key);
    };
    auto remove = [&](Money m, std::uint32_t acc) {
        t.erase(m, acc);
        const OrderStats::Key key{m, acc};
        auto it = std::lower_bound(sorted.begin(), sorted.end(), key);
        if (it != sorted.end() && *it == key) sorted.erase(it);
    };
    require_same(t, sorted, 0);
    // Ascending, as a load builds it; then random inserts (many equal
    // amounts), erases of present and absent keys, a repeated insert; then
    // erase almost everything (blocks merge and go), and grow again.
    for (std::uint32_t i = 0; i < 3000; ++i) add(static_cast<Money>(i) * 7, i);
    require_same(t, sorted, 1);
    for (int step = 0; step < 20000; ++step) {
        const auto acc = static_cast<std::uint32_t>(next() % 6000);
        const Money m = static_cast<Money>(next() % 500) * 100;
        switch (next() % 5) {
            case 0:
            case 1: add(m, acc); break;
            case 2: remove(m, acc); break;  // mostly absent
            case 3:
                if (!sorted.empty()) {
                    const auto k = sorted[next() % sorted.size()];
                    remove(k.first, k.second);
                }
                break;
            default:
                if (!sorted.empty()) {
                    const auto k = sorted[next() % sorted.size()];
                    add(k.first, k.second);  // already there: nothing changes
                }
        }
        require_same(t, sorted, next());
    }
    while (sorted.size() > 3) {
        const auto k = sorted[next() % sorted.size()];
        remove(k.first, k.second);
        if (sorted.size() % 97 == 0) require_same(t, sorted, next());
    }
    require_same(t, sorted, 5);
    for (std::uint32_t i = 0; i < 2000; ++i) add(-static_cast<Money>(next() % 1000), i);
    require_same(t, sorted, 6);
    OrderStats copy = t;  // a portfolio copy (a load's staging) copies it
    t.clear();
    REQUIRE(t.empty());
    require_same(copy, sorted, 7);
}
