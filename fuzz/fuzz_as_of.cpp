// crmtier_engine_set_as_of (any NUL-terminated text), and
// crmtier_engine_result with the same bytes as an account id.
#include "fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static crmtier_fuzz::Seeded seeded;
    crmtier_engine* const e = seeded.get();
    const std::string& before = seeded.before();
    const std::string text(reinterpret_cast<const char*>(data), size);  // NUL-terminated copy
    const int st = crmtier_engine_set_as_of(e, text.c_str());
    crmtier_fuzz::expect_unchanged(st, e, before, "set_as_of");
    if (st == CRMTIER_OK) {
        crmtier_fuzz::expect_renders(e);
        if (std::strlen(text.c_str()) == 10) {
            // The date read back is the date set.
            char* s = nullptr;
            std::size_t n = 0;
            crmtier_test::check(crmtier_engine_stats(e, &s, &n), "stats");
            const std::string stats = crmtier_test::take(s, n);
            if (stats.find("\"as_of\":\"" + std::string(text.c_str()) + "\"") == std::string::npos)
                crmtier_fuzz::fail("set_as_of", "as_of not read back: " + text + " -> " + stats);
        }
    }
    if (size > 0) {
        char* out = nullptr;
        std::size_t n = 0;
        const int rs = crmtier_engine_result(e, "canonical", text.data(), text.size(), &out, &n);
        if (rs == CRMTIER_OK) crmtier_fuzz::expect_json(crmtier_test::take(out, n), "result");
        else if (rs != CRMTIER_E_NOT_FOUND) crmtier_fuzz::fail("result", crmtier_last_error());
    }
    if (st == CRMTIER_OK) seeded.changed();
    return 0;
}
