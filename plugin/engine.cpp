#include "plugin/engine.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "base/errors.hpp"
#include "base/json_parse.hpp"
#include "base/json_writer.hpp"
#include "base/lines.hpp"
#include "base/parallel.hpp"
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

// Calls apply(batch) for every batch of `source`, in the input's order, on
// this thread, while the batches after it are parsed on other threads: on
// every core, a few parts ahead, when the source splits into parts (JSON
// Lines); else one batch ahead, on one thread. Parsed records of the whole
// input never exist at once (they would take several times the portfolio's
// own memory). Of two errors, the earlier batch's is thrown (a parse error
// of a part is thrown when its turn to be applied comes: every batch before
// it has been applied, none after it); every thread has ended when this
// returns or throws. apply may take the batch's contents (move them).
template <class Apply>
void in_input_order(BatchSource& source, Apply&& apply) {
    const std::size_t parts = source.parts();
    if (parts <= 1) {  // one batch ahead, on one thread
        RecordBatch now, next;
        bool more = source.next(now);
        while (more) {
            auto parsing = std::async(std::launch::async, [&] { return source.next(next); });
            try {
                apply(now);
            } catch (...) {
                parsing.wait();  // its records come later: this error is the one to report
                throw;
            }
            more = parsing.get();
            std::swap(now, next);
        }
        return;
    }
    const std::size_t workers = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), parts);
    // Part i is parsed into slots[i % window] once part i - window has been
    // applied: at most `window` parsed parts exist at once.
    const std::size_t window = 2 * workers;
    struct Slot {
        RecordBatch batch;
        std::exception_ptr error;
        bool ready = false;
    };
    std::vector<Slot> slots(window);
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t handed_out = 0, applied = 0;
    bool stop = false;
    auto work = [&] {
        for (;;) {
            std::size_t i;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stop || handed_out >= parts || handed_out < applied + window; });
                if (stop || handed_out >= parts) return;
                i = handed_out++;
            }
            Slot& slot = slots[i % window];
            try {
                source.part(i, slot.batch);
            } catch (...) {
                slot.error = std::current_exception();
            }
            std::lock_guard lock(mutex);
            slot.ready = true;
            changed.notify_all();
        }
    };
    std::vector<std::thread> threads;
    auto finish = [&] {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        changed.notify_all();
        for (std::thread& t : threads) t.join();
    };
    try {
        threads.reserve(workers);
        for (std::size_t w = 0; w < workers; ++w) threads.emplace_back(work);
        for (std::size_t i = 0; i < parts; ++i) {
            Slot& slot = slots[i % window];
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return slot.ready; });
            }
            if (slot.error) std::rethrow_exception(slot.error);
            apply(slot.batch);
            std::lock_guard lock(mutex);
            slot.ready = false;
            applied = i + 1;
            changed.notify_all();
        }
    } catch (...) {
        finish();
        throw;
    }
    finish();
}

// The first load of an empty engine (the nightly or initial bulk load):
// each batch applied, as soon as it is parsed, to a copy of the (empty)
// portfolio, which replaces the portfolio once every batch has passed: all
// or nothing. Called with the lock held.
std::unique_ptr<Portfolio> load_streamed(const Portfolio& current, BatchSource& source, std::size_t& n) {
    auto staged = std::make_unique<Portfolio>(current);
    staged->begin_load(source.size_hint());
    n = 0;
    in_input_order(source, [&](const RecordBatch& batch) {
        staged->load_batch(batch.refs);
        n += batch.refs.size();
    });
    staged->finish_load();
    return staged;
}

// Results rendered or worked out in parts of at least this many: starting a
// thread costs more than that.
constexpr std::size_t kMinPart = 256;

}  // namespace

std::vector<Result> every_result(const Portfolio& pf, unsigned threads) {
    std::vector<Result> out(pf.account_slots());
    for_parts(out.size(), threads, kMinPart, [&](std::size_t, std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i)
            if (pf.present(static_cast<AccountIdx>(i))) out[i] = pf.result(static_cast<AccountIdx>(i));
    });
    return out;
}

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
    std::deque<RecordBatch> batches;  // what the refs view stays where it is
    std::vector<RecordRef> all;
    in_input_order(source, [&](RecordBatch& b) {
        all.insert(all.end(), b.refs.begin(), b.refs.end());
        batches.push_back(std::move(b));
        b = RecordBatch();
    });
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

std::size_t Engine::results(const IdList& ids, std::size_t begin, std::size_t end, const ResultWriter& writer,
                            unsigned threads, std::string& out) const {
    out.clear();
    if (begin >= end) return 0;
    auto render = [&](std::size_t from, std::size_t to, std::string& text) {
        std::size_t n = 0;
        for (std::size_t i = from; i < to; ++i)
            if (const auto idx = portfolio_->find(ids[i])) {
                writer.write(*portfolio_, portfolio_->result(*idx), text);
                text.push_back('\n');
                ++n;
            }
        return n;
    };
    std::shared_lock lock(mutex_);
    // Each part into its own text, then joined in order: the first part
    // renders straight into `out`.
    const std::size_t parts = part_count(end - begin, threads, kMinPart);
    std::vector<std::string> texts(parts - 1);
    std::vector<std::size_t> counts(parts, 0);
    for_parts(end - begin, threads, kMinPart, [&](std::size_t p, std::size_t from, std::size_t to) {
        counts[p] = render(begin + from, begin + to, p == 0 ? out : texts[p - 1]);
    });
    std::size_t bytes = out.size();
    for (const auto& t : texts) bytes += t.size();
    out.reserve(bytes);
    for (const auto& t : texts) out += t;
    std::size_t n = 0;
    for (std::size_t c : counts) n += c;
    return n;
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
    std::uint64_t seq;
    {
        std::shared_lock lock(mutex_);
        seq = portfolio_->seq();
        if (auto known = remembered_peer_groups(seq)) return std::move(*known);
        groups = group_reps(*portfolio_, every_result(*portfolio_));
    }
    std::string json = peer_groups_json(groups);
    remember_peer_groups(seq, json);
    return json;
}

std::optional<std::string> Engine::remembered_peer_groups(std::uint64_t seq) const {
    std::lock_guard lock(groups_mutex_);
    if (groups_ && groups_->first == seq) return groups_->second;
    return std::nullopt;
}

void Engine::remember_peer_groups(std::uint64_t seq, const std::string& json) const {
    std::lock_guard lock(groups_mutex_);
    groups_.emplace(seq, json);
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

std::string Engine::window_sums() const {
    struct Sums {
        Money annual = 0, prior = 0;
    };
    boost::unordered_flat_map<std::string, Sums> sums;
    {
        std::shared_lock lock(mutex_);
        const Day as_of = portfolio_->as_of();
        portfolio_->for_each_record([](const AccountRecord&) {}, [&](const RevenueRecord& r) {
            // The one rule of docs/semantics.md#revenue-windows.
            const Window w = window_of(r.date, as_of, policy_.revenue_window_days);
            if (w == Window::None) return;
            Sums& s = sums[r.account_id];
            (w == Window::Annual ? s.annual : s.prior) += r.amount;
        });
    }
    std::vector<std::pair<std::string_view, Sums>> sorted;
    sorted.reserve(sums.size());
    for (const auto& [id, s] : sums)
        if (s.annual != 0 || s.prior != 0) sorted.emplace_back(id, s);
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    out.reserve(sorted.size() * 64);
    const auto units = [](Money m, std::string_view id) {
        if (m > INT64_MAX || m < INT64_MIN)
            throw LimitError("account " + quoted(id, 256) + ": a window's revenue is beyond 2^63 - 1 units of 0.0001");
        return static_cast<std::int64_t>(m);
    };
    for (const auto& [id, s] : sorted) {
        JsonWriter w(out);
        w.begin_object();
        w.key("account_id").str(id);
        w.key("annual").integer(units(s.annual, id));
        w.key("prior").integer(units(s.prior, id));
        w.end_object();
        out.push_back('\n');
    }
    return out;
}

std::size_t Engine::load_window_sums(std::string_view text) {
    namespace json = boost::json;
    struct Line {
        std::string annual_id, prior_id;
        std::string account;
        std::int64_t annual = 0, prior = 0;
    };
    std::deque<Line> lines;  // the records below view these strings: they never move
    for_each_line(strip_bom(text), 0, [&](std::string_view line, std::size_t n) {
        if (blank_line(line)) return;
        try {
            std::string dup;
            const json::value v = parse_json(line, policy_.limits.max_depth, dup);
            const json::object* o = v.if_object();
            if (!o) throw RecordError("expected a JSON object");
            if (!dup.empty()) throw RecordError("field " + quoted(dup) + ": duplicate key (it appears twice)");
            for (const auto& kv : *o)
                if (kv.key() != "account_id" && kv.key() != "annual" && kv.key() != "prior")
                    throw RecordError("field " + quoted(std::string_view(kv.key())) + ": unknown field");
            const json::value* id = o->if_contains("account_id");
            if (!id || !id->is_string()) throw RecordError("field \"account_id\": expected a string");
            Line l;
            l.account = std::string(id->get_string());
            // The account id is checked as a revenue record's own is.
            std::string probe = "{\"type\":\"revenue\",\"id\":\"x\",\"account_id\":";
            append_json_string(probe, l.account);
            probe += ",\"date\":\"2000-01-01\",\"amount\":0}";
            parse_record_text(probe, policy_.limits);
            const auto sum = [&](const char* key) -> std::int64_t {
                const json::value* s = o->if_contains(key);
                if (!s) throw RecordError(std::string("field \"") + key + "\": missing");
                if (s->is_int64()) return s->get_int64();
                if (s->is_uint64() || (s->is_double() && std::abs(s->get_double()) >= 9.2e18))
                    throw LimitError(std::string("field \"") + key + "\": beyond 2^63 - 1 units");
                throw RecordError(std::string("field \"") + key + "\": expected a whole number of units of 0.0001");
            };
            l.annual = sum("annual");
            l.prior = sum("prior");
            lines.push_back(std::move(l));
        } catch (const Error& e) {
            throw e.at_line(n);
        }
    });
    std::unique_lock lock(mutex_);
    const Day as_of = portfolio_->as_of();
    std::vector<RecordRef> refs;
    refs.reserve(2 * lines.size());
    for (Line& l : lines) {
        // U+001F cannot be in any record's id (docs/semantics.md#canonical-records):
        // these never meet a host's revenue records.
        l.annual_id = "\x1f" "annual\x1f" + l.account;
        l.prior_id = "\x1f" "prior\x1f" + l.account;
        RecordRef a;
        a.id = l.annual_id;
        a.account_id = l.account;
        a.date = as_of;
        a.amount = l.annual;
        refs.push_back(a);
        RecordRef p = a;
        p.id = l.prior_id;
        p.date = as_of - policy_.revenue_window_days;
        p.amount = l.prior;
        refs.push_back(p);
    }
    portfolio_->load(refs);
    log_.logger->debug("window sums of {} accounts loaded", lines.size());
    return lines.size();
}

IdList Engine::sorted_ids() const {
    std::shared_lock lock(mutex_);
    return portfolio_->sorted_ids();
}

}  // namespace crmtier
