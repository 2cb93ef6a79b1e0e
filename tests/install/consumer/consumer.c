/* A host built against an installed crmtier (tests/install): loads a tiny
 * portfolio, prints the ABI version, the tiers, and which file the library
 * was loaded from (so the test sees the installed one, not the build tree's).
 * tests/install/portfolio.jsonl holds the same records for the installed
 * reference host.
 *
 * The portfolio, as of 2026-11-30 with the default configuration
 * (docs/semantics.md#revenue-windows, #benchmark, #profiles-and-look-alikes,
 * #potential, #tier): no account has an industry, so no profile is complete,
 * there are no peers and no L; potential = max(R, P) = R here.
 *   ACC-A  100,000 on 2026-03-15   R = 100,000
 *   ACC-B   50,000 on 2026-06-01   R =  50,000
 *   ACC-C   10,000 on 2026-06-01   R =  10,000
 *   ACC-D   nothing                R = 0
 * Payers n = 3, benchmark rank ceil(95 * 3 / 100) = 3: the largest, 100,000.
 * Ratios 1.0 (>= 0.80: A), 0.5 (>= 0.45: B), 0.1 (> 0: C), potential 0: D. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <crmtier.h>

static const char portfolio[] =
    "{\"type\":\"account\",\"id\":\"ACC-A\",\"name\":\"A\",\"owner\":\"rep-1\",\"territory\":\"EMEA/DE\"}\n"
    "{\"type\":\"account\",\"id\":\"ACC-B\",\"name\":\"B\",\"owner\":\"rep-1\",\"territory\":\"EMEA/FR\"}\n"
    "{\"type\":\"account\",\"id\":\"ACC-C\",\"name\":\"C\",\"owner\":\"rep-1\",\"territory\":\"EMEA/IT\"}\n"
    "{\"type\":\"account\",\"id\":\"ACC-D\",\"name\":\"D\",\"owner\":\"rep-1\",\"territory\":\"EMEA/ES\"}\n"
    "{\"type\":\"revenue\",\"id\":\"INV-1\",\"account_id\":\"ACC-A\",\"date\":\"2026-03-15\",\"amount\":100000}\n"
    "{\"type\":\"revenue\",\"id\":\"INV-2\",\"account_id\":\"ACC-B\",\"date\":\"2026-06-01\",\"amount\":50000}\n"
    "{\"type\":\"revenue\",\"id\":\"INV-3\",\"account_id\":\"ACC-C\",\"date\":\"2026-06-01\",\"amount\":10000}\n";

static int check(int status, const char *what) {
    if (status != CRMTIER_OK)
        fprintf(stderr, "%s: %s: %s\n", what, crmtier_status_string(status), crmtier_last_error());
    return status == CRMTIER_OK;
}

int main(void) {
    static const char *const ids[] = {"ACC-A", "ACC-B", "ACC-C", "ACC-D"};
    crmtier_engine *engine = NULL;
    Dl_info info;
    size_t loaded = 0, i;
    int ok;

    if (dladdr((void *)&crmtier_abi_version, &info) && info.dli_fname)
        printf("library %s\n", info.dli_fname);
    printf("abi 0x%x version %s\n", (unsigned)crmtier_abi_version(), crmtier_version());
    if (!check(crmtier_engine_create("{}", 2, &engine), "create")) return 1;
    ok = check(crmtier_engine_set_as_of(engine, "2026-11-30"), "as-of") &&
         check(crmtier_engine_load(engine, "canonical", portfolio, sizeof portfolio - 1, &loaded), "load");
    if (ok) printf("loaded %u\n", (unsigned)loaded);
    for (i = 0; ok && i < sizeof ids / sizeof ids[0]; ++i) {
        char *result = NULL;
        size_t len = 0;
        const char *tier;
        ok = check(crmtier_engine_result(engine, "canonical", ids[i], strlen(ids[i]), &result, &len), ids[i]);
        if (!ok) break;
        tier = strstr(result, "\"tier\":\"");
        printf("%s tier %c\n", ids[i], tier ? tier[8] : '?');
        crmtier_free(result);
    }
    crmtier_engine_destroy(engine);
    return ok ? 0 : 1;
}
