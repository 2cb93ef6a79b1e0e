// crmtier_engine_snapshot_load: any file. The first byte picks how the rest
// is written: odd, as a payload behind a correct header (magic, version 1,
// length, CRC-32), so the fuzzer gets past the checksum into the content
// parser; even, as the raw file.
#include "fuzz/fuzz_common.hpp"

#include <unistd.h>

#include <boost/crc.hpp>

namespace {

void put(std::string& s, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

const std::string& path() {
    static const std::string p = "/tmp/crmtier-fuzz-snapshot-" + std::to_string(::getpid());
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string payload(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string file;
    if (data[0] & 1) {
        boost::crc_32_type crc;
        crc.process_bytes(payload.data(), payload.size());
        file = "CRMTSNAP";
        put(file, 1, 4);
        put(file, 0, 4);
        put(file, payload.size(), 8);
        put(file, crc.checksum(), 4);
        file += payload;
    } else {
        file = payload;
    }
    FILE* f = std::fopen(path().c_str(), "wb");
    if (!f) return 0;
    std::fwrite(file.data(), 1, file.size(), f);
    std::fclose(f);

    static crmtier_fuzz::Seeded seeded;
    crmtier_engine* const e = seeded.get();
    const std::string& before = seeded.before();
    const int st = crmtier_engine_snapshot_load(e, path().c_str());
    crmtier_fuzz::expect_unchanged(st, e, before, "snapshot_load");
    if (st == CRMTIER_OK) {
        crmtier_fuzz::expect_renders(e);
        seeded.changed();
    }
    std::remove(path().c_str());
    return 0;
}
