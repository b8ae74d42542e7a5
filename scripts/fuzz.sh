#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of the readers: every target in fuzz/
# (or the ones named) for a bounded time each, one after the other, then a table of
# executions, corpus size, crashes and hangs. Exits 1 if any target crashed, hung or ran
# out of memory (the reproducer is kept in fuzz/artifacts/<target>/ and printed in hex).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET: the first argument, else $FUZZ_SECONDS, else 60 (-max_total_time).
# Each run starts from the committed corpus (fuzz/corpus/<target>) and the reproducers of
# bugs found before (fuzz/regressions/<target>); what it adds goes to a temporary folder
# ($FUZZ_WORK, else mktemp; removed at the end unless FUZZ_KEEP=1), never into the
# committed corpus. One fuzzing process (libFuzzer's default; -jobs/-workers would fork
# and move the output to fuzz-N.log), niced: the CI machine has two cores.
#
# Other settings: FUZZ_SANITIZER (default none: the workspace forbids unsafe code, and
# AddressSanitizer costs a third of the speed; `address` to turn it on), FUZZ_TIMEOUT
# (seconds for one input before it counts as a hang, default 10), FUZZ_RSS_MB (default
# 2048). Needs a Rust toolchain; installs cargo-fuzz if missing. cargo-fuzz passes
# nightly flags (-Z); RUSTC_BOOTSTRAP=1 lets the stable toolchain take them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
case $seconds in '' | *[!0-9]*) echo "fuzz.sh: seconds per target must be a whole number, not \`$seconds\`" >&2; exit 2 ;; esac
sanitizer=${FUZZ_SANITIZER:-none}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  nice -n 10 cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
# The solver's parallel parts (the leg matrix) on one thread: one core per fuzzer.
export RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-1}
export CARGO_INCREMENTAL=0

cd fuzz
# fuzz/Cargo.lock pins the versions (cargo-fuzz has no --locked): fail if it is stale.
cargo fetch --locked --quiet
mapfile -t all < <(cargo fuzz list)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for t in "${targets[@]}"; do
  printf '%s\n' "${all[@]}" | grep -qx -- "$t" || { echo "fuzz.sh: no target \`$t\` (targets: ${all[*]})" >&2; exit 2; }
done

echo "== building ${#targets[@]} fuzz target(s) (sanitizer: $sanitizer)"
nice -n 10 cargo fuzz build --sanitizer "$sanitizer"

work=${FUZZ_WORK:-$(mktemp -d -t hazard-sweep-fuzz.XXXXXX)}
mkdir -p "$work"
[ "${FUZZ_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

failed=0
rows=()
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  artifacts="$root/fuzz/artifacts/$t"
  log="$work/$t.log"
  mkdir -p "$corpus" "$artifacts"
  stamp="$work/$t.stamp"
  touch "$stamp"
  seeds=("corpus/$t")
  [ -d "regressions/$t" ] && seeds+=("regressions/$t")
  echo "== $t: ${seconds}s"
  start=$(date +%s)
  set +e
  nice -n 10 cargo fuzz run --sanitizer "$sanitizer" "$t" "$corpus" "${seeds[@]}" -- \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
    -dict=hazard-sweep.dict -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9][0-9]*' "$log" | tail -n 1 | tr -d '#')
  # The corpus libFuzzer holds at the end (seeds and new units, minus redundant ones).
  units=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | tr -dc '0-9')
  added=$(find "$corpus" -type f | wc -l)
  crashes=$(find "$artifacts" -type f -newer "$stamp" \( -name 'crash-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  hangs=$(find "$artifacts" -type f -newer "$stamp" -name 'timeout-*' | wc -l)
  rows+=("$(printf '%-16s %12s %8s %8s %6s %8s %6s %5s' "$t" "${execs:-0}" "$elapsed" "${units:-0}" "$added" "$crashes" "$hangs" "$rc")")
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    failed=1
    echo "!! $t failed (exit $rc); its log from the failure on:"
    # The panic message and its backtrace (or libFuzzer's timeout / out-of-memory report).
    grep -v -e '^#[0-9]' -e '^INFO:' "$log" | sed -n '/panicked at\|ALARM:\|ERROR: libFuzzer/,$p' | head -n 40
    for f in $(find "$artifacts" -type f -newer "$stamp"); do
      echo "!! reproducer $f (replay: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -s $sanitizer $t ${f#"$root/fuzz/"}):"
      head -c 4096 "$f" | od -A d -t x1z | head -n 80
    done
  fi
done

echo
echo "== fuzzing, ${seconds}s per target (new corpus entries in $work/corpus, not committed)"
printf '%-16s %12s %8s %8s %6s %8s %6s %5s\n' target executions seconds corpus new crashes hangs exit
printf '%s\n' "${rows[@]}"
exit "$failed"
