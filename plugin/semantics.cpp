#include "plugin/semantics.hpp"

#include <algorithm>
#include <cmath>

#include "base/text.hpp"

namespace crmtier {

// "Annual revenue R = sum of the account's revenue dated in the last 365 days
// (after as-of - 365 days, not after as-of; later-dated records are kept but
// not counted yet). Prior revenue P = the 365 days before that."
Window window_of(Day date, Day as_of, int window_days) {
    if (date > as_of) return Window::None;
    if (date > as_of - window_days) return Window::Annual;
    if (date > as_of - 2 * window_days) return Window::Prior;
    return Window::None;
}

// Nearest rank: the smallest rank k with k/n >= percentile/100.
std::size_t nearest_rank(double percentile, std::size_t n) {
    const double k = std::ceil(percentile * static_cast<double>(n) / 100.0);
    if (k < 1) return 1;
    if (k > static_cast<double>(n)) return n;
    return static_cast<std::size_t>(k);
}

// "Benchmark = the revenue level of your leading clients: by default the 95th
// percentile (nearest rank) of R over the accounts with R > 0. Configurable:
// max, any percentile, or the mean of the top N."
Money benchmark_of(const OrderStats& payers, const Policy& p) {
    const std::size_t n = payers.size();
    if (n == 0) return 0;
    switch (p.benchmark_method) {
        case BenchmarkMethod::Max: return payers.max();
        case BenchmarkMethod::Percentile: return payers.at(nearest_rank(p.benchmark_percentile, n) - 1);
        case BenchmarkMethod::TopNMean: {
            const std::size_t k = std::min<std::size_t>(n, static_cast<std::size_t>(p.benchmark_top_n));
            return round_half_up(payers.sum_of_largest(k), static_cast<Money>(k));
        }
    }
    return 0;
}

// "Its peers are the other accounts with the same profile and R > 0. With at
// least 3 peers, the look-alike revenue L = the 75th percentile (nearest rank)
// of the peers' R."
LookalikePicks lookalike_picks(const OrderStats& payers, const Policy& p) {
    LookalikePicks s;
    s.n = payers.size();
    if (s.n >= 1) s.all = payers.at(nearest_rank(p.lookalike_percentile, s.n) - 1);
    if (s.n >= 2) {
        const std::size_t k = nearest_rank(p.lookalike_percentile, s.n - 1) - 1;
        s.without_lo = payers.key_at(k);
        s.without_hi = payers.at(k + 1);
    }
    return s;
}

std::optional<Money> lookalike_of(const LookalikePicks& picks, std::optional<OrderStats::Key> self, const Policy& p,
                                  std::size_t& peers) {
    const std::size_t m = picks.n - (self ? 1 : 0);  // not its own peer
    peers = m;
    if (m == 0 || m < static_cast<std::size_t>(p.min_peers)) return std::nullopt;
    // The entry at rank k = nearest_rank(P, m) - 1 (0-based) among the peers.
    if (!self) return picks.all;
    // Among the payers without this account the entries below it keep their
    // place and the ones above it move down one: the entry at k stays when it
    // is below this account, else the one above it takes its place.
    return picks.without_lo < *self ? picks.without_lo.first : picks.without_hi;
}

// "size band (employees; band edges 10/50/250/1000, the EU's
// micro/small/medium/large)".
std::string size_band(std::int64_t employees, const Policy& p) {
    std::int64_t low = 0;
    for (std::int64_t edge : p.size_band_edges) {
        if (employees < edge) return std::to_string(low) + "-" + std::to_string(edge - 1);
        low = edge;
    }
    return std::to_string(low) + "+";
}

// "territory (its / path cut to the first 2 levels)". Empty levels and the
// blanks around a level are not levels.
std::string territory_cut(std::string_view territory, int depth) {
    std::string out;
    int levels = 0;
    std::size_t pos = 0;
    while (pos <= territory.size() && levels < depth) {
        std::size_t end = territory.find('/', pos);
        if (end == std::string_view::npos) end = territory.size();
        const std::string_view level = trim_blanks(territory.substr(pos, end - pos));
        if (!level.empty()) {
            if (levels++) out.push_back('/');
            out.append(level);
        }
        pos = end + 1;
    }
    return out;
}

// "Potential = the highest of R, P and L".
Potential potential_of(Money annual, Money prior, std::optional<Money> lookalike) {
    Potential best{annual, Source::Own};
    if (prior > best.value) best = {prior, Source::Prior};
    if (lookalike && *lookalike > best.value) best = {*lookalike, Source::Lookalike};
    return best;
}

// "(With no revenue anywhere in the last 365 days the benchmark is 0 and p
// counts as 0.)"
double ratio_of(Money amount, Money benchmark) {
    if (benchmark <= 0) return 0.0;
    return static_cast<double>(amount) / static_cast<double>(benchmark);
}

// "A if p >= 0.80, B if p >= 0.45, C if potential > 0, D otherwise".
Tier tier_of(Money amount, Money benchmark, const Policy& p) {
    const double r = ratio_of(amount, benchmark);
    if (amount > 0 && r >= p.tier_a) return TierA;
    if (amount > 0 && r >= p.tier_b) return TierB;
    if (amount > 0) return TierC;
    return TierD;
}

char tier_letter(Tier t) { return "ABCD"[t]; }

std::int64_t round_half_up(Money num, Money den) {
    // floor((2 num + den) / (2 den)), with floor for negative numerators too.
    Money n = 2 * num + den, d = 2 * den;
    Money q = n / d;
    if ((n % d != 0) && (n < 0)) --q;
    return static_cast<std::int64_t>(q);
}

// "Temperature 0-100 = 100 x max(0, R) / potential, rounded to the nearest
// integer (halves up); tier D is 0."
int temperature_of(Money annual, Money potential, Tier tier) {
    if (tier == TierD || potential <= 0) return 0;
    const Money r = annual > 0 ? annual : 0;
    return static_cast<int>(round_half_up(100 * r, potential));
}

// ">=80 red, >=60 orange, >=40 yellow, >=20 light blue, <20 blue; tier D is grey."
Colour colour_of(int temperature, Tier tier, const Policy& p) {
    if (tier == TierD) return Grey;
    for (int i = 0; i < 4; ++i)
        if (temperature >= p.colour_floors[static_cast<std::size_t>(i)]) return static_cast<Colour>(i);
    return Blue;
}

std::string_view colour_name(Colour c) {
    static constexpr std::string_view names[] = {"red", "orange", "yellow", "lightblue", "blue", "grey"};
    return names[c];
}

// ColorBrewer RdYlBu, safe for colour-blind readers.
std::string_view colour_hex(Colour c) {
    static constexpr std::string_view hex[] = {"#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6", "#bdbdbd"};
    return hex[c];
}

// "A blue A account carries an escalation."
bool escalates(Tier tier, Colour colour) { return tier == TierA && colour == Blue; }

// "Next contact = last contact + interval of the tier; the as-of date when
// there was no contact; overdue_days = days from that date to as-of when past."
Contact next_contact(std::optional<Day> last_contact, Day as_of, Tier tier, const Policy& p) {
    const Day next = last_contact ? *last_contact + p.cadence[tier].days : as_of;
    return {next, next < as_of ? as_of - next : 0};
}

// "When P > 0 and (P - R) / P >= 20 %, the account is flagged declining
// (decline_pct rounded like temperature)."
Decline decline_of(Money prior, Money annual, const Policy& p) {
    if (prior <= 0) return {false, 0};
    const double drop = static_cast<double>(prior - annual) / static_cast<double>(prior);
    if (drop < p.decline_threshold) return {false, 0};
    return {true, static_cast<int>(round_half_up(100 * (prior - annual), prior))};
}

}  // namespace crmtier
