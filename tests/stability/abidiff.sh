#!/bin/sh
# The ABI check: the built libcrmtier.so against the committed libabigail
# baseline (abi/baseline/libcrmtier.abi). Fails on an incompatible change
# (abidiff status bit 8: a function removed or changed, a type changed in a
# way that breaks callers); passes, with a note, on compatible ones (bit 4
# alone: functions appended). docs/reliability.md says how to update the
# baseline deliberately.
#
#   abidiff.sh check    <baseline.abi> <libcrmtier.so> <public headers dir>
#   abidiff.sh selftest <work dir> <cc>   proves the check fails on a break
set -u
if ! command -v abidiff >/dev/null 2>&1; then
  echo "abidiff not installed: apt-get install abigail-tools (tools/install-deps.sh --test does)"
  exit 1
fi

# libabigail sets bit 8 only for removed symbols; a changed parameter list
# or struct layout is bit 4 ("ABI change"), like an appended function. So
# the verdict reads the change summaries: anything Removed or Changed fails,
# Added alone passes.
verdict() {  # $1: abidiff's status, $2: its report
  rc=$1
  if [ $((rc & 3)) -ne 0 ]; then echo "abidiff could not compare (status $rc)"; return 1; fi
  if [ $((rc & 8)) -ne 0 ]; then echo "INCOMPATIBLE ABI CHANGE: symbols removed (status $rc)"; return 1; fi
  if [ $((rc & 4)) -ne 0 ]; then
    if printf '%s\n' "$2" | grep -E 'summary:' | grep -Eq '[1-9][0-9]* (Removed|Changed)'; then
      echo "INCOMPATIBLE ABI CHANGE: functions, variables or types changed (status $rc)"
      return 1
    fi
    echo "compatible ABI change (status $rc): functions appended; bump CRMTIER_ABI_VERSION_MINOR and update the baseline (docs/reliability.md)"
    return 0
  fi
  echo "ABI identical to the baseline"
  return 0
}

case "${1:-}" in
  check)
    report=$(abidiff --exported-interfaces-only --headers-dir2 "$4" "$2" "$3"); rc=$?
    printf '%s\n' "$report"
    verdict $rc "$report"
    ;;
  selftest)
    # A library v1, its baseline, and three v2s: one compatible (a function
    # appended), two not (a parameter added; a struct field inserted).
    dir=$2; cc=$3
    mkdir -p "$dir" && cd "$dir" || exit 1
    mk() {  # $1: version, $2: header text, $3: source text
      mkdir -p "$1" && printf '%b' "$2" > "$1/api.h" && printf '#include "api.h"\n%b' "$3" > "$1/lib.c" &&
      "$cc" -g -shared -fPIC -Wl,-soname,libt.so.1 -o "lib$1.so" "$1/lib.c"
    }
    mk v1 'struct s { int a; int b; };\nint f(int x);\nint g(struct s *p);\n' \
       'int f(int x) { return x; }\nint g(struct s *p) { return p->b; }\n' || exit 1
    mk add 'struct s { int a; int b; };\nint f(int x);\nint g(struct s *p);\nint h(void);\n' \
       'int f(int x) { return x; }\nint g(struct s *p) { return p->b; }\nint h(void) { return 1; }\n' || exit 1
    mk param 'struct s { int a; int b; };\nint f(int x, int y);\nint g(struct s *p);\n' \
       'int f(int x, int y) { return x + y; }\nint g(struct s *p) { return p->b; }\n' || exit 1
    mk field 'struct s { int a; int z; int b; };\nint f(int x);\nint g(struct s *p);\n' \
       'int f(int x) { return x; }\nint g(struct s *p) { return p->b; }\n' || exit 1
    abidw --no-corpus-path --no-comp-dir-path --headers-dir v1 libv1.so > v1.abi || exit 1
    ok=0
    r=$(abidiff --headers-dir2 add v1.abi libadd.so); verdict $? "$r" >/dev/null || { echo "selftest: an appended function was called incompatible"; ok=1; }
    r=$(abidiff --headers-dir2 param v1.abi libparam.so); verdict $? "$r" >/dev/null && { echo "selftest: a changed parameter list went unnoticed"; ok=1; }
    r=$(abidiff --headers-dir2 field v1.abi libfield.so); verdict $? "$r" >/dev/null && { echo "selftest: an inserted struct field went unnoticed"; ok=1; }
    [ $ok -eq 0 ] && echo "selftest: appended function passes; changed parameters and an inserted field fail"
    exit $ok
    ;;
  *) echo "usage: $0 check <baseline.abi> <lib.so> <headers> | selftest <dir> <cc>" >&2; exit 2 ;;
esac
