#include "plugin/peer_groups.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <string_view>

#include <boost/unordered/unordered_flat_map.hpp>

#include "base/json_writer.hpp"

namespace crmtier {

namespace {

using Vec = std::map<std::string, double>;  // feature -> weight, ordered for determinism

struct Rep {
    std::string name;
    Vec products;    // annual revenue by product category (first level of the path)
    Vec industries;  // accounts by industry
    Vec tiers;       // accounts by tier
    int a_accounts = 0;
    long a_temperature_sum = 0;
};

double cosine(const Vec& a, const Vec& b) {
    double dot = 0, na = 0, nb = 0;
    for (const auto& [k, v] : a) {
        na += v * v;
        auto it = b.find(k);
        if (it != b.end()) dot += v * it->second;
    }
    for (const auto& kv : b) nb += kv.second * kv.second;
    if (na == 0 || nb == 0) return 0;
    return dot / std::sqrt(na * nb);
}

// How alike two reps are: products sold, industries served and tiers served
// weigh the same.
double similarity(const Rep& a, const Rep& b) {
    return (cosine(a.products, b.products) + cosine(a.industries, b.industries) + cosine(a.tiers, b.tiers)) / 3.0;
}

std::string category_of(const std::string& product) {
    const auto slash = product.find('/');
    return slash == std::string::npos ? product : product.substr(0, slash);
}

// What every member of a group has: the features present in each member's
// vector, largest total first, at most three.
std::vector<std::string> shared(const std::vector<const Vec*>& members) {
    std::vector<std::pair<double, std::string>> common;
    for (const auto& [k, v] : *members.front()) {
        double total = 0;
        bool everywhere = true;
        for (const Vec* m : members) {
            auto it = m->find(k);
            if (it == m->end() || it->second <= 0) everywhere = false;
            else total += it->second;
        }
        if (everywhere) common.emplace_back(-total, k);
    }
    std::sort(common.begin(), common.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < common.size() && i < 3; ++i) out.push_back(common[i].second);
    return out;
}

}  // namespace

PeerGroups group_reps(const Portfolio& pf, std::span<const Result> results) {
    const Policy& policy = pf.policy();
    const Interner& strings = pf.strings();
    // Reps and what they sell and serve. A pass over every account and
    // every revenue record: what is counted goes into dense tables by rep
    // (no string is built or looked up per account or record), and into the
    // reps' vectors once, at the end.
    constexpr std::size_t kNoRep = SIZE_MAX;
    std::vector<std::size_t> rep_of_owner(strings.size(), kNoRep);
    std::vector<Rep> reps;
    {
        std::vector<std::pair<std::string, std::uint32_t>> owners;
        for (AccountIdx i = 0; i < pf.account_slots(); ++i) {
            if (!pf.present(i)) continue;
            const std::uint32_t o = pf.owner_of(i);
            if (o != Interner::kNone && rep_of_owner[o] == kNoRep) {
                rep_of_owner[o] = 0;
                owners.emplace_back(strings.str(o), o);
            }
        }
        std::sort(owners.begin(), owners.end());
        for (const auto& [name, o] : owners) {
            rep_of_owner[o] = reps.size();
            reps.push_back(Rep{name, {}, {}, {}, 0, 0});
        }
    }
    const auto rep_of = [&](AccountIdx i) {
        const std::uint32_t o = pf.owner_of(i);
        return o == Interner::kNone ? kNoRep : rep_of_owner[o];
    };
    // Accounts by industry (numbered in the order met) and by tier.
    boost::unordered_flat_map<std::string_view, std::size_t> industry_number;
    std::vector<std::string_view> industry_names;
    std::vector<std::vector<std::int64_t>> by_industry(reps.size());
    std::vector<std::array<std::int64_t, 4>> by_tier(reps.size());
    for (AccountIdx i = 0; i < pf.account_slots(); ++i) {
        if (!pf.present(i)) continue;
        const std::size_t ri = rep_of(i);
        if (ri == kNoRep) continue;
        Rep& rep = reps[ri];
        const Result& r = results[i];
        const std::string& industry = pf.view(i).industry;
        if (!industry.empty()) {
            const auto [it, added] = industry_number.try_emplace(industry, industry_names.size());
            if (added) industry_names.push_back(industry);
            auto& counts = by_industry[ri];
            if (counts.size() <= it->second) counts.resize(it->second + 1, 0);
            ++counts[it->second];
        }
        ++by_tier[ri][r.tier];
        if (r.tier == TierA) {
            ++rep.a_accounts;
            rep.a_temperature_sum += r.temperature;
        }
    }
    // Annual revenue by product category, numbered by product string: the
    // sums of each rep and category are added in the order of the records,
    // as a map keyed by the category's name would add them.
    constexpr std::size_t kUnseen = SIZE_MAX;
    std::vector<std::size_t> category_of_product(strings.size(), kUnseen);
    boost::unordered_flat_map<std::string, std::size_t> category_number;
    std::vector<std::string> category_names;
    std::vector<std::vector<double>> by_category(reps.size());
    pf.for_each_annual_revenue([&](AccountIdx a, std::uint32_t product, std::int64_t amount) {
        const std::size_t ri = rep_of(a);
        if (ri == kNoRep || product == Interner::kNone || amount <= 0) return;
        std::size_t& c = category_of_product[product];
        if (c == kUnseen) {
            std::string name = category_of(strings.str(product));
            const auto [it, added] = category_number.try_emplace(name, category_names.size());
            if (added) category_names.push_back(std::move(name));
            c = it->second;
        }
        auto& sums = by_category[ri];
        if (sums.size() <= c) sums.resize(c + 1, 0.0);
        sums[c] += money_to_double(amount);
    });
    for (std::size_t ri = 0; ri < reps.size(); ++ri) {
        Rep& rep = reps[ri];
        for (std::size_t k = 0; k < by_industry[ri].size(); ++k)
            if (by_industry[ri][k]) rep.industries.emplace(industry_names[k], static_cast<double>(by_industry[ri][k]));
        for (std::size_t t = 0; t < 4; ++t)
            if (by_tier[ri][t]) rep.tiers.emplace(std::string(1, tier_letter(static_cast<Tier>(t))),
                                                  static_cast<double>(by_tier[ri][t]));
        // Every amount counted is above 0: a category with a sum was met.
        for (std::size_t k = 0; k < by_category[ri].size(); ++k)
            if (by_category[ri][k] > 0) rep.products.emplace(category_names[k], by_category[ri][k]);
    }

    // Average-linkage agglomeration under the size cap: always merge the two
    // most alike groups that fit together, until none fit.
    const std::size_t n = reps.size();
    std::vector<std::vector<double>> sim(n, std::vector<double>(n, 0));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) sim[i][j] = sim[j][i] = similarity(reps[i], reps[j]);
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < n; ++i) groups.push_back({i});
    auto linkage = [&](const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
        double s = 0;
        for (auto x : a)
            for (auto y : b) s += sim[x][y];
        return s / static_cast<double>(a.size() * b.size());
    };
    // The mean similarity over the group's pairs of members.
    auto cohesion = [&](const std::vector<std::size_t>& g) {
        if (g.size() < 2) return 1.0;
        double s = 0;
        for (std::size_t i = 0; i < g.size(); ++i)
            for (std::size_t j = i + 1; j < g.size(); ++j) s += sim[g[i]][g[j]];
        return s / static_cast<double>(g.size() * (g.size() - 1) / 2);
    };
    const auto max_size = static_cast<std::size_t>(policy.group_max);
    const auto min_size = static_cast<std::size_t>(policy.group_min);
    for (;;) {
        double best = -1;
        std::size_t bi = 0, bj = 0;
        for (std::size_t i = 0; i < groups.size(); ++i)
            for (std::size_t j = i + 1; j < groups.size(); ++j) {
                if (groups[i].size() + groups[j].size() > max_size) continue;
                const double s = linkage(groups[i], groups[j]);
                if (s > best) {
                    best = s;
                    bi = i;
                    bj = j;
                }
            }
        if (best < 0) break;
        groups[bi].insert(groups[bi].end(), groups[bj].begin(), groups[bj].end());
        groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(bj));
    }
    // A group left below the minimum takes, one by one, the most alike rep of
    // a group that can spare one.
    for (auto& g : groups) {
        while (g.size() < min_size) {
            double best = -1;
            std::vector<std::size_t>* donor = nullptr;
            std::size_t pick = 0;
            for (auto& d : groups) {
                if (&d == &g || d.size() <= min_size) continue;
                for (std::size_t k = 0; k < d.size(); ++k) {
                    const double s = linkage(g, {d[k]});
                    if (s > best) {
                        best = s;
                        donor = &d;
                        pick = k;
                    }
                }
            }
            if (!donor) break;
            g.push_back((*donor)[pick]);
            donor->erase(donor->begin() + static_cast<std::ptrdiff_t>(pick));
        }
    }
    for (auto& g : groups) std::sort(g.begin(), g.end());
    std::sort(groups.begin(), groups.end());

    PeerGroups out;
    out.as_of = pf.as_of();
    out.reps = n;
    out.min_size = policy.group_min;
    out.max_size = policy.group_max;
    for (const auto& g : groups) {
        PeerGroup group;
        for (auto m : g) group.members.push_back(reps[m].name);
        group.similarity = std::round(cohesion(g) * 10000.0) / 10000.0;
        group.below_min_size = g.size() < min_size;
        std::vector<const Vec*> products, industries, tiers;
        for (auto m : g) {
            products.push_back(&reps[m].products);
            industries.push_back(&reps[m].industries);
            tiers.push_back(&reps[m].tiers);
        }
        group.product_categories = shared(products);
        group.industries = shared(industries);
        group.tiers = shared(tiers);
        // The presenter: the member whose A accounts run hottest (ties: more
        // A accounts, then the name).
        const std::size_t* presenter = nullptr;
        for (const auto& m : g) {
            const Rep& r = reps[m];
            if (r.a_accounts == 0) continue;
            if (!presenter) {
                presenter = &m;
                continue;
            }
            const Rep& p = reps[*presenter];
            const long lhs = r.a_temperature_sum * p.a_accounts, rhs = p.a_temperature_sum * r.a_accounts;
            if (lhs > rhs || (lhs == rhs && r.a_accounts > p.a_accounts)) presenter = &m;
        }
        if (presenter) {
            const Rep& r = reps[*presenter];
            group.presenter = PeerGroup::Presenter{
                r.name, r.a_accounts,
                std::round(static_cast<double>(r.a_temperature_sum) * 10.0 / r.a_accounts) / 10.0};
        }
        out.groups.push_back(std::move(group));
    }
    return out;
}

std::string peer_groups_json(const PeerGroups& pg) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("as_of").date(pg.as_of);
    w.key("reps").uinteger(pg.reps);
    w.key("min_size").integer(pg.min_size);
    w.key("max_size").integer(pg.max_size);
    w.key("groups").begin_array();
    std::size_t number = 0;
    for (const PeerGroup& g : pg.groups) {
        w.begin_object();
        w.key("group").uinteger(++number);
        w.key("members").begin_array();
        for (const auto& m : g.members) w.str(m);
        w.end_array();
        w.key("similarity").number(g.similarity);
        w.key("below_min_size").boolean(g.below_min_size);
        w.key("shared").begin_object();
        w.key("product_categories").begin_array();
        for (const auto& s : g.product_categories) w.str(s);
        w.end_array();
        w.key("industries").begin_array();
        for (const auto& s : g.industries) w.str(s);
        w.end_array();
        w.key("tiers").begin_array();
        for (const auto& s : g.tiers) w.str(s);
        w.end_array();
        w.end_object();
        w.key("presenter");
        if (g.presenter) {
            w.begin_object();
            w.key("rep").str(g.presenter->rep);
            w.key("a_accounts").integer(g.presenter->a_accounts);
            w.key("a_mean_temperature").number(g.presenter->a_mean_temperature);
            w.end_object();
        } else {
            w.null();
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return out;
}

}  // namespace crmtier
