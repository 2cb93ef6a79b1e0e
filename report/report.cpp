// crmtier_engine_report(): the page of an engine's current state. The seam
// with the core is Engine::read() (one consistent state under the shared
// lock) and the peer groups the engine remembers by sequence number.
#include <chrono>
#include <memory>
#include <optional>
#include <utility>

#include "plugin/engine.hpp"
#include "report/report.hpp"

namespace crmtier::report {

std::string page(const Engine& engine, std::string_view options_text) {
    using Clock = std::chrono::steady_clock;
    const auto ms_since = [](Clock::time_point t) {
        return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
    };
    const Options opts = parse_options(options_text);
    Input input;
    std::unique_ptr<Portfolio> earlier;
    const auto start = Clock::now();
    engine.read([&](const Portfolio& portfolio) {
        const std::uint64_t seq = portfolio.seq();
        std::optional<std::string> groups = engine.remembered_peer_groups(seq);
        const bool known = groups.has_value();
        input = gather(portfolio, opts, std::move(groups));
        if (!known) engine.remember_peer_groups(seq, input.peer_groups_json);
        // The movers: the same records scored as of the earlier date, in a
        // private copy, so the engine's state and change feed stay as they are.
        if (opts.since) earlier = std::make_unique<Portfolio>(portfolio);
    });
    const double gathered = ms_since(start);
    if (earlier) {
        earlier->set_as_of(*opts.since);
        gather_movers(*earlier, input);
        earlier.reset();
    }
    const double moved = ms_since(start);
    std::string html = render(input, opts);
    engine.log().debug("report of {} accounts: {} bytes; gathered under the lock in {:.1f} ms, movers {:.1f} ms, "
                       "rendered in {:.1f} ms",
                       input.accounts.size(), html.size(), gathered, moved - gathered, ms_since(start) - moved);
    return html;
}

}  // namespace crmtier::report
