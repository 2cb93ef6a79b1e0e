#include <catch2/catch.hpp>

#include <cstring>
#include <set>
#include <string>
#include <unordered_map>

#include "plugin/handle_set.hpp"
#include "plugin/id_table.hpp"
#include "tests/core/fixture.hpp"

using namespace crmtier;
using crmtier::test::numbered;

TEST_CASE("ids are numbered in order, found by their text, and forgotten", "[id_table]") {
    IdTable t;
    CHECK(t.find("ACC-1") == IdTable::npos);
    CHECK(t.add("ACC-1") == 0);
    CHECK(t.add("ACC-2") == 1);
    CHECK(t.find("ACC-1") == 0);
    CHECK(t.find("ACC-2") == 1);
    CHECK(t.find("ACC-") == IdTable::npos);   // a prefix is another id
    CHECK(t.find("ACC-10") == IdTable::npos);
    CHECK(t.id(1) == "ACC-2");

    // find_or_add: the existing number, or a new one.
    CHECK(t.find_or_add("ACC-2") == std::pair<std::uint32_t, bool>{1, false});
    CHECK(t.find_or_add("ACC-3") == std::pair<std::uint32_t, bool>{2, true});
    CHECK(t.size() == 3);
    CHECK(t.live() == 3);

    // Forgotten: not found, its text still there, its number not reused.
    t.forget(1);
    CHECK(t.find("ACC-2") == IdTable::npos);
    CHECK(t.id(1) == "ACC-2");
    CHECK(t.live() == 2);
    CHECK(t.add("ACC-2") == 3);
    CHECK(t.find("ACC-2") == 3);
}

TEST_CASE("ids of any length and bytes, across many arena chunks", "[id_table]") {
    IdTable t;
    // Lengths around the 1-, 2- and 3-byte length prefixes, an empty id, and
    // bytes a C string would cut (the table is not what refuses them).
    std::vector<std::string> ids = {"", std::string(127, 'a'), std::string(128, 'a'), std::string(16383, 'b'),
                                    std::string(16384, 'b'), std::string(1 << 20, 'c'), std::string("n\0ul", 4)};
    // Enough ids to fill more than one 4 MB chunk (with the 1 MB one above).
    for (int i = 0; i < 400000; ++i) ids.push_back(numbered("INV-", i));
    for (std::size_t i = 0; i < ids.size(); ++i) REQUIRE(t.add(ids[i]) == i);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        REQUIRE(t.id(static_cast<std::uint32_t>(i)) == ids[i]);
        REQUIRE(t.find(ids[i]) == i);
    }
    CHECK(t.find(std::string(129, 'a')) == IdTable::npos);
    CHECK(t.find(std::string("n\0um", 4)) == IdTable::npos);
}

TEST_CASE("a copy is independent of the table it was copied from; a move keeps everything", "[id_table]") {
    IdTable t;
    for (int i = 0; i < 1000; ++i) t.add(numbered("ID-", i));
    t.forget(7);
    IdTable copy(t);
    t.add("only-in-the-original");
    copy.add("only-in-the-copy");
    CHECK(copy.find("only-in-the-original") == IdTable::npos);
    CHECK(t.find("only-in-the-copy") == IdTable::npos);
    CHECK(copy.find("only-in-the-copy") == 1000);
    CHECK(copy.find("ID-7") == IdTable::npos);  // forgotten before the copy
    CHECK(copy.id(7) == "ID-7");
    CHECK(copy.find("ID-999") == 999);

    IdTable moved(std::move(copy));
    CHECK(moved.find("ID-999") == 999);
    CHECK(moved.find("only-in-the-copy") == 1000);
    IdTable assigned;
    assigned = std::move(moved);
    CHECK(assigned.find("ID-500") == 500);
    assigned = t;  // copy-assigned over a table with content
    CHECK(assigned.find("only-in-the-original") == 1000);
    CHECK(assigned.find("only-in-the-copy") == IdTable::npos);
    CHECK(assigned.live() == t.live());
}

TEST_CASE("ids agree with a std::unordered_map under random adds, finds and forgets", "[id_table]") {
    IdTable t;
    std::unordered_map<std::string, std::uint32_t> model;
    std::uint64_t x = 12345;
    auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull; };
    std::uint32_t issued = 0;
    for (int step = 0; step < 200000; ++step) {
        const std::string id = numbered("R", (next() >> 33) % 5000);
        switch ((next() >> 40) % 3) {
            case 0: {
                const auto [n, added] = t.find_or_add(id);
                const bool fresh = !model.count(id);
                REQUIRE(added == fresh);
                if (fresh) {
                    REQUIRE(n == issued++);
                    model[id] = n;
                }
                REQUIRE(n == model[id]);
                break;
            }
            case 1: {
                auto it = model.find(id);
                REQUIRE(t.find(id) == (it == model.end() ? IdTable::npos : it->second));
                break;
            }
            default:
                if (auto it = model.find(id); it != model.end()) {
                    t.forget(it->second);
                    model.erase(it);
                }
        }
    }
    CHECK(t.live() == model.size());
    CHECK(t.size() == issued);
}

TEST_CASE("an arena keeps a payload beside each id; walk visits every entry in order", "[id_table]") {
    struct Row {
        std::uint32_t a;
        std::int64_t b;
    };
    IdArena arena(sizeof(Row));
    auto row = [&](IdArena::Handle h) {
        Row r;
        std::memcpy(&r, arena.payload(h), sizeof r);
        return r;
    };
    const Row r1{1, -5}, r2{2, 1LL << 40};
    const auto [h1, added1] = arena.find_or_add("INV-1", &r1);
    const auto [h2, added2] = arena.find_or_add("INV-2", &r2);
    CHECK(added1);
    CHECK(added2);
    // Found again: the payload given is not written.
    const Row other{9, 9};
    CHECK(arena.find_or_add("INV-1", &other) == std::pair<IdArena::Handle, bool>{h1, false});
    CHECK(row(h1).a == 1);
    CHECK(row(h1).b == -5);
    CHECK(row(h2).b == (1LL << 40));
    CHECK(arena.id(h2) == "INV-2");
    CHECK(arena.entries() == 2);

    arena.forget(h1);
    CHECK(arena.find("INV-1") == IdArena::npos);
    const Row r3{3, 3};
    const auto [h3, added3] = arena.find_or_add("INV-1", &r3);  // a new entry
    CHECK(added3);
    CHECK(h3 != h1);
    std::vector<std::pair<std::string, std::uint32_t>> seen;
    arena.walk([&](IdArena::Handle h) { seen.emplace_back(std::string(arena.id(h)), row(h).a); });
    CHECK(seen == std::vector<std::pair<std::string, std::uint32_t>>{{"INV-1", 1}, {"INV-2", 2}, {"INV-1", 3}});

    // A copy: the same entries, its own payloads.
    IdArena copy(arena);
    const Row changed{7, 7};
    std::memcpy(copy.payload(h2), &changed, sizeof changed);
    CHECK(row(h2).a == 2);
    CHECK(copy.find("INV-2") == h2);
    CHECK(copy.find("INV-1") == h3);
    CHECK(copy.live() == 2);
    CHECK(copy.entries() == 3);
}

TEST_CASE("an arena walks entries across chunks, and an id found again leaves no entry behind", "[id_table]") {
    const std::uint64_t payload = 0;
    IdArena arena(sizeof payload);
    std::size_t added = 0;
    // ~1M ids of 5 to 12 bytes with 8-byte payloads: several 4 MB chunks,
    // each id offered twice (the second time it is found).
    for (int round = 0; round < 2; ++round)
        for (std::uint64_t i = 0; i < 600000; ++i) {
            const std::uint64_t p = i;
            added += arena.find_or_add(numbered("R", i * 7919), &p).second;
        }
    CHECK(added == 600000);
    CHECK(arena.entries() == 600000);
    std::uint64_t next = 0;
    bool in_order = true;
    arena.walk([&](IdArena::Handle h) {
        std::uint64_t p;
        std::memcpy(&p, arena.payload(h), sizeof p);
        in_order = in_order && p == next && arena.id(h) == numbered("R", p * 7919);
        ++next;
    });
    CHECK(in_order);
    CHECK(next == 600000);
}

TEST_CASE("the handle set agrees with a std::set under colliding hashes, overflow and erasure", "[id_table]") {
    // Keys are the handles themselves; the hash is deliberately poor (few
    // distinct values, equal low bits for many keys), so buckets fill, spill
    // into the next ones and tags collide.
    auto hash_of = [](std::uint32_t k) { return (static_cast<std::uint64_t>(k % 37) << 58) | (k % 3); };
    HandleSet set;
    std::set<std::uint32_t> model;
    CHECK(set.find(hash_of(5), [](std::uint32_t) { return true; }) == HandleSet::npos);
    std::uint64_t x = 99;
    auto next = [&] { return (x = x * 6364136223846793005ull + 1442695040888963407ull) >> 33; };
    for (int step = 0; step < 100000; ++step) {
        const auto k = static_cast<std::uint32_t>(next() % 2000);
        auto eq = [&](std::uint32_t h) { return h == k; };
        const bool in = model.count(k) > 0;
        switch (next() % 3) {
            case 0:
                if (!in) {
                    set.insert_new(hash_of(k), k, hash_of);
                    model.insert(k);
                }
                break;
            case 1:
                set.erase(hash_of(k), k);
                model.erase(k);
                break;
            default:
                REQUIRE(set.find(hash_of(k), eq) == (in ? k : HandleSet::npos));
        }
        REQUIRE(set.size() == model.size());
    }
    std::set<std::uint32_t> seen;
    set.for_each([&](std::uint32_t h) { seen.insert(h); });
    CHECK(seen == model);
    // A reserve (a rehash) keeps every handle findable.
    set.reserve(100000, hash_of);
    for (std::uint32_t k : model) REQUIRE(set.find(hash_of(k), [&](std::uint32_t h) { return h == k; }) == k);
}
