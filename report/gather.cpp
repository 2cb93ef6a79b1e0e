// What the page shows, copied out of the portfolio under the engine's shared
// lock: every covered account's result as Portfolio::result() works it out,
// the canonical result (reasons and actions) of each listed escalation as
// render_result() writes it, and the peer groups. Nothing here decides a
// rule; the page only reads what is copied.
#include <algorithm>
#include <future>
#include <system_error>
#include <vector>

#include "crmtier.h"

#include "base/errors.hpp"
#include "base/quote.hpp"
#include "base/json_writer.hpp"
#include "base/parallel.hpp"
#include "plugin/peer_groups.hpp"
#include "plugin/render.hpp"
#include "report/report.hpp"

namespace crmtier::report {

namespace {

constexpr std::size_t kTopPeers = 3;
// Results worked out in parts of at least this many (base/parallel.hpp).
constexpr std::size_t kMinPart = 256;

// The escalations the page lists first: the largest potential first (the
// most revenue at stake), then by id.
bool listed_before(const Input& in, const Account& a, const Account& b) {
    if (a.potential != b.potential) return a.potential > b.potential;
    return in.id(a) < in.id(b);
}

}  // namespace

Input gather(const Portfolio& pf, const Options& o, std::optional<std::string> peer_groups) {
    const Policy& p = pf.policy();
    Input in;
    in.version = CRMTIER_VERSION_STRING;
    in.as_of = pf.as_of();
    if (o.since && *o.since >= in.as_of)
        throw ConfigError("report options: \"since\": " + format_date(*o.since) + " is not before the as-of date " +
                          format_date(in.as_of));
    in.since = o.since;

    in.portfolio_accounts = pf.account_count();
    in.benchmark = pf.benchmark();
    in.benchmark_method = p.benchmark_method;
    in.benchmark_percentile = p.benchmark_percentile;
    in.benchmark_top_n = p.benchmark_top_n;
    in.window_days = p.revenue_window_days;
    in.tier_a = p.tier_a;
    in.tier_b = p.tier_b;
    in.colour_floors = p.colour_floors;
    for (std::size_t t = 0; t < 4; ++t) in.channels[t] = p.cadence[t].channel;
    in.decline_threshold = p.decline_threshold;
    for (std::size_t k = 0; k < 3; ++k) in.feedback_questions[k] = kFeedbackQuestions[k];

    // Reps: the distinct owners of existing accounts, by name.
    const Interner& strings = pf.strings();
    std::vector<std::uint32_t> rep_of(strings.size(), kNoRep);
    {
        std::vector<std::uint32_t> owners;
        for (AccountIdx i = 0; i < pf.account_slots(); ++i) {
            const std::uint32_t s = pf.owner_of(i);
            if (pf.present(i) && s != Interner::kNone && rep_of[s] == kNoRep) {
                rep_of[s] = 0;
                owners.push_back(s);
            }
        }
        std::sort(owners.begin(), owners.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return strings.str(a) < strings.str(b); });
        for (std::uint32_t s : owners) {
            rep_of[s] = static_cast<std::uint32_t>(in.reps.size());
            in.reps.push_back(strings.str(s));
        }
    }
    if (o.owner) {
        const auto it = std::lower_bound(in.reps.begin(), in.reps.end(), *o.owner);
        if (it == in.reps.end() || *it != *o.owner)
            throw NotFoundError("report options: \"owner\": no account has the owner " + quoted(*o.owner) + " (" +
                                std::to_string(in.reps.size()) + " owners, e.g. " +
                                (in.reps.empty() ? std::string("none") : quoted(in.reps.front())) + ")");
        in.only = static_cast<std::uint32_t>(it - in.reps.begin());
    }

    // Every account's result, worked out once on every core: the page's
    // accounts, the escalations' peers and the peer groups all read them.
    const std::vector<Result> results = every_result(pf);

    // The peer groups take a pass over every revenue record of their own: on
    // a second thread, while this one copies the results (both only read,
    // under the lock the caller holds; `groups` is declared after `results`,
    // so it waits for the thread before they go).
    const auto work_out_groups = [&pf, &results, &peer_groups] {
        return peer_groups ? std::move(*peer_groups) : peer_groups_json(group_reps(pf, results));
    };
    std::future<std::string> groups;
    try {
        groups = std::async(peer_groups ? std::launch::deferred : std::launch::async, work_out_groups);
    } catch (const std::system_error&) {  // no thread to be had: on this one, later
        groups = std::async(std::launch::deferred, work_out_groups);
    }

    // Every covered account's result.
    if (!o.owner) {
        in.accounts.reserve(pf.account_count());
        in.text.reserve(pf.account_count() * 32);
    }
    for (AccountIdx i = 0; i < pf.account_slots(); ++i) {
        if (!pf.present(i)) continue;
        const std::uint32_t rep = rep_of[pf.owner_of(i)];
        if (in.only && rep != *in.only) continue;
        const Result& r = results[i];
        const auto view = pf.view(i);
        Account a;
        a.index = i;
        a.rep = rep;
        a.id_at = in.text.size();
        a.id_len = static_cast<std::uint32_t>(view.id.size());
        in.text.append(view.id);
        a.name_at = in.text.size();
        a.name_len = static_cast<std::uint32_t>(view.name.size());
        in.text.append(view.name);
        a.tier = r.tier;
        a.colour = r.colour;
        a.temperature = static_cast<std::int16_t>(r.temperature);
        a.escalate = r.escalate;
        a.declining = r.decline.declining;
        a.decline_pct = static_cast<std::int16_t>(r.decline.pct);
        a.peers = static_cast<std::uint32_t>(r.peers);
        a.profile = r.profile;
        a.annual = r.annual;
        a.prior = r.prior;
        a.potential = r.potential.value;
        a.next_contact = r.contact.next;
        a.overdue_days = r.contact.overdue_days;
        in.accounts.push_back(a);
    }

    // The escalations listed: their canonical results, and the peers of
    // their profiles that buy most.
    std::vector<std::size_t> esc;
    for (std::size_t k = 0; k < in.accounts.size(); ++k)
        if (in.accounts[k].escalate) esc.push_back(k);
    in.escalations_total = esc.size();
    const std::size_t listed = std::min(esc.size(), o.list_limit);
    std::partial_sort(esc.begin(), esc.begin() + static_cast<std::ptrdiff_t>(listed), esc.end(),
                      [&](std::size_t a, std::size_t b) { return listed_before(in, in.accounts[a], in.accounts[b]); });
    esc.resize(listed);
    std::vector<std::int32_t> profiles;
    for (std::size_t k : esc) {
        Escalation e;
        e.account = k;
        render_result(pf, results[in.accounts[k].index], e.result_json);
        if (in.accounts[k].profile >= 0) profiles.push_back(in.accounts[k].profile);
        in.escalations.push_back(std::move(e));
    }
    std::sort(profiles.begin(), profiles.end());
    profiles.erase(std::unique(profiles.begin(), profiles.end()), profiles.end());
    if (!profiles.empty()) {
        // A profile's peers: its members that buy (R > 0), as
        // docs/semantics.md#profiles-and-look-alikes defines them; the page
        // names the few that buy most, and only when their number is the
        // result's own "peers" (so it can never disagree with the engine).
        std::vector<std::vector<std::pair<Money, AccountIdx>>> buyers(profiles.size());
        const auto add = [&](std::int32_t profile, Money annual, AccountIdx i) {
            const auto it = std::lower_bound(profiles.begin(), profiles.end(), profile);
            if (annual > 0 && it != profiles.end() && *it == profile)
                buyers[static_cast<std::size_t>(it - profiles.begin())].emplace_back(annual, i);
        };
        if (!in.only) {  // every account is covered: their results are at hand
            for (const Account& a : in.accounts) add(a.profile, a.annual, a.index);
        } else {
            for (AccountIdx i = 0; i < pf.account_slots(); ++i)
                if (pf.present(i)) add(results[i].profile, results[i].annual, i);
        }
        for (auto& b : buyers)
            std::sort(b.begin(), b.end(), [&](const auto& x, const auto& y) {
                if (x.first != y.first) return x.first > y.first;
                return pf.view(x.second).id < pf.view(y.second).id;
            });
        for (Escalation& e : in.escalations) {
            const Account& a = in.accounts[e.account];
            const auto it = std::lower_bound(profiles.begin(), profiles.end(), a.profile);
            if (a.profile < 0 || it == profiles.end() || *it != a.profile) continue;
            const auto& b = buyers[static_cast<std::size_t>(it - profiles.begin())];
            const std::size_t peers = b.size() - (a.annual > 0 ? 1 : 0);
            if (peers != a.peers) continue;
            for (const auto& [annual, i] : b) {
                if (i == a.index) continue;
                if (e.top_peers.size() == kTopPeers) break;
                const auto v = pf.view(i);
                e.top_peers.emplace_back(v.name.empty() ? std::string(v.id) : v.name, annual);
            }
        }
    }

    in.peer_groups_json = groups.get();
    return in;
}

void gather_movers(const Portfolio& earlier, Input& in) {
    // The earlier results on every core, each part into its own list, joined
    // in order.
    const std::size_t n = in.accounts.size();
    std::vector<std::vector<Earlier>> moved(part_count(n, 0, kMinPart));
    for_parts(n, 0, kMinPart, [&](std::size_t part, std::size_t from, std::size_t to) {
        for (std::size_t k = from; k < to; ++k) {
            const Account& a = in.accounts[k];
            const Result r = earlier.result(a.index);
            if (r.tier != a.tier || r.colour != a.colour) moved[part].push_back({k, r.tier, r.colour, r.temperature});
        }
    });
    in.earlier.clear();
    for (const auto& m : moved) in.earlier.insert(in.earlier.end(), m.begin(), m.end());
}

}  // namespace crmtier::report
