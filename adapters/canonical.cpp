#include "adapters/canonical.hpp"

#include "base/errors.hpp"
#include "base/lines.hpp"
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
        constexpr std::size_t kBatchBytes = 4u << 20;
        if (pos_ >= data_.size()) return false;
        const std::size_t end = line_start(data_, pos_ + kBatchBytes);
        out.clear();
        line_ = for_each_line(data_.substr(pos_, end - pos_), line_, [&](std::string_view one, std::size_t at) {
            if (blank_line(one)) return;
            RecordRef ref;
            if (!parse_record_ref(one, limits_, ref)) {
                try {
                    out.owned.push_back(parse_record_text(one, limits_));
                } catch (const Error& e) {
                    rethrow_at_line(e, at);
                }
                ref = ref_of(out.owned.back());
            }
            ref.id_hash = IdArena::hash(ref.id);
            if (!ref.account) ref.account_hash = IdArena::hash(ref.account_id);
            ref.hashed = true;
            out.refs.push_back(ref);
        });
        pos_ = end;
        return true;
    }
    std::size_t size_hint() const override { return estimated_lines(data_); }

private:
    std::string_view data_;
    Limits limits_;
    std::size_t pos_ = 0, line_ = 0;
};

}  // namespace

void CanonicalAdapter::read(std::string_view text, RecordBatch& out) const { read_record(text, limits_, out); }

std::unique_ptr<BatchSource> CanonicalAdapter::read_bulk(std::string_view data) const {
    return std::make_unique<Lines>(data, limits_);
}

void CanonicalAdapter::write(const Portfolio& portfolio, const Result& result, std::string& out) const {
    render_result(portfolio, result, out);
}

}  // namespace crmtier::adapters
