// Helpers shared by the adapter tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "registry.hpp"

namespace crmtier::test {

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string fixture(const std::string& rel) {
    return read_file(std::string(CRMTIER_ADAPTER_FIXTURES) + "/" + rel);
}

inline boost::json::array records(const std::vector<adapters::Translated>& ts) {
    boost::json::array a;
    for (const auto& t : ts) a.push_back(t.record);
    return a;
}

inline boost::json::array translate(const adapters::Registry& r, const std::string& adapter,
                                    const std::string& text) {
    std::vector<adapters::Translated> out;
    r.translate(adapter, text, out);
    return records(out);
}

}  // namespace crmtier::test
