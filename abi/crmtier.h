/*
 * crmtier.h: the stable C interface of the crmtier plugin.
 *
 * crmtier tiers client accounts A/B/C/D by revenue potential, colours them on a
 * temperature map, schedules the next contact, flags falling revenue and
 * proposes peer groups of sales reps. The numbers it produces are defined by
 * docs/semantics.md, the contract; docs/configuration.md lists every setting.
 *
 * This header is the whole contract: what is not declared here is not API.
 * It compiles as C99 and as C++.
 *
 * Conventions that hold for every function unless its comment says otherwise:
 *
 *  - Status. Functions return an int status: CRMTIER_OK (0) on success, one of
 *    the CRMTIER_E_* codes otherwise. Codes are pinned forever and only ever
 *    appended. After a failure, crmtier_last_error() describes it.
 *  - Arguments. Required pointers that are NULL, and JSON buffers of length 0,
 *    are reported as CRMTIER_E_ARGUMENT; they never crash. Text buffers are
 *    UTF-8 and passed as (pointer, length): they need not be NUL-terminated.
 *    Short names (adapter names, dates) are NUL-terminated strings.
 *  - Ownership. The library keeps no pointer the caller passes in, except a
 *    log callback and its user pointer (crmtier_engine_set_log). Every buffer
 *    returned through a `char **` is the caller's, NUL-terminated, and must be
 *    released with crmtier_free(). Every `const char *` returned is borrowed:
 *    its comment says how long it stays valid.
 *  - Atomicity. A call that fails leaves the engine exactly as it was.
 *  - Threads. [thread-safe]: every function may be called from any thread, and
 *    several threads may use one engine at once (writers are serialised,
 *    readers run in parallel). Exceptions are marked on the function.
 *  - No exception, abort or write to stdout/stderr ever leaves the library.
 *
 * Since: ABI 1.0 for everything declared here, unless its comment names a
 * later version.
 */
#ifndef CRMTIER_H
#define CRMTIER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define CRMTIER_API
#else
#  define CRMTIER_API __attribute__((visibility("default")))
#endif

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */
/* ------------------------------------------------------------------------ */

/* The product version (of this header), and the ABI version. The ABI major
 * changes only on an incompatible change (never, we hope); the minor grows
 * when functions are appended. Compare with the runtime twins below. */
#define CRMTIER_VERSION_MAJOR 0
#define CRMTIER_VERSION_MINOR 1
#define CRMTIER_VERSION_PATCH 0
#define CRMTIER_VERSION_STRING "0.1.0"

#define CRMTIER_ABI_VERSION_MAJOR 1
#define CRMTIER_ABI_VERSION_MINOR 1
/* (major << 16) | minor, as returned by crmtier_abi_version(). */
#define CRMTIER_ABI_VERSION \
    ((CRMTIER_ABI_VERSION_MAJOR << 16) | CRMTIER_ABI_VERSION_MINOR)

/* The ABI version of the loaded library: (major << 16) | minor. A host built
 * against this header can use the library when the majors are equal and the
 * library's minor is at least the header's. Never fails. */
CRMTIER_API uint32_t crmtier_abi_version(void);

/* The product version of the loaded library, e.g. "0.1.0". Static string,
 * valid for as long as the library is loaded. Never fails, never NULL. */
CRMTIER_API const char *crmtier_version(void);

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                   */
/* ------------------------------------------------------------------------ */

#define CRMTIER_OK 0
/* A required pointer is NULL, a length is 0, or an argument is out of range. */
#define CRMTIER_E_ARGUMENT 1
/* Input that is not well-formed JSON (or CSV, or JSON Lines). */
#define CRMTIER_E_PARSE 2
/* Well-formed input that breaks the record contract: a missing or mistyped
 * field, an impossible date, a non-numeric amount. The message names the
 * record (line, id) and the field. */
#define CRMTIER_E_RECORD 3
/* A configuration that is invalid: an unknown key (named in the message), a
 * wrong type, a value out of range. */
#define CRMTIER_E_CONFIG 4
/* The account (or other named thing) does not exist. */
#define CRMTIER_E_NOT_FOUND 5
/* No adapter of that name. */
#define CRMTIER_E_ADAPTER 6
/* A configured limit (record size, nesting depth, portfolio size) would be
 * exceeded. */
#define CRMTIER_E_LIMIT 7
/* Memory ran out. The engine is unchanged. */
#define CRMTIER_E_NOMEM 8
/* A bug in crmtier: an unexpected internal failure was caught at the
 * boundary. The engine is unchanged; please report the message. */
#define CRMTIER_E_INTERNAL 9
/* A file could not be read or written (the message carries the system's
 * reason and the path). */
#define CRMTIER_E_IO 10
/* A snapshot file that is not whole: truncated, altered (checksum), not a
 * snapshot at all, or written by a newer crmtier. */
#define CRMTIER_E_SNAPSHOT 11

/* A short, static description of a status code ("ok", "invalid argument",
 * ...); "unknown status" for values not listed above. Never NULL. */
CRMTIER_API const char *crmtier_status_string(int status);

/* The message of the last failed call made by the calling thread, naming the
 * problem (e.g. `line 3 (revenue "INV-9"): field "amount": expected a
 * number`). Never NULL; "" when no call on this thread has failed yet. The
 * string is owned by the library and stays valid until the calling thread's
 * next call into crmtier. [thread-safe: each thread has its own.] */
CRMTIER_API const char *crmtier_last_error(void);

/* Releases a buffer returned by crmtier through a `char **`. NULL is a no-op. */
CRMTIER_API void crmtier_free(void *buffer);

/* ------------------------------------------------------------------------ */
/* Engine                                                                    */
/* ------------------------------------------------------------------------ */

/* An engine holds one portfolio (accounts and revenue records), one policy
 * (the configuration) and one as-of date. Opaque. */
typedef struct crmtier_engine crmtier_engine;

/* Creates an engine from a configuration JSON object. "{}" gives every
 * default of the Semantics; docs/configuration.md lists every key. An unknown
 * key, at any depth, is a CRMTIER_E_CONFIG error naming it ("benchmark.mehtod").
 * The as-of date starts as the configuration's "as_of" or, when absent, today
 * (UTC).
 * config/config_len: the JSON text (not kept).
 * out: receives the engine; set to NULL on failure. Destroy it with
 *      crmtier_engine_destroy().
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_PARSE, CRMTIER_E_CONFIG, CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_engine_create(const char *config, size_t config_len,
                                      crmtier_engine **out);

/* Destroys an engine and everything it holds. NULL is a harmless no-op.
 * [not thread-safe]: no other call may be using this engine, or start to. */
CRMTIER_API void crmtier_engine_destroy(crmtier_engine *engine);

/* Sets the date as of which every result is computed: "YYYY-MM-DD" (a real
 * calendar date), or "today" for today in UTC. Every result may change; the
 * change feed reports them all.
 * Errors: CRMTIER_E_ARGUMENT (NULL, or not a valid date; the message says
 * which part). */
CRMTIER_API int crmtier_engine_set_as_of(crmtier_engine *engine,
                                         const char *date);

/* Adapters. Every function below that takes records or returns results names
 * an adapter: "canonical" reads the canonical records of the Semantics and
 * returns canonical results; a host adapter ("salesforce", "hubspot",
 * "dynamics", "odoo", "tryton", "csv" where listed in docs/adapters.md)
 * reads that host's own record shapes and answers in that host's own field
 * names. An unknown name is CRMTIER_E_ADAPTER.
 * "canonical:" followed by result keys separated by commas, e.g.
 * "canonical:tier,colour,next_contact", is "canonical" answering with those
 * keys of the canonical result only: each key and value exactly as the
 * whole result has them, in the whole result's order (repeats count once),
 * for a host that keeps a few fields and would rather not decode ~1 kB of
 * JSON per result. Keys are those of docs/semantics.md#result ("id",
 * "tier", ..., "actions", "reasons"); an unknown or empty key is
 * CRMTIER_E_ADAPTER, naming it; an engine accepts up to 64 different sets
 * of keys. No function was added for it (ABI 1.1): a library that predates
 * it answers CRMTIER_E_ADAPTER, as for any unknown adapter. */

/* Loads many records at once: JSON Lines (one record a line; blank lines
 * ignored), or whole JSON documents (an array of records or an API
 * response, pretty-printed or not, several one after another), for
 * "canonical" and the JSON adapters; CSV for the csv adapters.
 * All or nothing: on any error nothing is loaded, and the message names the
 * line, the record id and the field. Records are upserts by id, and a record
 * with "deleted": true removes one, exactly as crmtier_engine_save().
 * loaded: optional (may be NULL); receives how many records were applied.
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_ADAPTER, CRMTIER_E_PARSE,
 * CRMTIER_E_RECORD, CRMTIER_E_LIMIT, CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_engine_load(crmtier_engine *engine, const char *adapter,
                                    const char *data, size_t data_len,
                                    size_t *loaded);

/* Saves one record: the host's on-save call. An account or a revenue record
 * (in the adapter's shape) is inserted, replaced (same id: saving the same
 * invoice twice never counts it twice) or deleted ("deleted": true, or the
 * host's own way of saying archived/deleted).
 * result/result_len: optional (result may be NULL). Receives the result of
 * the account the record belongs to (for a deleted revenue record, the
 * account it belonged to; for a revenue record that does not count, such as
 * a lost or open deal or a draft or cancelled invoice, the account it names,
 * its result unchanged), as one JSON object in the adapter's field names;
 * "null" only when there is no such account: the record names none, that
 * account has no account record yet, or it was just deleted.
 * Free it with crmtier_free().
 * Other accounts' results may change too (a new benchmark, a profile's
 * look-alike revenue): crmtier_engine_changes() lists them.
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_ADAPTER, CRMTIER_E_PARSE,
 * CRMTIER_E_RECORD, CRMTIER_E_LIMIT, CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_engine_save(crmtier_engine *engine, const char *adapter,
                                    const char *record, size_t record_len,
                                    char **result, size_t *result_len);

/* The current result of one account, as one JSON object in the adapter's
 * field names. The account id is the canonical one (the host's own record id
 * for host adapters).
 * result/result_len: receive the JSON; free it with crmtier_free().
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_ADAPTER, CRMTIER_E_NOT_FOUND. */
CRMTIER_API int crmtier_engine_result(crmtier_engine *engine,
                                      const char *adapter,
                                      const char *account_id, size_t id_len,
                                      char **result, size_t *result_len);

/* The engine's sequence number: it grows by one with every call that changes
 * the engine (save, load, set_as_of). Never fails for a valid engine.
 * Errors: CRMTIER_E_ARGUMENT. */
CRMTIER_API int crmtier_engine_sequence(crmtier_engine *engine, uint64_t *seq);

/* The accounts whose results changed after sequence `since` (0: since the
 * engine was created), as a JSON object:
 *   {"since":S,"seq":N,"changed":["ACC-1",...],"deleted":["ACC-9",...],
 *    "resync":false}
 * sorted by id. "changed" lists every account that exists now and whose
 * result (its canonical JSON) differs from what it was at `since`; a save
 * that moves the benchmark, or a new as-of date, changes every account. It
 * may list a few more whose result is the same: when the look-alike figures
 * of a profile move, all its members are listed. Pass the
 * returned "seq" as the next `since`. The feed's memory is bounded: after
 * many deletes and replacements the engine compacts itself and forgets what
 * came before; asked about a `since` from before that, it answers with
 * "resync": true, every account under "changed" and no "deleted" list, and
 * the host should refresh everything and drop what is not listed.
 * changes/changes_len: receive the JSON; free it with crmtier_free().
 * Errors: CRMTIER_E_ARGUMENT (also when since is above the current seq). */
CRMTIER_API int crmtier_engine_changes(crmtier_engine *engine, uint64_t since,
                                       char **changes, size_t *changes_len);

/* Proposes peer groups of sales reps (account owners): groups of 3 to 6 reps
 * who sell similar products and serve similar clients, each with what its
 * members share and the member whose A accounts run hottest, who presents.
 * The JSON shape is documented in docs/peer-groups.md.
 * groups/groups_len: receive the JSON; free it with crmtier_free().
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_engine_peer_groups(crmtier_engine *engine,
                                           char **groups, size_t *groups_len);

/* Figures about the engine, as a JSON object: {"as_of":"2026-11-27",
 * "seq":N,"accounts":N,"revenue_records":N,"benchmark":48000.0,...}.
 * stats/stats_len: receive the JSON; free it with crmtier_free().
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_engine_stats(crmtier_engine *engine, char **stats,
                                     size_t *stats_len);

/* ------------------------------------------------------------------------ */
/* The sales plan page                                                       */
/* ------------------------------------------------------------------------ */

/* Renders the sales plan of the engine's current state as one self-contained
 * HTML5 page (docs/report.md): the headline counts, the temperature map (one
 * row per rep, one column per tier, a square per account coloured by its
 * colour_hex), potential against realised revenue, the contact plan, the
 * escalations (every blue A account, its reasons as sentences), the decliners
 * with the feedback questions, the peer meetings and, on request, the movers.
 * Everything on it is an engine result; the page computes no rule. Inline CSS
 * and SVG, no request to any network or file (its Content-Security-Policy
 * allows none), readable with scripts off, printable on A4 landscape. The
 * same engine state and options give the same bytes (the only date on the
 * page is the as-of date). Host text (names, owners, ids, profile values,
 * labels) is escaped; none goes into the page's script.
 * options/options_len: a JSON object, or NULL for every default (then
 *      options_len is ignored). Keys, all optional:
 *        "owner"         one rep's page: only the accounts this owner has;
 *                        null or absent: every rep. Default: null.
 *        "title"         the page's title. Default: the language's.
 *        "lang"          the labels' language: "en" or "ru". Default: "en".
 *        "labels"        {"label": "text", ...}: replaces any label of the
 *                        language's table (docs/report.md lists them; {name}
 *                        in a label is filled in). Default: {}.
 *        "since"         "YYYY-MM-DD", before the as-of date: adds the movers,
 *                        the accounts whose tier or colour changed since then
 *                        (the same records scored as of both dates, in a
 *                        private copy: the engine's state and change feed are
 *                        untouched; it costs a copy of the portfolio's memory
 *                        for the duration of the call). Default: none.
 *        "cell_limit"    a map cell of more accounts shows a bar of colour
 *                        counts instead of squares (0..100000). Default: 400.
 *        "map_limit"     a map of more accounts shows bars in every cell
 *                        (0..1000000). Default: 20000.
 *        "list_limit"    rows per list (each rep's contact plan, the
 *                        escalations, the decliners, the movers), then
 *                        "and N more" (1..1000000). Default: 100.
 *        "contact_days"  the contact plan's horizon after the overdue ones,
 *                        in days (0..3650). Default: 14.
 *        "scatter_limit" a scatter of more accounts shows bins instead of one
 *                        mark per account (0..1000000). Default: 5000.
 *        "script"        true: a small inline script sorts tables and filters
 *                        by rep; false: no script at all. Default: true.
 * html/html_len: receive the page (UTF-8); free it with crmtier_free().
 * Errors: CRMTIER_E_ARGUMENT (NULL engine or html, options_len 0 with options
 * not NULL), CRMTIER_E_PARSE (options not JSON), CRMTIER_E_CONFIG (an unknown
 * key or label, named in the message as in "report options: \"ownr\":
 * unknown key"; a wrong type or range; "since" not before the as-of date),
 * CRMTIER_E_NOT_FOUND (no account has the "owner"), CRMTIER_E_LIMIT
 * (options nested deeper than 64 levels), CRMTIER_E_NOMEM.
 * [thread-safe]: it reads the engine under its shared lock, like
 * crmtier_engine_result(), and renders after releasing it. It works out
 * every account's result (and the peer groups, unless the previous report
 * of the unchanged engine did): saves wait for that part, which takes
 * seconds at a million accounts (docs/report.md).
 * Since: ABI 1.1. */
CRMTIER_API int crmtier_engine_report(crmtier_engine *engine,
                                      const char *options, size_t options_len,
                                      char **html, size_t *html_len);

/* ------------------------------------------------------------------------ */
/* Snapshots                                                                 */
/* ------------------------------------------------------------------------ */

/* Writes the engine's whole state (every account and revenue record, the
 * as-of date and the sequence number; not the configuration, which the host
 * keeps) to the file `path`, atomically: a temporary file beside it is
 * written, flushed to disk, renamed over `path`, and the folder flushed. A
 * crash at any moment leaves either the old file or the new one, never a mix.
 * The format is versioned and checksummed (docs/reliability.md).
 * path: NUL-terminated; not kept.
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_IO (the old file, if any, stays),
 * CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_engine_snapshot_save(crmtier_engine *engine,
                                             const char *path);

/* Replaces the engine's records and as-of date with those of the snapshot
 * at `path`. The configuration stays the engine's own. The sequence number
 * moves past both the engine's and the snapshot's, and the change feed then
 * lists every account as changed, and the accounts that existed before but
 * not in the snapshot as deleted.
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_IO, CRMTIER_E_SNAPSHOT (truncated,
 * altered, or a newer format; the engine is unchanged), CRMTIER_E_LIMIT,
 * CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_engine_snapshot_load(crmtier_engine *engine,
                                             const char *path);

/* ------------------------------------------------------------------------ */
/* Iterating over all results                                                */
/* ------------------------------------------------------------------------ */

/* A cursor over every account's result, in ascending id order. It walks the
 * accounts that existed when it was opened, and renders each one's result as
 * it is when the cursor reaches it: accounts deleted meanwhile are skipped,
 * accounts created after it was opened are not returned (open a new cursor,
 * or read the change feed). Destroying the engine first is allowed: the
 * cursor then ends. One cursor belongs to one thread at a time. */
typedef struct crmtier_cursor crmtier_cursor;

/* Opens a cursor that renders results through `adapter`.
 * out: receives the cursor; free it with crmtier_cursor_destroy().
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_ADAPTER, CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_cursor_open(crmtier_engine *engine, const char *adapter,
                                    crmtier_cursor **out);

/* Steps to the next result. On success *result points at its JSON object and
 * *result_len is its length; at the end *result is NULL and *result_len 0.
 * The string is borrowed: valid until the next call with this cursor.
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_NOMEM. */
CRMTIER_API int crmtier_cursor_next(crmtier_cursor *cursor, const char **result,
                                    size_t *result_len);

/* Renders the cursor's next results, up to max_results of them, on up to
 * `threads` threads at once, into one buffer: the same results, in the same
 * order and with the same bytes as that many crmtier_cursor_next() calls,
 * each followed by "\n" (JSON Lines). Accounts deleted meanwhile are skipped,
 * as crmtier_cursor_next() skips them.
 * max_results: 1 or more; the buffer holds about 1.2 kB a result (canonical),
 *      so a range of 10,000-100,000 keeps the memory small and the cores busy.
 * threads: how many threads render (each takes a contiguous part of the
 *      range); 0 = one per core of the machine (std::thread's count); 1 =
 *      this thread only, no thread is started. At most 256.
 * results/results_len: receive the text; at the end (no result left) NULL
 *      and 0. Borrowed: valid until the next call with this cursor (either
 *      kind) or its destruction.
 * count: receives how many results the text holds (0 at the end); may be
 *      NULL.
 * Errors: CRMTIER_E_ARGUMENT (NULL cursor, results or results_len;
 * max_results 0; threads over 256), CRMTIER_E_NOMEM, CRMTIER_E_INTERNAL (a
 * thread could not be started).
 * [thread-safe] like crmtier_cursor_next (one cursor belongs to one thread at
 * a time; the threads it starts are its own and have ended when it returns).
 * It holds the engine's shared lock while it renders the range: saves wait
 * for it (~1-3 us a result divided among the threads).
 * Since: ABI 1.1. */
CRMTIER_API int crmtier_cursor_next_batch(crmtier_cursor *cursor, size_t max_results,
                                          unsigned threads, const char **results,
                                          size_t *results_len, size_t *count);

/* Destroys a cursor. NULL is a harmless no-op. */
CRMTIER_API void crmtier_cursor_destroy(crmtier_cursor *cursor);

/* ------------------------------------------------------------------------ */
/* Logging                                                                   */
/* ------------------------------------------------------------------------ */

#define CRMTIER_LOG_TRACE 0
#define CRMTIER_LOG_DEBUG 1
#define CRMTIER_LOG_INFO 2
#define CRMTIER_LOG_WARN 3
#define CRMTIER_LOG_ERROR 4
#define CRMTIER_LOG_OFF 6

/* Receives one log message: a level (CRMTIER_LOG_*), the NUL-terminated text
 * (borrowed: valid during the call only) and the user pointer given to
 * crmtier_engine_set_log(). It is called on the thread that made the engine
 * call, never by two threads at once for one engine, and must not call back
 * into the same engine. */
typedef void (*crmtier_log_fn)(int level, const char *message, void *user);

/* Installs (fn != NULL) or removes (fn == NULL) the engine's log callback;
 * messages below min_level are not formatted at all. The library keeps fn and
 * user until they are replaced or the engine is destroyed. Without a callback
 * the library logs nothing anywhere: it never writes to stdout or stderr.
 * Errors: CRMTIER_E_ARGUMENT (NULL engine, min_level out of range). */
CRMTIER_API int crmtier_engine_set_log(crmtier_engine *engine, crmtier_log_fn fn,
                                       void *user, int min_level);

/* ------------------------------------------------------------------------ */
/* Partial reductions: scoring input that never meets in one place           */
/* ------------------------------------------------------------------------ */

/* These three let a host spread a portfolio too large for one process over
 * many (the Dask entry point of the Python binding, docs/dask.md, is one):
 * every rule stays the engine's own.
 *
 *   1. crmtier_engine_translate(): each piece of input, in any adapter's
 *      shape, is checked and turned into canonical JSON Lines, so the host
 *      can route every record by its type and id without reading the host's
 *      shape itself;
 *   2. an engine loaded with one share of the revenue records (for instance
 *      every record whose id hashes to one bucket, in input order, so that
 *      upserts and deletes resolve exactly as in one engine) gives its
 *      per-account sums with crmtier_engine_window_sums();
 *   3. the host adds those sums up per account (they are whole numbers: the
 *      merge is exact and associative) and loads them, with the account
 *      records, into one engine with crmtier_engine_load_window_sums(); its
 *      results are those of one engine holding every record. */

/* Reads bulk input through `adapter` exactly as crmtier_engine_load() reads
 * it (JSON Lines, or CSV for the csv adapters), checks every record as a load
 * does, and returns the canonical records they stand for as JSON Lines: one
 * record a line (each ending with "\n"), in input order, a host record that
 * gives several canonical records giving them in order. Each line is
 * `{"type":...,"id":...}` followed by the fields that are set, in the order of
 * docs/semantics.md#canonical-records (a deleted record: "deleted":true and
 * nothing else); amounts are written in money form (1250.5), exactly for
 * every amount below 10^11. Loading the lines through "canonical" has the
 * effect of loading `data` through `adapter`. The engine's records are not
 * read or changed: only its configuration (limits, adapters' settings) is
 * used.
 * records/records_len: receive the JSON Lines ("" for input with no record);
 * free with crmtier_free().
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_ADAPTER, CRMTIER_E_PARSE,
 * CRMTIER_E_RECORD, CRMTIER_E_LIMIT (messages name the line, the record id
 * and the field, as a load's do), CRMTIER_E_NOMEM.
 * Since: ABI 1.1. */
CRMTIER_API int crmtier_engine_translate(crmtier_engine *engine,
                                         const char *adapter,
                                         const char *data, size_t data_len,
                                         char **records, size_t *records_len);

/* The revenue of the engine's revenue records summed per account and per
 * window (docs/semantics.md#revenue-windows) as of the engine's as-of date,
 * whether or not the account has an account record in this engine. JSON
 * Lines sorted by account id (bytewise), one line per account:
 *   {"account_id":"ACC-1","annual":12500000,"prior":-19997500}
 * where "annual" and "prior" are the sums in whole units of 0.0001 (the
 * engine's fixed-point money: 12500000 is 1250.0). Accounts whose two sums
 * are both 0 are left out.
 * sums/sums_len: receive the JSON Lines ("" when no account has revenue in
 * a window); free with crmtier_free().
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_LIMIT (a sum beyond 2^63 - 1 units,
 * naming the account), CRMTIER_E_NOMEM.
 * Since: ABI 1.1. */
CRMTIER_API int crmtier_engine_window_sums(crmtier_engine *engine, char **sums,
                                           size_t *sums_len);

/* Loads per-account window sums in the form crmtier_engine_window_sums()
 * gives (lines in any order; blank lines ignored; several engines' sums for
 * one account must be added up first: a later line for the same account
 * replaces an earlier one). Each line becomes two revenue records of that
 * account, one carrying "annual" dated the as-of date and one carrying
 * "prior" dated revenue_window_days earlier, with ids no host record can
 * have (they hold U+001F), so they count exactly as the revenue they sum
 * and never replace a host's records. They are revenue records like the
 * others for stats, snapshots and later as-of dates: load the sums as of the
 * date they were made for (set the as-of date first, and do not move it
 * afterwards). All or nothing, as one step of the sequence.
 * data/data_len: the JSON Lines.
 * loaded: optional (may be NULL); receives how many lines were applied.
 * Errors: CRMTIER_E_ARGUMENT, CRMTIER_E_PARSE, CRMTIER_E_RECORD (an unknown
 * or missing field, an account id a record could not have; the message
 * starts with the line number), CRMTIER_E_LIMIT (a sum beyond 2^63 - 1
 * units; limits.max_revenue_records), CRMTIER_E_NOMEM.
 * Since: ABI 1.1. */
CRMTIER_API int crmtier_engine_load_window_sums(crmtier_engine *engine,
                                                const char *data,
                                                size_t data_len,
                                                size_t *loaded);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CRMTIER_H */
