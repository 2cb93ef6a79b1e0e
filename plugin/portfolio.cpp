#include "plugin/portfolio.hpp"

#include <algorithm>

#include "base/errors.hpp"
#include "plugin/render.hpp"

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
    const std::uint32_t n = account_ids_.find(id);
    if (n == IdTable::npos || !accounts_[n].present) return std::nullopt;
    return n;
}

AccountIdx Portfolio::slot(std::string_view id, std::uint64_t hash) {
    if (const std::uint32_t n = account_ids_.find(id, hash); n != IdTable::npos) return n;
    accounts_.emplace_back();
    try {
        return account_ids_.find_or_add(id, hash).first;
    } catch (...) {
        accounts_.pop_back();
        throw;
    }
}

namespace {
std::uint64_t id_hash(const RecordRef& r) { return r.hashed ? r.id_hash : IdArena::hash(r.id); }
std::uint64_t account_hash(const RecordRef& r) { return r.hashed ? r.account_hash : IdArena::hash(r.account_id); }
}  // namespace

Portfolio::AccountView Portfolio::view(AccountIdx a) const {
    const Account& x = accounts_[a];
    return {account_ids_.id(a), x.name, strings_.str(x.owner), x.employees, strings_.str(x.territory),
            strings_.str(x.industry), x.last_contact};
}

std::string_view Portfolio::attribute_value(AccountIdx idx, Attribute attr, std::string& scratch) const {
    const Account& a = accounts_[idx];
    switch (attr) {
        case Attribute::Size:
            if (!a.employees) return {};
            return scratch = size_band(*a.employees, *policy_);
        case Attribute::Territory: return scratch = territory_cut(strings_.str(a.territory), policy_->territory_depth);
        case Attribute::Industry: return strings_.str(a.industry);
    }
    return {};
}

std::vector<std::pair<Attribute, std::string>> Portfolio::profile_parts(AccountIdx idx) const {
    std::vector<std::pair<Attribute, std::string>> parts;
    std::string scratch;
    for (Attribute attr : policy_->profile) parts.emplace_back(attr, attribute_value(idx, attr, scratch));
    return parts;
}

// The profile an account belongs to, created on first use; -1 when any of
// its attributes is missing (no look-alikes for an incomplete profile).
std::int32_t Portfolio::profile_for(AccountIdx idx) {
    if (!accounts_[idx].present || policy_->profile.empty()) return -1;
    std::string key;  // each value after its length: no two lists of values give one key
    std::string scratch;
    for (Attribute attr : policy_->profile) {
        const std::string_view v = attribute_value(idx, attr, scratch);
        if (v.empty()) return -1;
        key += std::to_string(v.size());
        key.push_back(':');
        key += v;
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
    if (!accounts_[idx].present) return;
    if (accounts_[idx].annual > 0) attach_payer(idx);
    attach_member(idx);
}

void Portfolio::attach_member(AccountIdx idx) {
    Account& a = accounts_[idx];
    if (a.profile < 0) return;
    Profile& p = profiles_[static_cast<std::size_t>(a.profile)];
    a.member_pos = static_cast<std::uint32_t>(p.members.size());
    p.members.push_back(idx);
}

// The trees of the accounts with R > 0: the benchmark's and the profile's.
void Portfolio::attach_payer(AccountIdx idx) {
    const Account& a = accounts_[idx];
    payers_.insert(a.annual, idx);
    if (a.profile >= 0) profiles_[static_cast<std::size_t>(a.profile)].payers.insert(a.annual, idx);
}

void Portfolio::add_window(Account& a, Day date, std::int64_t amount, int sign) {
    switch (window_of(date, as_of_, policy_->revenue_window_days)) {
        case Window::Annual: a.annual += sign * static_cast<Money>(amount); break;
        case Window::Prior: a.prior += sign * static_cast<Money>(amount); break;
        case Window::None: break;
    }
}

Money Portfolio::compute_benchmark() const { return benchmark_of(payers_, *policy_); }

std::optional<Money> Portfolio::lookalike(const Account& a, AccountIdx idx, std::size_t& peers) const {
    peers = 0;
    if (a.profile < 0) return std::nullopt;
    std::optional<OrderStats::Key> self;  // a payer is among its profile's payers
    if (a.annual > 0) self = OrderStats::Key{a.annual, idx};
    return lookalike_of(profiles_[static_cast<std::size_t>(a.profile)].signature, self, *policy_, peers);
}

// A member's L depends on its own R and, of the profile, only on the payer
// count and the amounts at the percentile's rank among n (non-payers) and
// among n - 1 (payers: the rank and the one above it). While these stay, no
// member's result changes unless its own inputs do; the picks are stored
// anyway, since the entry's account (which breaks ties) may have changed.
void Portfolio::refresh_profile(std::int32_t pi) {
    if (pi < 0) return;
    Profile& p = profiles_[static_cast<std::size_t>(pi)];
    const LookalikePicks s = lookalike_picks(p.payers, *policy_);
    const bool same = s.same_amounts(p.signature);
    p.signature = s;
    if (same) return;
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
    // What attach() does for every account, with the trees filled in
    // ascending order: each insert then walks the tree's right edge, which
    // stays in cache, instead of a random path (a million accounts: seconds).
    // (R, account) as 16 bytes where R fits 64 bits, as every real one does
    // (the rest go in unordered: only slower).
    std::vector<std::pair<std::int64_t, AccountIdx>> payers;
    for (AccountIdx i = 0; i < accounts_.size(); ++i) {
        const Account& a = accounts_[i];
        if (!a.present) continue;
        if (a.annual > INT64_MAX) attach_payer(i);
        else if (a.annual > 0) payers.emplace_back(static_cast<std::int64_t>(a.annual), i);
        attach_member(i);
    }
    std::sort(payers.begin(), payers.end());
    for (const auto& [annual, i] : payers) attach_payer(i);
    payers.clear();
    payers.shrink_to_fit();
    benchmark_ = compute_benchmark();
    for (std::size_t pi = 0; pi < profiles_.size(); ++pi)
        profiles_[pi].signature = lookalike_picks(profiles_[pi].payers, *policy_);
    all_changed_seq_ = seq_;
}

// --- Applying records ---------------------------------------------------------------

void Portfolio::apply_account(AccountIdx idx, const RecordRef& r) {
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
    if (!was && ++present_ > policy_->limits.max_accounts) throw_limit(true);
    a.profile = profile_for(idx);
}

void Portfolio::apply_revenue(const RecordRef& r) {
    if (r.deleted) {
        const IdArena::Handle h = revenues_.find(r.id, id_hash(r));
        if (h == IdArena::npos) return;  // deleting what is not there: nothing to do
        ++garbage_;
        Revenue old = revenue(h);
        add_window(accounts_[old.account], old.date, old.amount(), -1);
        revenues_.forget(h);
        old.account = kGone;
        set_revenue(h, old);
        return;
    }
    const AccountIdx acc = slot(r.account_id, account_hash(r));
    __builtin_prefetch(&accounts_[acc], 1);  // its windows change below, after the id's lookup (a cache miss of its own)
    const Revenue row = Revenue::of(acc, r.date, strings_.intern(r.product), r.amount);
    const auto [h, added] = revenues_.find_or_add(r.id, id_hash(r), &row);
    if (added) {
        if (revenues_.live() > policy_->limits.max_revenue_records) throw_limit(false);
    } else {
        ++garbage_;
        const Revenue old = revenue(h);
        add_window(accounts_[old.account], old.date, old.amount(), -1);
        set_revenue(h, row);
    }
    add_window(accounts_[acc], r.date, r.amount, +1);
}

void Portfolio::throw_limit(bool accounts) const {
    if (accounts)
        throw LimitError("the portfolio would pass " + std::to_string(policy_->limits.max_accounts) +
                         " accounts (limits.max_accounts)");
    throw LimitError("the portfolio would pass " + std::to_string(policy_->limits.max_revenue_records) +
                     " revenue records (limits.max_revenue_records)");
}

void Portfolio::check_limits(std::span<const RecordRef> records) const {
    std::size_t new_accounts = 0, new_revenues = 0;
    for (const RecordRef& r : records) {
        if (r.deleted) continue;
        if (r.account) new_accounts += !find(r.id);
        else new_revenues += revenues_.find(r.id) == IdArena::npos;
    }
    // Counted generously (a record repeated in one batch counts twice): a
    // limit is a guard against runaway input, not an exact quota.
    if (present_ + new_accounts > policy_->limits.max_accounts) throw_limit(true);
    if (revenues_.live() + new_revenues > policy_->limits.max_revenue_records) throw_limit(false);
}

std::optional<AccountIdx> Portfolio::save(const Record& record) { return save(ref_of(record)); }

std::optional<AccountIdx> Portfolio::save(const RecordRef& ref) {
    check_limits({&ref, 1});
    // Which accounts this record touches (for a revenue record: the account
    // it belonged to and the one it belongs to now), and their results.
    std::vector<AccountIdx> touched;
    const bool is_account = ref.account;
    std::optional<AccountIdx> owner;  // the account whose result the save answers with
    if (is_account) {
        owner = slot(ref.id);
        touched.push_back(*owner);
    } else {
        if (const IdArena::Handle h = revenues_.find(ref.id); h != IdArena::npos) {
            owner = revenue(h).account;
            touched.push_back(*owner);
        }
        if (!ref.deleted) {
            owner = slot(ref.account_id);
            touched.push_back(*owner);
        }
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());

    // A result changed when its rendered JSON did: that is what a host shows.
    // render_result() writes the Result, the account's id and last contact,
    // the profile's attribute values and policy constants, and nothing else.
    // A Result is worked out (result()) from the account's R, P, profile and
    // last contact, the profile's signature (which decides its look-alike
    // revenue and peers, given its own R) and the benchmark. A moved
    // signature or benchmark is reported for every account it concerns (the
    // profile's members, everyone) below; so for the touched accounts,
    // comparing their own inputs decides the same as comparing their rendered
    // results, without working out any result. If render_result() ever shows
    // more of the account, add it here.
    struct Shown {
        bool present = false;
        Money annual = 0, prior = 0;
        std::int32_t profile = -1;
        std::optional<Day> last_contact;
        // The profile's values; while the account has a profile, its number
        // stands for them.
        std::vector<std::pair<Attribute, std::string>> parts;
        bool operator!=(const Shown& o) const {
            if (present != o.present) return true;
            return present && !(annual == o.annual && prior == o.prior && profile == o.profile &&
                                 last_contact == o.last_contact && parts == o.parts);
        }
    };
    auto rendered = [&](AccountIdx i) {
        Shown s;
        const Account& a = accounts_[i];
        if (a.present) {
            s.present = true;
            s.annual = a.annual;
            s.prior = a.prior;
            s.profile = a.profile;
            s.last_contact = a.last_contact;
            if (a.profile < 0) s.parts = profile_parts(i);
        }
        return s;
    };
    // An account's place among the payers (R > 0): the benchmark's population.
    auto payer = [&](AccountIdx i) -> std::optional<Money> {
        const Account& a = accounts_[i];
        if (a.present && a.annual > 0) return a.annual;
        return std::nullopt;
    };
    std::vector<Shown> before;
    std::vector<std::optional<Money>> paid_before;
    std::vector<std::int32_t> profiles;
    for (AccountIdx i : touched) {
        before.push_back(rendered(i));
        paid_before.push_back(payer(i));
        profiles.push_back(accounts_[i].profile);
        detach(i);
    }

    ++seq_;
    if (is_account) apply_account(touched[0], ref);
    else apply_revenue(ref);
    for (AccountIdx i : touched) {
        attach(i);
        profiles.push_back(accounts_[i].profile);
    }

    // A percentile stays where it is while the payers are as many and each
    // touched payer's R stays on the same side of it (below or above): then
    // as many amounts as before lie below it and at it. Only otherwise is it
    // looked up again (a walk down the tree of every payer).
    bool may_move = policy_->benchmark_method != BenchmarkMethod::Percentile;
    for (std::size_t k = 0; k < touched.size() && !may_move; ++k) {
        const std::optional<Money> was = paid_before[k], now = payer(touched[k]);
        may_move = was.has_value() != now.has_value() ||
                   (was && !((*was < benchmark_ && *now < benchmark_) || (*was > benchmark_ && *now > benchmark_)));
    }
    const Money bench = may_move ? compute_benchmark() : benchmark_;
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
    if (garbage_ > std::max<std::size_t>(4096, present_ + revenues_.live())) {
        const std::string id(owner ? account_ids_.id(*owner) : std::string_view());
        compact();  // renumbers the accounts
        return owner ? find(id) : std::nullopt;
    }
    if (!owner || !accounts_[*owner].present) return std::nullopt;
    return owner;
}

void Portfolio::compact() {
    std::vector<Record> records;
    records.reserve(present_ + revenues_.live());
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
    std::vector<RecordRef> refs;
    refs.reserve(records.size());
    for (const Record& r : records) refs.push_back(ref_of(r));
    load(refs);
}

void Portfolio::load(std::span<const RecordRef> records) {
    check_limits(records);
    begin_load(records.size());
    apply_all(records);
    rebuild();
}

void Portfolio::load_batch(std::span<const RecordRef> records) {
    apply_all(records);  // checks the limits as it goes
}

void Portfolio::apply_all(std::span<const RecordRef> records) {
    // A few records ahead, the index buckets their ids will be looked up in
    // are fetched, so that the cache misses overlap instead of queueing.
    constexpr std::size_t kAhead = 8;
    for (std::size_t k = 0; k < records.size(); ++k) {
        if (k + kAhead < records.size() && records[k + kAhead].hashed) {
            const RecordRef& next = records[k + kAhead];
            if (next.account) {
                account_ids_.prefetch(next.id_hash);
            } else {
                revenues_.prefetch(next.id_hash);
                account_ids_.prefetch(next.account_hash);
            }
        }
        const RecordRef& r = records[k];
        if (r.account) {
            const AccountIdx idx = slot(r.id, id_hash(r));
            const bool was = accounts_[idx].present;
            apply_account(idx, r);
            if (was && !accounts_[idx].present) mark_changed(idx);  // reported as deleted
        } else {
            apply_revenue(r);
        }
    }
}

void Portfolio::set_as_of(Day as_of) {
    ++seq_;
    as_of_ = as_of;
    for (Account& a : accounts_) a.annual = a.prior = 0;
    revenues_.walk([&](IdArena::Handle h) {
        if (const Revenue r = revenue(h); r.account != kGone) add_window(accounts_[r.account], r.date, r.amount(), +1);
    });
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
        if (accounts_[it->second].present) ids.push_back(it->second);
        else deleted.emplace_back(account_ids_.id(it->second));
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
    for (AccountIdx i : ids) changed.emplace_back(account_ids_.id(i));
    std::sort(changed.begin(), changed.end());
    std::sort(deleted.begin(), deleted.end());
    if (!complete) deleted.clear();  // partial: the host drops what is not listed
    return complete;
}

IdList Portfolio::sorted_ids() const {
    std::vector<AccountIdx> order;
    order.reserve(present_);
    std::size_t bytes = 0;
    for (AccountIdx i = 0; i < accounts_.size(); ++i)
        if (accounts_[i].present) {
            order.push_back(i);
            bytes += account_ids_.id(i).size();
        }
    std::sort(order.begin(), order.end(),
              [&](AccountIdx a, AccountIdx b) { return account_ids_.id(a) < account_ids_.id(b); });
    IdList ids;
    ids.reserve(order.size(), bytes);
    for (AccountIdx i : order) ids.push_back(account_ids_.id(i));
    return ids;
}

}  // namespace crmtier
