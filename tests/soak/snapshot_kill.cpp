// The snapshot kill test: a child process saves snapshots in a loop,
// alternating between two different engine states X and Y, onto one path;
// the parent SIGKILLs it at a random moment, then checks the file. 100 times.
// The file must always be byte-for-byte X's snapshot or Y's, load cleanly,
// and give the results of X or of Y: never a mix, never truncated.
//
// SIGKILL stops the process between any two instructions (mid-write,
// between write and fsync, between fsync and rename), which is what this
// proves. It does not simulate a power cut (the page cache survives a
// SIGKILL); that is what the fsyncs in write_atomically() are for.
//
// Usage: crmtier_snapshot_kill <portfolio.jsonl> <work dir> [cycles]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/hostile/engine_digest.hpp"

using namespace crmtier_test;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The digest of a snapshot file loaded into a fresh engine, or "" if it
// does not load.
std::string loaded_digest(const std::string& path) {
    Engine e(kConfig);
    if (crmtier_engine_snapshot_load(e.get(), path.c_str()) != CRMTIER_OK) return "";
    return digest(e.get());
}

// Temporary files a killed save left beside the snapshot.
int leftovers(const std::string& dir, const std::string& base, bool remove) {
    int n = 0;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            const std::string name = e->d_name;
            if (name.rfind(base + ".", 0) == 0 && name != base) {
                ++n;
                if (remove) ::unlink((dir + "/" + name).c_str());
            }
        }
        ::closedir(d);
    }
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s <portfolio.jsonl> <work dir> [cycles]\n", argv[0]);
        return 2;
    }
    const std::string portfolio = read_file(argv[1]);
    const std::string dir = argv[2];
    const int cycles = argc > 3 ? std::atoi(argv[3]) : 100;
    ::mkdir(dir.c_str(), 0755);
    const std::string target = dir + "/live.snap", px = dir + "/x.snap", py = dir + "/y.snap";

    // Two states that differ in records, as-of date and sequence.
    Engine x(kConfig), y(kConfig);
    x.load(portfolio);
    y.load(portfolio);
    y.load(R"({"type":"account","id":"KILL-Y","owner":"rep-1","employees":40,"territory":"EMEA/DE","industry":"Retail"})" "\n"
           R"({"type":"revenue","id":"KILL-Y-1","account_id":"KILL-Y","date":"2026-09-01","amount":123456.78})");
    check(crmtier_engine_set_as_of(y.get(), "2026-10-15"), "set_as_of");
    check(crmtier_engine_snapshot_save(x.get(), px.c_str()), "snapshot_save x");
    check(crmtier_engine_snapshot_save(y.get(), py.c_str()), "snapshot_save y");
    const std::string bytes_x = read_file(px), bytes_y = read_file(py);
    const std::string digest_x = loaded_digest(px), digest_y = loaded_digest(py);
    if (bytes_x == bytes_y || digest_x.empty() || digest_y.empty() || digest_x == digest_y) {
        std::fprintf(stderr, "FAIL: could not make two distinct loadable snapshots\n");
        return 1;
    }

    // How long one save takes, to aim the kills across the whole save.
    check(crmtier_engine_snapshot_save(x.get(), target.c_str()), "snapshot_save");
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) check(crmtier_engine_snapshot_save(i % 2 ? x.get() : y.get(), target.c_str()), "snapshot_save");
    const auto save_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count() / 5;

    std::mt19937 rng(20261127);
    int as_x = 0, as_y = 0, interrupted = 0, bad = 0;
    for (int c = 0; c < cycles; ++c) {
        const pid_t pid = ::fork();
        if (pid < 0) {
            std::perror("fork");
            return 1;
        }
        if (pid == 0) {
            for (unsigned i = 0;; ++i) crmtier_engine_snapshot_save(i % 2 ? y.get() : x.get(), target.c_str());
        }
        // Anywhere in the first few saves: a kill lands mid-save most times.
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % static_cast<unsigned>(3 * save_us + 1)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);

        interrupted += leftovers(dir, "live.snap", true) > 0;
        const std::string bytes = read_file(target);
        const std::string d = loaded_digest(target);
        if (bytes == bytes_x && d == digest_x) {
            ++as_x;
        } else if (bytes == bytes_y && d == digest_y) {
            ++as_y;
        } else {
            ++bad;
            std::fprintf(stderr, "FAIL: cycle %d: the file (%zu bytes) is neither snapshot (%zu / %zu bytes)%s\n", c,
                         bytes.size(), bytes_x.size(), bytes_y.size(), d.empty() ? " and does not load" : "");
        }
    }
    std::printf("snapshot kill: %d SIGKILLs during saves of %zu-byte snapshots (one save ~%lld us); file whole every "
                "time: %s (old/new: %d x, %d y); kills that left a save's temporary file behind: %d\n",
                cycles, bytes_x.size(), static_cast<long long>(save_us), bad ? "NO" : "yes", as_x, as_y, interrupted);
    ::unlink(target.c_str());
    ::unlink(px.c_str());
    ::unlink(py.c_str());
    if (bad) return 1;
    if (interrupted == 0) {
        std::fprintf(stderr, "FAIL: no kill landed inside a save: the test proved nothing\n");
        return 1;
    }
    return 0;
}
