// report.core: the sales plan page through the C++ engine, on the hand-made
// portfolio of tests/report/handmade.jsonl, whose results are worked out by
// hand below (as of 2026-11-30, default policy):
//
//   payers' R: 100000 90000 50000 46000 20000 10000 8000 5000 2000 1000 (and
//   A2's 10000): 11 payers, the 95th percentile is rank ceil(10.45) = 11, the
//   largest: benchmark 100000. Every industry differs: no look-alikes.
//
//   id  owner  R       P       potential p     tier temp colour  declining  next        overdue
//   A1  alice  100000  0       100000    1.00  A    100  red     -          2026-10-31  30
//   A2  alice  10000   100000  100000    1.00  A    10   blue    90 %       2026-12-20  0   escalation
//   A3  alice  50000   0       50000     0.50  B    100  red     -          2026-12-04  0
//   A4  alice  0       0       0         0     D    0    grey    -          2026-11-30  0 (no contact yet)
//   B1  bob    90000   0       90000     0.90  A    100  red     -          2026-12-10  0
//   B2  bob    20000   0       20000     0.20  C    100  red     -          2026-10-30  31
//   B3  bob    30000   60000   60000     0.60  B    50   yellow  50 %       2026-08-30  92
//   B4  bob    5000    10000   10000     0.10  C    50   yellow  50 %       2027-01-30  0   (a hostile name)
//   C1  carol  46000   0       46000     0.46  B    100  red     -          2027-02-27  0
//   C2  carol  1000    85000   85000     0.85  A    1    blue    99 %       2026-12-05  0   escalation
//   C3  carol  2000    0       2000      0.02  C    100  red     -          2026-05-30  184
//   C4  carol  0       3000    3000      0.03  C    0    blue    100 %      2026-12-14  0
//   N1  -      8000    0       8000      0.08  C    100  red     -          2026-11-30  0
//
// (carol is "<b>carol</b>".) Tiers A 4, B 3, C 5, D 1; colours red 7,
// yellow 2, blue 3, grey 1; 2 escalations, 5 declining, 4 overdue; due in
// the next 14 days (to 2026-12-14): A3, A4, B1, C2, C4, N1.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>

#include "plugin/engine.hpp"
#include "base/errors.hpp"
#include "base/parallel.hpp"
#include "plugin/peer_groups.hpp"
#include "plugin/render.hpp"
#include "report/escape.hpp"
#include "report/labels.hpp"
#include "abi/engine_handle.hpp"
#include "report/report.hpp"

namespace report = crmtier::report;

namespace {

// The engine as the C functions hold it (abi/engine_handle.hpp), with the
// calls of theirs this test makes.
class Engine {
public:
    explicit Engine(std::string_view config) : h_(config) {}
    void load(std::string_view adapter, std::string_view text) { h_.load(h_.adapter(adapter), text); }
    void save(std::string_view adapter, std::string_view text, std::string* result) {
        crmtier::RecordBatch batch;
        h_.save(h_.adapter(adapter), text, batch, result);
    }
    std::string result(std::string_view adapter, std::string_view id) const {
        std::string out;
        if (!h_.core().result(id, h_.adapter(adapter), out)) throw std::runtime_error("no account");
        return out;
    }
    std::string report(std::string_view options) const { return report::page(h_.core(), options); }
    std::uint64_t sequence() const { return h_.core().sequence(); }
    std::string changes(std::uint64_t since) const { return h_.core().changes(since); }
    std::string stats() const { return h_.core().stats("test"); }
    template <class Fn>
    decltype(auto) read(Fn&& fn) const { return h_.core().read(std::forward<Fn>(fn)); }

private:
    crmtier::EngineHandle h_;
};

std::string handmade() {
    std::ifstream in(CRMTIER_REPORT_HANDMADE, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::unique_ptr<Engine> loaded(const std::string& text = handmade()) {
    auto e = std::make_unique<Engine>(R"({"as_of":"2026-11-30"})");
    e->load("canonical", text);
    return e;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// The value of data-value="..." on the element with data-stat="name".
std::string stat(const std::string& page, const std::string& name) {
    const std::string key = "data-stat=\"" + name + "\" data-value=\"";
    const std::size_t at = page.find(key);
    REQUIRE(at != std::string::npos);
    return page.substr(at + key.size(), page.find('"', at + key.size()) - at - key.size());
}

// Every value of the attribute `name` on the page.
std::vector<std::string> attributes(const std::string& page, const std::string& name) {
    std::vector<std::string> out;
    const std::string key = " " + name + "=\"";
    for (std::size_t at = page.find(key); at != std::string::npos; at = page.find(key, at + 1)) {
        const std::size_t from = at + key.size();
        out.push_back(page.substr(from, page.find('"', from) - from));
    }
    return out;
}

template <class E>
std::string fails(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    FAIL("no exception");
    return {};
}

}  // namespace

TEST_CASE("options: defaults, every key, and errors that name the key", "[report]") {
    const report::Options d = report::parse_options("{}");
    CHECK(!d.owner);
    CHECK(!d.title);
    CHECK(d.lang == "en");
    CHECK(d.labels.empty());
    CHECK(!d.since);
    CHECK(d.cell_limit == 400);
    CHECK(d.map_limit == 20000);
    CHECK(d.list_limit == 100);
    CHECK(d.contact_days == 14);
    CHECK(d.scatter_limit == 5000);
    CHECK(d.script);

    const report::Options o = report::parse_options(
        R"({"owner":"rep-7","title":"Q4","lang":"ru","labels":{"title":"Plan"},"since":"2026-10-31",)"
        R"("cell_limit":10,"map_limit":20,"list_limit":30,"contact_days":7,"scatter_limit":40,"script":false})");
    CHECK(*o.owner == "rep-7");
    CHECK(*o.title == "Q4");
    CHECK(o.lang == "ru");
    REQUIRE(o.labels.size() == 1);
    CHECK(o.labels[0] == std::pair<std::string, std::string>{"title", "Plan"});
    CHECK(crmtier::format_date(*o.since) == "2026-10-31");
    CHECK(o.cell_limit == 10);
    CHECK(o.map_limit == 20);
    CHECK(o.list_limit == 30);
    CHECK(o.contact_days == 7);
    CHECK(o.scatter_limit == 40);
    CHECK(!o.script);
    CHECK(!report::parse_options(R"({"owner":null,"since":null})").owner);

    using crmtier::ConfigError;
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"ownr":"x"})"); }) ==
          "report options: \"ownr\": unknown key");
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"labels":{"titel":"x"}})"); }) ==
          "report options: \"labels.titel\": unknown label (docs/report.md lists them)");
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"lang":"de"})"); }).find("\"lang\": no labels for \"de\"") !=
          std::string::npos);
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"since":"2026-02-30"})"); }).find("report options: \"since\"") == 0);
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"list_limit":0})"); }) ==
          "report options: \"list_limit\": must be between 1 and 1000000");
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"owner":""})"); }) ==
          "report options: \"owner\": expected a non-empty string");
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"script":1})"); }) ==
          "report options: \"script\": expected true or false");
    CHECK(fails<ConfigError>([] { report::parse_options(R"({"owner":"a","owner":"b"})"); }) ==
          "report options: \"owner\": duplicate key (it appears twice)");
    CHECK(fails<ConfigError>([] { report::parse_options("[]"); }) == "report options: expected a JSON object");
    CHECK(fails<crmtier::ParseError>([] { report::parse_options("{"); }).find("report options: ") == 0);
}

TEST_CASE("html_escape: markup, quotes, controls, broken UTF-8 and noncharacters", "[report]") {
    CHECK(report::html_escape("<script>alert(1)</script><img src=x onerror=alert(2)>") ==
          "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;");
    CHECK(report::html_escape(R"(a "b" & 'c')") == "a &quot;b&quot; &amp; &#39;c&#39;");
    CHECK(report::html_escape("Müller Ж 東京") == "Müller Ж 東京");
    CHECK(report::html_escape(std::string("a\0b\x01\x7f\tc\nd\re", 11)) ==
          "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD\tc\nd e");
    CHECK(report::html_escape("\xC2\x85") == "\xEF\xBF\xBD");                        // U+0085, a C1 control
    CHECK(report::html_escape("x\xFFy\xC3") == "x\xEF\xBF\xBDy\xEF\xBF\xBD");        // not UTF-8
    CHECK(report::html_escape("\xEF\xB7\x90\xEF\xBF\xBE") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FDD0, U+FFFE
}

TEST_CASE("labels: every language has the reference table's keys; fill() puts values in", "[report]") {
    const auto langs = report::languages();
    REQUIRE(langs == std::vector<std::string>{"en", "ru"});
    const report::Labels en("en", {}), ru("ru", {});
    for (const char* key : {"title", "section.map", "esc.action", "more", "question.1"}) {
        CHECK(en.has(key));
        CHECK(ru.has(key));
    }
    CHECK(ru["title"] == "План продаж");
    CHECK(en.fill("more", {{"n", "3"}}) == "… and 3 more");
    CHECK(ru.fill("more", {{"n", "3"}}) == "… и ещё 3");
    CHECK(en.fill("map.tier", {{"tier", "A"}, {"unused", "x"}}) == "Tier A");
    const report::Labels custom("en", {{"more", "{n} {missing} {n}"}});
    CHECK(custom.fill("more", {{"n", "<2>"}}) == "<2> {missing} <2>");  // plain text: the template escapes
    // The English questions are the engine's own words (empty labels).
    CHECK(en["question.1"].empty());
    CHECK(!ru["question.1"].empty());
}

TEST_CASE("the hand-made portfolio's page: counts, cells, lists and sentences as worked out by hand", "[report]") {
    const auto e = loaded();
    const std::string page = e->report("{}");
    CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
    CHECK(stat(page, "accounts") == "13");
    CHECK(stat(page, "declining") == "5");
    CHECK(stat(page, "overdue") == "4");
    CHECK(stat(page, "escalations") == "2");
    for (const auto& [tier, n] : {std::pair{"A", 4}, {"B", 3}, {"C", 5}, {"D", 1}})
        CHECK(occurrences(page, std::string("data-tier=\"") + tier + "\" data-value=\"" + std::to_string(n) + "\"") == 1);
    for (const auto& [colour, n] :
         {std::pair{"red", 7}, {"orange", 0}, {"yellow", 2}, {"lightblue", 0}, {"blue", 3}, {"grey", 1}})
        CHECK(occurrences(page, std::string("data-colour=\"") + colour + "\" data-value=\"" + std::to_string(n) + "\"") == 1);
    CHECK(page.find("<dd data-stat=\"benchmark\">100,000</dd>") != std::string::npos);

    // Squares: one per account, the escalations outlined.
    CHECK(occurrences(page, "<rect class=\"sq") == 13);
    CHECK(occurrences(page, "<rect class=\"sq esc\"") == 2);
    CHECK(occurrences(page, "class=\"bar\"") == 0);
    // The map's rows by the owners' bytes: <b>carol</b> (escaped), alice,
    // bob, then the accounts without an owner.
    const std::size_t alice = page.find("<tr data-rep=\"alice\">"), bob = page.find("<tr data-rep=\"bob\">"),
                      carol = page.find("<tr data-rep=\"&lt;b&gt;carol&lt;/b&gt;\">"),
                      none = page.find("<tr data-rep=\"\"><th scope=\"row\">(no owner)</th>");
    REQUIRE(carol != std::string::npos);
    CHECK(carol < alice);
    CHECK(alice < bob);
    CHECK(bob < none);
    CHECK(none != std::string::npos);
    // alice's tier A: Acme (red, 100) before Bolt (blue, 10): hottest first.
    const std::string alice_row = page.substr(alice, bob - alice);
    const std::size_t acme = alice_row.find("<title>Acme: revenue 100,000, potential 100,000, temperature 100"),
                      bolt = alice_row.find("<title>Bolt: revenue 10,000, potential 100,000, temperature 10, next "
                                            "contact 2026-12-20</title>");
    CHECK(acme != std::string::npos);
    CHECK(bolt != std::string::npos);
    CHECK(acme < bolt);

    // An account without a name shows its id.
    CHECK(page.find("<title>N1: revenue 8,000, potential 8,000, temperature 100, next contact 2026-11-30</title>") !=
          std::string::npos);
    CHECK(page.find("<tr data-id=\"N1\"><td data-sort=\"N1\">N1</td>") != std::string::npos);
    // The contact plan: bob's overdue accounts, the most overdue first.
    const std::size_t gale = page.find("<tr data-id=\"B3\">"), fox = page.find("<tr data-id=\"B2\">");
    CHECK(gale != std::string::npos);
    CHECK(gale < fox);
    CHECK(page.find("<td class=\"num\" data-sort=\"184\">184</td>") != std::string::npos);  // C3, Juliet
    // Due in the next 14 days: A3, A4, B1, C2, C4 (2026-12-14, the last day) and N1.
    CHECK(occurrences(page, "data-list=\"upcoming\"") == 4);  // alice, bob, carol, no owner
    CHECK(occurrences(page, "data-list=\"overdue\"") == 3);   // alice, bob, carol
    CHECK(page.find("<tr data-id=\"C4\">") != std::string::npos);
    CHECK(page.find("<tr data-id=\"B4\">") == std::string::npos);  // due 2027-01-30

    // Escalations: Bolt and India "&" Co, the larger potential first.
    const std::size_t bolt_card = page.find("<article class=\"escalation\" data-rep=\"alice\" data-id=\"A2\">");
    const std::size_t india_card =
        page.find("<article class=\"escalation\" data-rep=\"&lt;b&gt;carol&lt;/b&gt;\" data-id=\"C2\">");
    REQUIRE(bolt_card != std::string::npos);
    REQUIRE(india_card != std::string::npos);
    CHECK(bolt_card < india_card);
    CHECK(page.find("<h3>India &quot;&amp;&quot; Co <small>C2 · &lt;b&gt;carol&lt;/b&gt;</small></h3>") !=
          std::string::npos);
    for (const char* sentence :
         {"<li>It brought 10,000 in the last 365 days and 100,000 in the 365 days before: temperature 10, blue.</li>",
          "<li>Its potential, 100,000, is what it bought in the prior year.</li>",
          "<li>Its potential is 1 × the benchmark of 100,000; tier A starts at 0.8 ×.</li>",
          "<li>Look-alikes (size 10-49, territory EMEA/DE, industry Bakery): only 0 peers buy; a look-alike revenue "
          "needs 3.</li>",
          "<li>Rep and manager: rethink the approach.</li>", "<li>Next contact: 2026-12-20, call or visit.</li>",
          "<li>Its potential is 0.85 × the benchmark of 100,000; tier A starts at 0.8 ×.</li>"})
        CHECK(page.find(sentence) != std::string::npos);

    // Decliners: the most revenue lost first: Bolt 90,000, India 84,000, Gale
    // 30,000, the hostile B4 5,000, Kilo 3,000.
    const std::size_t table = page.find("id=\"decliner-table\"");
    REQUIRE(table != std::string::npos);
    std::vector<std::size_t> at;
    for (const char* id : {"A2", "C2", "B3", "B4", "C4"}) at.push_back(page.find(std::string("data-id=\"") + id + "\"><td", table));
    CHECK(std::is_sorted(at.begin(), at.end()));
    CHECK(at.back() != std::string::npos);
    for (const char* q : crmtier::kFeedbackQuestions) CHECK(page.find(std::string("<li>") + q + "</li>") != std::string::npos);
    CHECK(page.find("<td class=\"num\" data-sort=\"99\">99%</td>") != std::string::npos);

    // Peer meetings: one group of the three reps; bob presents (his one A
    // account runs at 100).
    CHECK(page.find("<p>bob presents: their 1 A accounts run hottest, at a mean temperature of 100.</p>") !=
          std::string::npos);
    CHECK(page.find("<span data-member=\"&lt;b&gt;carol&lt;/b&gt;\">&lt;b&gt;carol&lt;/b&gt;</span>") !=
          std::string::npos);
    CHECK(page.find("id=\"movers\"") == std::string::npos);
}

TEST_CASE("host text is escaped everywhere; the only script is the page's own", "[report]") {
    const std::string page = loaded()->report("{}");
    CHECK(occurrences(page, "<script") == 1);
    CHECK(occurrences(page, "<img") == 0);
    CHECK(occurrences(page, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;") >= 3);
    CHECK(occurrences(page, "<b>carol") == 0);
    CHECK(page.find("script-src 'sha256-") == std::string::npos);  // inside an attribute: escaped quotes
    CHECK(page.find("script-src &#39;sha256-") != std::string::npos);
    const std::string quiet = loaded()->report(R"({"script":false})");
    CHECK(occurrences(quiet, "<script") == 0);
    CHECK(quiet.find("script-src &#39;none&#39;") != std::string::npos);
    // A label from the host is text too.
    const std::string custom = loaded()->report(R"({"title":"<i>Q4</i>","labels":{"esc.action":"<b>now</b>"}})");
    CHECK(custom.find("<h1>&lt;i&gt;Q4&lt;/i&gt;</h1>") != std::string::npos);
    CHECK(custom.find("<li>&lt;b&gt;now&lt;/b&gt;</li>") != std::string::npos);
}

TEST_CASE("deterministic: the same state gives the same bytes, whatever the order of the records", "[report]") {
    const std::string text = handmade();
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string reversed;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it + "\n";
    const auto a = loaded(text), b = loaded(reversed);
    const std::string options = R"({"since":"2026-06-01","lang":"ru"})";
    const std::string page = a->report(options);
    CHECK(page == a->report(options));
    CHECK(page == b->report(options));
}

TEST_CASE("the peer groups a report keeps for the next one follow every change", "[report]") {
    // A 90,000 invoice makes India (C2) a red A account at 100: carol's one
    // A account then runs as hot as bob's, and carol comes first by name, so
    // she presents instead of bob.
    const auto e = loaded();
    CHECK(e->report("{}").find("<p>bob presents:") != std::string::npos);
    CHECK(e->report(R"({"owner":"alice"})").find("<p>bob presents:") != std::string::npos);
    e->save("canonical", R"({"type":"revenue","id":"R-C2b","account_id":"C2","date":"2026-07-01","amount":90000})",
            nullptr);
    const std::string after = e->report("{}");
    CHECK(after.find("<p>&lt;b&gt;carol&lt;/b&gt; presents: their 1 A accounts run hottest") != std::string::npos);
    CHECK(e->report("{}") == after);
    // The same state in a fresh engine, which has kept nothing: the same page.
    const auto fresh = loaded(handmade() +
                              R"({"type":"revenue","id":"R-C2b","account_id":"C2","date":"2026-07-01","amount":90000})"
                              "\n");
    CHECK(fresh->report("{}") == after);
}

TEST_CASE("one rep's page: only that rep's accounts; an unknown owner is not found", "[report]") {
    const auto e = loaded();
    const std::string page = e->report(R"({"owner":"bob"})");
    CHECK(stat(page, "accounts") == "4");
    CHECK(stat(page, "overdue") == "2");
    CHECK(stat(page, "declining") == "2");
    CHECK(stat(page, "escalations") == "0");
    CHECK(occurrences(page, "<rect class=\"sq") == 4);
    const std::vector<std::string> reps = attributes(page, "data-rep");
    CHECK(!reps.empty());
    for (const std::string& rep : reps) CHECK(rep == "bob");
    CHECK(page.find("<p class=\"sub\" id=\"subtitle\">Rep bob, as of 2026-11-30</p>") != std::string::npos);
    CHECK(page.find("id=\"rep-filter\"") == std::string::npos);
    CHECK(page.find("No blue A account") != std::string::npos);
    CHECK(fails<crmtier::NotFoundError>([&] { e->report(R"({"owner":"dave"})"); }) ==
          "report options: \"owner\": no account has the owner \"dave\" (3 owners, e.g. \"<b>carol</b>\")");
}

TEST_CASE("movers: the same records as of the earlier date, without touching the engine", "[report]") {
    // As of 2026-06-01 only the 2025-06-15 invoices count (the 2026-06-15 ones
    // come later): A2 100000, C2 85000, B3 60000, B4 10000, C4 3000; the
    // benchmark is the largest, 100000. Then A2 and C2 were red A accounts,
    // B3 a red B, B4 and C4 red Cs: all five cooled. The other accounts had
    // no revenue (grey D): all but A4 warmed.
    const auto e = loaded();
    const std::uint64_t seq = e->sequence();
    const std::string changes = e->changes(0), result = e->result("canonical", "A2"), stats = e->stats();
    const std::string page = e->report(R"({"since":"2026-06-01"})");
    CHECK(e->sequence() == seq);
    CHECK(e->changes(0) == changes);
    CHECK(e->result("canonical", "A2") == result);
    CHECK(e->stats() == stats);
    CHECK(page.find("<p>12 accounts changed tier or colour: 7 warmed, 5 cooled, 0 moved up a tier, 0 moved down a "
                    "tier. ") != std::string::npos);
    for (const char* id : {"A2", "C2", "B3", "B4", "C4"})
        CHECK(page.find(std::string("data-id=\"") + id + "\" data-change=\"cooled\"") != std::string::npos);
    for (const char* id : {"A1", "A3", "B1", "B2", "C1", "C3", "N1"})
        CHECK(page.find(std::string("data-id=\"") + id + "\" data-change=\"warmed\"") != std::string::npos);
    CHECK(page.find("data-id=\"A4\" data-change") == std::string::npos);
    CHECK(fails<crmtier::ConfigError>([&] { e->report(R"({"since":"2026-11-30"})"); }) ==
          "report options: \"since\": 2026-11-30 is not before the as-of date 2026-11-30");
}

TEST_CASE("movers: a tier that moves while the colour stays", "[report]") {
    // X buys 100 on 2026-03-01; Y 50 then and 50 on 2026-07-01; W 100 then
    // and a credit note of -50 on 2026-07-01. As of 2026-11-30: R = 100, 100,
    // 50, benchmark 100 (rank 3 of 3): X and Y are red A, W a red B. As of
    // 2026-06-01: R = 100, 50, 100: X and W red A, Y a red B. So Y moved up,
    // W down, both red throughout.
    Engine e(R"({"as_of":"2026-11-30"})");
    e.load("canonical", R"({"type":"account","id":"X","owner":"r"}
{"type":"account","id":"Y","owner":"r"}
{"type":"account","id":"W","owner":"r"}
{"type":"revenue","id":"x1","account_id":"X","date":"2026-03-01","amount":100}
{"type":"revenue","id":"y1","account_id":"Y","date":"2026-03-01","amount":50}
{"type":"revenue","id":"y2","account_id":"Y","date":"2026-07-01","amount":50}
{"type":"revenue","id":"w1","account_id":"W","date":"2026-03-01","amount":100}
{"type":"revenue","id":"w2","account_id":"W","date":"2026-07-01","amount":-50}
)");
    const std::string page = e.report(R"({"since":"2026-06-01"})");
    CHECK(page.find("<p>2 accounts changed tier or colour: 0 warmed, 0 cooled, 1 moved up a tier, 1 moved down a "
                    "tier. ") != std::string::npos);
    CHECK(page.find("data-id=\"Y\" data-change=\"up\"") != std::string::npos);
    CHECK(page.find("data-id=\"W\" data-change=\"down\"") != std::string::npos);
    // Down before up in the list.
    CHECK(page.find("data-id=\"W\" data-change") < page.find("data-id=\"Y\" data-change"));
}

TEST_CASE("large portfolios: bars instead of squares, bins instead of marks, lists capped", "[report]") {
    // 450 accounts of one rep, each buying i (1..450) on 2026-06-15, last
    // contact 2026-01-01 (overdue) for all. Benchmark: rank ceil(427.5) = 428:
    // 428. Tier A: R >= 342.4, i.e. 343..450 (108); B: 193..342 (150); C: 192.
    std::string text;
    for (int i = 1; i <= 450; ++i) {
        std::string id = "K";  // appended: GCC 12 warns, wrongly, of "K" + std::string (-Wrestrict)
        id += std::to_string(1000 + i);
        text += R"({"type":"account","id":")" + id + R"(","owner":"kim","last_contact":"2026-01-01"})" "\n";
        text += R"({"type":"revenue","id":"r)" + id + R"(","account_id":")" + id +
                R"(","date":"2026-06-15","amount":)" + std::to_string(i) + "}\n";
    }
    Engine e(R"({"as_of":"2026-11-30"})");
    e.load("canonical", text);
    const std::string small = e.report(R"({"cell_limit":150,"list_limit":5,"scatter_limit":100})");
    // A (108) and B (150) as squares, C (192) as a bar of one red segment.
    CHECK(occurrences(small, "<rect class=\"sq") == 108 + 150);
    CHECK(occurrences(small, "class=\"bar\"") == 1);
    CHECK(small.find("data-colour=\"red\" data-count=\"192\"") != std::string::npos);
    CHECK(small.find("data-tier=\"C\" data-count=\"192\" data-shape=\"bar\"") != std::string::npos);
    // Every account is overdue: 5 listed, "and 445 more".
    CHECK(small.find("<p class=\"more\">… and 445 more</p>") != std::string::npos);
    // 450 marks over the limit of 100: bins.
    CHECK(small.find("450 accounts: each mark is a bin") != std::string::npos);
    CHECK(occurrences(small, "<path class=\"mark\"") < 450);
    // A map of more accounts than map_limit: every cell a bar.
    const std::string bars = e.report(R"({"map_limit":400})");
    CHECK(occurrences(bars, "<rect class=\"sq") == 0);
    CHECK(occurrences(bars, "data-shape=\"bar\"") == 3);
    // Under the limits: squares and marks for all.
    const std::string all = e.report("{}");
    CHECK(occurrences(all, "<rect class=\"sq") == 450);
    CHECK(occurrences(all, "<path class=\"mark\"") == 450);
}

namespace {

// 3,000 accounts of ten reps in three industries and five size bands (so
// profiles have look-alikes), buying this year, last year or both, one of
// them deleted (a slot without an account): enough for results worked out in
// several parts.
std::string many_accounts() {
    std::string text;
    for (int i = 0; i < 3000; ++i) {
        const std::string id = "M" + std::to_string(10000 + i);
        text += R"({"type":"account","id":")" + id + R"(","owner":"rep-)" + std::to_string(i % 10) +
                R"(","industry":"ind-)" + std::to_string(i % 3) + R"(","employees":)" + std::to_string(i % 5 * 60) +
                R"(,"territory":"EMEA/DE","last_contact":"2026-0)" + std::to_string(1 + i % 9) + "-15\"}\n";
        if (i % 4 != 0)
            text += R"({"type":"revenue","id":"a)" + id + R"(","account_id":")" + id +
                    R"(","date":"2026-06-15","product":"cat-)" + std::to_string(i % 7) + R"(/x","amount":)" +
                    std::to_string(i * 37 % 5000 + 1) + "}\n";
        if (i % 3 != 0)
            text += R"({"type":"revenue","id":"b)" + id + R"(","account_id":")" + id +
                    R"(","date":"2025-06-15","product":"cat-)" + std::to_string(i % 5) + R"(","amount":)" +
                    std::to_string(i * 53 % 7000 + 1) + "}\n";
    }
    text += R"({"type":"account","id":"M10007","deleted":true})" "\n";
    return text;
}

}  // namespace

TEST_CASE("parts: every index once, in contiguous parts in order; errors after every part has ended", "[report]") {
    CHECK(crmtier::part_count(1000, 3, 100) == 3);
    CHECK(crmtier::part_count(1000, 30, 100) == 10);
    CHECK(crmtier::part_count(50, 3, 100) == 1);
    CHECK(crmtier::part_count(0, 3, 100) == 1);
    std::vector<int> seen(1000, 0);
    std::vector<std::pair<std::size_t, std::size_t>> ranges(3);
    CHECK(crmtier::for_parts(1000, 3, 100, [&](std::size_t p, std::size_t from, std::size_t to) {
              ranges[p] = {from, to};
              for (std::size_t i = from; i < to; ++i) ++seen[i];
          }) == 3);
    CHECK(ranges == std::vector<std::pair<std::size_t, std::size_t>>{{0, 333}, {333, 666}, {666, 1000}});
    CHECK(std::count(seen.begin(), seen.end(), 1) == 1000);
    // Parts 1 and 2 fail: part 1's error comes out, once part 2 has ended.
    std::atomic<int> ended{0};
    const std::string what = fails<std::runtime_error>([&] {
        crmtier::for_parts(1000, 3, 100, [&](std::size_t p, std::size_t, std::size_t) {
            ++ended;
            if (p > 0) throw std::runtime_error("part " + std::to_string(p));
        });
    });
    CHECK(what == "part 1");
    CHECK(ended == 3);
}

TEST_CASE("every result worked out in parallel parts is Portfolio::result(); the page and groups do not depend on "
          "the parts", "[report]") {
    const auto e = loaded(many_accounts());
    e->read([](const crmtier::Portfolio& pf) {
        REQUIRE(pf.account_count() == 2999);
        std::size_t payers = 0, declining = 0;
        for (unsigned threads : {1u, 2u, 3u, 7u}) {
            const std::vector<crmtier::Result> results = crmtier::every_result(pf, threads);
            REQUIRE(results.size() == pf.account_slots());
            std::size_t same = 0, absent = 0;
            for (crmtier::AccountIdx i = 0; i < pf.account_slots(); ++i) {
                if (!pf.present(i)) {
                    ++absent;
                    CHECK(results[i] == crmtier::Result{});
                } else if (results[i] == pf.result(i)) {
                    ++same;
                }
            }
            CHECK(same == 2999);
            CHECK(absent == pf.account_slots() - 2999);
            payers = declining = 0;
            for (const auto& r : results) {
                payers += r.annual > 0;
                declining += r.decline.declining;
            }
        }
        CHECK(payers == 2249);  // i % 4 != 0 of 0..2999 is 2,250, less the deleted M10007 (7 % 4 = 3)
        CHECK(declining > 0);
        const std::string one = crmtier::peer_groups_json(crmtier::group_reps(pf, crmtier::every_result(pf, 1)));
        CHECK(crmtier::peer_groups_json(crmtier::group_reps(pf, crmtier::every_result(pf, 5))) == one);
        CHECK(one.find("\"reps\":10") != std::string::npos);
    });
    // The movers' earlier results, worked out in parts, are each account's
    // own, in the order of the accounts.
    const report::Options opts = report::parse_options(R"({"since":"2026-03-01"})");
    report::Input in;
    std::unique_ptr<crmtier::Portfolio> earlier;
    e->read([&](const crmtier::Portfolio& pf) {
        in = report::gather(pf, opts);
        earlier = std::make_unique<crmtier::Portfolio>(pf);
    });
    earlier->set_as_of(*opts.since);
    report::gather_movers(*earlier, in);
    std::vector<std::size_t> expected;
    for (std::size_t k = 0; k < in.accounts.size(); ++k) {
        const crmtier::Result r = earlier->result(in.accounts[k].index);
        if (r.tier != in.accounts[k].tier || r.colour != in.accounts[k].colour) expected.push_back(k);
    }
    std::vector<std::size_t> got;
    for (const auto& m : in.earlier) got.push_back(m.account);
    CHECK(expected.size() > 100);
    CHECK(got == expected);
    // The same state, the same page, whichever reports came before.
    const std::string page = e->report(R"({"since":"2026-03-01"})");
    CHECK(e->report(R"({"since":"2026-03-01"})") == page);
}

TEST_CASE("an engine with no account, or no revenue, still gives a page", "[report]") {
    Engine e(R"({"as_of":"2026-11-30"})");
    const std::string empty = e.report(R"({"since":"2026-01-01"})");
    CHECK(stat(empty, "accounts") == "0");
    CHECK(empty.find("No reps to group.") != std::string::npos);
    CHECK(empty.find("Nothing overdue and nothing due in the next 14 days.") != std::string::npos);
    CHECK(empty.find("No account changed tier or colour since 2026-01-01.") != std::string::npos);
    e.save("canonical", R"({"type":"account","id":"X","name":"Solo"})", nullptr);
    const std::string one = e.report("{}");
    CHECK(stat(one, "accounts") == "1");
    CHECK(one.find("<dd data-stat=\"benchmark\">0</dd>") != std::string::npos);
    CHECK(one.find("class=\"corner\"") == std::string::npos);  // no benchmark, no tier A
    CHECK(one.find("Tier D (no potential, 1 accounts)") != std::string::npos);
}

TEST_CASE("Russian labels, and overrides of any label", "[report]") {
    const auto e = loaded();
    const std::string ru = e->report(R"({"lang":"ru"})");
    CHECK(ru.find("<html lang=\"ru\">") != std::string::npos);
    CHECK(ru.find("<h1>План продаж</h1>") != std::string::npos);
    CHECK(ru.find("<dd data-stat=\"benchmark\">100\xC2\xA0" "000</dd>") != std::string::npos);
    CHECK(ru.find("<li>Менеджеру и руководителю: срочно пересмотреть подход к клиенту.</li>") != std::string::npos);
    CHECK(ru.find("<li>Что мы как поставщик могли бы делать лучше?</li>") != std::string::npos);
    const std::string custom = e->report(R"({"labels":{"section.map":"Heat map","map.tier":"Category {tier}"}})");
    CHECK(custom.find("<h2>Heat map</h2>") != std::string::npos);
    CHECK(custom.find("<th>Category A</th>") != std::string::npos);
}
