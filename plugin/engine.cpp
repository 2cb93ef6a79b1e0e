#include "engine.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <future>
#include <mutex>

#include <boost/json.hpp>

#include "errors.hpp"
#include "json_guard.hpp"
#include "json_writer.hpp"
#include "peer_groups.hpp"
#include "render.hpp"
#include "report/report.hpp"
#include "snapshot.hpp"

namespace crmtier {

namespace json = boost::json;

namespace {

constexpr std::string_view kCanonical = "canonical";

// Prefixes a record's error with where it stood in bulk input.
[[noreturn]] void rethrow_at(const Error& e, std::size_t line) {
    throw Error(e.status(), "line " + std::to_string(line) + ": " + e.what());
}

Day parse_as_of(std::string_view date) {
    if (date == "today") return today_utc();
    Day d;
    std::string why;
    if (!parse_date(date, d, why)) throw ArgumentError("as-of date " + quoted(date, 32) + ": " + why);
    return d;
}

}  // namespace

Engine::Engine(std::string_view config) : policy_(parse_policy(config)), registry_(&policy_.adapters) {
    if (policy_.host != kCanonical) {
        if (!registry_.has(policy_.host)) throw ConfigError("config: \"host\": unknown adapter \"" + policy_.host + "\"");
        if (!policy_.profile_given) {
            policy_.profile.clear();
            for (const std::string& a : registry_.default_profile(policy_.host)) {
                if (a == "size") policy_.profile.push_back(Attribute::Size);
                else if (a == "territory") policy_.profile.push_back(Attribute::Territory);
                else if (a == "industry") policy_.profile.push_back(Attribute::Industry);
            }
        }
    }
    portfolio_ = std::make_unique<Portfolio>(policy_, policy_.as_of ? *policy_.as_of : today_utc());
}

void Engine::check_adapter(std::string_view adapter) const {
    if (adapter != kCanonical && !registry_.has(adapter))
        throw AdapterError("unknown adapter " + quoted(adapter) +
                           " (known: canonical and the host adapters of docs/adapters.md)");
}

namespace {

// Calls f(record text, line number) for each non-blank line of canonical
// JSON Lines; `line` is the number of lines before `text`. Returns the number
// of lines after it.
template <class F>
std::size_t for_each_line(std::string_view text, std::size_t line, F&& f) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view one = text.substr(pos, end - pos);
        pos = end + 1;
        ++line;
        if (!one.empty() && one.back() == '\r') one.remove_suffix(1);
        if (one.find_first_not_of(" \t") == std::string_view::npos) continue;
        f(one, line);
    }
    return line;
}

void parse_lines(std::string_view text, const Limits& limits, std::vector<Record>& records) {
    for_each_line(text, 0, [&](std::string_view one, std::size_t line) {
        try {
            records.push_back(parse_record_text(one, limits));
        } catch (const Error& e) {
            rethrow_at(e, line);
        }
    });
}

// Bulk input parsed for applying: views of the input where the fast path took
// a record, else of the Record the full parse made, kept here.
struct Batch {
    std::vector<RecordRef> refs;
    std::deque<Record> owned;
};

std::size_t parse_lines(std::string_view text, std::size_t line, const Limits& limits, Batch& out) {
    out.refs.clear();
    out.owned.clear();
    return for_each_line(text, line, [&](std::string_view one, std::size_t at) {
        RecordRef ref;
        if (!parse_record_ref(one, limits, ref)) {
            try {
                out.owned.push_back(parse_record_text(one, limits));
            } catch (const Error& e) {
                rethrow_at(e, at);
            }
            ref = ref_of(out.owned.back());
        }
        ref.id_hash = IdArena::hash(ref.id);
        if (!ref.account) ref.account_hash = IdArena::hash(ref.account_id);
        ref.hashed = true;
        out.refs.push_back(ref);
    });
}

// The first position at or after `at` that starts a line (or the end).
std::size_t line_start(std::string_view data, std::size_t at) {
    if (at >= data.size()) return data.size();
    if (at == 0) return 0;
    const std::size_t nl = data.find('\n', at - 1);
    return nl == std::string_view::npos ? data.size() : nl + 1;
}

// About how many lines `data` has, from the line lengths of 16 samples of 64
// KB spread over it (exactly, when it is small): room is made for that many
// revenue records. Too few only costs the index a rehash; too many, memory.
std::size_t estimated_lines(std::string_view data) {
    constexpr std::size_t kSamples = 16, kSample = 64u << 10;
    if (data.size() <= kSamples * kSample) return static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n')) + 1;
    std::size_t newlines = 0;
    for (std::size_t i = 0; i < kSamples; ++i) {
        const std::size_t at = (data.size() - kSample) / (kSamples - 1) * i;
        newlines += static_cast<std::size_t>(std::count(data.begin() + at, data.begin() + at + kSample, '\n'));
    }
    return data.size() / (kSamples * kSample) * (newlines + 1) * 11 / 10;
}

// The first load of canonical JSON Lines (the nightly or initial bulk load),
// in batches of a few MB: a second thread parses the next batch while this
// one applies the last to a copy of the (empty) portfolio, so parsing and
// applying overlap and the parsed records of the whole input never exist at
// once (they would take several times the portfolio's own memory). Records
// are applied as views of the input, without copying their strings. The copy
// replaces the portfolio once every line has passed: all or nothing, as
// before; of two errors, the earlier line's is reported. Called with the lock
// held; returns nothing for input without a record (the caller then takes the
// ordinary path, which gives the same result).
std::unique_ptr<Portfolio> load_streamed(const Portfolio& current, const Limits& limits, std::string_view data,
                                         std::size_t& n) {
    constexpr std::size_t kBatchBytes = 4u << 20;
    auto staged = std::make_unique<Portfolio>(current);
    staged->begin_load(estimated_lines(data));
    std::size_t pos = 0, line = 0;
    auto parse_next = [&](Batch& b) {
        if (pos >= data.size()) return false;
        const std::size_t end = line_start(data, pos + kBatchBytes);
        line = parse_lines(data.substr(pos, end - pos), line, limits, b);
        pos = end;
        return true;
    };
    Batch now, next;
    n = 0;
    bool more = parse_next(now);
    while (more) {
        auto parsing = std::async(std::launch::async, [&] { return parse_next(next); });
        try {
            staged->load_batch(now.refs);
        } catch (...) {
            parsing.wait();  // its lines come later: this error is the one to report
            throw;
        }
        n += now.refs.size();
        more = parsing.get();
        std::swap(now, next);
    }
    if (n == 0) return nullptr;
    staged->finish_load();
    return staged;
}

}  // namespace

std::vector<Record> Engine::parse(std::string_view adapter, std::string_view data, bool bulk) const {
    check_adapter(adapter);
    std::vector<Record> records;
    const Limits& limits = policy_.limits;
    if (adapter == kCanonical) {
        if (!bulk) {
            records.push_back(parse_record_text(data, limits));
            return records;
        }
        parse_lines(data, limits, records);
        return records;
    }
    if (!bulk && data.size() > limits.max_record_bytes)
        throw LimitError("record of " + std::to_string(data.size()) + " bytes is over the limit of " +
                         std::to_string(limits.max_record_bytes) + " (limits.max_record_bytes)");
    if (bulk) {  // every line (or CSV row) is one record, bounded like one
        std::size_t line = 0, pos = 0;
        while (pos < data.size()) {
            std::size_t end = data.find('\n', pos);
            if (end == std::string_view::npos) end = data.size();
            ++line;
            if (end - pos > limits.max_record_bytes)
                throw LimitError("line " + std::to_string(line) + ": " + std::to_string(end - pos) +
                                 " bytes is over the limit of " + std::to_string(limits.max_record_bytes) +
                                 " (limits.max_record_bytes)");
            pos = end + 1;
        }
    }
    if (!bulk) {  // a host's JSON record: no key twice (the CSV adapter's text is not JSON)
        const auto first = data.find_first_not_of(" \t\r\n");
        if (first != std::string_view::npos && (data[first] == '{' || data[first] == '['))
            if (const std::string dup = duplicate_key(data, limits.max_depth); !dup.empty())
                throw RecordError(std::string(adapter) + ": field " + quoted(dup) + ": duplicate key (it appears twice)");
    }
    std::vector<adapters::Translated> translated;
    if (bulk) registry_.translate_bulk(adapter, data, translated);
    else registry_.translate(adapter, data, translated);
    for (const auto& t : translated) {
        try {
            records.push_back(parse_record(t.record, limits));
        } catch (const Error& e) {
            if (!bulk) throw Error(e.status(), std::string(adapter) + ": " + e.what());
            rethrow_at(Error(e.status(), std::string(adapter) + ": " + e.what()), t.line);
        }
    }
    return records;
}

void Engine::set_as_of(std::string_view date) {
    const Day d = parse_as_of(date);
    std::unique_lock lock(mutex_);
    portfolio_->set_as_of(d);
    log_.logger->debug("as-of date set to {}", format_date(d));
}

std::size_t Engine::load(std::string_view adapter, std::string_view data) {
    const auto start = std::chrono::steady_clock::now();
    std::size_t n = 0;
    if (adapter == kCanonical) {
        std::unique_lock lock(mutex_);
        if (portfolio_->empty()) {
            if (auto staged = load_streamed(*portfolio_, policy_.limits, data, n)) portfolio_ = std::move(staged);
        }
    }
    if (!n) {
        std::vector<Record> records = parse(adapter, data, true);
        std::unique_lock lock(mutex_);
        portfolio_->load(records);
        n = records.size();
    }
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    log_.logger->info("loaded {} records through adapter {} in {:.1f} ms", n, adapter, ms);
    return n;
}

void Engine::save(std::string_view adapter, std::string_view text, std::string* result) {
    // Parsed before the lock is taken. The fast path's record goes in as
    // views of the host's text, without a copy.
    RecordRef ref;
    const bool fast = adapter == kCanonical && parse_record_ref(text, policy_.limits, ref);
    std::vector<Record> records;
    if (!fast) records = parse(adapter, text, false);
    std::unique_lock lock(mutex_);  // held until the result is rendered
    std::optional<AccountIdx> account;
    if (fast) account = portfolio_->save(ref);
    for (const Record& r : records) account = portfolio_->save(r);
    log_.logger->debug("saved {} record(s) through adapter {}", fast ? 1 : records.size(), adapter);
    if (!result) return;
    if (account) render(adapter, *account, *result);
    else result->assign("null");
}

void Engine::render(std::string_view adapter, AccountIdx account, std::string& out) const {
    out.clear();
    render_result(*portfolio_, portfolio_->result(account), out);
    if (adapter == kCanonical) return;
    const json::value v = json::parse(out);
    out = registry_.render(adapter, v.get_object());
}

std::string Engine::result(std::string_view adapter, std::string_view id) const {
    check_adapter(adapter);
    std::shared_lock lock(mutex_);
    const auto idx = portfolio_->find(id);
    if (!idx) throw NotFoundError("no account " + quoted(id, 256));
    std::string out;
    render(adapter, *idx, out);
    return out;
}

bool Engine::result_if_present(std::string_view adapter, std::string_view id, std::string& out) const {
    std::shared_lock lock(mutex_);
    const auto idx = portfolio_->find(id);
    if (!idx) return false;
    render(adapter, *idx, out);
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
    std::shared_lock lock(mutex_);
    return peer_groups_json(*portfolio_);
}

std::string Engine::stats() const {
    std::shared_lock lock(mutex_);
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("version").str(CRMTIER_VERSION_STRING);
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

std::string Engine::report(std::string_view options) const {
    using Clock = std::chrono::steady_clock;
    const auto ms_since = [](Clock::time_point t) {
        return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
    };
    const report::Options opts = report::parse_options(options);
    report::Input input;
    std::unique_ptr<Portfolio> earlier;
    const auto start = Clock::now();
    {
        std::shared_lock lock(mutex_);
        const std::uint64_t seq = portfolio_->seq();
        std::optional<std::string> groups;
        {
            std::lock_guard cached(report_groups_mutex_);
            if (report_groups_ && report_groups_->first == seq) groups = report_groups_->second;
        }
        const bool known = groups.has_value();
        input = report::gather(*portfolio_, opts, std::move(groups));
        if (!known) {
            std::lock_guard cached(report_groups_mutex_);
            report_groups_.emplace(seq, input.peer_groups_json);
        }
        // The movers: the same records scored as of the earlier date, in a
        // private copy, so the engine's state and change feed stay as they are.
        if (opts.since) earlier = std::make_unique<Portfolio>(*portfolio_);
    }
    const double gathered = ms_since(start);
    if (earlier) {
        earlier->set_as_of(*opts.since);
        report::gather_movers(*earlier, input);
        earlier.reset();
    }
    const double moved = ms_since(start);
    std::string page = report::render(input, opts);
    log_.logger->debug("report of {} accounts: {} bytes; gathered under the lock in {:.1f} ms, movers {:.1f} ms, "
                       "rendered in {:.1f} ms",
                       input.accounts.size(), page.size(), gathered, moved - gathered, ms_since(start) - moved);
    return page;
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
