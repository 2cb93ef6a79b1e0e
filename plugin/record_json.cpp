#include "plugin/record_json.hpp"

#include "base/json_writer.hpp"

namespace crmtier {

void append_record_json(std::string& out, const RecordRef& r) {
    JsonWriter w(out);
    w.begin_object();
    w.key("type").str(r.account ? "account" : "revenue");
    w.key("id").str(r.id);
    if (r.deleted) {
        w.key("deleted").boolean(true);
        // A revenue delete may name its account (its save answers with it).
        if (!r.account && !r.account_id.empty()) w.key("account_id").str(r.account_id);
        w.end_object();
        return;
    }
    // An optional string that is "" is not set (docs/semantics.md#canonical-records).
    const auto text = [&](const char* key, std::string_view v) {
        if (!v.empty()) w.key(key).str(v);
    };
    if (r.account) {
        text("name", r.name);
        text("owner", r.owner);
        if (r.employees) w.key("employees").integer(*r.employees);
        text("territory", r.territory);
        text("industry", r.industry);
        if (r.last_contact) w.key("last_contact").date(*r.last_contact);
    } else {
        w.key("account_id").str(r.account_id);
        w.key("date").date(r.date);
        w.key("amount").money(r.amount);
        text("product", r.product);
    }
    w.end_object();
}

}  // namespace crmtier
