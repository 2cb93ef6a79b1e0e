// The core engine: one policy, one portfolio, one lock. Writers (save, load,
// as-of) take the lock exclusively; readers share it. Records come in
// parsed (an adapter reads the host's text before the lock is taken, so a
// bad record never holds up other threads and never leaves anything
// half-applied), and results go out through a ResultWriter, under the lock.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin/log.hpp"
#include "plugin/policy.hpp"
#include "plugin/portfolio.hpp"
#include "plugin/records.hpp"

namespace crmtier {

// How a result leaves the core: written, from the Result and what the
// portfolio knows, in the shape its reader wants (canonical JSON, a host's
// field names). Called with the engine's lock held.
class ResultWriter {
public:
    // Appends the result of `result.account` to `out`.
    virtual void write(const Portfolio& portfolio, const Result& result, std::string& out) const = 0;

protected:
    ~ResultWriter() = default;
};

// Bulk input, parsed batch after batch in the order of the input.
class BatchSource {
public:
    virtual ~BatchSource() = default;
    // The next batch in `out` (replacing what it held); false when no input
    // is left. Throws the error of the input's first bad record, naming its
    // line.
    virtual bool next(RecordBatch& out) = 0;
    // About how many records the input holds (room is made for them).
    virtual std::size_t size_hint() const = 0;

    // Input that splits into parts parsed independently of one another (JSON
    // Lines: runs of whole lines), which the load parses on every core: how
    // many parts (0: it does not split; next() alone reads it). Their batches,
    // in part order, are the records next() gives.
    virtual std::size_t parts() const { return 0; }
    // Part `i` (< parts()) parsed into `out` (replacing what it held).
    // Callable from several threads at once for different parts, and apart
    // from next(). Throws as next() does: the first bad record of the part,
    // naming its line in the whole input.
    virtual void part(std::size_t /*i*/, RecordBatch& /*out*/) const {}
};

// Every account's result (Portfolio::result()), worked out once on up to
// `threads` threads (0: one per core), in contiguous parts as
// Engine::results() renders them: indexed by account slot, a slot without an
// account (!portfolio.present(i)) holding a default Result. For what reads
// every result at once (the report, the peer groups); call it where the
// portfolio cannot change (under the engine's lock, e.g. inside read()).
// Throws std::bad_alloc.
std::vector<Result> every_result(const Portfolio& portfolio, unsigned threads = 0);

class Engine {
public:
    // `policy` as the configuration gave it, the host's defaults applied.
    explicit Engine(Policy policy);

    // Fixed for the engine's life: read without the lock.
    const Policy& policy() const { return policy_; }

    void set_as_of(std::string_view date);
    // Every record of `source`, as one step of the sequence; all or nothing.
    // Returns how many records were applied.
    std::size_t load(BatchSource& source);
    // The records of one host record, each one save. With `result`: the
    // result of the last one's account written by `writer` (its old content
    // replaced; its capacity reused), "null" when the record has no account
    // record.
    void save(std::span<const RecordRef> records, const ResultWriter& writer, std::string* result);
    // The result of account `id` written by `writer` into `out` (replaced);
    // false when there is no such account.
    bool result(std::string_view id, const ResultWriter& writer, std::string& out) const;
    // The results of ids[begin, end) written by `writer`, each followed by
    // '\n', into `out` (replaced), in that order; ids no longer present are
    // skipped. Up to `threads` threads (0: one per core) render contiguous
    // parts under one shared lock. Returns how many results `out` holds.
    std::size_t results(const IdList& ids, std::size_t begin, std::size_t end, const ResultWriter& writer,
                        unsigned threads, std::string& out) const;
    std::uint64_t sequence() const;
    std::string changes(std::uint64_t since) const;
    std::string peer_groups() const;
    // `version`: the library's, which the report starts with.
    std::string stats(std::string_view version) const;
    IdList sorted_ids() const;
    // Runs fn(portfolio) under the shared lock and returns what it returns:
    // one consistent state for a reader above the core (report/) that
    // gathers many things at once. fn must not call what takes the lock
    // again (save, load, result...); the peer groups memo below is fine.
    template <class Fn>
    decltype(auto) read(Fn&& fn) const {
        std::shared_lock lock(mutex_);
        return std::forward<Fn>(fn)(static_cast<const Portfolio&>(*portfolio_));
    }
    // The peer groups (peer_groups_json) of the state at sequence `seq`, if
    // they were worked out for it: peer_groups() and the report keep the
    // last ones here, so pages of one rep after another share them while
    // the engine does not change (they take a pass over every account and
    // invoice).
    std::optional<std::string> remembered_peer_groups(std::uint64_t seq) const;
    void remember_peer_groups(std::uint64_t seq, const std::string& json) const;
    void snapshot_save(const std::string& path) const;
    void snapshot_load(const std::string& path);

    // Partial reductions (crmtier_engine_window_sums and
    // crmtier_engine_load_window_sums in abi/crmtier.h say what they are).
    // Every account id the live revenue records name, with their sums in
    // each window as of the as-of date: JSON Lines sorted by id, accounts
    // whose two sums are 0 left out.
    std::string window_sums() const;
    // Such lines loaded as two revenue records per account, dated the as-of
    // date and W days before it, with ids no record can have; all or
    // nothing. Returns how many lines were applied.
    std::size_t load_window_sums(std::string_view text);

    void set_log(LogFn fn, void* user, int min_level) { log_.set(fn, user, min_level); }
    spdlog::logger& log() const { return *log_.logger; }

private:
    Policy policy_;
    std::unique_ptr<Portfolio> portfolio_;
    mutable std::shared_mutex mutex_;
    EngineLog log_;
    // remember_peer_groups(): the last peer groups and their sequence.
    mutable std::mutex groups_mutex_;
    mutable std::optional<std::pair<std::uint64_t, std::string>> groups_;
};

}  // namespace crmtier
