// crmtier_engine_load through CRMTIER_FUZZ_ADAPTER ("canonical": JSON Lines;
// "csv": CSV; a host adapter: its JSON Lines). All or nothing.
#include "fuzz/fuzz_common.hpp"

#ifndef CRMTIER_FUZZ_ADAPTER
#error "define CRMTIER_FUZZ_ADAPTER"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static crmtier_fuzz::Seeded seeded;
    crmtier_engine* const e = seeded.get();
    const std::string& before = seeded.before();
    std::size_t loaded = 99;
    const int st = crmtier_engine_load(e, CRMTIER_FUZZ_ADAPTER, reinterpret_cast<const char*>(data), size, &loaded);
    if (st != CRMTIER_OK && loaded != 0) crmtier_fuzz::fail("load", "failed but reported records loaded");
    crmtier_fuzz::expect_unchanged(st, e, before, "load");
    if (st == CRMTIER_OK) {
        crmtier_fuzz::expect_renders(e);
        seeded.changed();
    }
    return 0;
}
