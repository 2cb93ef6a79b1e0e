// The engine behind the C handle: one policy, one portfolio, one lock.
// Writers (save, load, as-of) take the lock exclusively; readers share it.
// Parsing and validation happen before the lock is taken, so a bad record
// never holds up other threads and never leaves anything half-applied.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "log.hpp"
#include "policy.hpp"
#include "portfolio.hpp"
#include "registry.hpp"

namespace crmtier {

class Engine {
public:
    explicit Engine(std::string_view config);

    void set_as_of(std::string_view date);
    std::size_t load(std::string_view adapter, std::string_view data);
    // With `result`: the result of the record's account after the save in
    // it (its old content replaced; its capacity reused), "null" when the
    // record has no account record.
    void save(std::string_view adapter, std::string_view record, std::string* result);
    std::string result(std::string_view adapter, std::string_view account_id) const;
    // The result in `out` (replaced), or false when the account does not
    // exist (for cursors, which reuse `out` from one result to the next).
    bool result_if_present(std::string_view adapter, std::string_view account_id, std::string& out) const;
    std::uint64_t sequence() const;
    std::string changes(std::uint64_t since) const;
    std::string peer_groups() const;
    std::string stats() const;
    // The sales plan page (report/report.hpp): gathered under the shared
    // lock, rendered outside it.
    std::string report(std::string_view options) const;
    IdList sorted_ids() const;
    void check_adapter(std::string_view adapter) const;
    void snapshot_save(const std::string& path) const;
    void snapshot_load(const std::string& path);
    void set_log(crmtier_log_fn fn, void* user, int min_level) { log_.set(fn, user, min_level); }

private:
    std::vector<Record> parse(std::string_view adapter, std::string_view data, bool bulk) const;
    void render(std::string_view adapter, AccountIdx account, std::string& out) const;

    Policy policy_;
    adapters::Registry registry_;
    std::unique_ptr<Portfolio> portfolio_;
    mutable std::shared_mutex mutex_;
    EngineLog log_;
    // The peer groups of the last report, and the sequence number they are
    // of: the pages of one rep after another share them while the engine
    // does not change (they take a pass over every account and invoice).
    mutable std::mutex report_groups_mutex_;
    mutable std::optional<std::pair<std::uint64_t, std::string>> report_groups_;
};

}  // namespace crmtier
