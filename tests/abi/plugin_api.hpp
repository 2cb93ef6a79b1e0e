// The plugin as a host sees it: libcrmtier.so loaded at run time with
// Boost.DLL (the test is not linked against it), every C function looked up
// by name, and a few helpers that turn the C calls into std::string.
#pragma once

#include <boost/dll/shared_library.hpp>
#include <boost/json.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "crmtier.h"

namespace abitest {

namespace json = boost::json;

struct Api {
    boost::dll::shared_library lib;
#define CRMTIER_FN(name) decltype(&::crmtier_##name) name = nullptr;
    CRMTIER_FN(abi_version)
    CRMTIER_FN(version)
    CRMTIER_FN(status_string)
    CRMTIER_FN(last_error)
    CRMTIER_FN(free)
    CRMTIER_FN(engine_create)
    CRMTIER_FN(engine_destroy)
    CRMTIER_FN(engine_set_as_of)
    CRMTIER_FN(engine_load)
    CRMTIER_FN(engine_save)
    CRMTIER_FN(engine_result)
    CRMTIER_FN(engine_sequence)
    CRMTIER_FN(engine_changes)
    CRMTIER_FN(engine_peer_groups)
    CRMTIER_FN(engine_stats)
    CRMTIER_FN(cursor_open)
    CRMTIER_FN(cursor_next)
    CRMTIER_FN(cursor_next_batch)
    CRMTIER_FN(cursor_destroy)
    CRMTIER_FN(engine_set_log)
    CRMTIER_FN(engine_snapshot_save)
    CRMTIER_FN(engine_snapshot_load)
    CRMTIER_FN(engine_report)
#undef CRMTIER_FN

    Api()
        : lib(CRMTIER_TEST_LIBRARY, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local) {
#define CRMTIER_GET(name) name = &lib.get<std::remove_pointer_t<decltype(name)>>("crmtier_" #name);
        CRMTIER_GET(abi_version)
        CRMTIER_GET(version)
        CRMTIER_GET(status_string)
        CRMTIER_GET(last_error)
        CRMTIER_GET(free)
        CRMTIER_GET(engine_create)
        CRMTIER_GET(engine_destroy)
        CRMTIER_GET(engine_set_as_of)
        CRMTIER_GET(engine_load)
        CRMTIER_GET(engine_save)
        CRMTIER_GET(engine_result)
        CRMTIER_GET(engine_sequence)
        CRMTIER_GET(engine_changes)
        CRMTIER_GET(engine_peer_groups)
        CRMTIER_GET(engine_stats)
        CRMTIER_GET(cursor_open)
        CRMTIER_GET(cursor_next)
        CRMTIER_GET(cursor_next_batch)
        CRMTIER_GET(cursor_destroy)
        CRMTIER_GET(engine_set_log)
        CRMTIER_GET(engine_snapshot_save)
        CRMTIER_GET(engine_snapshot_load)
        CRMTIER_GET(engine_report)
#undef CRMTIER_GET
    }
};

// One loaded copy for the whole test program, as a host would have.
inline Api& api() {
    static Api a;
    return a;
}

// A failed call, with the library's status and message.
struct Failure : std::runtime_error {
    int status;
    Failure(int s, const std::string& what) : std::runtime_error(what), status(s) {}
};

inline void check(int status, const char* doing) {
    if (status != CRMTIER_OK)
        throw Failure(status, std::string(doing) + ": " + api().status_string(status) + ": " + api().last_error());
}

// Takes a buffer the library handed out, and frees it with crmtier_free().
inline std::string take(char* buf, std::size_t len) {
    std::string s(buf ? std::string(buf, len) : std::string());
    api().free(buf);
    return s;
}

// An engine owned by the test; destroyed with crmtier_engine_destroy().
struct Engine {
    crmtier_engine* e = nullptr;

    explicit Engine(const std::string& config = "{}") {
        check(api().engine_create(config.data(), config.size(), &e), "create");
    }
    ~Engine() { api().engine_destroy(e); }
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;
    operator crmtier_engine*() const { return e; }

    void as_of(const char* date) { check(api().engine_set_as_of(e, date), "set_as_of"); }

    std::size_t load(const std::string& lines, const char* adapter = "canonical") {
        std::size_t n = 0;
        check(api().engine_load(e, adapter, lines.data(), lines.size(), &n), "load");
        return n;
    }

    std::string save(const std::string& record, const char* adapter = "canonical") {
        char* out = nullptr;
        std::size_t len = 0;
        check(api().engine_save(e, adapter, record.data(), record.size(), &out, &len), "save");
        return take(out, len);
    }

    std::string result(const std::string& id, const char* adapter = "canonical") {
        char* out = nullptr;
        std::size_t len = 0;
        check(api().engine_result(e, adapter, id.data(), id.size(), &out, &len), "result");
        return take(out, len);
    }

    std::uint64_t seq() {
        std::uint64_t s = 0;
        check(api().engine_sequence(e, &s), "sequence");
        return s;
    }

    std::string changes(std::uint64_t since) {
        char* out = nullptr;
        std::size_t len = 0;
        check(api().engine_changes(e, since, &out, &len), "changes");
        return take(out, len);
    }

    std::string peer_groups() {
        char* out = nullptr;
        std::size_t len = 0;
        check(api().engine_peer_groups(e, &out, &len), "peer_groups");
        return take(out, len);
    }

    std::string stats() {
        char* out = nullptr;
        std::size_t len = 0;
        check(api().engine_stats(e, &out, &len), "stats");
        return take(out, len);
    }

    std::string report(const std::string& options = "{}") {
        char* out = nullptr;
        std::size_t len = 0;
        check(api().engine_report(e, options.data(), options.size(), &out, &len), "report");
        return take(out, len);
    }

    // Every result through a cursor, in the cursor's order.
    std::vector<std::string> all(const char* adapter = "canonical") {
        crmtier_cursor* c = nullptr;
        check(api().cursor_open(e, adapter, &c), "cursor_open");
        std::vector<std::string> out;
        for (;;) {
            const char* r = nullptr;
            std::size_t len = 0;
            const int st = api().cursor_next(c, &r, &len);
            if (st != CRMTIER_OK) {
                api().cursor_destroy(c);
                check(st, "cursor_next");
            }
            if (!r) break;
            out.emplace_back(r, len);
        }
        api().cursor_destroy(c);
        return out;
    }
};

inline json::object obj(const std::string& text) { return json::parse(text).as_object(); }

inline std::string str(const json::object& o, const char* key) {
    return std::string(o.at(key).as_string());
}

}  // namespace abitest
