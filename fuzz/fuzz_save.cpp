// crmtier_engine_save (the host's on-save call) through CRMTIER_FUZZ_ADAPTER,
// then the saved account's result through the same adapter.
#include "fuzz/fuzz_common.hpp"

#ifndef CRMTIER_FUZZ_ADAPTER
#error "define CRMTIER_FUZZ_ADAPTER"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static crmtier_fuzz::Seeded seeded;
    crmtier_engine* const e = seeded.get();
    const std::string& before = seeded.before();
    char* out = nullptr;
    std::size_t n = 0;
    const int st = crmtier_engine_save(e, CRMTIER_FUZZ_ADAPTER, reinterpret_cast<const char*>(data), size, &out, &n);
    if (st != CRMTIER_OK && (out || n)) crmtier_fuzz::fail("save", "failed but returned a result");
    crmtier_fuzz::expect_unchanged(st, e, before, "save");
    if (st == CRMTIER_OK) {
        const std::string r = crmtier_test::take(out, n);
        crmtier_fuzz::expect_json(r, "save result");
        crmtier_fuzz::expect_renders(e);
        // Every account renders through the host adapter too.
        const std::string d = crmtier_test::digest(e, CRMTIER_FUZZ_ADAPTER);
        (void)d;
        seeded.changed();
    }
    return 0;
}
