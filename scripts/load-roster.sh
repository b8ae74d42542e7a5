#!/usr/bin/env bash
# Load test of the service's reads on loopback, with wrk (apt-get install wrk).
#
# Starts `hazard-sweep serve --demo` on a fresh database, plans 2027-03 (Cangzhou),
# publishes it, issues an expert token, then runs wrk against:
#   /healthz                       the baseline: the HTTP stack alone
#   /api/v1/plans/1/roster         a planner reading the roster (token checked, JSON as stored)
#   /api/v1/me/assignments         an expert's month (token checked, roster joined with names)
#   /api/v1/plans/1/export.csv     the published plan as CSV
#   /api/v1/plans/2/export.csv     a draft (unpublished) plan of the same month as CSV: both
#                                  are parsed once and kept, so the two should be alike
# and prints requests/s, p50, p99 and errors for each, and each as a ratio of the baseline
# measured in the same run (the machine is shared; ratios travel better than figures).
#
#   scripts/load-roster.sh                      # 20 s per target, 32 connections, 2 wrk threads
#   DURATION=60s CONNECTIONS=64 scripts/load-roster.sh
set -euo pipefail
BIN=${BIN:-target/release/hazard-sweep}
PORT=${PORT:-18090}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PLANNER=load-test-planner
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build --release" >&2; exit 2; }

source "$(dirname "$0")/demo-server.sh"

auth=(-H "authorization: Bearer $PLANNER")
curl -fs "${auth[@]}" -H 'content-type: application/json' -d '{"month": "2027-03", "threads": 2}' "$base/api/v1/plans" >/dev/null
until curl -fs "${auth[@]}" "$base/api/v1/plans/1" | grep -q '"status":"done"'; do sleep 0.5; done
curl -fs -X POST "${auth[@]}" "$base/api/v1/plans/1/publish" >/dev/null
curl -fs "${auth[@]}" -H 'content-type: application/json' -d '{"month": "2027-03", "threads": 2, "seed": 2}' "$base/api/v1/plans" >/dev/null
until curl -fs "${auth[@]}" "$base/api/v1/plans/2" | grep -q '"status":"done"'; do sleep 0.5; done
expert=$(curl -fs "${auth[@]}" "$base/api/v1/plans/1/roster" | python3 -c 'import json,sys; print(json.load(sys.stdin)["crews"][0]["experts"][0])')
expert_token=$(curl -fs "${auth[@]}" -H 'content-type: application/json' -d "{\"role\": \"expert\", \"subject\": \"$expert\"}" "$base/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
roster_bytes=$(curl -fs "${auth[@]}" "$base/api/v1/plans/1/roster" | wc -c)

run() { # name path token
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "authorization: Bearer $3" "$base$2" >"$work/$1.txt"
}
run healthz /healthz "$PLANNER"
run roster /api/v1/plans/1/roster "$PLANNER"
run assignments "/api/v1/me/assignments?month=2027-03" "$expert_token"
run published_csv /api/v1/plans/1/export.csv "$PLANNER"
run draft_csv /api/v1/plans/2/export.csv "$PLANNER"

python3 - "$work" "$roster_bytes" <<'PY'
import re, sys
work, roster_bytes = sys.argv[1], int(sys.argv[2])
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rows = {}
for name in ["healthz", "roster", "assignments", "published_csv", "draft_csv"]:
    text = open(f"{work}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", text).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    total = int(re.search(r"(\d+) requests in", text).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    sock = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    rows[name] = (rps, p50, p99, total, non2xx + sock)
base = rows["healthz"][0]
print(f"roster document: {roster_bytes} bytes")
print(f"{'target':<14} {'requests/s':>11} {'vs healthz':>10} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
for name, (rps, p50, p99, total, errors) in rows.items():
    print(f"{name:<14} {rps:>11.0f} {rps / base:>10.3f} {p50:>8.2f} {p99:>8.2f} {total:>9} {errors:>7}")
PY
