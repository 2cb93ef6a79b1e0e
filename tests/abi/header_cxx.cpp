// abi.header_cxx: crmtier.h alone, compiled as strict C++11
// (-std=c++11 -Wall -Wextra -Werror -pedantic): the C declarations read the
// same from C++, with C linkage.
#include "crmtier.h"

#include <type_traits>

static_assert(CRMTIER_ABI_VERSION_MAJOR == 1, "ABI major");
static_assert((CRMTIER_ABI_VERSION >> 16) == CRMTIER_ABI_VERSION_MAJOR, "ABI packing");
static_assert(std::is_same<decltype(&crmtier_abi_version), uint32_t (*)()>::value, "crmtier_abi_version");
static_assert(std::is_same<decltype(&crmtier_engine_create), int (*)(const char*, size_t, crmtier_engine**)>::value,
              "crmtier_engine_create");
static_assert(std::is_same<decltype(&crmtier_engine_save),
                           int (*)(crmtier_engine*, const char*, const char*, size_t, char**, size_t*)>::value,
              "crmtier_engine_save");
static_assert(std::is_same<decltype(&crmtier_cursor_next), int (*)(crmtier_cursor*, const char**, size_t*)>::value,
              "crmtier_cursor_next");
static_assert(std::is_same<crmtier_log_fn, void (*)(int, const char*, void*)>::value, "crmtier_log_fn");

extern "C" void crmtier_header_cxx_log(int, const char*, void*) {}

// Every function, through a pointer of the type the header gives it.
struct Table {
    uint32_t (*abi_version)();
    const char* (*version)();
    const char* (*status_string)(int);
    const char* (*last_error)();
    void (*free_fn)(void*);
    int (*create)(const char*, size_t, crmtier_engine**);
    void (*destroy)(crmtier_engine*);
    int (*set_as_of)(crmtier_engine*, const char*);
    int (*load)(crmtier_engine*, const char*, const char*, size_t, size_t*);
    int (*save)(crmtier_engine*, const char*, const char*, size_t, char**, size_t*);
    int (*result)(crmtier_engine*, const char*, const char*, size_t, char**, size_t*);
    int (*sequence)(crmtier_engine*, uint64_t*);
    int (*changes)(crmtier_engine*, uint64_t, char**, size_t*);
    int (*groups)(crmtier_engine*, char**, size_t*);
    int (*stats)(crmtier_engine*, char**, size_t*);
    int (*cursor_open)(crmtier_engine*, const char*, crmtier_cursor**);
    int (*cursor_next)(crmtier_cursor*, const char**, size_t*);
    void (*cursor_destroy)(crmtier_cursor*);
    int (*set_log)(crmtier_engine*, crmtier_log_fn, void*, int);
    int (*snapshot_save)(crmtier_engine*, const char*);
    int (*snapshot_load)(crmtier_engine*, const char*);
    int (*report)(crmtier_engine*, const char*, size_t, char**, size_t*);
};

int crmtier_header_cxx_check();
int crmtier_header_cxx_check() {
    const Table t = {crmtier_abi_version,    crmtier_version,         crmtier_status_string,
                     crmtier_last_error,     crmtier_free,            crmtier_engine_create,
                     crmtier_engine_destroy, crmtier_engine_set_as_of, crmtier_engine_load,
                     crmtier_engine_save,    crmtier_engine_result,   crmtier_engine_sequence,
                     crmtier_engine_changes, crmtier_engine_peer_groups, crmtier_engine_stats,
                     crmtier_cursor_open,    crmtier_cursor_next,     crmtier_cursor_destroy,
                     crmtier_engine_set_log, crmtier_engine_snapshot_save, crmtier_engine_snapshot_load,
                     crmtier_engine_report};
    crmtier_log_fn fn = crmtier_header_cxx_log;
    return (t.abi_version != nullptr) + (t.set_log != nullptr) + (t.snapshot_load != nullptr) + (t.report != nullptr) + (fn != nullptr) + CRMTIER_LOG_OFF;
}
