// The Registry beyond single fixtures: configuration, rendering in each host's
// field names, won -> lost sequences, bulk input, and robustness.
#include <catch2/catch.hpp>

#include <random>

#include "base/errors.hpp"
#include "crmtier.h"
#include "tests/adapters/test_util.hpp"

namespace json = boost::json;
using Registry = crmtier::test::Adapters;
using crmtier::adapters::Translated;
using crmtier::test::translate;

namespace {

json::object config(const char* text) { return json::parse(text).as_object(); }

std::string config_error(const char* text) {
    json::object c = config(text);
    try {
        Registry r(&c);
    } catch (const crmtier::ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

template <class F>
std::string error_of(F f, int* status = nullptr) {
    try {
        f();
    } catch (const crmtier::Error& e) {
        if (status) *status = e.status();
        return e.what();
    }
    return "(no error)";
}

// A canonical result (docs/semantics.md#result), with made-up values.
json::object sample_result() {
    return json::parse(R"({"id":"ACC-1","tier":"A","revenue_tier":"C","annual_revenue":1250.0,"prior_revenue":3000.0,
      "lookalike_revenue":41000.0,"peers":7,"potential":41000.0,"benchmark":48000.0,"temperature":3,
      "colour":"blue","colour_hex":"#2c7bb6","escalate":true,"next_contact":"2026-10-31",
      "channel":"call_or_visit","overdue_days":27,"declining":true,"decline_pct":58,
      "actions":[{"action":"request_feedback"}],"reasons":[{"code":"potential","value":41000.0}]})")
        .as_object();
}

}  // namespace

TEST_CASE("the registry knows every host adapter and its default profile", "[registry]") {
    Registry r(nullptr);
    for (const char* name : {"salesforce", "hubspot", "dynamics", "odoo", "tryton", "csv"}) {
        INFO(name);
        CHECK(r.has(name));
    }
    CHECK_FALSE(r.has("canonical"));
    CHECK_FALSE(r.has("pipedrive"));
    using V = std::vector<std::string>;
    CHECK(r.default_profile("odoo") == V{"territory", "industry"});
    CHECK(r.default_profile("salesforce") == V{"size", "territory", "industry"});
    CHECK(r.default_profile("hubspot") == V{"size", "territory", "industry"});
    CHECK(r.default_profile("dynamics") == V{"size", "territory", "industry"});
    CHECK(r.default_profile("tryton") == V{"size", "territory", "industry"});
    CHECK(r.default_profile("csv") == V{"size", "territory", "industry"});
}

TEST_CASE("an unknown adapter is an AdapterError everywhere", "[registry]") {
    Registry r(nullptr);
    std::vector<Translated> out;
    int status = 0;
    CHECK(error_of([&] { r.translate("pipedrive", "{}", out); }, &status).find("unknown adapter \"pipedrive\"") == 0);
    CHECK(status == CRMTIER_E_ADAPTER);
    status = 0;
    error_of([&] { r.translate_bulk("zoho", "{}", out); }, &status);
    CHECK(status == CRMTIER_E_ADAPTER);
    status = 0;
    error_of([&] { r.render("suitecrm", sample_result()); }, &status);
    CHECK(status == CRMTIER_E_ADAPTER);
    status = 0;
    error_of([&] { r.default_profile("nope"); }, &status);
    CHECK(status == CRMTIER_E_ADAPTER);
}

TEST_CASE("configuration errors name the full key path", "[registry][config]") {
    CHECK(config_error(R"({"hubspot":{"won_stage":["closedwon"]}})") == "config: \"adapters.hubspot.won_stage\": unknown key");
    CHECK(config_error(R"({"pipedrive":{}})") == "config: \"adapters.pipedrive\": unknown adapter (known: csv, dynamics, hubspot, odoo, salesforce, tryton)");
    CHECK(config_error(R"({"hubspot":true})") == "config: \"adapters.hubspot\": expected an object");
    CHECK(config_error(R"({"hubspot":{"won_stages":"closedwon"}})") ==
          "config: \"adapters.hubspot.won_stages\": expected an array of strings");
    CHECK(config_error(R"({"hubspot":{"ideal_customer_profile":"yes"}})") ==
          "config: \"adapters.hubspot.ideal_customer_profile\": expected true or false");
    CHECK(config_error(R"({"hubspot":{"output_fields":{"tierr":"x"}}})") ==
          "config: \"adapters.hubspot.output_fields.tierr\": unknown result field");
    CHECK(config_error(R"({"salesforce":{"output_fields":{"tier":7}}})") ==
          "config: \"adapters.salesforce.output_fields.tier\": expected a field name (a non-empty string) or null");
    CHECK(config_error(R"({"csv":{"delimiter":"|"}})") == R"(config: "adapters.csv.delimiter": expected one of "auto", ",", ";", "\t")");
    CHECK(config_error(R"({"csv":{"columns":{"accounts":{"idd":"Account ID"}}}})") ==
          R"(config: "adapters.csv.columns.accounts.idd": unknown key (expected one of ["id","name","owner","employees","territory","country","state","industry","last_contact","deleted"]))");
    CHECK(config_error(R"({"csv":{"columns":{"invoices":{}}}})") ==
          R"(config: "adapters.csv.columns.invoices": unknown key (expected "accounts" or "revenue"))");
    CHECK(config_error(R"({"dynamics":{"publisher_prefix":""}})") ==
          "config: \"adapters.dynamics.publisher_prefix\": expected a non-empty string");
    CHECK(config_error(R"({"tryton":{"won_stages":[]}})") == "config: \"adapters.tryton.won_stages\": unknown key");
    json::object ok = config(R"({"hubspot":{"won_stages":["closedwon","contractsigned"],"output_fields":{"tier":"crmtier_tier"},"ideal_customer_profile":true},
        "csv":{"columns":{"accounts":{"id":"Account ID"}},"delimiter":";"}})");
    CHECK_NOTHROW(Registry(&ok));
    json::object empty;
    CHECK_NOTHROW(Registry(&empty));
}

TEST_CASE("input_fields: a canonical field read from another (custom) host field", "[config]") {
    json::object c = config(R"({"odoo":{"input_fields":{"last_contact":"x_studio_last_contact","employees":"x_studio_employees"}},
        "dynamics":{"input_fields":{"last_contact":"crm_lastcontact"}},
        "hubspot":{"input_fields":{"amount":["properties","hs_tcv"]}}})");
    Registry r(&c);
    CHECK(json::serialize(translate(r, "odoo", R"([{"id":7,"name":"Acme","is_company":true,"x_studio_last_contact":"2026-10-01","x_studio_employees":40,"country_id":false}])")) ==
          R"([{"type":"account","id":"7","name":"Acme","last_contact":"2026-10-01","employees":40}])");
    CHECK(translate(r, "dynamics", R"({"accountid":"g-1","crm_lastcontact":"2026-09-30T22:00:00Z","statecode":0})").at(0).at("last_contact") == "2026-09-30");
    CHECK(error_of([&] { translate(r, "odoo", R"({"id":7,"is_company":true,"x_studio_last_contact":"yesterday"})"); }) ==
          "odoo res.partner \"7\": field \"x_studio_last_contact\": expected a date (YYYY-MM-DD or an ISO 8601 date-time), found \"yesterday\"");
    CHECK(error_of([&] { translate(r, "hubspot", R"({"id":"1","properties":{"dealstage":"closedwon","amount":"5","closedate":"2026-01-01"},"associations":{"companies":{"results":[{"id":"9"}]}}})"); }) ==
          "hubspot deal \"1\": field \"properties.hs_tcv\": missing");
    CHECK(config_error(R"({"odoo":{"input_fields":{"last_contacted":"x"}}})") ==
          "config: \"adapters.odoo.input_fields.last_contacted\": unknown canonical field");
    CHECK(config_error(R"({"odoo":{"input_fields":{"last_contact":7}}})") ==
          "config: \"adapters.odoo.input_fields.last_contact\": expected a field name or a path (an array of field names)");
    CHECK(config_error(R"({"csv":{"input_fields":{"name":"x"}}})") == "config: \"adapters.csv.input_fields\": unknown key");
}

TEST_CASE("hubspot: configured won stages count, others remove the revenue", "[hubspot]") {
    json::object c = config(R"({"hubspot":{"won_stages":["closedwon","contractsigned"]}})");
    Registry r(&c);
    std::string deal = R"({"id":"77","properties":{"amount":"500","closedate":"2026-05-01T00:00:00Z","dealstage":"contractsigned"},
        "associations":{"companies":{"results":[{"id":"512","type":"deal_to_company"}]}},"archived":false})";
    CHECK(json::serialize(translate(r, "hubspot", deal)) ==
          R"([{"type":"revenue","id":"77","account_id":"512","date":"2026-05-01","amount":5E2}])");
    Registry plain(nullptr);
    // Not won here: the delete of its id, naming its company (the save answers with its result).
    CHECK(json::serialize(translate(plain, "hubspot", deal)) == R"([{"type":"revenue","id":"77","deleted":true,"account_id":"512"}])");
}

TEST_CASE("a deal saved won, then lost: revenue, then its delete", "[sequence]") {
    Registry r(nullptr);
    struct Step {
        const char* adapter;
        std::string won, lost, id;
        const char* account = nullptr;  // the account the lost record names, if any
    };
    std::vector<Step> steps = {
        {"salesforce", crmtier::test::fixture("salesforce/won_opportunity.json"),
         R"({"attributes":{"type":"Opportunity"},"Id":"006Dn00000Q1w2EIAR","AccountId":"001Dn00000AbCdEIAV","StageName":"Closed Lost","Amount":1250.0,"CloseDate":"2026-03-15","IsClosed":true,"IsWon":false})",
         "006Dn00000Q1w2EIAR", "001Dn00000AbCdEIAV"},
        {"hubspot", crmtier::test::fixture("hubspot/won_deal.json"),
         R"({"id":"9012","properties":{"amount":"1250.00","closedate":"2026-03-15T10:31:12.000Z","dealstage":"closedlost"},"archived":false})",
         "9012"},
        {"dynamics", crmtier::test::fixture("dynamics/won_opportunity.json"),
         R"({"opportunityid":"5f0c7e1a-2b3c-ef11-a316-000d3a2b7c99","statecode":0,"statuscode":1})",
         "5f0c7e1a-2b3c-ef11-a316-000d3a2b7c99"},
        {"odoo", crmtier::test::fixture("odoo/posted_invoice.json"), crmtier::test::fixture("odoo/cancelled_invoice.json"),
         "9", "7"},
        {"tryton", crmtier::test::fixture("tryton/confirmed_sale.json"), crmtier::test::fixture("tryton/cancelled_sale.json"),
         "sale-5", "12"},
    };
    for (const auto& s : steps) {
        INFO(s.adapter);
        json::array won = translate(r, s.adapter, s.won);
        REQUIRE(won.size() == 1);
        CHECK(won[0].at("type") == "revenue");
        CHECK(won[0].at("id") == json::value(s.id));
        CHECK_FALSE(won[0].as_object().contains("deleted"));
        json::array lost = translate(r, s.adapter, s.lost);
        REQUIRE(lost.size() == 1);
        json::object gone{{"type", "revenue"}, {"id", s.id}, {"deleted", true}};
        if (s.account) gone["account_id"] = s.account;
        CHECK(json::serialize(lost[0]) == json::serialize(gone));
    }
}

TEST_CASE("render: each host's own field names", "[render]") {
    Registry r(nullptr);
    json::object res = sample_result();
    CHECK(r.render("salesforce", res) ==
          R"({"attributes":{"type":"Account"},"Id":"ACC-1","Crmtier_Tier__c":"A","Crmtier_Temperature__c":3,"Crmtier_Colour__c":"blue","Crmtier_Colour_Hex__c":"#2c7bb6","Crmtier_Escalate__c":true,"Crmtier_Next_Contact__c":"2026-10-31","Crmtier_Channel__c":"call_or_visit","Crmtier_Overdue_Days__c":27,"Crmtier_Declining__c":true,"Crmtier_Decline_Pct__c":58,"Crmtier_Actions__c":"[{\"action\":\"request_feedback\"}]","Crmtier_Reasons__c":"[{\"code\":\"potential\",\"value\":41000.0}]"})");
    CHECK(r.render("hubspot", res) ==
          R"({"id":"ACC-1","properties":{"crmtier_tier":"A","crmtier_temperature":"3","crmtier_colour":"blue","crmtier_colour_hex":"#2c7bb6","crmtier_escalate":"true","crmtier_next_contact":"2026-10-31","crmtier_channel":"call_or_visit","crmtier_overdue_days":"27","crmtier_declining":"true","crmtier_decline_pct":"58","crmtier_actions":"[{\"action\":\"request_feedback\"}]","crmtier_reasons":"[{\"code\":\"potential\",\"value\":41000.0}]"}})");
    CHECK(r.render("dynamics", res) ==
          R"({"accountid":"ACC-1","crm_tier":"A","crm_temperature":3,"crm_colour":"blue","crm_colourhex":"#2c7bb6","crm_escalate":true,"crm_nextcontact":"2026-10-31","crm_channel":"call_or_visit","crm_overduedays":27,"crm_declining":true,"crm_declinepct":58,"crm_actions":"[{\"action\":\"request_feedback\"}]","crm_reasons":"[{\"code\":\"potential\",\"value\":41000.0}]"})");
    res["id"] = "7";
    CHECK(r.render("odoo", res) ==
          R"({"id":7,"x_crmtier_tier":"A","x_crmtier_temperature":3,"x_crmtier_colour":"blue","x_crmtier_colour_hex":"#2c7bb6","x_crmtier_escalate":true,"x_crmtier_next_contact":"2026-10-31","x_crmtier_channel":"call_or_visit","x_crmtier_overdue_days":27,"x_crmtier_declining":true,"x_crmtier_decline_pct":58,"x_crmtier_actions":"[{\"action\":\"request_feedback\"}]","x_crmtier_reasons":"[{\"code\":\"potential\",\"value\":41000.0}]"})");
    res["id"] = "12";
    CHECK(r.render("tryton", res) ==
          R"({"party":12,"crmtier_tier":"A","crmtier_temperature":3,"crmtier_colour":"blue","crmtier_colour_hex":"#2c7bb6","crmtier_next_contact":"2026-10-31","crmtier_channel":"call_or_visit","crmtier_overdue_days":27,"crmtier_declining":true,"crmtier_escalate":true,"crmtier_reasons":"[{\"code\":\"potential\",\"value\":41000.0}]"})");
    res["id"] = "P-12";
    CHECK(r.render("tryton", res).rfind(R"({"party":"P-12",)", 0) == 0);
    res["id"] = "ACC-1";
    CHECK(r.render("csv", res) ==
          R"({"id":"ACC-1","tier":"A","revenue_tier":"C","annual_revenue":1250.0,"prior_revenue":3000.0,"lookalike_revenue":41000.0,"peers":7,"potential":41000.0,"benchmark":48000.0,"temperature":3,"colour":"blue","colour_hex":"#2c7bb6","escalate":true,"next_contact":"2026-10-31","channel":"call_or_visit","overdue_days":27,"declining":true,"decline_pct":58,"actions":"[{\"action\":\"request_feedback\"}]","reasons":"[{\"code\":\"potential\",\"value\":41000.0}]"})");
}

TEST_CASE("render: output field names and options are configurable per installation", "[render][config]") {
    json::object c = config(R"({
        "hubspot":{"ideal_customer_profile":true,"output_fields":{"tier":"account_tier","actions":null,"reasons":null,"decline_pct":null,"potential":"crmtier_potential"}},
        "dynamics":{"publisher_prefix":"contoso_","predictive_scores":true,"output_fields":{"actions":null,"reasons":null}},
        "salesforce":{"output_fields":{"id":"AccountId__c"}}})");
    Registry r(&c);
    json::object res = sample_result();
    CHECK(r.render("hubspot", res) ==
          R"({"id":"ACC-1","properties":{"account_tier":"A","crmtier_temperature":"3","crmtier_colour":"blue","crmtier_colour_hex":"#2c7bb6","crmtier_escalate":"true","crmtier_next_contact":"2026-10-31","crmtier_channel":"call_or_visit","crmtier_overdue_days":"27","crmtier_declining":"true","crmtier_potential":"41000.0","hs_ideal_customer_profile":"tier_1"}})");
    for (auto [tier, icp] : std::vector<std::pair<const char*, const char*>>{{"B", "tier_2"}, {"C", "tier_3"}, {"D", ""}}) {
        res["tier"] = tier;
        json::value out = json::parse(r.render("hubspot", res));
        CHECK(out.at("properties").at("hs_ideal_customer_profile") == icp);
    }
    res = sample_result();
    CHECK(r.render("dynamics", res) ==
          R"({"accountid":"ACC-1","contoso_tier":"A","contoso_temperature":3,"contoso_colour":"blue","contoso_colourhex":"#2c7bb6","contoso_escalate":true,"contoso_nextcontact":"2026-10-31","contoso_channel":"call_or_visit","contoso_overduedays":27,"contoso_declining":true,"contoso_declinepct":58,"msdyn_predictivescores":{"msdyn_name":"crmtier","msdyn_entityid":"ACC-1","msdyn_entitytype":"account","msdyn_score":3,"msdyn_grade":0,"msdyn_scoretrend":2,"msdyn_scorereasons":"[{\"code\":\"potential\",\"value\":41000.0}]"}})");
    res["declining"] = false;
    res["tier"] = "C";
    CHECK(json::parse(r.render("dynamics", res)).at("msdyn_predictivescores").at("msdyn_scoretrend") == 1);  // 1250 < 3000: steady
    CHECK(json::parse(r.render("dynamics", res)).at("msdyn_predictivescores").at("msdyn_grade") == 2);
    res["annual_revenue"] = 5000.0;
    CHECK(json::parse(r.render("dynamics", res)).at("msdyn_predictivescores").at("msdyn_scoretrend") == 0);  // improving
    res["annual_revenue"] = 0.0;
    res["prior_revenue"] = 0.0;
    CHECK(json::parse(r.render("dynamics", res)).at("msdyn_predictivescores").at("msdyn_scoretrend") == 3);  // not enough info
    CHECK(json::parse(r.render("salesforce", sample_result())).at("AccountId__c") == "ACC-1");
}

TEST_CASE("render: null values stay null (HubSpot: empty string clears the property)", "[render]") {
    Registry r(nullptr);
    json::object res = sample_result();
    res["decline_pct"] = nullptr;
    res["lookalike_revenue"] = nullptr;
    CHECK(json::parse(r.render("salesforce", res)).at("Crmtier_Decline_Pct__c").is_null());
    CHECK(json::parse(r.render("hubspot", res)).at("properties").at("crmtier_decline_pct") == "");
    CHECK(json::parse(r.render("csv", res)).at("lookalike_revenue").is_null());
}

TEST_CASE("csv: configured columns, delimiter and decimal comma", "[csv]") {
    json::object c = config(R"J({"csv":{"delimiter":";","decimal_separator":",",
        "columns":{"accounts":{"id":"Kundennummer","name":"Firma","employees":"Mitarbeiter","country":"Land","state":"Bundesland"},
                   "revenue":{"id":"Rechnung","account_id":"Kundennummer","date":"Datum","amount":"Betrag (netto)"}}}})J");
    Registry r(&c);
    CHECK(json::serialize(translate(r, "csv", "Kundennummer;Firma;Mitarbeiter;Land;Bundesland\nK-1;M\xC3\xBCller, S\xC3\xB6hne & Co;1.200;DE;Bayern\n")) ==
          R"J([{"type":"account","id":"K-1","name":"Müller, Söhne & Co","employees":1200,"territory":"DE/DE-BY"}])J");
    CHECK(json::serialize(translate(r, "csv", "Rechnung;KUNDENNUMMER;Datum;Betrag (netto)\r\nR-1;K-1;2026-03-15;1.250,50\r\n")) ==
          R"J([{"type":"revenue","id":"R-1","account_id":"K-1","date":"2026-03-15","amount":1.2505E3}])J");
    CHECK(error_of([&] { translate(r, "csv", "Rechnung;Kundennummer;Datum;Betrag (netto)\nR-2;K-1;15.03.2026;10\n"); }) ==
          "line 2: csv revenue \"R-2\": field \"Datum\": expected a date (YYYY-MM-DD or an ISO 8601 date-time), found \"15.03.2026\"");
    CHECK(error_of([&] { translate(r, "csv", "Firma;Land\nAcme;DE\n"); }) ==
          "csv: line 1: column \"Kundennummer\": missing from the header row (an accounts file needs an id column)");
    // Auto-detected delimiter, default columns.
    Registry d(nullptr);
    CHECK(translate(d, "csv", "id;name\nA;x,y\n").at(0).at("name") == "x,y");
    CHECK(translate(d, "csv", "id,name\nA,\"x;y\"\n").at(0).at("name") == "x;y");
    CHECK(translate(d, "csv", "id\tname\nA\tx y\n").at(0).at("name") == "x y");
    CHECK(translate(d, "csv", "id,name\n\n,\nB,b\n").size() == 1);
    int status = 0;
    CHECK(error_of([&] { translate(d, "csv", "id,name\nA,M\xFCller\n"); }, &status) ==
          "csv: line 2: not valid UTF-8 (export the file as UTF-8)");  // a Latin-1 export
    CHECK(status == CRMTIER_E_PARSE);
    CHECK(error_of([&] { translate(d, "csv", "id,name\nA,\xED\xA0\x80\n"); }) ==
          "csv: line 2: not valid UTF-8 (export the file as UTF-8)");  // a UTF-16 surrogate
    CHECK(error_of([&] { translate(d, "csv", "id,name\nA,\xC3"); }) ==
          "csv: line 2: not valid UTF-8 (export the file as UTF-8)");  // cut in the middle
}

TEST_CASE("bulk JSON Lines: envelopes, blank lines, and errors that name the line", "[bulk]") {
    Registry r(nullptr);
    std::vector<Translated> out;
    std::string data = "\xEF\xBB\xBF" + crmtier::test::fixture("salesforce/query_envelope.json") + "\r\n\n   \n" +
                       json::serialize(json::parse(crmtier::test::fixture("salesforce/won_opportunity.json"))) + "\n";
    REQUIRE_NOTHROW(r.translate_bulk("salesforce", data, out));
    REQUIRE(out.size() == 3);
    CHECK(out[0].line == 1);
    CHECK(out[1].line == 1);
    CHECK(out[2].line == 5);  // the fixture ends with its own newline
    CHECK(out[2].record.at("amount") == 1250.0);

    out.clear();
    std::string bad = crmtier::test::fixture("tryton/full_party.json") + "\n" + crmtier::test::fixture("tryton/malformed_amount.json");
    int status = 0;
    CHECK(error_of([&] { r.translate_bulk("tryton", bad, out); }, &status) ==
          "line 3: tryton sale.sale \"8\": field \"untaxed_amount\": expected a number, found \"12,50\"");
    CHECK(status == CRMTIER_E_RECORD);
    status = 0;
    CHECK(error_of([&] { r.translate_bulk("tryton", "{\"__model__\":\"party.party\",\"id\":1}\n{oops\n", out); }, &status)
              == "tryton: line 2, column 2: not valid JSON: syntax error");
    CHECK(status == CRMTIER_E_PARSE);

    out.clear();
    REQUIRE_NOTHROW(r.translate_bulk("odoo", crmtier::test::fixture("odoo/full_partner.json") + "\n" +
                                                 crmtier::test::fixture("odoo/credit_note.json"), out));
    REQUIRE(out.size() == 2);
    CHECK(out[1].line == 3);
}

TEST_CASE("hostile input never crashes: deep nesting, huge numbers, random bytes", "[robustness]") {
    Registry r(nullptr);
    std::vector<Translated> out;
    std::string deep(100000, '[');
    int status = 0;
    CHECK(error_of([&] { r.translate("salesforce", deep, out); }, &status) ==
          "salesforce: column 65: JSON nested deeper than 64 levels (limits.max_depth)");
    CHECK(status == CRMTIER_E_LIMIT);
    status = 0;
    CHECK(error_of([&] { r.translate_bulk("hubspot", "{\"id\":\"1\",\"properties\":{}}\n" + deep, out); }, &status) ==
          "hubspot: line 2, column 65: JSON nested deeper than 64 levels (limits.max_depth)");
    CHECK(status == CRMTIER_E_LIMIT);
    std::string deep_obj = "{\"attributes\":{\"type\":\"Account\"},\"Id\":\"1\",\"Name\":";
    for (int i = 0; i < 60; ++i) deep_obj += "{\"a\":";
    deep_obj += "1";
    for (int i = 0; i < 60; ++i) deep_obj += "}";
    deep_obj += "}";
    status = 0;
    CHECK(error_of([&] { r.translate("salesforce", deep_obj, out); }, &status) ==
          "salesforce Account \"1\": field \"Name\": expected a string, found an object");
    CHECK(status == CRMTIER_E_RECORD);
    status = 0;
    error_of([&] { r.translate("tryton", R"({"__model__":"party.party","id":1,"employees":1e300})", out); }, &status);
    CHECK(status == CRMTIER_E_RECORD);
    status = 0;
    error_of([&] { r.translate("tryton", R"({"__model__":"party.party","id":18446744073709551615,"employees":18446744073709551615})", out); }, &status);
    CHECK(status == CRMTIER_E_RECORD);

    // Invalid UTF-8 is named; quoted host text is cut at a character boundary.
    status = 0;
    CHECK(error_of([&] { r.translate("dynamics", "{\"accountid\":\"\xFE\"}", out); }, &status) ==
          "dynamics: column 15: not valid JSON: invalid UTF-8");
    CHECK(status == CRMTIER_E_PARSE);
    std::string long_id(63, 'x');
    long_id += "\xC3\xA9\xC3\xA9";  // "éé" across the 64-byte cut
    std::string msg = error_of([&] {
        r.translate("tryton", "{\"__model__\":\"party.party\",\"id\":\"" + long_id + "\",\"employees\":\"x\"}", out);
    });
    CHECK(msg == "tryton party.party \"" + std::string(63, 'x') + "...\": field \"employees\": expected an integer, found \"x\"");

    std::mt19937 rng(42);
    const char* alphabet = "{}[]\":,;\n\r\\ 0123456789-.eE+tfnulrsaId_";
    for (const char* adapter : {"salesforce", "hubspot", "dynamics", "odoo", "tryton", "csv"}) {
        for (int i = 0; i < 300; ++i) {
            std::string s;
            std::size_t len = rng() % 200;
            for (std::size_t k = 0; k < len; ++k)
                s += (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % 39];
            out.clear();
            try {
                r.translate(adapter, s, out);
                r.translate_bulk(adapter, s, out);
            } catch (const crmtier::Error&) {
            }
        }
    }
    SUCCEED("no crash");
}

TEST_CASE("labels: codes a host sends without their labels, from the installation's table", "[config][labels]") {
    // Odoo read with load=None (bare many2one ids), Dataverse without the
    // formatted-value annotations: the configured label, else an error that
    // says what to send or configure.
    json::object c = config(R"({"odoo":{"labels":{"country_id":{"57":"Germany"},"industry_id":{"3":"Manufacturing"},"user_id":{"2":"Mitchell Admin"}}},
        "dynamics":{"labels":{"industrycode":{"12":"Durable Manufacturing"}}}})");
    Registry r(&c);
    CHECK(json::serialize(translate(r, "odoo", R"({"id":7,"name":"Acme","is_company":true,"country_id":57,"state_id":false,"industry_id":3,"user_id":2})")) ==
          R"([{"type":"account","id":"7","name":"Acme","owner":"Mitchell Admin","territory":"DE","industry":"Manufacturing"}])");
    CHECK(error_of([&] { translate(r, "odoo", R"({"id":7,"is_company":true,"country_id":58})"); }) ==
          "odoo res.partner \"7\": field \"country_id\": a bare id (58) without its name: read many2one fields as [id, \"name\"] "
          "(not with load=None), or give its name in adapters.odoo.labels.country_id");
    CHECK(translate(r, "dynamics", R"({"accountid":"g-1","industrycode":12,"statecode":0})").at(0).at("industry") == "Durable Manufacturing");
    // The annotation, when sent, is the label.
    CHECK(translate(r, "dynamics", R"({"accountid":"g-1","industrycode":12,"industrycode@OData.Community.Display.V1.FormattedValue":"Durable Manufacturing","statecode":0})")
              .at(0).at("industry") == "Durable Manufacturing");
    CHECK(config_error(R"({"odoo":{"labels":{"country_id":{"57":""}}}})") ==
          "config: \"adapters.odoo.labels.country_id.57\": expected a label (a non-empty string)");
    CHECK(config_error(R"({"odoo":{"labels":["x"]}})") == "config: \"adapters.odoo.labels\": expected an object: host field -> {code: label}");
}

TEST_CASE("territory: one form across hosts, the country as ISO 3166-1 alpha-2 then the region as ISO 3166-2", "[territory]") {
    // docs/adapters.md "How records are read", Territory. Odoo displays a
    // state as "Bavaria (DE)"; Salesforce may send the country's name or its
    // code, and with state and country picklists the state's code
    // (BillingStateCode, developer.salesforce.com "Compound Fields: Address");
    // HubSpot and Dataverse send free text; Tryton sends ISO codes.
    Registry r(nullptr);
    auto territory = [&](const char* adapter, const std::string& text) {
        const json::array got = translate(r, adapter, text);
        REQUIRE(got.size() == 1);
        return std::string(got[0].at("territory").as_string());
    };
    CHECK(territory("odoo", R"j({"id":7,"is_company":true,"country_id":[57,"Germany"],"state_id":[12,"Bavaria (DE)"]})j") == "DE/DE-BY");
    CHECK(territory("odoo", R"j({"id":7,"is_company":true,"country_code":"DE","country_id":57,"state_id":[12,"Bayern (DE)"]})j") == "DE/DE-BY");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Germany","state":"Bavaria"}})") == "DE/DE-BY");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"germany ","state":"Bayern"}})") == "DE/DE-BY");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"DE","state":"BAYERN"}})") == "DE/DE-BY");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Germany","state":"BY"}})") == "DE/DE-BY");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Germany","state":"de-by"}})") == "DE/DE-BY");
    // Accents and case do not matter, composed or not: Thüringen, THÜRINGEN, Thuringen, Thu\u0308ringen.
    for (const char* state : {"Thüringen", "THÜRINGEN", "Thuringen", "Thu\u0308ringen", "Thuringia"})
        CHECK(territory("hubspot", std::string(R"({"id":"1","properties":{"country":"Germany","state":")") + state + "\"}}") == "DE/DE-TH");
    CHECK(territory("salesforce", R"({"attributes":{"type":"Account"},"Id":"001A","BillingCountry":"Federal Republic of Germany","BillingState":"Bavaria"})") == "DE/DE-BY");
    CHECK(territory("salesforce", R"({"attributes":{"type":"Account"},"Id":"001A","BillingAddress":{"countryCode":"DE","country":"Deutschland","state":"Bavaria"}})") == "DE/DE-BY");
    CHECK(territory("salesforce", R"({"attributes":{"type":"Account"},"Id":"001A","BillingCountry":"United States","BillingState":"California"})") == "US/US-CA");
    CHECK(territory("salesforce", R"({"attributes":{"type":"Account"},"Id":"001A","BillingCountry":"United States","BillingState":"CA"})") == "US/US-CA");
    CHECK(territory("salesforce", R"({"attributes":{"type":"Account"},"Id":"001A","BillingCountryCode":"US","BillingStateCode":"CA","BillingState":"California"})") == "US/US-CA");
    CHECK(territory("salesforce", R"({"attributes":{"type":"Account"},"Id":"001A","BillingAddress":{"countryCode":"US","stateCode":"CA","state":"California"}})") == "US/US-CA");
    CHECK(territory("dynamics", R"({"accountid":"g-1","address1_country":"DEU","address1_stateorprovince":"Bavaria","statecode":0})") == "DE/DE-BY");
    CHECK(territory("dynamics", R"({"accountid":"g-1","address1_country":"United States","address1_stateorprovince":"Texas","statecode":0})") == "US/US-TX");
    CHECK(territory("tryton", R"({"__model__":"party.party","id":1,"country":"de","subdivision":"DE-BY"})") == "DE/DE-BY");
    CHECK(territory("tryton", R"({"__model__":"party.party","id":1,"country":"FR","subdivision":"FR-IDF"})") == "FR/FR-IDF");
    // A country's names in its own language (iso-codes' French catalogue: Île-de-France).
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"France","state":"ile-de-france"}})") == "FR/FR-IDF");
    // A name two subdivisions share goes to the higher one (Guadeloupe: region FR-GP, department FR-971).
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"France","state":"Guadeloupe"}})") == "FR/FR-GP");
    // A region is looked up in its own country only: Bavaria is not a US state, BY is not a US code.
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"United States","state":"Bavaria"}})") == "US/Bavaria");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"US","state":"DE-BY"}})") == "US/DE-BY");
    // Names the tables do not know stay as written (without the blanks around them).
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Atlantis","state":"North"}})") == "Atlantis/North");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Germany","state":" Upper Franconia "}})") == "DE/Upper Franconia");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Atlantis","state":"Bavaria"}})") == "Atlantis/Bavaria");
    // A country's name in its own language (iso-codes' iso_3166-1 catalogues), and U.S.
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Deutschland","state":"Bayern"}})") == "DE/DE-BY");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"España","state":"Cataluña"}})") == "ES/ES-CT");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Osterreich","state":"Wien"}})") == "AT/AT-9");
    CHECK(territory("dynamics", R"({"accountid":"g-1","address1_country":"U.S.","address1_stateorprovince":"CA","statecode":0})") == "US/US-CA");
    // A country without accents is the same country (Côte d'Ivoire, Åland Islands).
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"Cote d'Ivoire"}})") == "CI");
    CHECK(territory("hubspot", R"({"id":"1","properties":{"country":"ALAND ISLANDS"}})") == "AX");
}

TEST_CASE("industry: a picklist value the installation labels is its label", "[labels]") {
    json::object c = config(R"({"hubspot":{"labels":{"properties.industry":{"MACHINERY":"Manufacturing"}}},
        "salesforce":{"labels":{"Industry":{"Machinery":"Manufacturing"}}}})");
    Registry r(&c);
    CHECK(translate(r, "hubspot", R"({"id":"1","properties":{"industry":"MACHINERY"}})").at(0).at("industry") == "Manufacturing");
    CHECK(translate(r, "hubspot", R"({"id":"1","properties":{"industry":"RETAIL"}})").at(0).at("industry") == "RETAIL");
    CHECK(translate(r, "salesforce", R"({"attributes":{"type":"Account"},"Id":"001A","Industry":"Machinery"})").at(0).at("industry") == "Manufacturing");
}
