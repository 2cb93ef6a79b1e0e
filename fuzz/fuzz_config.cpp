// crmtier_engine_create: any configuration text. An engine that is created
// must take a record and render it.
#include "fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    crmtier_engine* e = nullptr;
    const int st = crmtier_engine_create(reinterpret_cast<const char*>(data), size, &e);
    if (st != CRMTIER_OK) {
        if (e) crmtier_fuzz::fail("create", "failed but set *out");
        if (st == CRMTIER_E_INTERNAL || !*crmtier_last_error())
            crmtier_fuzz::fail("create", std::string("bad failure: ") + crmtier_last_error());
        return 0;
    }
    // Keep the engine's work bounded: one small portfolio, one as-of date.
    crmtier_engine_set_as_of(e, "2026-11-27");
    const char* seed = crmtier_test::seed_portfolio();
    crmtier_engine_load(e, "canonical", seed, std::strlen(seed), nullptr);
    crmtier_fuzz::expect_renders(e);
    crmtier_engine_destroy(e);
    return 0;
}
