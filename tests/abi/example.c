/* The host's on-save call, in plain C: create an engine, set the as-of date,
 * save an account and an invoice, read tier, colour and next contact.
 * Build, from the top folder after the README's build:
 *   cc -std=c99 -Iabi tests/abi/example.c -Lbuild -lcrmtier -Wl,-rpath,$PWD/build */
#include <stdio.h>
#include <string.h>

#include "crmtier.h"

/* Fails loudly with the library's own message. */
static int check(int status, const char *what) {
    if (status != CRMTIER_OK)
        fprintf(stderr, "%s: %s: %s\n", what, crmtier_status_string(status), crmtier_last_error());
    return status == CRMTIER_OK;
}

/* The string value of "key" in a flat JSON result (enough for this example;
 * a real host uses its JSON parser). */
static void field(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    const char *p;
    size_t n = 0;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    p = strstr(json, pattern);
    if (p)
        for (p += strlen(pattern); *p && *p != '"' && n + 1 < size; ++p) out[n++] = *p;
    out[n] = '\0';
}

int main(void) {
    const char *config = "{}";
    const char *account =
        "{\"type\":\"account\",\"id\":\"ACC-1\",\"name\":\"Acme GmbH\",\"owner\":\"rep-7\","
        "\"employees\":320,\"territory\":\"EMEA/DE/Bavaria\",\"industry\":\"Manufacturing\","
        "\"last_contact\":\"2026-10-01\"}";
    const char *invoice =
        "{\"type\":\"revenue\",\"id\":\"INV-9\",\"account_id\":\"ACC-1\",\"date\":\"2026-03-15\","
        "\"amount\":1250.00,\"product\":\"Furniture/Chairs\"}";
    crmtier_engine *engine = NULL;
    char *result = NULL;
    size_t result_len = 0;
    char tier[8], colour[16], next_contact[16];
    int ok;

    if (!check(crmtier_engine_create(config, strlen(config), &engine), "create")) return 1;
    ok = check(crmtier_engine_set_as_of(engine, "2026-11-30"), "as-of") &&
         check(crmtier_engine_save(engine, "canonical", account, strlen(account), NULL, NULL), "save account") &&
         check(crmtier_engine_save(engine, "canonical", invoice, strlen(invoice), &result, &result_len),
               "save invoice");
    if (ok) {
        field(result, "tier", tier, sizeof tier);
        field(result, "colour", colour, sizeof colour);
        field(result, "next_contact", next_contact, sizeof next_contact);
        printf("ACC-1: tier %s, colour %s, next contact %s\n", tier, colour, next_contact);
        /* The only client is the leader: A, realising all its potential (red),
         * to be called 30 days after the last contact. */
        ok = strcmp(tier, "A") == 0 && strcmp(colour, "red") == 0 && strcmp(next_contact, "2026-10-31") == 0;
        if (!ok) fprintf(stderr, "unexpected result: %s\n", result);
    }
    crmtier_free(result);
    crmtier_engine_destroy(engine);
    return ok ? 0 : 1;
}
