#include "plugin/engine.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <mutex>
#include <utility>
#include <vector>

#include "base/errors.hpp"
#include "base/json_writer.hpp"
#include "base/quote.hpp"
#include "plugin/peer_groups.hpp"
#include "plugin/snapshot.hpp"

namespace crmtier {

namespace {

Day parse_as_of(std::string_view date) {
    if (date == "today") return today_utc();
    Day d;
    std::string why;
    if (!parse_date(date, d, why)) throw ArgumentError("as-of date " + quoted(date, 32) + ": " + why);
    return d;
}

// The first load of an empty engine (the nightly or initial bulk load), in
// the source's batches: a second thread parses the next batch while this one
// applies the last to a copy of the (empty) portfolio, so parsing and
// applying overlap and the parsed records of the whole input never exist at
// once (they would take several times the portfolio's own memory). The copy
// replaces the portfolio once every batch has passed: all or nothing; of two
// errors, the earlier batch's is reported. Called with the lock held.
std::unique_ptr<Portfolio> load_streamed(const Portfolio& current, BatchSource& source, std::size_t& n) {
    auto staged = std::make_unique<Portfolio>(current);
    staged->begin_load(source.size_hint());
    RecordBatch now, next;
    n = 0;
    bool more = source.next(now);
    while (more) {
        auto parsing = std::async(std::launch::async, [&] { return source.next(next); });
        try {
            staged->load_batch(now.refs);
        } catch (...) {
            parsing.wait();  // its records come later: this error is the one to report
            throw;
        }
        n += now.refs.size();
        more = parsing.get();
        std::swap(now, next);
    }
    staged->finish_load();
    return staged;
}

}  // namespace

Engine::Engine(Policy policy)
    : policy_(std::move(policy)),
      portfolio_(std::make_unique<Portfolio>(policy_, policy_.as_of ? *policy_.as_of : today_utc())) {}

void Engine::set_as_of(std::string_view date) {
    const Day d = parse_as_of(date);
    std::unique_lock lock(mutex_);
    portfolio_->set_as_of(d);
    log_.logger->debug("as-of date set to {}", format_date(d));
}

std::size_t Engine::load(BatchSource& source) {
    {
        std::unique_lock lock(mutex_);
        if (portfolio_->empty()) {
            std::size_t n = 0;
            portfolio_ = load_streamed(*portfolio_, source, n);
            return n;
        }
    }
    // Into a portfolio that has records: every batch parsed before the lock
    // is taken, then applied at once.
    std::vector<RecordBatch> batches;
    std::vector<RecordRef> all;
    for (RecordBatch b; source.next(b); b = RecordBatch()) {
        all.insert(all.end(), b.refs.begin(), b.refs.end());
        batches.push_back(std::move(b));  // what the refs view stays where it is
    }
    std::unique_lock lock(mutex_);
    portfolio_->load(all);
    return all.size();
}

void Engine::save(std::span<const RecordRef> records, const ResultWriter& writer, std::string* result) {
    std::unique_lock lock(mutex_);  // held until the result is written
    std::optional<AccountIdx> account;
    for (const RecordRef& r : records) {
        account = portfolio_->save(r);
        // A revenue record that does not count (a lost deal, a draft
        // invoice) comes as the delete of its id, naming its account: when it
        // was never counted, the save answers with that account's result,
        // unchanged (docs/semantics.md#canonical-records).
        if (!account && !r.account && r.deleted && !r.account_id.empty()) account = portfolio_->find(r.account_id);
    }
    if (!result) return;
    result->clear();
    if (account) writer.write(*portfolio_, portfolio_->result(*account), *result);
    else result->assign("null");
}

bool Engine::result(std::string_view id, const ResultWriter& writer, std::string& out) const {
    std::shared_lock lock(mutex_);
    const auto idx = portfolio_->find(id);
    if (!idx) return false;
    out.clear();
    writer.write(*portfolio_, portfolio_->result(*idx), out);
    return true;
}

std::uint64_t Engine::sequence() const {
    std::shared_lock lock(mutex_);
    return portfolio_->seq();
}

std::string Engine::changes(std::uint64_t since) const {
    std::vector<std::string> changed, deleted;
    std::uint64_t seq;
    bool complete;
    {
        std::shared_lock lock(mutex_);
        seq = portfolio_->seq();
        if (since > seq)
            throw ArgumentError("since " + std::to_string(since) + " is ahead of the engine's sequence " + std::to_string(seq));
        complete = portfolio_->changes(since, changed, deleted);
    }
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("since").uinteger(since);
    w.key("seq").uinteger(seq);
    w.key("changed").begin_array();
    for (const auto& id : changed) w.str(id);
    w.end_array();
    w.key("deleted").begin_array();
    for (const auto& id : deleted) w.str(id);
    w.end_array();
    w.key("resync").boolean(!complete);
    w.end_object();
    return out;
}

std::string Engine::peer_groups() const {
    PeerGroups groups;
    {
        std::shared_lock lock(mutex_);
        groups = group_reps(*portfolio_);
    }
    return peer_groups_json(groups);
}

std::string Engine::stats(std::string_view version) const {
    std::shared_lock lock(mutex_);
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("version").str(version);
    w.key("as_of").date(portfolio_->as_of());
    w.key("seq").uinteger(portfolio_->seq());
    w.key("accounts").uinteger(portfolio_->account_count());
    w.key("revenue_records").uinteger(portfolio_->revenue_count());
    w.key("profiles").uinteger(portfolio_->profile_count());
    w.key("benchmark").money(portfolio_->benchmark());
    w.key("benchmark_method").str(benchmark_method_name(policy_.benchmark_method));
    w.key("host").str(policy_.host);
    w.key("profile").begin_array();
    for (Attribute a : policy_.profile) w.str(attribute_name(a));
    w.end_array();
    w.end_object();
    return out;
}

void Engine::snapshot_save(const std::string& path) const {
    std::string bytes;
    {
        std::shared_lock lock(mutex_);
        bytes = snapshot::serialize(*portfolio_);
    }
    snapshot::write_atomically(path, bytes);
    log_.logger->info("snapshot of {} bytes written to {}", bytes.size(), path);
}

void Engine::snapshot_load(const std::string& path) {
    const std::string bytes = snapshot::read_file(path);
    snapshot::Contents contents = snapshot::deserialize(bytes, policy_.limits);
    auto restored = std::make_unique<Portfolio>(policy_, contents.as_of);
    restored->load(contents.records);
    std::unique_lock lock(mutex_);
    std::vector<std::string> gone;
    const IdList ids = portfolio_->sorted_ids();
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!restored->find(ids[i])) gone.emplace_back(ids[i]);
    restored->continue_from(std::max(portfolio_->seq(), contents.seq), gone);
    portfolio_ = std::move(restored);
    log_.logger->info("snapshot {} loaded: {} records", path, contents.records.size());
}

IdList Engine::sorted_ids() const {
    std::shared_lock lock(mutex_);
    return portfolio_->sorted_ids();
}

}  // namespace crmtier
