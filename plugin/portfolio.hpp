// The portfolio: accounts and revenue records, and the few aggregates the
// rules need, kept up to date on every save without rescanning anything.
// docs/design.md explains the data structures and their costs.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "plugin/id_table.hpp"
#include "plugin/interner.hpp"
#include "plugin/order_stats.hpp"
#include "plugin/policy.hpp"
#include "plugin/records.hpp"
#include "plugin/semantics.hpp"

namespace crmtier {

using AccountIdx = std::uint32_t;

// Everything the rules decided for one account, before it is written out.
struct Result {
    AccountIdx account = 0;
    Money annual = 0, prior = 0;
    std::optional<Money> lookalike;
    std::size_t peers = 0;
    std::int32_t profile = -1;
    Potential potential{0, Source::Own};
    Money benchmark = 0;
    Tier tier = TierD, revenue_tier = TierD;
    int temperature = 0;
    Colour colour = Grey;
    bool escalate = false;
    Contact contact{0, 0};
    Decline decline{false, 0};

    bool operator==(const Result&) const;
};

// Account ids packed one after another: a cursor holds every id of a
// portfolio, and a million of them take ~20 MB so instead of ~32 MB as
// std::string.
class IdList {
public:
    std::size_t size() const { return ends_.size(); }
    std::string_view operator[](std::size_t i) const {
        const std::size_t begin = i ? ends_[i - 1] : 0;
        return std::string_view(text_).substr(begin, ends_[i] - begin);
    }
    void reserve(std::size_t ids, std::size_t bytes) {
        ends_.reserve(ids);
        text_.reserve(bytes);
    }
    void push_back(std::string_view id) {
        text_.append(id);
        ends_.push_back(text_.size());
    }
    bool operator==(const IdList&) const = default;

private:
    std::string text_;
    std::vector<std::size_t> ends_;
};

class Portfolio {
public:
    explicit Portfolio(const Policy& policy, Day as_of);

    const Policy& policy() const { return *policy_; }
    Day as_of() const { return as_of_; }
    std::uint64_t seq() const { return seq_; }
    Money benchmark() const { return benchmark_; }
    std::size_t account_count() const { return present_; }
    std::size_t revenue_count() const { return revenues_.live(); }
    // Profiles some existing account has.
    std::size_t profile_count() const {
        std::size_t n = 0;
        for (const Profile& p : profiles_) n += !p.members.empty();
        return n;
    }

    // One save. Returns the account the record belongs to, if it has an
    // account record after the save. Takes one sequence number.
    std::optional<AccountIdx> save(const Record& record);
    std::optional<AccountIdx> save(const RecordRef& record);
    // Many records at once, as one step of the sequence. Throws LimitError
    // before changing anything when a limit would be passed.
    void load(const std::vector<Record>& records);
    void load(std::span<const RecordRef> records);
    // The same load in steps, for input too large to hold parsed all at once:
    // begin_load(), load_batch() for each batch in order, finish_load().
    // load_batch() throws LimitError once a limit is passed, with its batch
    // partly applied: it is for a copy that is dropped on error.
    // `records_hint`: about how many records will come (room is made for as
    // many revenue records; memory not used is not resident).
    void begin_load(std::size_t records_hint = 0) {
        ++seq_;
        revenues_.reserve(records_hint);
    }
    void load_batch(std::span<const RecordRef> records);
    void finish_load() { rebuild(); }
    // No account or revenue record was ever applied (copying it is free).
    bool empty() const { return accounts_.empty() && revenues_.entries() == 0; }
    // A new as-of date: every window is recomputed.
    void set_as_of(Day as_of);

    std::optional<AccountIdx> find(std::string_view id) const;
    Result result(AccountIdx a) const;

    // What the change feed reports after `since` (<= seq()): the ids of
    // existing accounts whose results changed, and of deleted ones; sorted.
    // Returns false when `since` is older than the feed remembers (before the
    // last compaction): then every account is listed as changed, and deleted
    // accounts cannot be listed, so the host must resynchronise.
    bool changes(std::uint64_t since, std::vector<std::string>& changed,
                 std::vector<std::string>& deleted) const;
    // Every existing account's id, sorted.
    IdList sorted_ids() const;

    // Read access for rendering and reports.
    struct AccountView {
        std::string_view id;
        const std::string& name;
        const std::string& owner;
        std::optional<std::int64_t> employees;
        const std::string& territory;
        const std::string& industry;
        std::optional<Day> last_contact;
    };
    AccountView view(AccountIdx a) const;
    // The profile's attribute values, in policy order ("" where missing).
    std::vector<std::pair<Attribute, std::string>> profile_parts(AccountIdx a) const;
    // One attribute of an account's profile, as profiles compare it; empty
    // when the account does not have it. Views the portfolio's strings or
    // `scratch` (a size band, a territory cut), so valid while both are.
    std::string_view attribute_value(AccountIdx a, Attribute attr, std::string& scratch) const;
    std::size_t account_slots() const { return accounts_.size(); }
    bool present(AccountIdx a) const { return accounts_[a].present; }
    std::uint32_t owner_of(AccountIdx a) const { return accounts_[a].owner; }
    const Interner& strings() const { return strings_; }

    // Calls f(account, product, amount) for every revenue record in the annual
    // window of an existing account.
    template <class F>
    void for_each_annual_revenue(F&& f) const {
        revenues_.walk([&](IdArena::Handle h) {
            const Revenue r = revenue(h);
            if (r.account != kGone && accounts_[r.account].present &&
                window_of(r.date, as_of_, policy_->revenue_window_days) == Window::Annual)
                f(r.account, r.product, r.amount());
        });
    }

    // Every record as it stands (for snapshots): f(AccountRecord) for each
    // existing account, then f(RevenueRecord) for each revenue record.
    template <class FA, class FR>
    void for_each_record(FA&& on_account, FR&& on_revenue) const {
        for (AccountIdx i = 0; i < accounts_.size(); ++i) {
            const Account& a = accounts_[i];
            if (!a.present) continue;
            AccountRecord r;
            r.id = account_ids_.id(i);
            r.name = a.name;
            r.owner = strings_.str(a.owner);
            r.employees = a.employees;
            r.territory = strings_.str(a.territory);
            r.industry = strings_.str(a.industry);
            r.last_contact = a.last_contact;
            on_account(r);
        }
        revenues_.walk([&](IdArena::Handle h) {
            const Revenue v = revenue(h);
            if (v.account == kGone) return;
            RevenueRecord r;
            r.id = revenues_.id(h);
            r.account_id = account_ids_.id(v.account);
            r.date = v.date;
            r.amount = v.amount();
            r.product = strings_.str(v.product);
            on_revenue(r);
        });
    }
    // After a restore: the sequence continues past `seq`, every account counts
    // as changed, and the `gone` accounts as deleted.
    void continue_from(std::uint64_t seq, const std::vector<std::string>& gone);

private:
    struct Account {  // its id: account_ids_.id(index)
        std::string name;
        bool present = false;
        std::uint32_t owner = Interner::kNone;
        std::uint32_t territory = Interner::kNone;
        std::uint32_t industry = Interner::kNone;
        std::optional<std::int64_t> employees;
        std::optional<Day> last_contact;
        std::int32_t profile = -1;
        std::uint32_t member_pos = 0;
        Money annual = 0, prior = 0;
        std::uint64_t changed_seq = 0;
    };
    // One revenue record: the payload of its id's entry in revenues_; 20
    // bytes, as there are tens of millions.
    static constexpr AccountIdx kGone = UINT32_MAX;  // a deleted record's account
    struct Revenue {
        AccountIdx account;
        Day date;
        std::uint32_t product;
        std::uint32_t amount_lo;
        std::int32_t amount_hi;
        std::int64_t amount() const {
            return static_cast<std::int64_t>((static_cast<std::uint64_t>(static_cast<std::uint32_t>(amount_hi)) << 32) |
                                             amount_lo);
        }
        static Revenue of(AccountIdx account, Day date, std::uint32_t product, std::int64_t amount) {
            const auto u = static_cast<std::uint64_t>(amount);
            return {account, date, product, static_cast<std::uint32_t>(u),
                    static_cast<std::int32_t>(static_cast<std::uint32_t>(u >> 32))};
        }
    };
    struct Profile {
        std::string key;
        OrderStats payers;                 // existing members with R > 0
        std::vector<AccountIdx> members;   // every existing member
        // What decides every member's look-alike revenue (lookalike_picks()):
        // current whenever a result is read.
        LookalikePicks signature;
        std::uint64_t changed_seq = 0;
    };
    struct StrHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct StrEq {
        using is_transparent = void;
        bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    };

    AccountIdx slot(std::string_view id) { return slot(id, IdArena::hash(id)); }
    AccountIdx slot(std::string_view id, std::uint64_t hash);
    std::int32_t profile_for(AccountIdx idx);
    void apply_account(AccountIdx idx, const RecordRef& r);
    void apply_revenue(const RecordRef& r);
    void add_window(Account& a, Day date, std::int64_t amount, int sign);
    void detach(AccountIdx idx);
    void attach(AccountIdx idx);
    void attach_payer(AccountIdx idx);
    void attach_member(AccountIdx idx);
    void rebuild();
    Money compute_benchmark() const;
    void refresh_profile(std::int32_t p);
    void mark_changed(AccountIdx idx);
    void check_limits(std::span<const RecordRef> records) const;
    [[noreturn]] void throw_limit(bool accounts) const;
    void apply_all(std::span<const RecordRef> records);
    std::optional<Money> lookalike(const Account& a, AccountIdx idx, std::size_t& peers) const;

    // Rebuilds everything from the live records, dropping deleted accounts,
    // unused profiles and strings; the change feed forgets what came before.
    void compact();

    const Policy* policy_;
    Day as_of_;
    std::uint64_t seq_ = 0;
    std::uint64_t all_changed_seq_ = 0;
    std::uint64_t horizon_ = 0;  // the change feed knows nothing before this
    std::size_t garbage_ = 0;    // records replaced or deleted since the last compaction

    std::vector<Account> accounts_;
    IdTable account_ids_;              // number = index in accounts_
    IdArena revenues_{sizeof(Revenue)};  // deleted ones stay (account kGone) until compact()
    Revenue revenue(IdArena::Handle h) const {
        Revenue r;
        std::memcpy(&r, revenues_.payload(h), sizeof r);
        return r;
    }
    void set_revenue(IdArena::Handle h, const Revenue& r) { std::memcpy(revenues_.payload(h), &r, sizeof r); }
    std::size_t present_ = 0;

    std::vector<Profile> profiles_;
    boost::unordered_flat_map<std::string, std::int32_t, StrHash, StrEq> profile_index_;

    OrderStats payers_;  // existing accounts with R > 0: the benchmark's population
    Money benchmark_ = 0;

    std::set<std::pair<std::uint64_t, AccountIdx>> account_changes_;
    std::set<std::pair<std::uint64_t, std::int32_t>> profile_changes_;

    Interner strings_;
};

}  // namespace crmtier
