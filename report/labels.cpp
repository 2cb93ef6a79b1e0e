#include "report/labels.hpp"

#include <stdexcept>

#include <boost/json.hpp>

#include "report/embedded.hpp"
#include "report/report.hpp"

namespace crmtier::report {

namespace json = boost::json;

std::string_view embedded(std::string_view path) {
    for (std::size_t i = 0; i < detail::kEmbeddedFileCount; ++i)
        if (path == detail::kEmbeddedFiles[i].path) return detail::kEmbeddedFiles[i].text;
    throw std::logic_error("report: no embedded file " + std::string(path));
}

namespace {

constexpr std::string_view kPrefix = "labels/", kSuffix = ".json";

json::object table_of(std::string_view lang) {
    json::value v = json::parse(embedded(std::string(kPrefix) + std::string(lang) + std::string(kSuffix)));
    return std::move(v.as_object());
}

// The reference table: every other language and every override has its keys.
const json::object& reference() {
    static const json::object table = table_of("en");
    return table;
}

}  // namespace

std::vector<std::string> label_languages() {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < detail::kEmbeddedFileCount; ++i) {
        std::string_view p = detail::kEmbeddedFiles[i].path;
        if (p.starts_with(kPrefix) && p.ends_with(kSuffix))
            out.emplace_back(p.substr(kPrefix.size(), p.size() - kPrefix.size() - kSuffix.size()));
    }
    return out;  // sorted: report/CMakeLists.txt embeds the files in order
}

std::vector<std::string> languages() { return label_languages(); }

bool is_label(std::string_view key) { return reference().contains(key); }

Labels::Labels(std::string_view lang, const std::vector<std::pair<std::string, std::string>>& overrides) {
    for (const auto& [k, v] : table_of(lang)) table_.emplace(std::string(k), std::string(v.as_string()));
    for (const auto& [k, v] : overrides) table_[k] = v;
}

const std::string& Labels::operator[](std::string_view key) const {
    const auto it = table_.find(key);
    if (it == table_.end()) throw std::logic_error("report: no label " + std::string(key));
    return it->second;
}

std::string Labels::fill(std::string_view key,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> values) const {
    const std::string& text = (*this)[key];
    std::string out;
    out.reserve(text.size() + 32);
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find('{', pos);
        if (open == std::string::npos) break;
        const std::size_t close = text.find('}', open + 1);
        if (close == std::string::npos) break;
        const std::string_view name(text.data() + open + 1, close - open - 1);
        const std::pair<std::string_view, std::string_view>* hit = nullptr;
        for (const auto& v : values)
            if (v.first == name) hit = &v;
        out.append(text, pos, open - pos);
        if (hit) {
            out.append(hit->second);
        } else {
            out.append(text, open, close + 1 - open);
        }
        pos = close + 1;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

}  // namespace crmtier::report
