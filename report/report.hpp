// The sales plan page (issue 11): one self-contained HTML5 page rendered from
// the engine's results. This layer sits above the scoring core: it reads
// results and never decides a tier, a colour, a date or a flag itself
// (docs/report.md).
//
// The seam with the core is page(), the C call's, which runs two calls:
//   gather()         under the engine's shared lock: copies what the page
//                    shows out of the portfolio (Input);
//   render()         outside any lock: writes the page from that copy.
// gather_movers() fills the movers from a private copy of the portfolio
// scored as of an earlier date.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/dates.hpp"
#include "base/numbers.hpp"
#include "plugin/engine.hpp"
#include "plugin/policy.hpp"
#include "plugin/portfolio.hpp"
#include "plugin/semantics.hpp"

namespace crmtier::report {

// The options object of crmtier_engine_report() (abi/crmtier.h lists its
// keys and defaults; docs/report.md explains them).
struct Options {
    std::optional<std::string> owner;  // one rep; none: every rep
    std::optional<std::string> title;  // none: the language's "title" label
    std::string lang = "en";           // a built-in label table
    std::vector<std::pair<std::string, std::string>> labels;  // overrides, keys checked
    std::optional<Day> since;          // movers since this date
    std::size_t cell_limit = 400;      // squares per map cell, else a bar
    std::size_t map_limit = 20000;     // squares on the whole map, else bars
    std::size_t list_limit = 100;      // rows per list, then "and N more"
    int contact_days = 14;             // the contact plan's horizon
    std::size_t scatter_limit = 5000;  // marks on the scatter, else bins
    bool script = true;                // the small sorting/filtering script
};

// Parses the options JSON. Throws ParseError (not JSON) or ConfigError naming
// the key ("report options: \"ownr\": unknown key"), like the configuration.
Options parse_options(std::string_view json);

// The languages with a built-in label table, and whether `key` is a label.
std::vector<std::string> languages();
bool is_label(std::string_view key);

inline constexpr std::uint32_t kNoRep = UINT32_MAX;

// One account's result as the engine worked it out (Portfolio::result()),
// with what the page says about the account itself.
struct Account {
    AccountIdx index = 0;           // the portfolio's number (for movers)
    std::uint32_t rep = kNoRep;     // into Input::reps
    std::size_t id_at = 0, name_at = 0;  // into Input::text
    std::uint32_t id_len = 0, name_len = 0;
    Money annual = 0, prior = 0, potential = 0;
    Day next_contact = 0;
    std::int32_t overdue_days = 0;
    std::int32_t profile = -1;  // the portfolio's profile number (for peers)
    std::uint32_t peers = 0;
    std::int16_t temperature = 0;
    std::int16_t decline_pct = 0;
    Tier tier = TierD;
    Colour colour = Grey;
    bool escalate = false, declining = false;
};

// An escalation listed on the page: the account's canonical result as the
// engine renders it (its reasons and actions are turned into sentences), and
// the look-alike peers that buy most (name, annual revenue).
struct Escalation {
    std::size_t account = 0;  // into Input::accounts
    std::string result_json;
    std::vector<std::pair<std::string, Money>> top_peers;
};

// The same account as of the earlier date of the movers.
struct Earlier {
    std::size_t account = 0;  // into Input::accounts
    Tier tier = TierD;
    Colour colour = Grey;
    int temperature = 0;
};

struct Input {
    std::string version;
    Day as_of = 0;
    std::size_t portfolio_accounts = 0;  // every account, whatever the owner filter
    // The benchmark and the policy's numbers the page quotes (legend, rules).
    Money benchmark = 0;
    BenchmarkMethod benchmark_method = BenchmarkMethod::Percentile;
    double benchmark_percentile = 0;
    int benchmark_top_n = 0;
    int window_days = 0;
    double tier_a = 0, tier_b = 0;
    std::array<int, 4> colour_floors{};
    std::array<std::string, 4> channels;  // by tier, as results carry them
    double decline_threshold = 0;
    std::array<std::string, 3> feedback_questions;

    std::vector<std::string> reps;       // every owner, sorted
    std::optional<std::uint32_t> only;   // the rep of options.owner
    std::vector<Account> accounts;       // those the page covers
    std::string text;                    // their ids and names

    std::vector<Escalation> escalations;  // the listed ones, in page order
    std::size_t escalations_total = 0;

    std::string peer_groups_json;  // crmtier_engine_peer_groups()

    std::optional<Day> since;
    std::vector<Earlier> earlier;  // every covered account, when since is set

    std::string_view id(const Account& a) const { return std::string_view(text).substr(a.id_at, a.id_len); }
    std::string_view name(const Account& a) const { return std::string_view(text).substr(a.name_at, a.name_len); }
};

// Under the engine's shared lock. `peer_groups`: the portfolio's peer groups
// when the caller has them already (peer_groups_json() of this very state),
// else they are worked out. Throws NotFoundError when options.owner owns no
// account, ConfigError when options.since is not before the as-of date.
Input gather(const Portfolio& portfolio, const Options& options, std::optional<std::string> peer_groups = {});

// Fills input.earlier from `earlier`: a private copy of the same portfolio
// whose as-of date was set to input.since.
void gather_movers(const Portfolio& earlier, Input& input);

// The page. Deterministic: the same input and options give the same bytes.
std::string render(const Input& input, const Options& options);

// crmtier_engine_report(): the page of `engine`'s current state, `options`
// the options object's text. gather() under the engine's shared lock (the
// peer groups of an unchanged engine reused), render() outside it.
std::string page(const Engine& engine, std::string_view options);

}  // namespace crmtier::report
