#include "portfolio.hpp"

#include <algorithm>

#include "errors.hpp"
#include "render.hpp"

namespace crmtier {

bool Result::operator==(const Result& o) const {
    return account == o.account && annual == o.annual && prior == o.prior && lookalike == o.lookalike &&
           peers == o.peers && profile == o.profile && potential.value == o.potential.value &&
           potential.source == o.potential.source && benchmark == o.benchmark && tier == o.tier &&
           revenue_tier == o.revenue_tier && temperature == o.temperature && colour == o.colour &&
           escalate == o.escalate && contact.next == o.contact.next &&
           contact.overdue_days == o.contact.overdue_days && decline.declining == o.decline.declining &&
           decline.pct == o.decline.pct;
}

Portfolio::Portfolio(const Policy& policy, Day as_of) : policy_(&policy), as_of_(as_of) {}

// --- Lookups -------------------------------------------------------------------

std::optional<AccountIdx> Portfolio::find(std::string_view id) const {
    auto it = account_index_.find(id);
    if (it == account_index_.end() || !accounts_[it->second].present) return std::nullopt;
    return it->second;
}

AccountIdx Portfolio::slot(const std::string& id) {
    auto it = account_index_.find(id);
    if (it != account_index_.end()) return it->second;
    const auto idx = static_cast<AccountIdx>(accounts_.size());
    accounts_.emplace_back().id = id;
    account_index_.emplace(id, idx);
    return idx;
}

Portfolio::AccountView Portfolio::view(AccountIdx a) const {
    const Account& x = accounts_[a];
    return {x.id, x.name, strings_.str(x.owner), x.employees, strings_.str(x.territory),
            strings_.str(x.industry), x.last_contact};
}

// One attribute of an account's profile, as the profile compares it; empty
// when the account does not have it.
std::string Portfolio::attribute_value(const Account& a, Attribute attr) const {
    switch (attr) {
        case Attribute::Size: return a.employees ? size_band(*a.employees, *policy_) : std::string();
        case Attribute::Territory: return territory_cut(strings_.str(a.territory), policy_->territory_depth);
        case Attribute::Industry: return strings_.str(a.industry);
    }
    return {};
}

std::vector<std::pair<Attribute, std::string>> Portfolio::profile_parts(AccountIdx idx) const {
    std::vector<std::pair<Attribute, std::string>> parts;
    for (Attribute attr : policy_->profile) parts.emplace_back(attr, attribute_value(accounts_[idx], attr));
    return parts;
}

// The profile an account belongs to, created on first use; -1 when any of
// its attributes is missing (no look-alikes for an incomplete profile).
std::int32_t Portfolio::profile_for(const Account& a) {
    if (!a.present || policy_->profile.empty()) return -1;
    std::string key;
    for (Attribute attr : policy_->profile) {
        const std::string v = attribute_value(a, attr);
        if (v.empty()) return -1;
        key += v;
        key.push_back('\x1f');
    }
    auto it = profile_index_.find(key);
    if (it != profile_index_.end()) return it->second;
    const auto p = static_cast<std::int32_t>(profiles_.size());
    profiles_.emplace_back().key = key;
    profile_index_.emplace(std::move(key), p);
    return p;
}

// --- The aggregates ------------------------------------------------------------------

// Takes the account out of every aggregate it is counted in, so it can change.
void Portfolio::detach(AccountIdx idx) {
    Account& a = accounts_[idx];
    if (!a.present) return;
    if (a.annual > 0) payers_.erase(a.annual, idx);
    if (a.profile >= 0) {
        Profile& p = profiles_[static_cast<std::size_t>(a.profile)];
        if (a.annual > 0) p.payers.erase(a.annual, idx);
        const AccountIdx last = p.members.back();
        p.members[a.member_pos] = last;
        accounts_[last].member_pos = a.member_pos;
        p.members.pop_back();
    }
}

void Portfolio::attach(AccountIdx idx) {
    Account& a = accounts_[idx];
    if (!a.present) return;
    if (a.annual > 0) payers_.insert(a.annual, idx);
    if (a.profile >= 0) {
        Profile& p = profiles_[static_cast<std::size_t>(a.profile)];
        if (a.annual > 0) p.payers.insert(a.annual, idx);
        a.member_pos = static_cast<std::uint32_t>(p.members.size());
        p.members.push_back(idx);
    }
}

void Portfolio::add_window(Account& a, Day date, std::int64_t amount, int sign) {
    switch (window_of(date, as_of_, policy_->revenue_window_days)) {
        case Window::Annual: a.annual += sign * static_cast<Money>(amount); break;
        case Window::Prior: a.prior += sign * static_cast<Money>(amount); break;
        case Window::None: break;
    }
}

// "Benchmark = the revenue level of your leading clients: by default the 95th
// percentile (nearest rank) of R over the accounts with R > 0. Configurable:
// max, any percentile, or the mean of the top N."
Money Portfolio::compute_benchmark() const {
    const std::size_t n = payers_.size();
    if (n == 0) return 0;
    switch (policy_->benchmark_method) {
        case BenchmarkMethod::Max: return payers_.max();
        case BenchmarkMethod::Percentile: return payers_.at(nearest_rank(policy_->benchmark_percentile, n) - 1);
        case BenchmarkMethod::TopNMean: {
            const std::size_t k = std::min<std::size_t>(n, static_cast<std::size_t>(policy_->benchmark_top_n));
            return round_half_up(payers_.sum_of_largest(k), static_cast<Money>(k));
        }
    }
    return 0;
}

// "Its peers are the other accounts with the same profile and R > 0. With at
// least 3 peers, the look-alike revenue L = the 75th percentile (nearest rank)
// of the peers' R."
std::optional<Money> Portfolio::lookalike(const Account& a, AccountIdx idx, std::size_t& peers) const {
    peers = 0;
    if (a.profile < 0) return std::nullopt;
    const OrderStats& t = profiles_[static_cast<std::size_t>(a.profile)].payers;
    const bool payer = a.annual > 0;  // then it is among t, and not its own peer
    const std::size_t m = t.size() - (payer ? 1 : 0);
    peers = m;
    if (m == 0 || m < static_cast<std::size_t>(policy_->min_peers)) return std::nullopt;
    const std::size_t k = nearest_rank(policy_->lookalike_percentile, m) - 1;  // 0-based among peers
    if (!payer) return t.at(k);
    // Among t without this account: the entries below it keep their place,
    // the ones above it move down one.
    const std::size_t own = t.rank_of(a.annual, idx);
    return t.at(k < own ? k : k + 1);
}

// A member's L depends on its own R and, of the profile, only on the payer
// count and the amounts at the percentile's rank among n (non-payers) and
// among n - 1 (payers: the rank and the one above it). While these stay, no
// member's result changes unless its own inputs do.
Portfolio::Signature Portfolio::profile_signature(const Profile& p) const {
    Signature s;
    s.n = p.payers.size();
    if (s.n >= 1) s.all = p.payers.at(nearest_rank(policy_->lookalike_percentile, s.n) - 1);
    if (s.n >= 2) {
        const std::size_t k = nearest_rank(policy_->lookalike_percentile, s.n - 1) - 1;
        s.without_lo = p.payers.at(k);
        s.without_hi = p.payers.at(k + 1);
    }
    return s;
}

void Portfolio::refresh_profile(std::int32_t pi) {
    if (pi < 0) return;
    Profile& p = profiles_[static_cast<std::size_t>(pi)];
    Signature s = profile_signature(p);
    if (s == p.signature) return;
    p.signature = s;
    if (p.changed_seq) profile_changes_.erase({p.changed_seq, pi});
    p.changed_seq = seq_;
    profile_changes_.insert({seq_, pi});
}

void Portfolio::mark_changed(AccountIdx idx) {
    Account& a = accounts_[idx];
    if (a.changed_seq) account_changes_.erase({a.changed_seq, idx});
    a.changed_seq = seq_;
    account_changes_.insert({seq_, idx});
}

// Everything rebuilt from the accounts' windows: after a bulk load or a new
// as-of date, when every result changes anyway.
void Portfolio::rebuild() {
    payers_.clear();
    for (Profile& p : profiles_) {
        p.payers.clear();
        p.members.clear();
    }
    for (AccountIdx i = 0; i < accounts_.size(); ++i) attach(i);
    benchmark_ = compute_benchmark();
    for (std::size_t pi = 0; pi < profiles_.size(); ++pi)
        profiles_[pi].signature = profile_signature(profiles_[pi]);
    all_changed_seq_ = seq_;
}

// --- Applying records ---------------------------------------------------------------

void Portfolio::apply_account(AccountIdx idx, const AccountRecord& r) {
    Account& a = accounts_[idx];
    const bool was = a.present;
    if (was) ++garbage_;  // the record it replaces or deletes
    if (r.deleted) {
        a.present = false;
        a.profile = -1;
        if (was) --present_;
        return;
    }
    a.name = r.name;
    a.owner = strings_.intern(r.owner);
    a.territory = strings_.intern(r.territory);
    a.industry = strings_.intern(r.industry);
    a.employees = r.employees;
    a.last_contact = r.last_contact;
    a.present = true;
    if (!was) ++present_;
    a.profile = profile_for(a);
}

void Portfolio::apply_revenue(const RevenueRecord& r) {
    auto it = revenues_.find(r.id);
    if (it != revenues_.end()) {
        ++garbage_;
        Revenue& old = it->second;
        add_window(accounts_[old.account], old.date, old.amount, -1);
        if (r.deleted) {
            revenues_.erase(it);
            return;
        }
        const AccountIdx acc = slot(r.account_id);
        old = Revenue{acc, r.date, r.amount, strings_.intern(r.product)};
        add_window(accounts_[acc], r.date, r.amount, +1);
        return;
    }
    if (r.deleted) return;  // deleting what is not there: nothing to do
    const AccountIdx acc = slot(r.account_id);
    revenues_.emplace(r.id, Revenue{acc, r.date, r.amount, strings_.intern(r.product)});
    add_window(accounts_[acc], r.date, r.amount, +1);
}

void Portfolio::check_limits(const std::vector<Record>& records) const {
    std::size_t new_accounts = 0, new_revenues = 0;
    for (const Record& rec : records) {
        if (const auto* a = std::get_if<AccountRecord>(&rec)) {
            if (!a->deleted && !find(a->id)) ++new_accounts;
        } else {
            const auto& v = std::get<RevenueRecord>(rec);
            if (!v.deleted && !revenues_.count(v.id)) ++new_revenues;
        }
    }
    // Counted generously (a record repeated in one batch counts twice): a
    // limit is a guard against runaway input, not an exact quota.
    if (present_ + new_accounts > policy_->limits.max_accounts)
        throw LimitError("the portfolio would pass " + std::to_string(policy_->limits.max_accounts) +
                         " accounts (limits.max_accounts)");
    if (revenues_.size() + new_revenues > policy_->limits.max_revenue_records)
        throw LimitError("the portfolio would pass " + std::to_string(policy_->limits.max_revenue_records) +
                         " revenue records (limits.max_revenue_records)");
}

std::optional<AccountIdx> Portfolio::save(const Record& record) {
    check_limits({record});
    // Which accounts this record touches (for a revenue record: the account
    // it belonged to and the one it belongs to now), and their results.
    std::vector<AccountIdx> touched;
    const bool is_account = std::holds_alternative<AccountRecord>(record);
    std::string owner;  // the account whose result the save answers with
    if (is_account) {
        owner = std::get<AccountRecord>(record).id;
        touched.push_back(slot(owner));
    } else {
        const auto& r = std::get<RevenueRecord>(record);
        if (auto it = revenues_.find(r.id); it != revenues_.end()) {
            touched.push_back(it->second.account);
            owner = accounts_[it->second.account].id;
        }
        if (!r.deleted) {
            touched.push_back(slot(r.account_id));
            owner = r.account_id;
        }
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());

    // A result changed when its rendered JSON did: that is what a host shows.
    // render_result() writes the Result, the account's id and last contact,
    // the profile's attribute values and policy constants, and nothing else;
    // so comparing those decides the same without rendering twice per save
    // (rendering was three quarters of a save's cost). If render_result()
    // ever shows more of the account, add it here.
    struct Shown {
        bool present = false;
        Result result;
        std::optional<Day> last_contact;
        std::vector<std::pair<Attribute, std::string>> parts;
        bool operator!=(const Shown& o) const {
            if (present != o.present) return true;
            return present && !(result == o.result && last_contact == o.last_contact && parts == o.parts);
        }
    };
    auto rendered = [&](AccountIdx i) {
        Shown s;
        if (accounts_[i].present) {
            s.present = true;
            s.result = result(i);
            s.last_contact = accounts_[i].last_contact;
            s.parts = profile_parts(i);
        }
        return s;
    };
    std::vector<Shown> before;
    std::vector<std::int32_t> profiles;
    for (AccountIdx i : touched) {
        before.push_back(rendered(i));
        profiles.push_back(accounts_[i].profile);
        detach(i);
    }

    ++seq_;
    if (is_account) {
        apply_account(touched[0], std::get<AccountRecord>(record));
    } else {
        apply_revenue(std::get<RevenueRecord>(record));
    }
    for (AccountIdx i : touched) {
        attach(i);
        profiles.push_back(accounts_[i].profile);
    }

    const Money bench = compute_benchmark();
    if (bench != benchmark_) {
        benchmark_ = bench;
        all_changed_seq_ = seq_;  // every result shows the benchmark
    }
    std::sort(profiles.begin(), profiles.end());
    profiles.erase(std::unique(profiles.begin(), profiles.end()), profiles.end());
    for (std::int32_t p : profiles) refresh_profile(p);
    for (std::size_t k = 0; k < touched.size(); ++k)
        if (rendered(touched[k]) != before[k]) mark_changed(touched[k]);

    // Deleted accounts, replaced records, unused profiles and strings pile
    // up; once they outnumber the live records, start afresh (amortised O(1)).
    if (garbage_ > std::max<std::size_t>(4096, present_ + revenues_.size())) compact();
    if (owner.empty()) return std::nullopt;
    return find(owner);
}

void Portfolio::compact() {
    std::vector<Record> records;
    records.reserve(present_ + revenues_.size());
    for_each_record([&](const AccountRecord& a) { records.emplace_back(a); },
                    [&](const RevenueRecord& r) { records.emplace_back(r); });
    Portfolio fresh(*policy_, as_of_);
    fresh.load(records);
    fresh.seq_ = seq_;
    fresh.all_changed_seq_ = seq_;
    fresh.horizon_ = seq_;
    *this = std::move(fresh);
}

void Portfolio::load(const std::vector<Record>& records) {
    check_limits(records);
    ++seq_;
    apply_all(records);
    rebuild();
}

void Portfolio::load_batch(const std::vector<Record>& records) {
    check_limits(records);
    apply_all(records);
}

void Portfolio::apply_all(const std::vector<Record>& records) {
    for (const Record& rec : records) {
        if (const auto* a = std::get_if<AccountRecord>(&rec)) {
            const AccountIdx idx = slot(a->id);
            const bool was = accounts_[idx].present;
            apply_account(idx, *a);
            if (was && !accounts_[idx].present) mark_changed(idx);  // reported as deleted
        } else {
            apply_revenue(std::get<RevenueRecord>(rec));
        }
    }
}

void Portfolio::set_as_of(Day as_of) {
    ++seq_;
    as_of_ = as_of;
    for (Account& a : accounts_) a.annual = a.prior = 0;
    for (const auto& kv : revenues_) add_window(accounts_[kv.second.account], kv.second.date, kv.second.amount, +1);
    rebuild();
}

void Portfolio::continue_from(std::uint64_t seq, const std::vector<std::string>& gone) {
    seq_ = std::max(seq_, seq) + 1;
    all_changed_seq_ = seq_;
    for (const std::string& id : gone) {
        const AccountIdx idx = slot(id);
        if (!accounts_[idx].present) mark_changed(idx);
    }
}

// --- Results --------------------------------------------------------------------------

Result Portfolio::result(AccountIdx idx) const {
    const Account& a = accounts_[idx];
    Result r;
    r.account = idx;
    r.annual = a.annual;
    r.prior = a.prior;
    r.profile = a.profile;
    r.lookalike = lookalike(a, idx, r.peers);
    r.potential = potential_of(a.annual, a.prior, r.lookalike);
    r.benchmark = benchmark_;
    r.tier = tier_of(r.potential.value, benchmark_, *policy_);
    r.revenue_tier = tier_of(a.annual, benchmark_, *policy_);
    r.temperature = temperature_of(a.annual, r.potential.value, r.tier);
    r.colour = colour_of(r.temperature, r.tier, *policy_);
    r.escalate = escalates(r.tier, r.colour);
    r.contact = next_contact(a.last_contact, as_of_, r.tier, *policy_);
    r.decline = decline_of(a.prior, a.annual, *policy_);
    return r;
}

// --- The change feed ------------------------------------------------------------------

bool Portfolio::changes(std::uint64_t since, std::vector<std::string>& changed,
                        std::vector<std::string>& deleted) const {
    const bool complete = since >= horizon_;
    std::vector<AccountIdx> ids;
    for (auto it = account_changes_.upper_bound({since, ~AccountIdx{0}}); it != account_changes_.end(); ++it) {
        const Account& a = accounts_[it->second];
        if (a.present) ids.push_back(it->second);
        else deleted.push_back(a.id);
    }
    if (all_changed_seq_ > since) {
        ids.clear();
        for (AccountIdx i = 0; i < accounts_.size(); ++i)
            if (accounts_[i].present) ids.push_back(i);
    } else {
        for (auto it = profile_changes_.upper_bound({since, INT32_MAX}); it != profile_changes_.end(); ++it) {
            const auto& members = profiles_[static_cast<std::size_t>(it->second)].members;
            ids.insert(ids.end(), members.begin(), members.end());
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    }
    changed.reserve(ids.size());
    for (AccountIdx i : ids) changed.push_back(accounts_[i].id);
    std::sort(changed.begin(), changed.end());
    std::sort(deleted.begin(), deleted.end());
    if (!complete) deleted.clear();  // partial: the host drops what is not listed
    return complete;
}

std::vector<std::string> Portfolio::sorted_ids() const {
    std::vector<std::string> ids;
    ids.reserve(present_);
    for (const Account& a : accounts_)
        if (a.present) ids.push_back(a.id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace crmtier
