#include "adapters/host_adapter.hpp"

#include "adapters/csv_translate.hpp"
#include "adapters/evaluate.hpp"
#include "adapters/host_render.hpp"
#include "base/errors.hpp"
#include "base/json_parse.hpp"
#include "base/lines.hpp"
#include "base/quote.hpp"

namespace crmtier::adapters {

namespace {

// A line of bulk input that holds one record is bounded like one record.
void check_line(std::string_view one, std::size_t line, const Limits& limits) {
    if (one.size() > limits.max_record_bytes)
        throw LimitError("line " + std::to_string(line) + ": " + std::to_string(one.size()) +
                         " bytes is over the limit of " + std::to_string(limits.max_record_bytes) +
                         " (limits.max_record_bytes)");
}

// The canonical records of `translated`, checked as canonical input is;
// errors name the adapter (and the line, in bulk).
void to_records(const std::string& adapter, const std::vector<Translated>& translated, const Limits& limits,
                bool bulk, RecordBatch& out) {
    for (const Translated& t : translated) {
        try {
            out.add(parse_record(t.record, limits));
        } catch (const Error& e) {
            const Error named(e.status(), adapter + ": " + e.what());
            if (!bulk) throw_error(named.status(), named.what());
            rethrow_at_line(named, t.line);
        }
    }
}

class WholeInput final : public BatchSource {
public:
    WholeInput(const HostAdapter& adapter, std::string_view data, const Limits& limits)
        : adapter_(adapter), data_(data), limits_(limits) {}

    bool next(RecordBatch& out) override {
        if (done_) return false;
        done_ = true;
        out.clear();
        if (adapter_.mapping().csv)  // every CSV row is one record, bounded like one
            for_each_line(data_, 0, [&](std::string_view one, std::size_t line) { check_line(one, line, limits_); });
        std::vector<Translated> translated;
        adapter_.translate_bulk(data_, translated);
        to_records(adapter_.name(), translated, limits_, true, out);
        return true;
    }
    std::size_t size_hint() const override { return estimated_lines(data_); }

private:
    const HostAdapter& adapter_;
    std::string_view data_;
    Limits limits_;
    bool done_ = false;
};

}  // namespace

HostAdapter::HostAdapter(HostMapping mapping, const Limits& limits)
    : Adapter(mapping.name), mapping_(std::move(mapping)), limits_(limits) {}

void HostAdapter::translate(std::string_view text, std::vector<Translated>& out) const {
    if (mapping_.csv) return translate_csv(mapping_, text, out);
    const boost::json::value v = parse_host_json(mapping_, strip_bom(text), 0);
    std::vector<Translated> got;
    for (const boost::json::value* item : expand(mapping_, v)) translate_record(mapping_, *item, 0, got);
    for (auto& t : got) out.push_back(std::move(t));
}

void HostAdapter::translate_bulk(std::string_view data, std::vector<Translated>& out) const {
    if (mapping_.csv) return translate_csv(mapping_, data, out);
    data = strip_bom(data);
    std::vector<Translated> got;
    // The records of one JSON value of the input (a record, an array or the
    // vendor's list envelope) starting at `line`.
    auto records_of = [&](const std::vector<const boost::json::value*>& items, std::size_t line) {
        for (const boost::json::value* item : items) {
            try {
                translate_record(mapping_, *item, line, got);
            } catch (const RecordError& e) {
                rethrow_at_line(e, line);
            }
        }
    };
    try {
        // JSON Lines: one record (or one page of a listing) a line.
        for_each_line(data, 0, [&](std::string_view text, std::size_t line) {
            if (blank_line(text)) return;
            const boost::json::value v = parse_host_json(mapping_, text, line);
            const auto items = expand(mapping_, v);
            // A line holding one record is bounded like one; a page of many is not.
            if (items.size() == 1 && items[0] == &v) check_line(text, line, limits_);
            records_of(items, line);
        });
    } catch (const ParseError& not_lines) {
        // Not JSON Lines: whole documents (an API response saved as it came,
        // pretty-printed or not; several pages one after another), each
        // value read wherever its lines end. Input that is neither keeps the
        // error of the line that is not JSON.
        std::vector<boost::json::value> values;
        std::vector<std::size_t> lines;
        try {
            parse_json_values(data, limits_.max_depth, [&](boost::json::value&& v, std::size_t line,
                                                           const std::string& dup) {
                if (!dup.empty()) refuse_duplicate(name(), dup, line);
                values.push_back(std::move(v));
                lines.push_back(line);
            });
        } catch (const ParseError&) {
            throw not_lines;
        } catch (const LimitError& e) {
            throw_error(e.status(), name() + ": " + e.what());
        }
        got.clear();
        for (std::size_t i = 0; i < values.size(); ++i) records_of(expand(mapping_, values[i]), lines[i]);
    }
    for (auto& t : got) out.push_back(std::move(t));
}

void HostAdapter::read(std::string_view text, RecordBatch& out) const {
    if (text.size() > limits_.max_record_bytes)
        throw LimitError("record of " + std::to_string(text.size()) + " bytes is over the limit of " +
                         std::to_string(limits_.max_record_bytes) + " (limits.max_record_bytes)");
    std::vector<Translated> translated;
    translate(text, translated);
    to_records(name(), translated, limits_, false, out);
}

std::unique_ptr<BatchSource> HostAdapter::read_bulk(std::string_view data) const {
    return std::make_unique<WholeInput>(*this, data, limits_);
}

void HostAdapter::write(const Portfolio& portfolio, const Result& result, std::string& out) const {
    render_host_result(mapping_, FieldsOfResult(portfolio, result), out);
}

}  // namespace crmtier::adapters
