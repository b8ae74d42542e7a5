#!/usr/bin/env bash
# Our VRPTW engine (`hazard-sweep bench solomon`) against PyVRP (from PyPI), side by side.
#
#   scripts/vrptw-vs-pyvrp.sh [SECONDS] [DATA_DIR...]
#
# SECONDS per instance and solver (default 10). DATA_DIR: folders of Solomon-format instances
# (*.txt) with an optional bks-distance-only.csv (columns instance,vehicles,distance,source);
# default ../shared/benchmarks/solomon and fixtures/benchmarks/homberger-200.
#
# Environment: BIN (our binary, default target/release/hazard-sweep, relative to the repository
# root unless it exists relative to the current folder), VENV (default /tmp/pyvrp-venv, created
# and reused), PYVRP_VERSION (pinned, default 0.14.1), OUT (default /tmp/vrptw-vs-pyvrp),
# SEED (default 1, both solvers).
#
# Each instance is solved by both at the same time, one core each: ours with `taskset -c A`,
# PyVRP with `taskset -c B`, the cores swapped from one instance to the next (0/1 then 1/0),
# both single-threaded (ours --threads 1; PyVRP's search is single-threaded). Same convention:
# distance only, any number of vehicles up to the fleet, unrounded Euclidean distance = travel
# time (see scripts/pyvrp_solomon.py for PyVRP's integer scaling). Both solutions are re-checked
# by scripts/pyvrp_solomon.py --check against the raw instance, and their distances recomputed
# there the same way. Prints (and writes to $OUT/report.md) a markdown table per folder with its
# means and wins/ties/losses; $OUT/load.log samples the load average during the run. Exits
# non-zero when any solution is infeasible or missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIMIT=${1:-10}
[ $# -gt 0 ] && shift
DIRS=("$@")
[ ${#DIRS[@]} -eq 0 ] && DIRS=("$ROOT/../shared/benchmarks/solomon" "$ROOT/fixtures/benchmarks/homberger-200")
BIN=${BIN:-target/release/hazard-sweep}
if [ -x "$BIN" ]; then BIN=$(realpath "$BIN"); elif [ -x "$ROOT/$BIN" ]; then BIN="$ROOT/$BIN"; else
  echo "no binary at $BIN (set BIN, or cargo build --release)" >&2; exit 2; fi
VENV=${VENV:-/tmp/pyvrp-venv}
PYVRP_VERSION=${PYVRP_VERSION:-0.14.1}
OUT=${OUT:-/tmp/vrptw-vs-pyvrp}
SEED=${SEED:-1}
CHECK="python3 $ROOT/scripts/pyvrp_solomon.py --check"

# --- PyVRP in its virtual environment, pinned
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
have=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("pyvrp"))' 2>/dev/null || true)
if [ "$have" != "$PYVRP_VERSION" ]; then
  "$VENV/bin/pip" install --quiet "pyvrp==$PYVRP_VERSION"
  have=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("pyvrp"))')
fi
echo "pyvrp $have ($VENV), $($VENV/bin/python --version)"
echo "ours: $BIN ($(stat -c '%y' "$BIN" | cut -d. -f1))"

cores=$(nproc)
if [ "$cores" -ge 2 ]; then A=0; B=1; else A=0; B=0; echo "warning: $cores core: the two run one after the other" >&2; fi
mkdir -p "$OUT"
echo "$(date -Is) $0 $LIMIT ${DIRS[*]} BIN=$BIN SEED=$SEED" >> "$OUT/commands.txt"

# Load average and the busiest processes every 15 s (other builds on this shared machine).
( while :; do echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) | $(ps -eo pcpu=,comm= --sort=-pcpu | head -4 | awk '{printf "%s %s%%, ", $2, $1}')"; sleep 15; done ) > "$OUT/load.log" 2>&1 &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true' EXIT

# CPU seconds each process got (user, system, wall): the machine may be shared.
timed() { local f=$1; shift; if [ -x /usr/bin/time ]; then /usr/bin/time -f "%U %S %e" -o "$f" "$@"; else "$@"; fi; }

failed=0
folders=()
for dir in "${DIRS[@]}"; do
  dir=$(realpath "$dir"); tag=$(basename "$dir"); folders+=("$dir")
  W="$OUT/$tag"; rm -rf "$W"; mkdir -p "$W/ours/sol" "$W/pyvrp/sol" "$W/log" "$W/data"
  mapfile -t files < <(find -L "$dir" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.TXT' \) | sort)
  echo "== $tag: ${#files[@]} instances, $LIMIT s each, load $(cut -d' ' -f1-3 /proc/loadavg)"
  [ ${#files[@]} -gt 0 ] || { echo "  no *.txt instance in $dir" >&2; failed=1; }
  i=0
  for f in "${files[@]}"; do
    name=$(basename "${f%.*}")
    # Our binary runs the instances listed in the folder's bks-distance-only.csv, from NAME.txt;
    # otherwise it gets a folder of its own with a placeholder row (its own gap is not used).
    data="$dir"
    if [ ! -f "$dir/$name.txt" ] || ! grep -qi "^$name," "$dir/bks-distance-only.csv" 2>/dev/null; then
      data="$W/data/$name"; mkdir -p "$data"; ln -sf "$f" "$data/$name.txt"
      printf 'instance,vehicles,distance,source\n%s,0,1,placeholder\n' "$name" > "$data/bks-distance-only.csv"
    fi
    if [ $((i % 2)) -eq 0 ]; then co=$A; cp=$B; else co=$B; cp=$A; fi
    i=$((i + 1))
    timed "$W/log/$name.ours.time" taskset -c "$co" "$BIN" bench solomon --data "$data" --only "$name" --time-limit "$LIMIT" \
      --threads 1 --seed "$SEED" --csv "$W/ours/$name.csv" --solutions "$W/ours/sol" \
      > "$W/log/$name.ours.log" 2>&1 &
    p_ours=$!
    if [ "$A" = "$B" ]; then wait $p_ours || true; fi
    OMP_NUM_THREADS=1 timed "$W/log/$name.pyvrp.time" taskset -c "$cp" "$VENV/bin/python" "$ROOT/scripts/pyvrp_solomon.py" \
      --time-limit "$LIMIT" --seed "$SEED" --csv "$W/pyvrp/$name.csv" --solutions "$W/pyvrp/sol" "$f" \
      > "$W/log/$name.pyvrp.log" 2>&1 &
    p_py=$!
    rc_o=0; rc_p=0
    wait $p_ours || rc_o=$?
    wait $p_py || rc_p=$?
    # The same checker for both: each customer once, fleet, capacity, windows, horizon.
    for side in ours pyvrp; do
      if [ -f "$W/$side/sol/$name.txt" ] && $CHECK "$W/$side/sol/$name.txt" "$f" > "$W/$side/$name.check" 2> "$W/log/$name.$side.check.log"; then :; else
        echo "  $name: $side infeasible or missing (exit ours $rc_o, pyvrp $rc_p; see $W/log/)" >&2
        rm -f "$W/$side/$name.check"; failed=1
      fi
    done
    printf '  %-8s ours %s  pyvrp %s\n' "$name" "$(cut -d, -f1 "$W/ours/$name.check" 2>/dev/null || echo -)" "$(cut -d, -f1 "$W/pyvrp/$name.check" 2>/dev/null || echo -)"
  done
done

python3 - "$OUT" "$have" "$LIMIT" "$SEED" "${folders[@]}" <<'EOF' | tee "$OUT/report.md"
import csv, os, sys
out, version, limit, seed, folders = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
print(f"# Ours vs PyVRP {version}: {limit} s per instance, seed {seed}, one core each\n")
def check(path):
    try:
        d, v = open(path).read().split(",")
        return float(d), int(v)
    except (OSError, ValueError):
        return None
for dir in folders:
    tag = os.path.basename(dir)
    W = os.path.join(out, tag)
    bks = {}
    try:
        for r in csv.DictReader(open(os.path.join(dir, "bks-distance-only.csv"))):
            if r["distance"].strip():
                bks[r["instance"].lower()] = (float(r["distance"]), "UPPER BOUND" in r.get("source", ""))
    except FileNotFoundError:
        pass
    names = sorted(f[: -len(".pyvrp.log")] for f in os.listdir(os.path.join(W, "log")) if f.endswith(".pyvrp.log"))
    print(f"## {tag} ({len(names)} instances)\n")
    print("| instance | customers | BKS | ours (veh) | PyVRP (veh) | ours−PyVRP (%) |")
    print("|---|---:|---:|---:|---:|---:|")
    gaps_o, gaps_p, diffs, wins, ties, losses, bounds = [], [], [], 0, 0, 0, False
    for n in names:
        o, p = check(os.path.join(W, "ours", n + ".check")), check(os.path.join(W, "pyvrp", n + ".check"))
        cust = "?"
        try:
            cust = next(csv.DictReader(open(os.path.join(W, "pyvrp", n + ".csv"))))["customers"]
        except (OSError, StopIteration, KeyError):
            pass
        b = bks.get(n.lower())
        bcell = "–" if b is None else f"{b[0]:.2f}" + (" †" if b[1] else "")
        bounds |= bool(b and b[1])
        ocell = "infeasible/missing" if o is None else f"{o[0]:.2f} ({o[1]})"
        pcell = "infeasible/missing" if p is None else f"{p[0]:.2f} ({p[1]})"
        dcell = "–"
        if o and p:
            d = (o[0] - p[0]) / p[0] * 100
            diffs.append(d)
            dcell = f"{d:+.2f}"
            if round(o[0], 2) == round(p[0], 2):
                ties += 1
            elif o[0] < p[0]:
                wins += 1
            else:
                losses += 1
            if b:
                gaps_o.append((o[0] - b[0]) / b[0] * 100)
                gaps_p.append((p[0] - b[0]) / b[0] * 100)
        print(f"| {n} | {cust} | {bcell} | {ocell} | {pcell} | {dcell} |")
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
    print()
    if gaps_o:
        print(f"- mean gap to BKS ({len(gaps_o)} instances): ours **{mean(gaps_o):+.2f} %**, PyVRP **{mean(gaps_p):+.2f} %**")
    else:
        print("- no gap to BKS: no instance with a known BKS and both results")
    print(f"- mean ours−PyVRP: **{mean(diffs):+.2f} %** over {len(diffs)} instances (negative: ours shorter)")
    print(f"- ours vs PyVRP: {wins} wins, {ties} ties (equal to 2 decimals), {losses} losses")
    cpu = {}
    for side in ("ours", "pyvrp"):
        xs = []
        for n in names:
            try:
                u, s_, e = map(float, open(os.path.join(W, "log", f"{n}.{side}.time")).read().split()[-3:])
                xs.append((u + s_, e))
            except (OSError, ValueError):
                pass
        cpu[side] = xs
    if cpu["ours"] and cpu["pyvrp"]:
        f = lambda xs: f"CPU {mean([c for c, _ in xs]):.1f} s / wall {mean([e for _, e in xs]):.1f} s"
        print(f"- per instance, whole process (start-up included): ours {f(cpu['ours'])}, PyVRP {f(cpu['pyvrp'])}"
              f" (CPU well under wall means another load took the core)")
    if bounds:
        print("- † hierarchical best known (vehicles first, then distance): only an upper bound on the "
              "distance-only optimum, so gaps against it can be negative")
    print()
EOF
echo "load during the run (1-min average, min/max): $(awk '{print $3}' "$OUT/load.log" | sort -n | sed -n '1p;$p' | paste -sd/ -) (2 expected from the two solvers; see $OUT/load.log)"
if [ "$failed" -ne 0 ]; then echo "some solution was infeasible or missing" >&2; exit 1; fi
