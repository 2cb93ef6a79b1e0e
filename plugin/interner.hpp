// Short strings that repeat across many records (owners, territories,
// industries, products) kept once and referred to by number.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

namespace crmtier {

class Interner {
public:
    static constexpr std::uint32_t kNone = 0;  // the empty string

    Interner() { strings_.emplace_back(); }

    std::uint32_t intern(std::string_view s) {
        if (s.empty()) return kNone;
        auto it = index_.find(s);
        if (it != index_.end()) return it->second;
        const auto id = static_cast<std::uint32_t>(strings_.size());
        strings_.emplace_back(s);
        index_.emplace(std::string(s), id);
        return id;
    }
    const std::string& str(std::uint32_t id) const { return strings_[id]; }
    std::size_t size() const { return strings_.size(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Eq {
        using is_transparent = void;
        bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    };
    std::vector<std::string> strings_;
    boost::unordered_flat_map<std::string, std::uint32_t, Hash, Eq> index_;
};

}  // namespace crmtier
