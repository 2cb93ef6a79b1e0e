// The C ABI: every extern "C" body runs inside guard(), which turns every
// exception into a status code and a thread-local message. Nothing thrown
// inside crmtier ever reaches the host.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "abi/crmtier.h"
#include "abi/engine_handle.hpp"
#include "base/errors.hpp"
#include "base/quote.hpp"
#include "report/report.hpp"

struct crmtier_engine {
    std::shared_ptr<crmtier::EngineHandle> impl;
};

struct crmtier_cursor {
    std::weak_ptr<crmtier::EngineHandle> engine;
    const crmtier::adapters::Adapter* adapter = nullptr;  // the engine's: valid while it lives
    crmtier::IdList ids;
    std::size_t pos = 0;
    std::string current;
};

// The core reports errors with its own status codes (base/errors.hpp): they
// are the C codes, one for one.
static_assert(crmtier::StatusOk == CRMTIER_OK && crmtier::StatusArgument == CRMTIER_E_ARGUMENT &&
              crmtier::StatusParse == CRMTIER_E_PARSE && crmtier::StatusRecord == CRMTIER_E_RECORD &&
              crmtier::StatusConfig == CRMTIER_E_CONFIG && crmtier::StatusNotFound == CRMTIER_E_NOT_FOUND &&
              crmtier::StatusAdapter == CRMTIER_E_ADAPTER && crmtier::StatusLimit == CRMTIER_E_LIMIT &&
              crmtier::StatusNoMemory == CRMTIER_E_NOMEM && crmtier::StatusInternal == CRMTIER_E_INTERNAL &&
              crmtier::StatusIo == CRMTIER_E_IO && crmtier::StatusSnapshot == CRMTIER_E_SNAPSHOT,
              "base/errors.hpp's Status must equal the CRMTIER_E_* codes of crmtier.h");

namespace {

// The last error of this thread. A static message (for out-of-memory) needs
// no allocation; a dynamic one lives in `text`.
struct LastError {
    const char* fixed = "";
    std::string text;
    bool dynamic = false;
};
thread_local LastError last_error;

// Only for string literals: the pointer is kept.
void set_static_error(const char* literal) noexcept {
    last_error.fixed = literal;
    last_error.dynamic = false;
}

// Copies the message: an exception's what() dies with the exception.
void set_error(std::string_view message) noexcept {
    try {
        last_error.text.assign(message.data(), message.size());
        last_error.dynamic = true;
    } catch (...) {
        set_static_error("out of memory while reporting an error");
    }
}

template <class F>
int guard(F&& body) noexcept {
    try {
        body();
        return CRMTIER_OK;
    } catch (const crmtier::Error& e) {
        set_error(e.what());
        return e.status();
    } catch (const std::bad_alloc&) {
        set_static_error("out of memory");
        return CRMTIER_E_NOMEM;
    } catch (const std::exception& e) {
        set_error(std::string("internal error: ") + e.what());
        return CRMTIER_E_INTERNAL;
    } catch (...) {
        set_static_error("internal error: unknown exception");
        return CRMTIER_E_INTERNAL;
    }
}

void need(const void* p, const char* what) {
    if (!p) throw crmtier::ArgumentError(std::string(what) + " is NULL");
}

crmtier::EngineHandle& engine_of(crmtier_engine* e) {
    need(e, "engine");
    if (!e->impl) throw crmtier::ArgumentError("engine has been destroyed");
    return *e->impl;
}

std::string_view text_arg(const char* p, std::size_t len, const char* what) {
    need(p, what);
    if (len == 0) throw crmtier::ArgumentError(std::string(what) + " is empty (length 0)");
    return {p, len};
}

std::string_view name_arg(const char* p, const char* what) {
    need(p, what);
    return {p, std::strlen(p)};
}

// Hands a string to the caller as a malloc'd, NUL-terminated copy.
void give(const std::string& s, char** out, std::size_t* out_len) {
    char* buf = static_cast<char*>(std::malloc(s.size() + 1));
    if (!buf) throw std::bad_alloc();
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    *out = buf;
    if (out_len) *out_len = s.size();
}

void need_out(char** out, std::size_t* out_len, const char* what) {
    need(out, what);
    need(out_len, (std::string(what) + "_len").c_str());
    *out = nullptr;
    *out_len = 0;
}

}  // namespace

extern "C" {

uint32_t crmtier_abi_version(void) { return CRMTIER_ABI_VERSION; }

const char* crmtier_version(void) { return CRMTIER_VERSION_STRING; }

const char* crmtier_status_string(int status) {
    switch (status) {
        case CRMTIER_OK: return "ok";
        case CRMTIER_E_ARGUMENT: return "invalid argument";
        case CRMTIER_E_PARSE: return "malformed input";
        case CRMTIER_E_RECORD: return "invalid record";
        case CRMTIER_E_CONFIG: return "invalid configuration";
        case CRMTIER_E_NOT_FOUND: return "not found";
        case CRMTIER_E_ADAPTER: return "unknown adapter";
        case CRMTIER_E_LIMIT: return "limit exceeded";
        case CRMTIER_E_NOMEM: return "out of memory";
        case CRMTIER_E_INTERNAL: return "internal error";
        case CRMTIER_E_IO: return "input/output error";
        case CRMTIER_E_SNAPSHOT: return "invalid snapshot";
        default: return "unknown status";
    }
}

const char* crmtier_last_error(void) {
    return last_error.dynamic ? last_error.text.c_str() : last_error.fixed;
}

void crmtier_free(void* buffer) { std::free(buffer); }

int crmtier_engine_create(const char* config, size_t config_len, crmtier_engine** out) {
    if (out) *out = nullptr;
    return guard([&] {
        need(out, "out");
        const std::string_view text = text_arg(config, config_len, "config");
        auto engine = std::make_unique<crmtier_engine>();
        engine->impl = std::make_shared<crmtier::EngineHandle>(text);
        *out = engine.release();
    });
}

void crmtier_engine_destroy(crmtier_engine* engine) {
    // Destructors do not throw; the guard is there all the same.
    guard([&] { delete engine; });
}

int crmtier_engine_set_as_of(crmtier_engine* engine, const char* date) {
    return guard([&] { engine_of(engine).core().set_as_of(name_arg(date, "date")); });
}

int crmtier_engine_load(crmtier_engine* engine, const char* adapter, const char* data, size_t data_len,
                        size_t* loaded) {
    if (loaded) *loaded = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        const auto name = name_arg(adapter, "adapter");
        const std::string_view text = text_arg(data, data_len, "data");
        const std::size_t n = e.load(e.adapter(name), text);
        if (loaded) *loaded = n;
    });
}

int crmtier_engine_save(crmtier_engine* engine, const char* adapter, const char* record, size_t record_len,
                        char** result, size_t* result_len) {
    if (result) *result = nullptr;
    if (result_len) *result_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        const auto name = name_arg(adapter, "adapter");
        const std::string_view text = text_arg(record, record_len, "record");
        const auto& a = e.adapter(name);
        // The records read and the result rendered go into this thread's
        // buffers (their capacity kept from one save to the next; one
        // thread-local access); the result is then handed over as the host's
        // copy (before anything is logged: a log callback may save elsewhere).
        struct Scratch {
            crmtier::RecordBatch batch;
            std::string rendered;
        };
        thread_local Scratch scratch;
        const std::size_t n = e.save(a, text, scratch.batch, result ? &scratch.rendered : nullptr);
        if (result) give(scratch.rendered, result, result_len);
        e.core().log().debug("saved {} record(s) through adapter {}", n, a.name());
    });
}

int crmtier_engine_result(crmtier_engine* engine, const char* adapter, const char* account_id, size_t id_len,
                          char** result, size_t* result_len) {
    if (result) *result = nullptr;
    if (result_len) *result_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        need_out(result, result_len, "result");
        const auto name = name_arg(adapter, "adapter");
        const std::string_view id = text_arg(account_id, id_len, "account_id");
        const auto& a = e.adapter(name);
        std::string out;
        if (!e.core().result(id, a, out)) throw crmtier::NotFoundError("no account " + crmtier::quoted(id, 256));
        give(out, result, result_len);
    });
}

int crmtier_engine_sequence(crmtier_engine* engine, uint64_t* seq) {
    return guard([&] {
        auto& e = engine_of(engine);
        need(seq, "seq");
        *seq = e.core().sequence();
    });
}

int crmtier_engine_changes(crmtier_engine* engine, uint64_t since, char** changes, size_t* changes_len) {
    if (changes) *changes = nullptr;
    if (changes_len) *changes_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        need_out(changes, changes_len, "changes");
        give(e.core().changes(since), changes, changes_len);
    });
}

int crmtier_engine_peer_groups(crmtier_engine* engine, char** groups, size_t* groups_len) {
    if (groups) *groups = nullptr;
    if (groups_len) *groups_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        need_out(groups, groups_len, "groups");
        give(e.core().peer_groups(), groups, groups_len);
    });
}

int crmtier_engine_stats(crmtier_engine* engine, char** stats, size_t* stats_len) {
    if (stats) *stats = nullptr;
    if (stats_len) *stats_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        need_out(stats, stats_len, "stats");
        give(e.core().stats(CRMTIER_VERSION_STRING), stats, stats_len);
    });
}

int crmtier_engine_report(crmtier_engine* engine, const char* options, size_t options_len, char** html,
                          size_t* html_len) {
    if (html) *html = nullptr;
    if (html_len) *html_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        need_out(html, html_len, "html");
        const std::string_view opts = options ? text_arg(options, options_len, "options") : std::string_view("{}");
        give(crmtier::report::page(e.core(), opts), html, html_len);
    });
}

int crmtier_engine_snapshot_save(crmtier_engine* engine, const char* path) {
    return guard([&] {
        auto& e = engine_of(engine);
        const auto p = name_arg(path, "path");
        if (p.empty()) throw crmtier::ArgumentError("path is empty");
        e.core().snapshot_save(std::string(p));
    });
}

int crmtier_engine_snapshot_load(crmtier_engine* engine, const char* path) {
    return guard([&] {
        auto& e = engine_of(engine);
        const auto p = name_arg(path, "path");
        if (p.empty()) throw crmtier::ArgumentError("path is empty");
        e.core().snapshot_load(std::string(p));
    });
}

int crmtier_cursor_open(crmtier_engine* engine, const char* adapter, crmtier_cursor** out) {
    if (out) *out = nullptr;
    return guard([&] {
        auto& e = engine_of(engine);
        need(out, "out");
        const auto& a = e.adapter(name_arg(adapter, "adapter"));
        auto cursor = std::make_unique<crmtier_cursor>();
        cursor->engine = engine->impl;
        cursor->adapter = &a;
        cursor->ids = e.core().sorted_ids();
        *out = cursor.release();
    });
}

int crmtier_cursor_next(crmtier_cursor* cursor, const char** result, size_t* result_len) {
    if (result) *result = nullptr;
    if (result_len) *result_len = 0;
    return guard([&] {
        need(cursor, "cursor");
        need(result, "result");
        need(result_len, "result_len");
        auto engine = cursor->engine.lock();
        while (engine && cursor->pos < cursor->ids.size()) {
            if (engine->core().result(cursor->ids[cursor->pos++], *cursor->adapter, cursor->current)) {
                *result = cursor->current.c_str();
                *result_len = cursor->current.size();
                return;
            }
        }
    });
}

int crmtier_cursor_next_batch(crmtier_cursor* cursor, size_t max_results, unsigned threads, const char** results,
                              size_t* results_len, size_t* count) {
    if (results) *results = nullptr;
    if (results_len) *results_len = 0;
    if (count) *count = 0;
    return guard([&] {
        need(cursor, "cursor");
        need(results, "results");
        need(results_len, "results_len");
        if (max_results == 0) throw crmtier::ArgumentError("max_results is 0 (ask for 1 or more results)");
        if (threads > 256) throw crmtier::ArgumentError("threads is " + std::to_string(threads) + " (at most 256)");
        auto engine = cursor->engine.lock();
        cursor->current.clear();
        if (!engine || cursor->pos >= cursor->ids.size()) return;
        const std::size_t end = cursor->pos + std::min(max_results, cursor->ids.size() - cursor->pos);
        const std::size_t n =
            engine->core().results(cursor->ids, cursor->pos, end, *cursor->adapter, threads, cursor->current);
        cursor->pos = end;
        if (n == 0) return;
        *results = cursor->current.c_str();
        *results_len = cursor->current.size();
        if (count) *count = n;
    });
}

void crmtier_cursor_destroy(crmtier_cursor* cursor) {
    guard([&] { delete cursor; });
}

int crmtier_engine_set_log(crmtier_engine* engine, crmtier_log_fn fn, void* user, int min_level) {
    return guard([&] {
        auto& e = engine_of(engine);
        if (min_level < CRMTIER_LOG_TRACE || min_level > CRMTIER_LOG_OFF)
            throw crmtier::ArgumentError("min_level " + std::to_string(min_level) + " is not a CRMTIER_LOG_* level");
        e.core().set_log(fn, user, min_level);
    });
}

int crmtier_engine_translate(crmtier_engine* engine, const char* adapter, const char* data, size_t data_len,
                             char** records, size_t* records_len) {
    if (records) *records = nullptr;
    if (records_len) *records_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        need_out(records, records_len, "records");
        const auto name = name_arg(adapter, "adapter");
        const std::string_view text = text_arg(data, data_len, "data");
        give(e.translate(e.adapter(name), text), records, records_len);
    });
}

int crmtier_engine_window_sums(crmtier_engine* engine, char** sums, size_t* sums_len) {
    if (sums) *sums = nullptr;
    if (sums_len) *sums_len = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        need_out(sums, sums_len, "sums");
        give(e.core().window_sums(), sums, sums_len);
    });
}

int crmtier_engine_load_window_sums(crmtier_engine* engine, const char* data, size_t data_len, size_t* loaded) {
    if (loaded) *loaded = 0;
    return guard([&] {
        auto& e = engine_of(engine);
        const std::size_t n = e.core().load_window_sums(text_arg(data, data_len, "data"));
        if (loaded) *loaded = n;
    });
}

}  // extern "C"
