#!/usr/bin/env bash
# Property-based fuzzing of the HTTP API against its own OpenAPI document, with
# schemathesis (from PyPI, installed into a virtualenv under target/ on first use).
#
# Starts `hazard-sweep serve --demo` on a fresh database with a planner token and lets
# schemathesis generate requests from /api/openapi.json for every operation (the
# coverage, fuzzing and stateful phases), checking each answer:
#   - never a 5xx;
#   - the status, content type, headers and body are the ones the document gives;
#   - a request the document calls invalid is refused.
# Left out: `positive_data_acceptance` (a request that fits the schema must be accepted):
# the registries' rules across records (an officer's district must exist, an id must
# match its path, a location must be in China) are beyond what a JSON Schema can say, so
# schema-valid records are refused with 422 by design.
#
#   scripts/fuzz-api.sh                   # 300 s, one worker, the dev build
#   MAX_TIME=900 BIN=target/release/hazard-sweep scripts/fuzz-api.sh
# Exits non-zero when schemathesis reports a failure; the report is in $work/report.
set -euo pipefail
scripts=$(cd "$(dirname "$0")" && pwd)
cd "$scripts/.."
BIN=${BIN:-target/debug/hazard-sweep}
PORT=${PORT:-18091}
MAX_TIME=${MAX_TIME:-300}
SCHEMATHESIS=${SCHEMATHESIS:-schemathesis==4.32.5}
PLANNER=fuzz-planner-token
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build" >&2; exit 2; }

venv=$PWD/target/fuzz-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "$SCHEMATHESIS"
fi

KEEP_WORK=1
source "$scripts/demo-server.sh"

status=0
# Run from $work: schemathesis keeps a cache of its findings in the current folder.
cd "$work"
"$venv/bin/schemathesis" run "$base/api/openapi.json" \
    -H "Authorization: Bearer $PLANNER" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-time "$MAX_TIME" --workers 1 --request-timeout 30 \
    >"$work/report" 2>&1 || status=$?
sed -n '/SUMMARY/,$p' "$work/report"
echo "requests answered 5xx by the server: $(curl -fs "$base/metrics" | grep '^http_requests_total' | grep -c 'status="5' || true) series"
echo "report: $work/report; server log: $work/log"
exit $status
