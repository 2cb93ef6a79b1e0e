/* abi.header_c99: crmtier.h alone, compiled as strict C99
 * (-std=c99 -Wall -Wextra -Werror -pedantic). Every declaration is used, so
 * a prototype that C99 cannot read fails here. */
#include "crmtier.h"

typedef char crmtier_check_abi_major[CRMTIER_ABI_VERSION_MAJOR == 1 ? 1 : -1];
typedef char crmtier_check_abi[(CRMTIER_ABI_VERSION >> 16) == CRMTIER_ABI_VERSION_MAJOR ? 1 : -1];
typedef char crmtier_check_abi_minor[CRMTIER_ABI_VERSION_MINOR >= 1 ? 1 : -1]; /* report: since 1.1 */
typedef char crmtier_check_codes[CRMTIER_OK == 0 && CRMTIER_E_INTERNAL == 9 ? 1 : -1];

static void on_log(int level, const char *message, void *user) {
    (void)level;
    (void)message;
    (void)user;
}

/* The address of every function, with the type the header gives it. */
int crmtier_header_c99_check(void);
int crmtier_header_c99_check(void) {
    uint32_t (*abi_version)(void) = crmtier_abi_version;
    const char *(*version)(void) = crmtier_version;
    const char *(*status_string)(int) = crmtier_status_string;
    const char *(*last_error)(void) = crmtier_last_error;
    void (*free_fn)(void *) = crmtier_free;
    int (*create)(const char *, size_t, crmtier_engine **) = crmtier_engine_create;
    void (*destroy)(crmtier_engine *) = crmtier_engine_destroy;
    int (*set_as_of)(crmtier_engine *, const char *) = crmtier_engine_set_as_of;
    int (*load)(crmtier_engine *, const char *, const char *, size_t, size_t *) = crmtier_engine_load;
    int (*save)(crmtier_engine *, const char *, const char *, size_t, char **, size_t *) = crmtier_engine_save;
    int (*result)(crmtier_engine *, const char *, const char *, size_t, char **, size_t *) = crmtier_engine_result;
    int (*sequence)(crmtier_engine *, uint64_t *) = crmtier_engine_sequence;
    int (*changes)(crmtier_engine *, uint64_t, char **, size_t *) = crmtier_engine_changes;
    int (*groups)(crmtier_engine *, char **, size_t *) = crmtier_engine_peer_groups;
    int (*stats)(crmtier_engine *, char **, size_t *) = crmtier_engine_stats;
    int (*cursor_open)(crmtier_engine *, const char *, crmtier_cursor **) = crmtier_cursor_open;
    int (*cursor_next)(crmtier_cursor *, const char **, size_t *) = crmtier_cursor_next;
    void (*cursor_destroy)(crmtier_cursor *) = crmtier_cursor_destroy;
    int (*set_log)(crmtier_engine *, crmtier_log_fn, void *, int) = crmtier_engine_set_log;
    int (*snapshot_save)(crmtier_engine *, const char *) = crmtier_engine_snapshot_save;
    int (*snapshot_load)(crmtier_engine *, const char *) = crmtier_engine_snapshot_load;
    int (*report)(crmtier_engine *, const char *, size_t, char **, size_t *) = crmtier_engine_report;
    crmtier_log_fn log_fn = on_log;
    int levels[] = {CRMTIER_LOG_TRACE, CRMTIER_LOG_DEBUG, CRMTIER_LOG_INFO, CRMTIER_LOG_WARN, CRMTIER_LOG_ERROR,
                    CRMTIER_LOG_OFF};
    const char *product = CRMTIER_VERSION_STRING;
    int codes[] = {CRMTIER_OK, CRMTIER_E_ARGUMENT, CRMTIER_E_PARSE, CRMTIER_E_RECORD, CRMTIER_E_CONFIG,
                   CRMTIER_E_NOT_FOUND, CRMTIER_E_ADAPTER, CRMTIER_E_LIMIT, CRMTIER_E_NOMEM, CRMTIER_E_INTERNAL, CRMTIER_E_IO, CRMTIER_E_SNAPSHOT};
    return (abi_version != 0) + (version != 0) + (status_string != 0) + (last_error != 0) + (free_fn != 0) +
           (create != 0) + (destroy != 0) + (set_as_of != 0) + (load != 0) + (save != 0) + (result != 0) +
           (sequence != 0) + (changes != 0) + (groups != 0) + (stats != 0) + (cursor_open != 0) +
           (cursor_next != 0) + (cursor_destroy != 0) + (set_log != 0) + (snapshot_save != 0) + (snapshot_load != 0) + (report != 0) + (log_fn != 0) + levels[5] + codes[9] +
           CRMTIER_VERSION_MAJOR + CRMTIER_VERSION_MINOR + CRMTIER_VERSION_PATCH + (product[0] == '0');
}
