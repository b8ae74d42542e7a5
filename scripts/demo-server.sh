# Sourced by the scripts that measure or probe the service: starts `$BIN serve --demo` on
# 127.0.0.1:$PORT with a fresh database in a new folder `$work`, planner token `$PLANNER`,
# waits until it answers, and stops it when the script exits (keeping `$work` if
# KEEP_WORK=1, for its logs). Sets `work`, `server` and `base`.
work=$(mktemp -d)
HAZARD_SWEEP_PLANNER_TOKEN=$PLANNER "$BIN" serve --demo --addr "127.0.0.1:$PORT" --database-url "sqlite://$work/demo.db" >"$work/out" 2>"$work/log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$work"' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
