// Host safety: a host loads libcrmtier.so with Boost.DLL, uses every
// function, and unloads it, again and again in one process. Afterwards:
//   - no thread of the plugin is left running (/proc/self/task),
//   - no signal handler was installed or changed (sigaction, every signal),
//   - nothing was written to stdout or stderr (both redirected to a file
//     for the whole run, which must stay empty),
//   - memory does not grow from one cycle to the next (RSS after warm-up;
//     LeakSanitizer in the asan preset, valgrind in host_safety.valgrind).
//
// Usage: crmtier_host_safety <libcrmtier.so> <portfolio.jsonl|-> [cycles]
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/dll/shared_library.hpp>

#include "crmtier.h"

namespace {

int out_fd = -1;  // the real stdout, for this program's own report

void say(const std::string& s) {
    if (::write(out_fd, s.data(), s.size()) < 0) {}
}

bool failed = false;
void fail(const std::string& s) {
    say("FAIL: " + s + "\n");
    failed = true;
}

int thread_count() {
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/task")) {
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') ++n;
        ::closedir(d);
    }
    return n;
}

long rss_kb() {
    std::ifstream in("/proc/self/statm");
    long pages = 0, resident = 0;
    in >> pages >> resident;
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

struct Handlers {
    std::vector<struct sigaction> at;
    static Handlers now() {
        Handlers h;
        h.at.resize(NSIG);
        for (int s = 1; s < NSIG; ++s) {
            std::memset(&h.at[s], 0, sizeof(struct sigaction));
            ::sigaction(s, nullptr, &h.at[s]);
        }
        return h;
    }
    std::string diff(const Handlers& o) const {
        std::string d;
        for (int s = 1; s < NSIG; ++s) {
            if (at[s].sa_handler == o.at[s].sa_handler && at[s].sa_flags == o.at[s].sa_flags) continue;
            // Appended piece by piece: GCC 12 warns, wrongly, about
            // " " + std::string (-Wrestrict).
            d += ' ';
            d += std::to_string(s);
            if (s < 32) d.append("(").append(strsignal(s)).append(")");
        }
        return d;
    }
};

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const char* kSmall =
    R"({"type":"account","id":"ACC-1","owner":"rep-1","employees":320,"territory":"EMEA/DE/Bavaria","industry":"Manufacturing"})" "\n"
    R"({"type":"account","id":"ACC-2","owner":"rep-2","employees":300,"territory":"EMEA/DE/Berlin","industry":"Manufacturing"})" "\n"
    R"({"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-03-15","amount":48000})" "\n";

// One host session: load the plugin, use everything, unload it.
void cycle(const std::string& library, const std::string& portfolio, const std::string& snap, int i) {
    boost::dll::shared_library lib(library, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    auto& create = lib.get<int(const char*, size_t, crmtier_engine**)>("crmtier_engine_create");
    auto& destroy = lib.get<void(crmtier_engine*)>("crmtier_engine_destroy");
    auto& load = lib.get<int(crmtier_engine*, const char*, const char*, size_t, size_t*)>("crmtier_engine_load");
    auto& save = lib.get<int(crmtier_engine*, const char*, const char*, size_t, char**, size_t*)>("crmtier_engine_save");
    auto& as_of = lib.get<int(crmtier_engine*, const char*)>("crmtier_engine_set_as_of");
    auto& changes = lib.get<int(crmtier_engine*, uint64_t, char**, size_t*)>("crmtier_engine_changes");
    auto& groups = lib.get<int(crmtier_engine*, char**, size_t*)>("crmtier_engine_peer_groups");
    auto& stats = lib.get<int(crmtier_engine*, char**, size_t*)>("crmtier_engine_stats");
    auto& result = lib.get<int(crmtier_engine*, const char*, const char*, size_t, char**, size_t*)>("crmtier_engine_result");
    auto& cur_open = lib.get<int(crmtier_engine*, const char*, crmtier_cursor**)>("crmtier_cursor_open");
    auto& cur_next = lib.get<int(crmtier_cursor*, const char**, size_t*)>("crmtier_cursor_next");
    auto& cur_destroy = lib.get<void(crmtier_cursor*)>("crmtier_cursor_destroy");
    auto& set_log = lib.get<int(crmtier_engine*, crmtier_log_fn, void*, int)>("crmtier_engine_set_log");
    auto& last_error = lib.get<const char*()>("crmtier_last_error");
    auto& release = lib.get<void(void*)>("crmtier_free");
    auto& snap_save = lib.get<int(crmtier_engine*, const char*)>("crmtier_engine_snapshot_save");
    auto& snap_load = lib.get<int(crmtier_engine*, const char*)>("crmtier_engine_snapshot_load");
    auto& report = lib.get<int(crmtier_engine*, const char*, size_t, char**, size_t*)>("crmtier_engine_report");

    const std::string config = R"({"as_of":"2026-11-27"})";
    crmtier_engine* e = nullptr;
    if (create(config.data(), config.size(), &e) != CRMTIER_OK) return fail("create");
    // A log callback that swallows everything: logging must go only here.
    set_log(e, [](int, const char*, void*) {}, nullptr, i % 2 ? CRMTIER_LOG_TRACE : CRMTIER_LOG_OFF);
    if (load(e, "canonical", portfolio.data(), portfolio.size(), nullptr) != CRMTIER_OK)
        return fail(std::string("load: ") + last_error());
    char* out = nullptr;
    size_t n = 0;
    const std::string acc = R"({"type":"account","id":"HS-1","owner":"rep-1","employees":12,"industry":"Retail"})";
    if (save(e, "canonical", acc.data(), acc.size(), &out, &n) != CRMTIER_OK) fail(std::string("save: ") + last_error());
    release(out);
    const std::string rec = R"({"type":"revenue","id":"INV-HS","account_id":"HS-1","date":"2026-10-01","amount":10})";
    if (save(e, "canonical", rec.data(), rec.size(), &out, &n) != CRMTIER_OK) fail(std::string("save: ") + last_error());
    release(out);
    // Failures too: they must not print anything either.
    save(e, "canonical", "{bad", 4, &out, &n);
    save(e, "nope", rec.data(), rec.size(), &out, &n);
    as_of(e, "2026-02-30");
    result(e, "canonical", "missing", 7, &out, &n);
    if (as_of(e, "2026-06-30") != CRMTIER_OK) fail("as_of");
    if (changes(e, 0, &out, &n) != CRMTIER_OK) fail("changes");
    release(out);
    if (groups(e, &out, &n) != CRMTIER_OK) fail("peer_groups");
    release(out);
    if (stats(e, &out, &n) != CRMTIER_OK) fail("stats");
    release(out);
    // The sales plan, with the movers (a private copy of the portfolio and
    // a second thread for the peer groups: both must be gone afterwards).
    const std::string plan = R"({"since":"2026-01-31","lang":"ru"})";
    if (report(e, plan.data(), plan.size(), &out, &n) != CRMTIER_OK) fail(std::string("report: ") + last_error());
    release(out);
    report(e, "{\"ownr\":1}", 10, &out, &n);  // refused, silently
    if (result(e, "canonical", "HS-1", 4, &out, &n) != CRMTIER_OK) fail(std::string("result: ") + last_error());
    release(out);
    crmtier_cursor* c = nullptr;
    if (cur_open(e, "canonical", &c) != CRMTIER_OK) fail("cursor_open");
    const char* r = nullptr;
    while (cur_next(c, &r, &n) == CRMTIER_OK && r) {}
    // A cursor that outlives its engine.
    crmtier_cursor* late = nullptr;
    cur_open(e, "canonical", &late);
    if (snap_save(e, snap.c_str()) != CRMTIER_OK) fail(std::string("snapshot_save: ") + last_error());
    if (snap_load(e, snap.c_str()) != CRMTIER_OK) fail(std::string("snapshot_load: ") + last_error());
    cur_destroy(c);
    destroy(e);
    while (cur_next(late, &r, &n) == CRMTIER_OK && r) {}
    cur_destroy(late);
    // lib goes out of scope: dlclose.
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s <libcrmtier.so> <portfolio.jsonl|-> [cycles]\n", argv[0]);
        return 2;
    }
    const std::string library = argv[1];
    const std::string portfolio = std::strcmp(argv[2], "-") == 0 ? std::string(kSmall) : read_file(argv[2]);
    const int cycles = argc > 3 ? std::atoi(argv[3]) : 30;
    const std::string base = "/tmp/crmtier-host-safety-" + std::to_string(::getpid());
    const std::string captured = base + ".out", snap = base + ".snap";

    // Everything the process writes to fd 1 and 2 goes to `captured`.
    std::fflush(nullptr);
    out_fd = ::dup(1);
    const int err_fd = ::dup(2);
    const int cap = ::open(captured.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    ::dup2(cap, 1);
    ::dup2(cap, 2);
    ::close(cap);

    // A sanitizer runtime starts a thread of its own at the first thread
    // creation (ThreadSanitizer's background thread): create one before
    // counting, so that the count is the host's and not the runtime's.
    std::thread([] {}).join();
    const int threads_before = thread_count();
    const Handlers handlers_before = Handlers::now();
    long rss_warm = 0;
    const int warm = cycles / 3;
    for (int i = 0; i < cycles && !failed; ++i) {
        cycle(library, portfolio, snap, i);
        if (thread_count() != threads_before)
            fail("cycle " + std::to_string(i) + ": " + std::to_string(thread_count() - threads_before) + " thread(s) left running");
        const std::string d = Handlers::now().diff(handlers_before);
        if (!d.empty()) fail("cycle " + std::to_string(i) + ": signal handlers changed:" + d);
        if (i == warm) rss_warm = rss_kb();
    }
    const long rss_end = rss_kb();
    std::fflush(nullptr);
    ::dup2(err_fd, 2);
    ::dup2(out_fd, 1);
    ::unlink(snap.c_str());

    // Still mapped after the last unload? (A library with thread_local
    // destructors is kept by glibc: RTLD_NODELETE in effect. Reported, not
    // a failure: the next dlopen reuses it and nothing grows.)
    void* still = ::dlopen(library.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (still) ::dlclose(still);

    const std::string written = read_file(captured.c_str());
    ::unlink(captured.c_str());
    if (!written.empty()) fail("the plugin wrote " + std::to_string(written.size()) + " bytes to stdout/stderr: " + written.substr(0, 500));
    // RSS is a coarse measure (the allocator's arenas breathe by ~10 MB here
    // from cycle to cycle); leaks are measured by valgrind and LeakSanitizer.
    // This catches gross growth only. Sanitizer allocators keep freed memory
    // in quarantine: no RSS check there.
#if !defined(__SANITIZE_ADDRESS__)
    const long growth = rss_end - rss_warm;
    if (growth > 64 * 1024) fail("RSS grew by " + std::to_string(growth) + " KB over " + std::to_string(cycles - warm - 1) + " cycles after warm-up");
#endif
    say("host safety: " + std::to_string(cycles) + " load/use/unload cycles; threads " + std::to_string(threads_before) + " -> " +
        std::to_string(thread_count()) + "; signal handlers unchanged: " + (Handlers::now().diff(handlers_before).empty() ? "yes" : "no") +
        "; bytes written to stdout/stderr: " + std::to_string(written.size()) + "; RSS after warm-up " +
        std::to_string(rss_warm) + " KB -> " + std::to_string(rss_end) + " KB; library still mapped after unload: " +
        (still ? "yes (kept by the loader)" : "no") + (failed ? "; FAILED\n" : "; ok\n"));
    return failed ? 1 : 0;
}
