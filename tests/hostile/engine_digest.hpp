// Helpers shared by the reliability tests (hostile, soak, stability): an
// engine owner, and a digest of an engine's whole observable state, taken
// through the C ABI only, so "the engine is unchanged" has one meaning.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crmtier.h"

namespace crmtier_test {

// A string handed back by crmtier through a char**: copied, then freed.
inline std::string take(char* p, std::size_t n) {
    std::string s = p ? std::string(p, n) : std::string();
    crmtier_free(p);
    return s;
}

inline void check(int status, const char* what) {
    if (status != CRMTIER_OK)
        throw std::runtime_error(std::string(what) + ": " + crmtier_status_string(status) + ": " +
                                 crmtier_last_error());
}

class Engine {
public:
    explicit Engine(std::string_view config) {
        check(crmtier_engine_create(config.data(), config.size(), &e_), "crmtier_engine_create");
    }
    ~Engine() { crmtier_engine_destroy(e_); }
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;
    crmtier_engine* get() const { return e_; }

    void load(std::string_view data, const char* adapter = "canonical") const {
        check(crmtier_engine_load(e_, adapter, data.data(), data.size(), nullptr), "crmtier_engine_load");
    }
    std::string save(std::string_view record, const char* adapter = "canonical") const {
        char* out = nullptr;
        std::size_t n = 0;
        check(crmtier_engine_save(e_, adapter, record.data(), record.size(), &out, &n), "crmtier_engine_save");
        return take(out, n);
    }
    std::uint64_t seq() const {
        std::uint64_t s = 0;
        check(crmtier_engine_sequence(e_, &s), "crmtier_engine_sequence");
        return s;
    }

private:
    crmtier_engine* e_ = nullptr;
};

// Everything a host can read from an engine: its figures, every account's
// result (through the cursor), the whole change feed and the peer groups.
// Two equal digests mean no host could tell the engines apart.
inline std::string digest(crmtier_engine* e, const char* adapter = "canonical") {
    std::string d;
    char* out = nullptr;
    std::size_t n = 0;
    check(crmtier_engine_stats(e, &out, &n), "crmtier_engine_stats");
    d += take(out, n);
    d += "\n--results--\n";
    crmtier_cursor* c = nullptr;
    check(crmtier_cursor_open(e, adapter, &c), "crmtier_cursor_open");
    for (;;) {
        const char* r = nullptr;
        std::size_t rn = 0;
        const int st = crmtier_cursor_next(c, &r, &rn);
        if (st != CRMTIER_OK) {
            crmtier_cursor_destroy(c);
            check(st, "crmtier_cursor_next");
        }
        if (!r) break;
        d.append(r, rn);
        d += '\n';
    }
    crmtier_cursor_destroy(c);
    d += "--changes--\n";
    check(crmtier_engine_changes(e, 0, &out, &n), "crmtier_engine_changes");
    d += take(out, n);
    d += "\n--peer groups--\n";
    check(crmtier_engine_peer_groups(e, &out, &n), "crmtier_engine_peer_groups");
    d += take(out, n);
    return d;
}

// A small portfolio with something in every part of the state: three
// profiles, payers and non-payers, a decline, a deleted account, several reps.
inline const char* seed_portfolio() {
    return
        R"({"type":"account","id":"ACC-1","name":"Acme GmbH","owner":"rep-1","employees":320,"territory":"EMEA/DE/Bavaria","industry":"Manufacturing","last_contact":"2026-10-01"})" "\n"
        R"({"type":"account","id":"ACC-2","name":"Bolt AG","owner":"rep-2","employees":300,"territory":"EMEA/DE/Berlin","industry":"Manufacturing","last_contact":"2026-06-01"})" "\n"
        R"({"type":"account","id":"ACC-3","name":"Cog SA","owner":"rep-3","employees":280,"territory":"EMEA/DE/Hesse","industry":"Manufacturing"})" "\n"
        R"({"type":"account","id":"ACC-4","name":"Dyn Ltd","owner":"rep-1","employees":400,"territory":"EMEA/DE/Saxony","industry":"Manufacturing","last_contact":"2026-11-20"})" "\n"
        R"({"type":"account","id":"ACC-5","name":"Echo Inc","owner":"rep-4","employees":12,"territory":"AMER/US/Texas","industry":"Retail"})" "\n"
        R"({"type":"account","id":"ACC-6","name":"Fox BV","owner":"rep-2","territory":"EMEA/NL","industry":"Retail"})" "\n"
        R"({"type":"account","id":"ACC-7","name":"Gone Co","owner":"rep-3"})" "\n"
        R"({"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-03-15","amount":48000})" "\n"
        R"({"type":"revenue","id":"INV-2","account_id":"ACC-2","date":"2026-05-01","amount":30000,"product":"Chairs"})" "\n"
        R"({"type":"revenue","id":"INV-3","account_id":"ACC-3","date":"2026-02-01","amount":20000,"product":"Tables"})" "\n"
        R"({"type":"revenue","id":"INV-4","account_id":"ACC-4","date":"2025-06-01","amount":50000,"product":"Chairs"})" "\n"
        R"({"type":"revenue","id":"INV-5","account_id":"ACC-4","date":"2026-06-01","amount":9000,"product":"Chairs"})" "\n"
        R"({"type":"revenue","id":"INV-6","account_id":"ACC-5","date":"2026-09-09","amount":1250.5,"product":"Lamps"})" "\n"
        R"({"type":"revenue","id":"INV-7","account_id":"ACC-5","date":"2026-10-09","amount":-250.5,"product":"Lamps"})" "\n"
        R"({"type":"account","id":"ACC-7","deleted":true})" "\n";
}

inline constexpr const char* kConfig = R"({"as_of":"2026-11-27"})";

}  // namespace crmtier_test
