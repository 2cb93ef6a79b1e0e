#!/bin/sh
# abi.host_cli: the reference host's command line, exit codes and messages.
#   host_cli.sh HOST SAMPLE WORKDIR
set -u
HOST=$1
SAMPLE=$2
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK"
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run NAME ARGS...: runs the host, keeping stdout, stderr and the exit code.
run() {
    name=$1
    shift
    "$HOST" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
}

rc() { cat "$WORK/$1.rc"; }

expect_rc() {
    if [ "$(rc "$1")" != "$2" ]; then
        fail "$1: exit code $(rc "$1"), expected $2"
        sed 's/^/  | /' "$WORK/$1.out" "$WORK/$1.err" | head -20
    fi
}

expect_text() {  # NAME FILE(out|err) TEXT
    if ! grep -F -q -- "$3" "$WORK/$1.$2"; then
        fail "$1: std$2 does not say \"$3\""
        sed 's/^/  | /' "$WORK/$1.$2" | head -20
    fi
}

expect_no_text() {  # NAME FILE(out|err) TEXT
    if grep -F -q -- "$3" "$WORK/$1.$2"; then
        fail "$1: std$2 says \"$3\""
        sed 's/^/  | /' "$WORK/$1.$2" | head -20
    fi
}

# --help: usage on stdout, exit 0.
run help --help
expect_rc help 0
expect_text help out "usage: crmtier score"

# An unknown option: exit 2 and a message naming it.
run badopt score --no-such-option "$SAMPLE"
expect_rc badopt 2
expect_text badopt err "unknown option --no-such-option"

# A missing file: exit 1, naming the file and the system's reason.
run missing score --as-of 2026-11-30 -o "$WORK/missing.jsonl" "$WORK/no-such-portfolio.jsonl"
expect_rc missing 1
expect_text missing err "crmtier: cannot read \"$WORK/no-such-portfolio.jsonl\": No such file or directory"

# A folder where a file should be: the system's reason too.
run folder score --as-of 2026-11-30 -o "$WORK/folder.jsonl" "$WORK"
expect_rc folder 1
expect_text folder err "crmtier: cannot read \"$WORK\": Is a directory"

# An output file that cannot be written: exit 1 with the system's reason.
run unwritable score --as-of 2026-11-30 -o "$WORK/no-such-folder/results.jsonl" "$SAMPLE"
expect_rc unwritable 1
expect_text unwritable err "crmtier: cannot write \"$WORK/no-such-folder/results.jsonl\": No such file or directory"

# A malformed line: exit 1, naming the line.
cat >"$WORK/bad.jsonl" <<'JSONL'
{"type":"account","id":"ACC-1","name":"Alpha"}
{"type":"revenue","id":"INV-1","account_id":"ACC-1","date":"2026-06-01","amount":100}
{"type":"revenue","id":"INV-2","account_id":"ACC-1","date":"2026-06-01","amount":
JSONL
run malformed score --as-of 2026-11-30 -o "$WORK/malformed.jsonl" "$WORK/bad.jsonl"
expect_rc malformed 1
expect_text malformed err "line 3, column 82: not valid JSON: incomplete JSON"

# A bad --as-of date: a bad command line (exit 2), the message about the flag.
run badday score --as-of 2026-02-30 -o "$WORK/badday.jsonl" "$SAMPLE"
expect_rc badday 2
expect_text badday err 'crmtier: --as-of: as-of date "2026-02-30": 2026-02-30 does not exist (that month has 28 days)'
expect_no_text badday err "usage:"

# An unknown --adapter: exit 2, the known adapters named.
run badadapter score --adapter salesfarce -o "$WORK/badadapter.jsonl" "$SAMPLE"
expect_rc badadapter 2
expect_text badadapter err 'crmtier: --adapter: unknown adapter "salesfarce" (known: canonical, csv, dynamics, hubspot, odoo, salesforce, tryton)'

# An unknown adapter in the configuration's "host": bad input (exit 1), the
# message about that key.
echo '{"host":"salesfarce"}' >"$WORK/badhost.json"
run badhost score --config "$WORK/badhost.json" -o "$WORK/badhost.jsonl" "$SAMPLE"
expect_rc badhost 1
expect_text badhost err "crmtier: $WORK/badhost.json: "'config: "host": unknown adapter "salesfarce" (known: canonical, csv, dynamics, hubspot, odoo, salesforce, tryton)'

# score on the sample: a summary with all four tiers, each with accounts.
run score score --as-of 2026-11-30 -o "$WORK/results.jsonl" "$SAMPLE"
expect_rc score 0
expect_text score out "tiers:"
tiers=$(grep 'tiers:' "$WORK/score.out")
for t in A B C D; do
    n=$(echo "$tiers" | sed -n "s/.* $t \([0-9][0-9]*\).*/\1/p")
    if [ -z "$n" ] || [ "$n" -eq 0 ]; then
        fail "score: the summary shows no accounts in tier $t: $tiers"
    fi
done
lines=$(wc -l <"$WORK/results.jsonl")
if [ "$lines" -lt 1000 ]; then
    fail "score: only $lines results written"
fi

# --format csv: a header row, then one row per account.
run csv score --as-of 2026-11-30 --format csv -o "$WORK/results.csv" "$SAMPLE"
expect_rc csv 0
header=$(head -n 1 "$WORK/results.csv")
case "$header" in
    id,tier,*next_contact*) ;;
    *) fail "csv: the first row is not a header: $header" ;;
esac
csv_lines=$(wc -l <"$WORK/results.csv")
if [ "$csv_lines" -ne $((lines + 1)) ]; then
    fail "csv: $csv_lines rows, expected $lines results + 1 header"
fi

# An unknown --format: a usage error.
run badformat score --format xml "$SAMPLE"
expect_rc badformat 2

# An option without its value: a usage error.
run novalue score "$SAMPLE" --as-of
expect_rc novalue 2
expect_text novalue err "--as-of needs a value"

# --version: the product version.
run version --version
expect_rc version 0
expect_text version out "0.1.0"

# No FILE: the bundled sample, as of its own date (the README's main command).
run bundled score -o "$WORK/bundled.jsonl"
expect_rc bundled 0
expect_text bundled out "as of 2026-11-30"
if ! cmp -s "$WORK/bundled.jsonl" "$WORK/results.jsonl"; then
    fail "bundled: the bundled sample's results differ from scoring it as of 2026-11-30"
fi

# groups: the peer groups as JSON.
run groups groups --as-of 2026-11-30 "$SAMPLE"
expect_rc groups 0
expect_text groups out '"groups":['

# report: the sales plan page, to a file; the summary names it; standard
# error stays empty (no terminal: no progress bar).
run report report --as-of 2026-11-30 -o "$WORK/plan.html" "$SAMPLE"
expect_rc report 0
expect_text report out "plan: $WORK/plan.html"
if ! head -c 15 "$WORK/plan.html" | grep -q '<!DOCTYPE html>'; then
    fail "report: $WORK/plan.html is not an HTML page"
fi
if [ -s "$WORK/report.err" ]; then
    fail "report: standard error is not empty"
    sed 's/^/  | /' "$WORK/report.err" | head -5
fi
# The bundled sample (no FILE) gives the same page; "-" is standard output.
run report_bundled report -o - -q
expect_rc report_bundled 0
if ! cmp -s "$WORK/report_bundled.out" "$WORK/plan.html"; then
    fail "report: the bundled sample's page differs from the sample's as of 2026-11-30"
fi
# One rep, in Russian, with the movers and a label of the host's own.
printf '{"title": "Plan of the week"}' > "$WORK/labels.json"
run report_rep report --as-of 2026-11-30 --owner rep-07 --lang ru --since 2026-10-31 \
    --labels "$WORK/labels.json" --title "Q4" -o "$WORK/plan-rep.html" "$SAMPLE"
expect_rc report_rep 0
for text in '<html lang="ru">' '<h1>Q4</h1>' 'id="movers"' 'Менеджер rep-07'; do
    grep -F -q -- "$text" "$WORK/plan-rep.html" || fail "report_rep: the page does not say $text"
done
# An owner with no account: exit 1, naming it; report options elsewhere: exit 2.
run report_owner report --as-of 2026-11-30 --owner rep-99 -o "$WORK/none.html" "$SAMPLE"
expect_rc report_owner 1
expect_text report_owner err 'no account has the owner "rep-99"'
run report_lang report --as-of 2026-11-30 --lang de -o "$WORK/none.html" "$SAMPLE"
expect_rc report_lang 1
expect_text report_lang err '"lang": no labels for "de"'
run score_owner score --owner rep-07 "$SAMPLE"
expect_rc score_owner 2
expect_text score_owner err "are options of report"

# A plugin that is not there: exit 3, the system's reason (dlerror) and
# nothing else.
run nolib score --library "$WORK/no-such-libcrmtier.so" "$SAMPLE"
expect_rc nolib 3
expect_text nolib err "crmtier: cannot load the plugin: $WORK/no-such-libcrmtier.so: cannot open shared object file: No such file or directory"
expect_no_text nolib err "Bad file descriptor"
expect_no_text nolib err "boost::"

# A file that is not a shared library: exit 3, why.
echo "not a library" >"$WORK/fake-libcrmtier.so"
run fakelib score --library "$WORK/fake-libcrmtier.so" "$SAMPLE"
expect_rc fakelib 3
expect_text fakelib err "crmtier: cannot load the plugin: $WORK/fake-libcrmtier.so: "
expect_no_text fakelib err "Bad file descriptor"

# The bundled sample of a host outside its build tree (docs/install.md): its
# PREFIX/share/crmtier/samples, never the source tree; CRMTIER_SAMPLE_DIR
# first. A copy in WORK/prefix/bin has no share/ beside it: exit 1, saying
# where it looked and what to do.
mkdir -p "$WORK/prefix/bin"
cp "$HOST" "$WORK/prefix/bin/crmtier"
LIBRARY=$(dirname "$HOST")/libcrmtier.so
HOST_SAVED=$HOST
HOST=$WORK/prefix/bin/crmtier
CRMTIER_LIBRARY=$LIBRARY run nosample score -o "$WORK/nosample.jsonl"
expect_rc nosample 1
expect_text nosample err "the bundled sample is not installed (looked for $WORK/prefix/share/crmtier/samples/portfolio.jsonl)"
expect_text nosample err "CRMTIER_SAMPLE_DIR"
CRMTIER_LIBRARY=$LIBRARY CRMTIER_SAMPLE_DIR=$(dirname "$SAMPLE") run envsample score -o "$WORK/envsample.jsonl"
expect_rc envsample 0
expect_text envsample err "scoring the bundled sample $(dirname "$SAMPLE")/portfolio.jsonl"
cmp -s "$WORK/envsample.jsonl" "$WORK/bundled.jsonl" ||
    fail "envsample: CRMTIER_SAMPLE_DIR's sample gives other results than the bundled one"
mkdir -p "$WORK/prefix/share/crmtier/samples"
cp "$(dirname "$SAMPLE")/portfolio.jsonl" "$(dirname "$SAMPLE")/portfolio.meta.json" "$WORK/prefix/share/crmtier/samples/"
CRMTIER_LIBRARY=$LIBRARY run prefixsample score -o "$WORK/prefixsample.jsonl"
expect_rc prefixsample 0
expect_text prefixsample err "scoring the bundled sample $WORK/prefix/share/crmtier/samples/portfolio.jsonl"
cmp -s "$WORK/prefixsample.jsonl" "$WORK/bundled.jsonl" ||
    fail "prefixsample: the prefix's sample gives other results than the bundled one"
HOST=$HOST_SAVED

if [ "$failures" -ne 0 ]; then
    echo "abi.host_cli: $failures failure(s)"
    exit 1
fi
echo "abi.host_cli: all checks passed"
