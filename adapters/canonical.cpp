#include "adapters/canonical.hpp"

#include "base/errors.hpp"
#include "base/json_parse.hpp"
#include "base/lines.hpp"
#include "base/quote.hpp"
#include "plugin/id_table.hpp"
#include "plugin/render.hpp"

namespace crmtier::adapters {

namespace {

// One canonical record's text -> `out`: as views of the text where the fast
// path takes it, else parsed in full (which says why a bad record is bad).
void read_record(std::string_view text, const Limits& limits, RecordBatch& out) {
    RecordRef ref;
    if (parse_record_ref(text, limits, ref)) out.refs.push_back(ref);
    else out.add(parse_record_text(text, limits));
}

class Lines final : public BatchSource {
public:
    // A byte-order mark before the first line is no part of it (as for CSV).
    Lines(std::string_view data, const Limits& limits) : data_(strip_bom(data)), limits_(limits) {}

    bool next(RecordBatch& out) override {
        if (next_ >= parts()) return false;
        part(next_++, out);
        return true;
    }
    std::size_t size_hint() const override { return estimated_lines(data_); }

    // Parts of the lines that start in each 4 MB of the input (a part is
    // empty when a longer line spans all of it).
    std::size_t parts() const override { return (data_.size() + kPartBytes - 1) / kPartBytes; }
    void part(std::size_t i, RecordBatch& out) const override {
        const std::size_t begin = line_start(data_, i * kPartBytes);
        const std::size_t end = line_start(data_, (i + 1) * kPartBytes);
        out.clear();
        for_each_line(data_.substr(begin, end - begin), 0, [&](std::string_view one, std::size_t at) {
            if (blank_line(one)) return;
            RecordRef ref;
            if (!parse_record_ref(one, limits_, ref)) {
                try {
                    out.owned.push_back(parse_record_text(one, limits_));
                } catch (const Error& e) {
                    // Its line in the whole input: the lines before the part
                    // are counted only now, as the load stops here anyway.
                    rethrow_at_line(e, line_of(data_, begin) - 1 + at);
                }
                ref = ref_of(out.owned.back());
            }
            ref.id_hash = IdArena::hash(ref.id);
            if (!ref.account) ref.account_hash = IdArena::hash(ref.account_id);
            ref.hashed = true;
            out.refs.push_back(ref);
        });
    }

private:
    static constexpr std::size_t kPartBytes = 4u << 20;
    std::string_view data_;
    Limits limits_;
    std::size_t next_ = 0;
};

bool first_line_incomplete(std::string_view data, const Limits& limits);

// A whole JSON document of canonical records (an array of them, or records
// pretty-printed, one after another), as one batch: records that span lines
// are no JSON Lines.
class Documents final : public BatchSource {
public:
    Documents(std::string_view data, const Limits& limits) : data_(data), limits_(limits) {}

    bool next(RecordBatch& out) override {
        if (done_) return false;
        done_ = true;
        out.clear();
        auto add = [&](const boost::json::value& v, std::size_t line) {
            try {
                if (!v.is_object()) throw RecordError("expected a JSON object (one canonical record)");
                out.add(parse_record(v.get_object(), limits_));
            } catch (const Error& e) {
                rethrow_at_line(e, line);
            }
        };
        parse_json_values(data_, limits_.max_depth, [&](boost::json::value&& v, std::size_t line,
                                                        const std::string& dup) {
            if (!dup.empty())
                rethrow_at_line(RecordError("field " + quoted(dup) + ": duplicate key (it appears twice)"), line);
            if (const boost::json::array* a = v.if_array())
                for (const boost::json::value& item : *a) add(item, line);
            else
                add(v, line);
        });
        return true;
    }
    std::size_t size_hint() const override { return estimated_lines(data_); }

private:
    std::string_view data_;
    Limits limits_;
    bool done_ = false;
};

// Whether `data` holds whole documents rather than JSON Lines: its first
// non-blank line is not one JSON value ("[", or "{" of a pretty-printed
// record) and the whole is a sequence of JSON values. One line is looked at
// for JSON Lines, which pay nothing more; input that is neither is read as
// JSON Lines, whose error names the line.
bool whole_documents(std::string_view data, const Limits& limits) {
    if (!first_line_incomplete(data, limits)) return false;
    try {
        parse_json_values(data, limits.max_depth, [](boost::json::value&&, std::size_t, const std::string&) {});
        return true;
    } catch (const Error&) {
        return false;
    }
}

bool first_line_incomplete(std::string_view data, const Limits& limits) {
    std::size_t pos = 0;
    while (pos < data.size()) {
        std::size_t end = data.find('\n', pos);
        if (end == std::string_view::npos) end = data.size();
        const std::string_view line = data.substr(pos, end - pos);
        if (!blank_line(line)) {
            const std::size_t first = line.find_first_not_of(" \t");
            if (line[first] == '[') return true;
            RecordRef ref;
            if (parse_record_ref(line, limits, ref)) return false;
            try {
                std::string dup;  // whether the line is JSON is all this asks
                (void)parse_json(line, limits.max_depth, dup);
                return false;
            } catch (const ParseError&) {
                return true;
            } catch (const LimitError&) {
                return false;  // the line's own error says so
            }
        }
        pos = end + 1;
    }
    return false;
}

}  // namespace

void CanonicalAdapter::read(std::string_view text, RecordBatch& out) const { read_record(text, limits_, out); }

std::unique_ptr<BatchSource> CanonicalAdapter::read_bulk(std::string_view data) const {
    if (whole_documents(strip_bom(data), limits_)) return std::make_unique<Documents>(strip_bom(data), limits_);
    return std::make_unique<Lines>(data, limits_);
}

void CanonicalAdapter::write(const Portfolio& portfolio, const Result& result, std::string& out) const {
    if (keys_ == kAllKeys) render_result(portfolio, result, out);
    else render_result_fields(portfolio, result, keys_, out);
}

}  // namespace crmtier::adapters
