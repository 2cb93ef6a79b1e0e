// The page: report/templates/plan.html.mustache filled from an Input. Every
// number, date and flag shown is one the engine returned (Input); this file
// chooses what to show where, in which order, and how it reads: it sorts,
// caps, lays out and words, and decides no rule.
//
// Text goes into the template as plain text and is escaped there by
// html_escape() (report/escape.cpp), the template's escape for every
// {{value}}; the only unescaped values are the library's own style sheet and
// script. Numbers are written by hand (no locale), so the page is the same
// bytes on every machine.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include <boost/archive/iterators/base64_from_binary.hpp>
#include <boost/archive/iterators/transform_width.hpp>
#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include "base/dates.hpp"
#include "base/json_writer.hpp"
#include "base/numbers.hpp"
#include "report/embedded.hpp"
#include "report/escape.hpp"
#include "report/labels.hpp"
#include "report/report.hpp"

namespace crmtier::report {

namespace {

namespace json = boost::json;
namespace ms = kainjow::mustache;
using Data = ms::data;

constexpr std::array<Colour, 6> kColours = {Red, Orange, Yellow, LightBlue, Blue, Grey};
constexpr std::array<Tier, 4> kTiers = {TierA, TierB, TierC, TierD};

// The tiers on the scatter: a shape and a colour each (both, so that no
// reader needs the colour alone). The colours are the dark ends of
// ColorBrewer's PuOr, PRGn and BrBG: apart from the temperature palette.
constexpr std::array<std::string_view, 3> kTierFill = {"#542788", "#1b7837", "#8c510a"};

// The map's squares: 8 px with 2 px between, 20 to a row (a cell of 400 is
// 200 x 200 px); its bars: 200 x 14 px.
constexpr int kPitch = 10, kColumns = 20, kBarWidth = 200;

Data object() { return Data(Data::type::object); }
// A text a section shows only when there is one: Mustache renders a
// section for any string, the empty one included; false hides it.
Data optional(std::string text) { return text.empty() ? Data(false) : Data(std::move(text)); }
Data list() { return Data(Data::type::list); }
// Appends `item` to the list `to` without copying it: kainjow's push_back
// copies, and a row copied into its list, copied into its rep's list, copied
// into the section, was most of the page's time. A placeholder is pushed,
// then the item moved into it (the list's elements are not const objects).
void append(Data& to, Data&& item) {
    to.push_back(Data(false));
    const_cast<Data&>(to.list_value().back()) = std::move(item);
}

std::string to_text(std::int64_t v) {
    char buf[24];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Coordinates: one decimal, fixed notation.
std::string coord(double v) {
    char buf[32];
    const double r = std::round(v * 10.0) / 10.0;
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, r == 0 ? 0.0 : r, std::chars_format::fixed, 1).ptr);
}

// The SHA-256 of the script, in base64, for the Content-Security-Policy.
std::string script_hash() {
    const std::string_view hex = detail::kScriptSha256Hex;
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    using namespace boost::archive::iterators;
    using B64 = base64_from_binary<transform_width<std::string::const_iterator, 6, 8>>;
    std::string out(B64(bytes.begin()), B64(bytes.end()));
    out.append((3 - bytes.size() % 3) % 3, '=');
    return out;
}

// What the sections count and list, in one pass over the accounts (a
// million of them take ~100 MB: every extra pass shows).
struct Tally {
    std::array<std::int64_t, 4> tiers{};
    std::array<std::int64_t, 6> colours{};
    std::int64_t declining = 0, overdue = 0, escalations = 0;
    std::vector<std::uint32_t> reps;  // the reps covered, by name; kNoRep last
    // By rep slot (Page::rep_slot): accounts by tier and colour; the contact
    // plan's overdue and upcoming accounts.
    std::vector<std::array<std::array<std::uint32_t, 6>, 4>> cells;
    std::vector<std::vector<std::size_t>> overdue_of, upcoming_of;
    std::vector<std::size_t> decliners;
    std::vector<std::size_t> plotted;  // potential > 0 (tier D has none)
    double lo_p = 0, hi_p = 0;         // their smallest and largest potential
};

class Page {
public:
    Page(const Input& in, const Options& o) : in_(in), o_(o), l_(o.lang, o.labels) { count_up(); }

    std::string render();

private:
    // --- Words and numbers -------------------------------------------------
    // A whole number with the language's group separator: 12,345.
    std::string count(std::int64_t n) const {
        std::string digits = to_text(n < 0 ? -n : n), out = n < 0 ? "-" : "";
        return out + grouped(digits);
    }
    std::string grouped(std::string_view digits) const {
        std::string out;
        const std::string& sep = l_["number.group"];
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i && (digits.size() - i) % 3 == 0) out += sep;
            out += digits[i];
        }
        return out;
    }
    // A decimal as the engine writes it ("1250.5", "-3.0", "0.8512") as the
    // language writes it ("1,250.5", "-3", "0,8512"; amounts "1,250.50"):
    // grouped, the same digits.
    std::string decimal(std::string_view text, bool amount = false) const {
        std::string out;
        if (!text.empty() && text[0] == '-') {
            out = "-";
            text.remove_prefix(1);
        }
        const std::size_t dot = text.find('.');
        out += grouped(text.substr(0, dot));
        if (dot != std::string_view::npos) {
            // Whole numbers without decimals; amounts with at least two
            // (66,334.60); every digit the engine wrote (12.3456).
            std::string frac(text.substr(dot + 1));
            if (frac.find_first_not_of('0') != std::string::npos) {
                if (amount && frac.size() < 2) frac += '0';
                out += l_["number.decimal"] + frac;
            }
        }
        return out;
    }
    std::string money(Money m) const { return decimal(format_money(m), true); }
    std::string money(const json::value& v) const {  // an amount of a canonical result
        if (v.is_null()) return l_["none"];
        return decimal(fixed(v.to_number<double>()), true);
    }
    std::string number(double v) const { return decimal(fixed(v)); }
    // The shortest fixed-point digits that read back as v (100000, 0.85,
    // 66334.6): the digits the engine wrote, without an exponent.
    static std::string fixed(double v) {
        char buf[400];
        return std::string(buf, std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr);
    }
    std::string percent(std::int64_t n) const { return l_.fill("percent", {{"n", to_text(n)}}); }
    std::string percent_of(double share) const {  // a policy share: 0.2 -> 20%
        return l_.fill("percent", {{"n", number(std::round(share * 1e6) / 1e4)}});
    }
    std::string date(Day d) const { return format_date(d); }
    std::string tier_label(Tier t) const { return l_[std::string("tier.") + tier_letter(t)]; }
    std::string colour_label(std::string_view name) const { return l_["colour." + std::string(name)]; }
    std::string channel_label(std::string_view channel) const {
        const std::string key = "channel." + std::string(channel);
        return l_.has(key) ? l_[key] : std::string(channel);
    }
    std::string rep_label(std::uint32_t rep) const { return rep == kNoRep ? l_["no_owner"] : in_.reps[rep]; }
    std::string rep_value(std::uint32_t rep) const { return rep == kNoRep ? std::string() : in_.reps[rep]; }
    std::string shown_name(const Account& a) const {
        return std::string(a.name_len ? in_.name(a) : in_.id(a));
    }
    std::string more(std::size_t hidden) const { return l_.fill("more", {{"n", count(static_cast<std::int64_t>(hidden))}}); }

    // The fields every row about one account has.
    void account_fields(Data& row, const Account& a) const {
        row["id"] = std::string(in_.id(a));
        row["name"] = shown_name(a);
        row["show_id"] = a.name_len > 0;
        row["rep"] = rep_value(a.rep);
        row["rep_label"] = rep_label(a.rep);
        row["tier"] = std::string(1, tier_letter(a.tier));
        row["hex"] = std::string(colour_hex(a.colour));
        row["colour"] = colour_label(colour_name(a.colour));  // the swatch's words
    }

    std::size_t rep_slot(std::uint32_t rep) const { return rep == kNoRep ? in_.reps.size() : rep; }
    void count_up();

    Data headline() const;
    Data map() const;
    Data scatter() const;
    Data contacts() const;
    Data escalations() const;
    Data decliners() const;
    Data peers() const;
    Data movers() const;
    std::vector<std::string> sentences(const Escalation& e) const;

    const Input& in_;
    const Options& o_;
    Labels l_;
    Tally t_;
};

void Page::count_up() {
    const std::size_t slots = in_.reps.size() + 1;
    t_.cells.assign(slots, {});
    t_.overdue_of.assign(slots, {});
    t_.upcoming_of.assign(slots, {});
    std::vector<bool> seen(slots, false);
    const Day horizon = in_.as_of + o_.contact_days;
    bool first = true;
    for (std::size_t k = 0; k < in_.accounts.size(); ++k) {
        const Account& a = in_.accounts[k];
        const std::size_t slot = rep_slot(a.rep);
        seen[slot] = true;
        ++t_.tiers[a.tier];
        ++t_.colours[a.colour];
        ++t_.cells[slot][a.tier][a.colour];
        t_.escalations += a.escalate;
        if (a.declining) {
            ++t_.declining;
            t_.decliners.push_back(k);
        }
        // The contact plan: overdue ones, then those due within the horizon.
        if (a.overdue_days > 0) {
            ++t_.overdue;
            t_.overdue_of[slot].push_back(k);
        } else if (a.next_contact <= horizon) {
            t_.upcoming_of[slot].push_back(k);
        }
        if (a.potential > 0) {
            const double p = money_to_double(a.potential);
            t_.lo_p = first ? p : std::min(t_.lo_p, p);
            t_.hi_p = first ? p : std::max(t_.hi_p, p);
            first = false;
            t_.plotted.push_back(k);
        }
    }
    for (std::size_t r = 0; r < in_.reps.size(); ++r)
        if (seen[r]) t_.reps.push_back(static_cast<std::uint32_t>(r));
    if (seen[in_.reps.size()]) t_.reps.push_back(kNoRep);
}

Data Page::headline() const {
    const auto& tiers = t_.tiers;
    const auto& colours = t_.colours;
    const std::int64_t declining = t_.declining, overdue = t_.overdue, escalations = t_.escalations;
    Data h = object();
    const auto n = static_cast<std::int64_t>(in_.accounts.size());
    h["accounts"] = count(n);
    h["accounts_raw"] = to_text(n);
    h["benchmark"] = money(in_.benchmark);
    const std::string window = to_text(in_.window_days);
    switch (in_.benchmark_method) {
        case BenchmarkMethod::Percentile:
            h["benchmark_how"] = l_.fill("head.benchmark.percentile",
                                         {{"percentile", number(in_.benchmark_percentile)}, {"window", window}});
            break;
        case BenchmarkMethod::Max: h["benchmark_how"] = l_.fill("head.benchmark.max", {{"window", window}}); break;
        case BenchmarkMethod::TopNMean:
            h["benchmark_how"] =
                l_.fill("head.benchmark.top_n_mean", {{"n", to_text(in_.benchmark_top_n)}, {"window", window}});
            break;
    }
    h["tier_rule"] = l_.fill("head.tier_rule", {{"a", number(in_.tier_a)}, {"b", number(in_.tier_b)}});
    for (const auto& [key, v] : {std::pair{"declining", declining}, {"overdue", overdue}, {"escalations", escalations}}) {
        h[key] = count(v);
        h[std::string(key) + "_raw"] = to_text(v);
    }
    Data t = list();
    for (Tier tier : kTiers) {
        Data x = object();
        x["letter"] = std::string(1, tier_letter(tier));
        x["label"] = tier_label(tier);
        x["n"] = count(tiers[tier]);
        x["n_raw"] = to_text(tiers[tier]);
        append(t, std::move(x));
    }
    h["tiers"] = std::move(t);
    Data c = list();
    for (Colour colour : kColours) {
        Data x = object();
        x["name"] = std::string(colour_name(colour));
        x["label"] = colour_label(colour_name(colour));
        x["hex"] = std::string(colour_hex(colour));
        x["n"] = count(colours[colour]);
        x["n_raw"] = to_text(colours[colour]);
        append(c, std::move(x));
    }
    h["colours"] = std::move(c);
    return h;
}

Data Page::map() const {
    Data m = object();
    // The legend: the five bands of the policy's floors, grey, and the mark
    // of an escalation.
    Data legend = list();
    const auto& f = in_.colour_floors;
    const std::string bands[5] = {
        l_.fill("legend.from", {{"from", to_text(f[0])}}),
        l_.fill("legend.range", {{"from", to_text(f[1])}, {"to", to_text(f[0] - 1)}}),
        l_.fill("legend.range", {{"from", to_text(f[2])}, {"to", to_text(f[1] - 1)}}),
        l_.fill("legend.range", {{"from", to_text(f[3])}, {"to", to_text(f[2] - 1)}}),
        l_.fill("legend.below", {{"to", to_text(f[3])}}),
    };
    for (Colour c : kColours) {
        Data x = object();
        x["name"] = std::string(colour_name(c));
        x["hex"] = std::string(colour_hex(c));
        x["outlined"] = false;
        x["text"] = colour_label(colour_name(c)) + ": " + (c == Grey ? l_["legend.grey"] : bands[c]);
        append(legend, std::move(x));
    }
    {
        Data x = object();
        x["name"] = "escalation";
        x["hex"] = std::string(colour_hex(Blue));
        x["outlined"] = true;
        x["text"] = l_["legend.escalation"];
        append(legend, std::move(x));
    }
    m["legend"] = std::move(legend);
    m["legend_title"] = l_["legend.title"];
    Data heads = list();
    for (Tier t : kTiers) {
        Data x = object();
        x["text"] = l_.fill("map.tier", {{"tier", tier_label(t)}});
        append(heads, std::move(x));
    }
    m["heads"] = std::move(heads);

    const bool all_bars = in_.accounts.size() > o_.map_limit;
    m["note"] = all_bars ? l_.fill("map.note.bars", {{"n", count(static_cast<std::int64_t>(in_.accounts.size()))},
                                                     {"limit", count(static_cast<std::int64_t>(o_.map_limit))}})
                         : l_.fill("map.note", {{"limit", count(static_cast<std::int64_t>(o_.cell_limit))}});

    // The accounts of the cells drawn as squares (the others need only
    // their counts).
    const auto size_of = [&](std::size_t slot, Tier t) {
        std::size_t n = 0;
        for (std::uint32_t c : t_.cells[slot][t]) n += c;
        return n;
    };
    const auto squares_in = [&](std::size_t slot, Tier t) {
        const std::size_t n = size_of(slot, t);
        return n > 0 && !all_bars && n <= o_.cell_limit;
    };
    std::vector<std::array<std::vector<std::size_t>, 4>> cells(in_.reps.size() + 1);
    if (!all_bars) {
        for (std::size_t k = 0; k < in_.accounts.size(); ++k) {
            const Account& a = in_.accounts[k];
            if (squares_in(rep_slot(a.rep), a.tier)) cells[rep_slot(a.rep)][a.tier].push_back(k);
        }
    }
    Data rows = list();
    for (std::uint32_t rep : t_.reps) {
        Data row = object();
        row["rep"] = rep_value(rep);
        row["rep_label"] = rep_label(rep);
        Data cs = list();
        std::size_t total = 0;
        for (Tier t : kTiers) {
            std::vector<std::size_t>& members = cells[rep_slot(rep)][t];
            const std::size_t n = size_of(rep_slot(rep), t);
            total += n;
            Data cell = object();
            cell["tier"] = std::string(1, tier_letter(t));
            cell["n_raw"] = to_text(static_cast<std::int64_t>(n));
            cell["n"] = n ? count(static_cast<std::int64_t>(n)) : l_["map.empty"];
            cell["drawn"] = n > 0;
            Data squares = list(), bars = list();
            if (squares_in(rep_slot(rep), t)) {
                cell["shape"] = "squares";
                // Hottest first; then by id.
                std::sort(members.begin(), members.end(), [&](std::size_t x, std::size_t y) {
                    const Account &a = in_.accounts[x], &b = in_.accounts[y];
                    if (a.temperature != b.temperature) return a.temperature > b.temperature;
                    return in_.id(a) < in_.id(b);
                });
                const std::size_t columns = std::min<std::size_t>(n, kColumns);
                cell["w"] = to_text(static_cast<std::int64_t>(columns * kPitch));
                cell["h"] = to_text(static_cast<std::int64_t>((n + kColumns - 1) / kColumns * kPitch));
                for (std::size_t i = 0; i < n; ++i) {
                    const Account& a = in_.accounts[members[i]];
                    Data sq = object();
                    sq["x"] = to_text(static_cast<std::int64_t>(i % kColumns * kPitch + 1));
                    sq["y"] = to_text(static_cast<std::int64_t>(i / kColumns * kPitch + 1));
                    sq["hex"] = std::string(colour_hex(a.colour));
                    sq["esc"] = a.escalate;
                    sq["class"] = a.escalate ? "sq esc" : "sq";
                    sq["tip"] = l_.fill("map.square", {{"name", shown_name(a)},
                                                        {"annual", money(a.annual)},
                                                        {"potential", money(a.potential)},
                                                        {"temperature", to_text(a.temperature)},
                                                        {"next", date(a.next_contact)}});
                    append(squares, std::move(sq));
                }
            } else if (n > 0) {
                cell["shape"] = "bar";
                const auto& by_colour = t_.cells[rep_slot(rep)][t];
                cell["w"] = to_text(kBarWidth);
                cell["h"] = "14";
                double x = 0;
                for (Colour c : kColours) {
                    if (!by_colour[c]) continue;
                    const double w = static_cast<double>(kBarWidth) * static_cast<double>(by_colour[c]) / static_cast<double>(n);
                    Data bar = object();
                    bar["x"] = coord(x);
                    bar["bw"] = coord(w);
                    bar["hex"] = std::string(colour_hex(c));
                    bar["name"] = std::string(colour_name(c));
                    bar["n_raw"] = to_text(static_cast<std::int64_t>(by_colour[c]));
                    bar["tip"] = l_.fill("map.bar", {{"colour", colour_label(colour_name(c))},
                                                     {"n", count(static_cast<std::int64_t>(by_colour[c]))}});
                    append(bars, std::move(bar));
                    x += w;
                }
            } else {
                cell["shape"] = "empty";
            }
            cell["aria"] = rep_label(rep) + ", " + l_.fill("map.tier", {{"tier", tier_label(t)}}) + ": " +
                           count(static_cast<std::int64_t>(n));
            cell["squares"] = std::move(squares);
            cell["bars"] = std::move(bars);
            append(cs, std::move(cell));
        }
        row["cells"] = std::move(cs);
        row["total"] = count(static_cast<std::int64_t>(total));
        append(rows, std::move(row));
    }
    m["rows"] = std::move(rows);
    return m;
}

// A tier's mark on the scatter, centred at (x, y), of half-size s.
std::string mark_path(Tier t, double x, double y, double s) {
    switch (t) {
        case TierA:  // a circle
            return "M" + coord(x - s) + " " + coord(y) + "a" + coord(s) + " " + coord(s) + " 0 1 0 " + coord(2 * s) +
                   " 0a" + coord(s) + " " + coord(s) + " 0 1 0 " + coord(-2 * s) + " 0z";
        case TierB:  // a square
            return "M" + coord(x - 0.9 * s) + " " + coord(y - 0.9 * s) + "h" + coord(1.8 * s) + "v" + coord(1.8 * s) +
                   "h" + coord(-1.8 * s) + "z";
        default:  // a triangle
            return "M" + coord(x) + " " + coord(y - 1.1 * s) + "l" + coord(1.1 * s) + " " + coord(1.9 * s) + "h" +
                   coord(-2.2 * s) + "z";
    }
}

// 10^k as the language writes it: 1,000 or 0.01.
std::string power_of_ten(int k) {
    if (k >= 0) return "1" + std::string(static_cast<std::size_t>(k), '0');
    return "0." + std::string(static_cast<std::size_t>(-k - 1), '0') + "1";
}

Data Page::scatter() const {
    constexpr double W = 900, H = 400, left = 64, right = 16, top = 14, bottom = 46;
    const double pw = W - left - right, ph = H - top - bottom;
    Data s = object();
    s["w"] = coord(W);
    s["h"] = coord(H);
    s["left"] = coord(left);
    s["top"] = coord(top);
    s["bottom"] = coord(top + ph);
    s["pw"] = coord(pw);
    s["ph"] = coord(ph);

    const std::vector<std::size_t>& shown = t_.plotted;  // tier D has no potential: not on a log scale
    const double lo_p = t_.lo_p, hi_p = t_.hi_p;
    const std::size_t not_shown = in_.accounts.size() - shown.size();
    int lo = 0, hi = 1;
    if (!shown.empty()) {
        lo = static_cast<int>(std::floor(std::log10(lo_p)));
        hi = static_cast<int>(std::ceil(std::log10(hi_p)));
        if (hi <= lo) hi = lo + 1;
    }
    const auto x_of = [&](double log_p) { return left + (log_p - lo) / (hi - lo) * pw; };
    const auto y_of = [&](double t) { return top + (100.0 - t) / 100.0 * ph; };

    // The colour bands of the policy's floors.
    Data bands = list();
    const auto& f = in_.colour_floors;
    const int upper[5] = {100, f[0], f[1], f[2], f[3]}, lower[5] = {f[0], f[1], f[2], f[3], 0};
    for (int c = 0; c < 5; ++c) {
        if (upper[c] <= lower[c] && c) continue;
        Data b = object();
        b["x"] = coord(left);
        b["y"] = coord(y_of(upper[c]));
        b["bw"] = coord(pw);
        b["bh"] = coord(y_of(lower[c]) - y_of(upper[c]));
        b["hex"] = std::string(colour_hex(static_cast<Colour>(c)));
        append(bands, std::move(b));
    }
    s["bands"] = std::move(bands);
    Data xt = list();
    for (int k = lo; k <= hi; ++k) {
        Data t = object();
        t["x"] = coord(x_of(k));
        t["label_y"] = coord(top + ph + 16);
        t["text"] = decimal(power_of_ten(k));
        append(xt, std::move(t));
    }
    s["xticks"] = std::move(xt);
    Data yt = list();
    std::vector<int> ys = {0, 100, f[0], f[1], f[2], f[3]};
    std::sort(ys.begin(), ys.end());
    ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
    for (int v : ys) {
        Data t = object();
        t["y"] = coord(y_of(v));
        t["label_x"] = coord(left - 6);
        t["text"] = to_text(v);
        append(yt, std::move(t));
    }
    s["yticks"] = std::move(yt);

    // The corner of escalations: tier A (potential from tier_a x benchmark)
    // and blue (temperature under the light-blue floor).
    const std::int64_t escalations = t_.escalations;
    Data corner = list();
    if (in_.benchmark > 0 && !shown.empty()) {
        const double xa = std::clamp(x_of(std::log10(money_to_double(in_.benchmark) * in_.tier_a)), left, left + pw);
        if (xa < left + pw) {
            Data c = object();
            c["x"] = coord(xa);
            c["y"] = coord(y_of(f[3]));
            c["bw"] = coord(left + pw - xa);
            c["bh"] = coord(top + ph - y_of(f[3]));
            c["top"] = coord(top);
            c["bottom"] = coord(top + ph);
            c["label_x"] = coord(left + pw - 4);
            c["label_y"] = coord(y_of(f[3]) - 6);
            c["line_label_x"] = coord(xa + 4);
            c["line_label_y"] = coord(top + 12);
            c["a_line"] = l_["scatter.a_line"];
            c["text"] = l_.fill("scatter.corner", {{"n", count(escalations)}});
            append(corner, std::move(c));
        }
    }
    s["corner"] = std::move(corner);

    Data marks = list();
    const bool binned = shown.size() > o_.scatter_limit;
    if (!binned) {
        // C first, A last (on top); by id within a tier.
        std::vector<std::size_t> order = shown;
        std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
            const Account &a = in_.accounts[x], &b = in_.accounts[y];
            if (a.tier != b.tier) return a.tier > b.tier;
            return in_.id(a) < in_.id(b);
        });
        for (std::size_t k : order) {
            const Account& a = in_.accounts[k];
            Data mk = object();
            mk["tier"] = std::string(1, tier_letter(a.tier));
            mk["d"] = mark_path(a.tier, x_of(std::log10(money_to_double(a.potential))), y_of(a.temperature), 4);
            mk["fill"] = std::string(kTierFill[std::min<int>(a.tier, 2)]);
            mk["tip"] = l_.fill("scatter.mark", {{"name", shown_name(a)},
                                                 {"tier", tier_label(a.tier)},
                                                 {"potential", money(a.potential)},
                                                 {"temperature", to_text(a.temperature)}});
            append(marks, std::move(mk));
        }
    } else {
        // Bins: 45 across the decades of potential, 20 of temperature (5
        // degrees each; 100 joins the last); one mark per tier and bin.
        constexpr int kX = 45, kY = 20;
        std::vector<std::array<std::int64_t, 3>> bins(static_cast<std::size_t>(kX * kY));
        std::int64_t most = 1;
        for (std::size_t k : shown) {
            const Account& a = in_.accounts[k];
            const double u = (std::log10(money_to_double(a.potential)) - lo) / (hi - lo);
            const int bx = std::clamp(static_cast<int>(u * kX), 0, kX - 1);
            const int by = std::clamp(a.temperature / 5, 0, kY - 1);
            auto& n = bins[static_cast<std::size_t>(by * kX + bx)][std::min<int>(a.tier, 2)];
            most = std::max(most, ++n);
        }
        const double bw = pw / kX, bh = ph / kY;
        const auto edge = [&](int bx) {  // a bin's lower edge of potential, shown to 3 digits
            const double v = std::pow(10.0, lo + (hi - lo) * static_cast<double>(bx) / kX);
            if (v >= 100) return count(std::llround(v / std::pow(10.0, std::floor(std::log10(v)) - 2)) *
                                       static_cast<std::int64_t>(std::pow(10.0, std::floor(std::log10(v)) - 2)));
            return number(std::round(v * 100) / 100);
        };
        for (int t = 2; t >= 0; --t)
            for (int by = 0; by < kY; ++by)
                for (int bx = 0; bx < kX; ++bx) {
                    const std::int64_t n = bins[static_cast<std::size_t>(by * kX + bx)][static_cast<std::size_t>(t)];
                    if (!n) continue;
                    const double cx = left + (bx + 0.5 + (t - 1) * 0.28) * bw;
                    const double cy = top + ph - (by + 0.5) * bh;
                    const double size = 1.5 + 5.0 * std::sqrt(static_cast<double>(n) / static_cast<double>(most));
                    const Tier tier = static_cast<Tier>(t);
                    Data mk = object();
                    mk["tier"] = std::string(1, tier_letter(tier));
                    mk["d"] = mark_path(tier, cx, cy, size);
                    mk["fill"] = std::string(kTierFill[static_cast<std::size_t>(t)]);
                    mk["tip"] = l_.fill("scatter.bin", {{"tier", tier_label(tier)},
                                                        {"n", count(n)},
                                                        {"p_from", edge(bx)},
                                                        {"p_to", edge(bx + 1)},
                                                        {"t_from", to_text(by * 5)},
                                                        {"t_to", to_text(by == kY - 1 ? 100 : by * 5 + 4)}});
                    append(marks, std::move(mk));
                }
    }
    s["marks"] = std::move(marks);
    Data legend = list();
    for (Tier t : {TierA, TierB, TierC}) {
        Data x = object();
        x["d"] = mark_path(t, 7, 7, 5);
        x["fill"] = std::string(kTierFill[t]);
        x["text"] = l_.fill("tier", {{"tier", tier_label(t)}});
        append(legend, std::move(x));
    }
    s["tier_legend"] = std::move(legend);
    s["x_label"] = l_["scatter.x"];
    s["x_label_x"] = coord(left + pw / 2);
    s["x_label_y"] = coord(H - 8);
    s["y_label"] = l_["scatter.y"];
    s["y_label_y"] = coord(top + ph / 2);
    s["aria"] = l_["section.scatter"];
    std::string note = l_.fill("scatter.note", {{"d", count(static_cast<std::int64_t>(not_shown))}});
    if (binned) note += " " + l_.fill("scatter.binned", {{"n", count(static_cast<std::int64_t>(shown.size()))}});
    s["note"] = note;
    return s;
}

Data Page::contacts() const {
    Data c = object();
    const std::string days = to_text(o_.contact_days);
    Data reps = list();
    for (std::uint32_t rep : t_.reps) {
        std::vector<std::size_t> od = t_.overdue_of[rep_slot(rep)];
        std::vector<std::size_t> up = t_.upcoming_of[rep_slot(rep)];
        if (od.empty() && up.empty()) continue;
        // Most overdue first; then the soonest, A before B...; then by id.
        const auto first = [&](std::vector<std::size_t>& v, auto&& before) {
            const auto end = v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), o_.list_limit));
            std::partial_sort(v.begin(), end, v.end(), [&](std::size_t x, std::size_t y) {
                const Account &a = in_.accounts[x], &b = in_.accounts[y];
                if (const int c = before(a, b)) return c < 0;
                if (a.tier != b.tier) return a.tier < b.tier;
                return in_.id(a) < in_.id(b);
            });
        };
        first(od, [](const Account& a, const Account& b) { return b.overdue_days - a.overdue_days; });
        first(up, [](const Account& a, const Account& b) { return a.next_contact - b.next_contact; });
        Data r = object();
        r["rep"] = rep_value(rep);
        r["rep_label"] = rep_label(rep);
        r["summary"] = l_.fill("contacts.summary", {{"overdue", count(static_cast<std::int64_t>(od.size()))},
                                                    {"upcoming", count(static_cast<std::int64_t>(up.size()))},
                                                    {"days", days}});
        Data lists = list();
        for (const auto& [kind, members] : {std::pair<std::string_view, const std::vector<std::size_t>*>{"overdue", &od},
                                            {"upcoming", &up}}) {
            if (members->empty()) continue;
            Data l = object();
            l["kind"] = std::string(kind);
            l["heading"] = kind == "overdue" ? l_["contacts.overdue"] : l_.fill("contacts.upcoming", {{"days", days}});
            Data rows = list();
            const std::size_t shown = std::min(members->size(), o_.list_limit);
            for (std::size_t i = 0; i < shown; ++i) {
                const Account& a = in_.accounts[(*members)[i]];
                Data row = object();
                account_fields(row, a);
                row["channel"] = channel_label(in_.channels[a.tier]);
                row["date"] = date(a.next_contact);
                row["overdue_raw"] = to_text(a.overdue_days);
                row["overdue"] = a.overdue_days ? count(a.overdue_days) : std::string();
                append(rows, std::move(row));
            }
            l["rows"] = std::move(rows);
            l["more"] = optional(members->size() > shown ? more(members->size() - shown) : std::string());
            append(lists, std::move(l));
        }
        r["lists"] = std::move(lists);
        append(reps, std::move(r));
    }
    c["none"] = optional(reps.is_empty_list() ? l_.fill("contacts.none", {{"days", days}}) : std::string());
    c["reps"] = std::move(reps);
    return c;
}

const json::object* reason(const json::array& reasons, std::string_view code) {
    for (const auto& r : reasons)
        if (const auto* o = r.if_object(); o && o->contains("code") && o->at("code").as_string() == code) return o;
    throw std::logic_error("report: a result without the reason " + std::string(code));
}

std::string_view str(const json::value& v) { return std::string_view(v.as_string().data(), v.as_string().size()); }

// An escalation in sentences, from its canonical result's reasons and actions.
std::vector<std::string> Page::sentences(const Escalation& e) const {
    const json::value result = json::parse(e.result_json);
    const json::object& r = result.as_object();
    const json::array& reasons = r.at("reasons").as_array();
    const json::object& pot = *reason(reasons, "potential");
    const json::object& tier = *reason(reasons, "tier");
    const json::object& temp = *reason(reasons, "temperature");
    const json::object& cad = *reason(reasons, "cadence");
    std::vector<std::string> out;
    out.push_back(l_.fill("esc.revenue", {{"annual", money(pot.at("annual_revenue"))},
                                          {"prior", money(pot.at("prior_revenue"))},
                                          {"temperature", to_text(temp.at("value").to_number<std::int64_t>())},
                                          {"colour", colour_label(str(temp.at("colour")))}}));
    out.push_back(l_.fill("esc.potential." + std::string(str(pot.at("source"))), {{"potential", money(pot.at("value"))}}));
    out.push_back(l_.fill("esc.tier", {{"ratio", number(tier.at("ratio").to_number<double>())},
                                       {"benchmark", money(tier.at("benchmark"))},
                                       {"floor", number(tier.at("floors").at("A").to_number<double>())}}));
    std::string profile;
    for (const auto& [attr, value] : pot.at("profile").as_object()) {
        if (!profile.empty()) profile += ", ";
        const std::string key = "attr." + std::string(attr);
        profile += (l_.has(key) ? l_[key] : std::string(attr)) + " " +
                   (value.is_string() ? std::string(str(value)) : l_["attr.missing"]);
    }
    const std::string peers = to_text(pot.at("peers").to_number<std::int64_t>());
    if (!pot.at("profile_complete").as_bool()) {
        out.push_back(l_.fill("esc.profile_incomplete", {{"profile", profile}}));
    } else if (!pot.at("lookalike_revenue").is_null()) {
        out.push_back(l_.fill("esc.peers", {{"profile", profile}, {"peers", peers},
                                            {"lookalike", money(pot.at("lookalike_revenue"))}}));
    } else {
        out.push_back(l_.fill("esc.peers_few", {{"profile", profile}, {"peers", peers},
                                                {"min_peers", to_text(pot.at("min_peers").to_number<std::int64_t>())}}));
    }
    if (!e.top_peers.empty()) {
        std::string names;
        for (const auto& [name, annual] : e.top_peers)
            names += (names.empty() ? "" : ", ") + name + " (" + money(annual) + ")";
        out.push_back(l_.fill("esc.examples", {{"names", names}}));
    }
    for (const auto& a : r.at("actions").as_array())
        if (str(a.at("action")) == "rethink_approach") out.push_back(l_["esc.action"]);
    const std::int64_t overdue = cad.at("overdue_days").to_number<std::int64_t>();
    const std::string channel = channel_label(str(cad.at("channel")));
    if (overdue > 0)
        out.push_back(l_.fill("esc.contact_overdue",
                              {{"date", std::string(str(cad.at("next_contact")))}, {"channel", channel}, {"days", count(overdue)}}));
    else
        out.push_back(l_.fill("esc.contact", {{"date", std::string(str(cad.at("next_contact")))}, {"channel", channel}}));
    return out;
}

Data Page::escalations() const {
    Data e = object();
    Data items = list();
    for (const Escalation& x : in_.escalations) {
        const Account& a = in_.accounts[x.account];
        Data item = object();
        account_fields(item, a);
        Data ss = list();
        for (const std::string& s : sentences(x)) {
            Data t = object();
            t["text"] = s;
            append(ss, std::move(t));
        }
        item["sentences"] = std::move(ss);
        append(items, std::move(item));
    }
    e["none"] = optional(in_.escalations_total ? std::string() : l_["esc.none"]);
    e["items"] = std::move(items);
    e["more"] = optional(in_.escalations_total > in_.escalations.size()
                             ? more(in_.escalations_total - in_.escalations.size())
                             : std::string());
    return e;
}

Data Page::decliners() const {
    Data d = object();
    std::vector<std::size_t> rows = t_.decliners;
    const std::string threshold = percent_of(in_.decline_threshold);
    d["summary"] = rows.empty() ? l_.fill("dec.none", {{"threshold", threshold}})
                                : l_.fill("dec.summary", {{"n", count(static_cast<std::int64_t>(rows.size()))},
                                                          {"threshold", threshold}});
    d["any"] = !rows.empty();
    d["intro"] = l_["dec.intro"];
    Data qs = list();
    for (std::size_t q = 0; q < 3; ++q) {
        const std::string& label = l_["question." + to_text(static_cast<std::int64_t>(q + 1))];
        Data x = object();
        x["text"] = label.empty() ? in_.feedback_questions[q] : label;  // empty: the engine's own words
        append(qs, std::move(x));
    }
    d["questions"] = std::move(qs);
    // The most revenue lost first; then the steepest decline; then by id.
    const std::size_t shown = std::min(rows.size(), o_.list_limit);
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown), rows.end(),
                      [&](std::size_t x, std::size_t y) {
                          const Account &a = in_.accounts[x], &b = in_.accounts[y];
                          if (a.prior - a.annual != b.prior - b.annual) return a.prior - a.annual > b.prior - b.annual;
                          if (a.decline_pct != b.decline_pct) return a.decline_pct > b.decline_pct;
                          return in_.id(a) < in_.id(b);
                      });
    Data list_rows = list();
    for (std::size_t i = 0; i < shown; ++i) {
        const Account& a = in_.accounts[rows[i]];
        Data row = object();
        account_fields(row, a);
        row["annual"] = money(a.annual);
        row["annual_raw"] = format_money(a.annual);
        row["prior"] = money(a.prior);
        row["prior_raw"] = format_money(a.prior);
        row["pct"] = percent(a.decline_pct);
        row["pct_raw"] = to_text(a.decline_pct);
        row["next"] = date(a.next_contact) + ", " + channel_label(in_.channels[a.tier]);
        append(list_rows, std::move(row));
    }
    d["rows"] = std::move(list_rows);
    d["more"] = optional(rows.size() > shown ? more(rows.size() - shown) : std::string());
    return d;
}

Data Page::peers() const {
    Data p = object();
    const json::value v = json::parse(in_.peer_groups_json);
    const json::object& root = v.as_object();
    const std::string only = in_.only ? in_.reps[*in_.only] : std::string();
    Data groups = list();
    std::size_t hidden = 0;
    for (const auto& gv : root.at("groups").as_array()) {
        const json::object& g = gv.as_object();
        const json::array& members = g.at("members").as_array();
        if (in_.only && std::none_of(members.begin(), members.end(), [&](const json::value& m) { return str(m) == only; })) {
            ++hidden;
            continue;
        }
        const json::value& presenter = g.at("presenter");
        const std::string presenter_rep = presenter.is_object() ? std::string(str(presenter.at("rep"))) : std::string();
        Data group = object();
        group["heading"] = l_.fill("peers.group", {{"n", to_text(g.at("group").to_number<std::int64_t>())}});
        group["similarity"] = l_.fill("peers.similarity", {{"s", number(g.at("similarity").to_number<double>())}});
        Data ms = list();
        for (std::size_t i = 0; i < members.size(); ++i) {
            Data m = object();
            m["name"] = std::string(str(members[i]));
            m["presents"] = str(members[i]) == presenter_rep && !presenter_rep.empty();
            m["last"] = i + 1 == members.size();
            append(ms, std::move(m));
        }
        group["members"] = std::move(ms);
        const json::object& shared = g.at("shared").as_object();
        std::string parts;
        for (const auto& [key, label] : {std::pair{"product_categories", "peers.products"},
                                         {"industries", "peers.industries"},
                                         {"tiers", "peers.tiers"}}) {
            const json::array& items = shared.at(key).as_array();
            if (items.empty()) continue;
            std::string joined;
            for (const auto& x : items) joined += (joined.empty() ? "" : ", ") + std::string(str(x));
            parts += (parts.empty() ? "" : "; ") + l_.fill(label, {{"list", joined}});
        }
        group["shared"] = l_.fill("peers.shared", {{"list", parts.empty() ? l_["peers.nothing_shared"] : parts}});
        group["presenter"] =
            presenter.is_object()
                ? l_.fill("peers.presenter", {{"rep", presenter_rep},
                                              {"n", to_text(presenter.at("a_accounts").to_number<std::int64_t>())},
                                              {"t", number(presenter.at("a_mean_temperature").to_number<double>())}})
                : l_["peers.no_presenter"];
        group["small"] = optional(
            g.at("below_min_size").as_bool()
                ? l_.fill("peers.small", {{"min", to_text(root.at("min_size").to_number<std::int64_t>())}})
                : std::string());
        append(groups, std::move(group));
    }
    p["none"] = optional(groups.is_empty_list() && !hidden ? l_["peers.none"] : std::string());
    p["groups"] = std::move(groups);
    p["hidden"] = optional(
        hidden ? l_.fill("peers.hidden", {{"rep", only}, {"n", to_text(static_cast<std::int64_t>(hidden))}})
               : std::string());
    return p;
}

Data Page::movers() const {
    Data m = object();
    const std::string since = date(*in_.since);
    m["heading"] = l_.fill("section.movers", {{"since", since}});
    m["note"] = l_["movers.note"];
    m["then_head"] = l_.fill("col.then", {{"date", since}});
    m["now_head"] = l_.fill("col.now", {{"date", date(in_.as_of)}});
    // Warmed or cooled: the colour moved (red the hottest, grey the coldest);
    // else the tier moved up or down.
    enum Change { Cooled, Down, Up, Warmed };
    const auto change_of = [&](const Earlier& e) {
        const Account& a = in_.accounts[e.account];
        if (a.colour != e.colour) return a.colour < e.colour ? Warmed : Cooled;
        return a.tier < e.tier ? Up : Down;
    };
    std::array<std::int64_t, 4> counts{};
    std::vector<const Earlier*> rows;
    for (const Earlier& e : in_.earlier) {
        ++counts[change_of(e)];
        rows.push_back(&e);
    }
    m["summary"] = rows.empty() ? l_.fill("movers.none", {{"since", since}})
                                : l_.fill("movers.summary", {{"n", count(static_cast<std::int64_t>(rows.size()))},
                                                             {"warmed", count(counts[Warmed])},
                                                             {"cooled", count(counts[Cooled])},
                                                             {"up", count(counts[Up])},
                                                             {"down", count(counts[Down])}});
    m["any"] = !rows.empty();
    // Cooled first (they need attention), then down, up, warmed; the largest
    // potential first; then by id.
    const std::size_t shown = std::min(rows.size(), o_.list_limit);
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown), rows.end(),
                      [&](const Earlier* x, const Earlier* y) {
                          const Change cx = change_of(*x), cy = change_of(*y);
                          if (cx != cy) return cx < cy;
                          const Account &a = in_.accounts[x->account], &b = in_.accounts[y->account];
                          if (a.potential != b.potential) return a.potential > b.potential;
                          return in_.id(a) < in_.id(b);
                      });
    static constexpr std::string_view kChangeKey[] = {"movers.cooled", "movers.down", "movers.up", "movers.warmed"};
    static constexpr std::string_view kChangeRaw[] = {"cooled", "down", "up", "warmed"};
    Data list_rows = list();
    for (std::size_t i = 0; i < shown; ++i) {
        const Earlier& e = *rows[i];
        const Account& a = in_.accounts[e.account];
        Data row = object();
        account_fields(row, a);
        const Change c = change_of(e);
        row["change"] = l_[kChangeKey[c]];
        row["change_raw"] = std::string(kChangeRaw[c]);
        row["then_tier"] = std::string(1, tier_letter(e.tier));
        row["then_hex"] = std::string(colour_hex(e.colour));
        row["then_text"] = colour_label(colour_name(e.colour)) + ", " + to_text(e.temperature);
        row["now_tier"] = std::string(1, tier_letter(a.tier));
        row["now_hex"] = std::string(colour_hex(a.colour));
        row["now_text"] = colour_label(colour_name(a.colour)) + ", " + to_text(a.temperature);
        append(list_rows, std::move(row));
    }
    m["rows"] = std::move(list_rows);
    m["more"] = optional(rows.size() > shown ? more(rows.size() - shown) : std::string());
    return m;
}

std::string Page::render() {
    Data d = object();
    d["lang"] = o_.lang;
    d["version"] = in_.version;
    d["title"] = o_.title ? *o_.title : l_["title"];
    d["subtitle"] = in_.only ? l_.fill("subtitle.rep", {{"rep", in_.reps[*in_.only]}, {"as_of", date(in_.as_of)}})
                             : l_.fill("subtitle", {{"as_of", date(in_.as_of)}});
    d["as_of"] = date(in_.as_of);
    d["csp"] = std::string("default-src 'none'; style-src 'unsafe-inline'; script-src ") +
               (o_.script ? "'sha256-" + script_hash() + "'" : std::string("'none'")) +
               "; base-uri 'none'; form-action 'none'";
    d["css_raw"] = std::string(embedded("templates/plan.css"));
    d["script_raw"] = optional(o_.script ? std::string(embedded("templates/plan.js")) : std::string());

    Data l = object();
    for (const auto& [key, label] : {
             std::pair{"nav", "nav"}, {"headline", "section.headline"}, {"as_of", "head.as_of"},
             {"accounts", "head.accounts"}, {"benchmark", "head.benchmark"}, {"declining", "head.declining"},
             {"overdue", "head.overdue"}, {"escalations", "head.escalations"}, {"tiers", "head.tiers"},
             {"colours", "head.colours"}, {"map", "section.map"}, {"rep", "map.rep"}, {"total", "map.total"},
             {"scatter", "section.scatter"}, {"contacts", "section.contacts"}, {"account", "col.account"},
             {"tier", "col.tier"}, {"channel", "col.channel"}, {"date", "col.date"}, {"overdue_days", "col.overdue"},
             {"escalations_section", "section.escalations"}, {"decliners", "section.decliners"},
             {"revenue", "col.revenue"}, {"prior", "col.prior"}, {"decline", "col.decline"}, {"next", "col.next"},
             {"peers", "section.peers"}, {"change", "col.change"}})
        l[key] = l_[label];
    d["l"] = std::move(l);

    Data nav = list();
    const auto link = [&](std::string_view anchor, std::string text) {
        Data a = object();
        a["anchor"] = std::string(anchor);
        a["text"] = std::move(text);
        append(nav, std::move(a));
    };
    link("headline", l_["section.headline"]);
    link("map", l_["section.map"]);
    link("scatter", l_["section.scatter"]);
    link("contacts", l_["section.contacts"]);
    link("escalations", l_["section.escalations"]);
    link("decliners", l_["section.decliners"]);
    link("peers", l_["section.peers"]);
    if (in_.since) link("movers", l_.fill("section.movers", {{"since", date(*in_.since)}}));
    d["nav"] = std::move(nav);

    Data filter = list();
    const std::vector<std::uint32_t>& reps = t_.reps;
    if (o_.script && !in_.only && reps.size() > 1) {
        Data f = object();
        f["label"] = l_["filter.rep"];
        f["all"] = l_["filter.all"];
        f["hint"] = l_["sort.hint"];
        Data options = list();
        for (std::uint32_t r : reps) {
            if (r == kNoRep) continue;
            Data x = object();
            x["value"] = in_.reps[r];
            x["text"] = in_.reps[r];
            append(options, std::move(x));
        }
        f["reps"] = std::move(options);
        append(filter, std::move(f));
    }
    d["filter"] = std::move(filter);

    d["head"] = headline();
    d["map"] = map();
    d["scatter"] = scatter();
    d["contacts"] = contacts();
    d["escalations"] = escalations();
    d["decliners"] = decliners();
    d["peers"] = peers();
    if (in_.since) d["movers"] = movers();
    else d["movers"] = false;
    d["footer"] = l_.fill("footer", {{"version", in_.version}, {"as_of", date(in_.as_of)}});

    ms::mustache tmpl{std::string(embedded("templates/plan.html.mustache"))};
    if (!tmpl.is_valid()) throw std::logic_error("report: the page template: " + tmpl.error_message());
    tmpl.set_custom_escape([](const std::string& s) { return html_escape(s); });
    std::string out;
    out.reserve(1 << 16);
    tmpl.render(d, [&out](const std::string& s) { out += s; });
    if (!tmpl.is_valid()) throw std::logic_error("report: rendering the page: " + tmpl.error_message());
    return out;
}

}  // namespace

std::string render(const Input& input, const Options& options) {
    Page page(input, options);
    return page.render();
}

}  // namespace crmtier::report
