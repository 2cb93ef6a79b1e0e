// Shared by the libFuzzer harnesses: a fresh engine holding a small
// portfolio, and the atomicity oracle. Every harness checks, besides "no
// crash, no sanitizer report", the ABI's promises that a fuzzer can check:
//   - a call that fails leaves the engine exactly as it was (digest);
//   - a failed call sets a non-empty message;
//   - every JSON the library returns is valid JSON.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "tests/hostile/engine_digest.hpp"

namespace crmtier_fuzz {

[[noreturn]] inline void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "crmtier fuzz oracle: %s\n%s\n", what, detail.substr(0, 4000).c_str());
    std::abort();
}

inline void expect_json(const std::string& text, const char* what) {
    boost::system::error_code ec;
    boost::json::parse(text, ec);
    if (ec) fail(what, "not valid JSON: " + text);
}

// A failed call: the message is set and the engine is as it was.
inline void expect_unchanged(int status, crmtier_engine* e, const std::string& before, const char* what) {
    if (status == CRMTIER_OK) return;
    if (status == CRMTIER_E_INTERNAL) fail(what, std::string("internal error: ") + crmtier_last_error());
    if (!*crmtier_last_error()) fail(what, "failed without a message");
    const std::string after = crmtier_test::digest(e);
    if (after != before) fail(what, "a failed call changed the engine:\n" + before + "\n----\n" + after);
}

// After a successful call everything the engine renders must be valid JSON.
inline void expect_renders(crmtier_engine* e) {
    const std::string d = crmtier_test::digest(e);
    std::size_t pos = 0;
    while (pos < d.size()) {
        std::size_t end = d.find('\n', pos);
        if (end == std::string::npos) end = d.size();
        const std::string line = d.substr(pos, end - pos);
        if (!line.empty() && line.rfind("--", 0) != 0) expect_json(line, "rendered output");
        pos = end + 1;
    }
}

// The seeded engine most inputs run against, made once and kept while calls
// fail (a failed call leaves it as it was, which every harness checks);
// after a call that succeeded, the next input gets a fresh one. Creating and
// digesting an engine per input would cost more than the call under test.
class Seeded {
public:
    crmtier_engine* get() {
        if (!engine_) {
            engine_ = std::make_unique<crmtier_test::Engine>(crmtier_test::kConfig);
            engine_->load(crmtier_test::seed_portfolio());
            before_ = crmtier_test::digest(engine_->get());
        }
        return engine_->get();
    }
    const std::string& before() const { return before_; }
    void changed() { engine_.reset(); }

private:
    std::unique_ptr<crmtier_test::Engine> engine_;
    std::string before_;
};

}  // namespace crmtier_fuzz
