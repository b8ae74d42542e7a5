#!/usr/bin/env bash
# Before/after figures of the solver in one run (the machine is shared and noisy: compare
# the two binaries side by side, never against figures from another day).
#
#   scripts/bench-search.sh OLD_BINARY NEW_BINARY [WORK_DIR]
#
# Cangzhou 2027-03 at each binary's default (2 threads), the new binary over five search
# seeds, three generated tiny months, and the generated province (the old binary at its
# default, the new with a 60 s limit; SKIP_PROVINCE=1 leaves it out), with elapsed time
# and peak memory.
set -euo pipefail
OLD=$(realpath "$1"); NEW=$(realpath "$2"); WORK=${3:-out/bench/search}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK" && cd "$WORK"
kpis() { python3 -c "
import json,sys;r=json.load(open(sys.argv[1]));k=r['kpis']
print(f\"coverage {100*k['weighted_coverage']:.2f} %  bound {100*(k['bound'] or 0):.2f} %  gap {100*(k['gap'] or 0):.2f} pts  cost {k['cost_cny']:.0f} CNY  scheduled {k['scheduled']}  {r['solver']['seconds']:.1f} s  iterations {r['solver'].get('iterations')}\")" "$1"; }
"$NEW" import --dir "$ROOT/fixtures/cangzhou" --month 2027-03 -o cz.json 2>/dev/null
echo "== Cangzhou 2027-03, each binary's default, 2 threads"
for b in "$OLD" "$NEW"; do "$b" solve --instance cz.json --threads 2 -o cz-roster.json 2>/dev/null; echo "$(basename "$b"): $(kpis cz-roster.json)"; done
echo "== Cangzhou, new binary, search seeds 1-5"
for s in 1 2 3 4 5; do "$NEW" solve --instance cz.json --threads 2 --search-seed $s -o seed$s.json 2>/dev/null; echo "seed $s: $(kpis seed$s.json)"; done
echo "== generated tiny months"
for s in 1 7 11; do
  "$NEW" generate --scale tiny --seed $s --month 2027-03 --out tiny$s >/dev/null 2>&1
  "$NEW" import --dir tiny$s --month 2027-03 -o tiny$s.json 2>/dev/null
  for b in "$OLD" "$NEW"; do "$b" solve --instance tiny$s.json --threads 2 -o tiny-roster.json 2>/dev/null; echo "tiny seed $s $(basename "$b"): $(kpis tiny-roster.json)"; done
done
[ "${SKIP_PROVINCE:-0}" = 1 ] && exit 0
echo "== generated province (bench scale)"
for b in "$OLD" "$NEW"; do
  limit=(); [ "$b" = "$NEW" ] && limit=(--time-limit 60)
  /usr/bin/time -f "$(basename "$b"): elapsed %e s, peak %M KB" "$b" bench scale --scales province --threads 2 "${limit[@]}" --work "prov-$(basename "$b")" --csv "prov-$(basename "$b").csv" 2>&1 | tail -4
done
