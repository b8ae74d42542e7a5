#!/usr/bin/env bash
# Fault injection against `hazard-sweep serve` (run as root: it uses chattr, mount and
# losetup). Each scenario starts the service on a fresh SQLite database, runs a writer
# (tokens issued and some revoked, small inline plans created and, once done, published)
# and a /readyz poller, injects one fault, clears it, and then checks:
#
#   live, after the fault:   a new token can be issued and works (within 10 s); every write
#                            the service confirmed (2xx) is there: each token works, each
#                            revoked token is refused (401) on several requests, each plan
#                            exists with the status it was seen in; no plan is left queued
#                            or running after a grace period; /readyz went unready during
#                            the fault (required when writes failed during it) and is ready
#                            after it;
#   after a restart:         SIGTERM, start again on the same database, the same checks;
#   throughout:              the server never died by a signal (SIGBUS is exit 135).
#
# Scenarios (each under a minute):
#   readonly  `chattr +i` on every `hs.db*` file for 3 s (the WAL and -shm too, or the
#             rollback journal if the service uses one), then `chattr -i`
#   readonly-main  the same on hs.db and hs.db-wal / hs.db-journal only, -shm left
#             writable (a WAL service then survives the fault: are its answers right?)
#   diskfull  the database on a small tmpfs (a loop-mounted ext4 image when tmpfs cannot be
#             mounted) filled with a filler file for 4 s, then the filler removed
#   journal   `hs.db-wal`, `hs.db-shm` and `hs.db-journal` deleted under the running service
#             (once, then every 50 ms for 2 s), writes going on for 6 s more
#
# Usage (from anywhere; as root):
#   cargo build --bin hazard-sweep && sudo scripts/fault-injection.sh
#   HAZARD_SWEEP_BIN=target/release/hazard-sweep FAULT_SCENARIOS="readonly journal" scripts/fault-injection.sh
# Environment: HAZARD_SWEEP_BIN (default $CARGO_TARGET_DIR or target, then debug/hazard-sweep), FAULT_SCENARIOS
# (default "readonly readonly-main diskfull journal"), FAULT_FS_SIZE (default 32m),
# FAULT_FS=loop (the loop-mounted ext4 image even where tmpfs can be mounted),
# FAULT_WORKDIR (a folder on a file system that supports chattr, default /tmp), KEEP_WORK=1
# keeps the work folder (databases, server logs, the events of each scenario).
# Only 127.0.0.1 is contacted. Exit status 0 when every check passes, 1 when one fails,
# 2 when the script cannot run here.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${HAZARD_SWEEP_BIN:-${CARGO_TARGET_DIR:-target}/debug/hazard-sweep}
[[ $BIN = /* ]] || BIN=$ROOT/$BIN
SCENARIOS=${FAULT_SCENARIOS:-readonly readonly-main diskfull journal}
FS_SIZE=${FAULT_FS_SIZE:-32m}
INSTANCE=${FAULT_INSTANCE:-$ROOT/fixtures/cases/conflict_of_interest.json}

WARM=3            # seconds of writes before the fault
POST=6            # seconds of writes after the fault is cleared
RECOVER=10        # seconds the service has to answer writes again after the fault
PLAN_GRACE=20     # seconds for every plan to end done or failed after the writer stops
MAX_PLANS=12      # plans created per scenario (one solve at a time)
PLAN_EVERY_MS=800 # at most one plan per this many milliseconds
MAX_ITER=400      # writer iterations per scenario
TOKEN_TRIES=3     # requests per confirmed token (each must answer 200)
REVOKED_TRIES=8   # requests per revoked token (each must answer 401)
REQ_TIMEOUT=8     # seconds per request (the service's busy timeout is ~5 s)
SCENARIO_BUDGET=75
SCRIPT_BUDGET=290

die() { echo "fault-injection: $*" >&2; exit 2; }
now_ms() { date +%s%3N; }
T0=$(now_ms)

[[ $(id -u) = 0 ]] || die "run as root (chattr, mount, losetup)"
for tool in curl chattr mount umount fallocate dd df; do command -v "$tool" >/dev/null || die "missing $tool"; done
[[ -x $BIN ]] || die "no binary at $BIN (cargo build --bin hazard-sweep, or set HAZARD_SWEEP_BIN)"
[[ -f $INSTANCE ]] || die "no instance $INSTANCE"

WORK=$(mktemp -d "${FAULT_WORKDIR:-/tmp}/hs-fault.XXXXXX")
PIDS=$WORK/pids          # every process started here, killed by the trap (by pid)
MOUNTS=$WORK/mounts      # every mount made here, unmounted by the trap
: >"$PIDS"; : >"$MOUNTS"

ours() { [[ -n $1 && $(awk '{print $4}' "/proc/$1/stat" 2>/dev/null) = "$$" ]]; }
cleanup() {
  local rc=$? pid m
  set +e
  # Processes first (they hold files on the mounts), by their recorded pids only.
  # (A recorded pid is signalled only while it is still this shell's child, never a reused one.)
  while read -r pid; do ours "$pid" && kill -TERM "$pid" 2>/dev/null; done <"$PIDS"
  sleep 0.5
  while read -r pid; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done <"$PIDS"
  # Immutable attributes anywhere under the work folder (mounted file systems included).
  find "$WORK" -xdev -type f -exec chattr -i {} + 2>/dev/null
  while read -r m; do [[ -n $m ]] && find "$m" -type f -exec chattr -i {} + 2>/dev/null; done <"$MOUNTS"
  tac "$MOUNTS" 2>/dev/null | while read -r m; do
    [[ -n $m ]] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
  done
  if [[ ${KEEP_WORK:-0} = 1 ]]; then echo "work folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Somewhere chattr works (not every /tmp does: tmpfs before Linux 6.0 does not).
touch "$WORK/probe"
chattr +i "$WORK/probe" 2>/dev/null || die "chattr +i does not work in $WORK; set FAULT_WORKDIR to a folder on ext4/xfs/btrfs"
chattr -i "$WORK/probe"; rm -f "$WORK/probe"

PLANNER=hs_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '{"instance": %s, "iterations": 20, "threads": 1, "time_limit": 5}' "$(cat "$INSTANCE")" >"$WORK/plan.json"

# ---- the server ------------------------------------------------------------------------

free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

alive() { # pid: running (a zombie is dead)
  kill -0 "$1" 2>/dev/null || return 1
  [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]
}

SPID=""; BASE=""
start_server() { # db log -> SPID, BASE
  local db=$1 log=$2 port
  for _ in 1 2 3; do
    port=$(free_port) || return 1
    HAZARD_SWEEP_PLANNER_TOKEN=$PLANNER "$BIN" serve --addr "127.0.0.1:$port" --database-url "sqlite://$db" >>"$log" 2>&1 &
    SPID=$!
    echo "$SPID" >>"$PIDS"
    BASE="http://127.0.0.1:$port"
    for _ in $(seq 150); do
      if curl -fs -m 2 "$BASE/healthz" >/dev/null 2>&1; then return 0; fi
      alive "$SPID" || break
      sleep 0.1
    done
    kill -KILL "$SPID" 2>/dev/null || true
    wait "$SPID" 2>/dev/null || true
  done
  return 1
}

STOP_RC=""; STOP_NOTE=""; STOP_MS=-
stop_server() { # -> STOP_RC (exit status), STOP_NOTE ("" if stopped cleanly by SIGTERM)
  local rc=0 sent=0 waited=0
  STOP_NOTE=""; STOP_MS=-
  if alive "$SPID"; then
    kill -TERM "$SPID" 2>/dev/null || true
    sent=1
    local t=$(now_ms)
    for _ in $(seq 200); do alive "$SPID" || break; sleep 0.1; done
    STOP_MS=$(($(now_ms) - t))
    if alive "$SPID"; then
      local threads
      threads=$(for t in /proc/"$SPID"/task/*; do echo "$(cat "$t/comm" 2>/dev/null)/$(awk '{print $3}' "$t/stat" 2>/dev/null)/$(cat "$t/wchan" 2>/dev/null)"; done | sort | uniq -c | awk '{printf "%s%sx%s", NR > 1 ? ", " : "", $2, $1}' || true)
      kill -KILL "$SPID" 2>/dev/null || true
      wait "$SPID" 2>/dev/null || rc=$?
      waited=1
      # A process already exiting (a thread still in an fsync, say) keeps its own status.
      if ((rc == 137)); then STOP_NOTE="hung: still running 20 s after SIGTERM, killed (threads name/state/wchan: $threads)"
      else STOP_NOTE="slow stop: still exiting 20 s after SIGTERM (exit $rc; threads name/state/wchan: $threads)"; fi
    fi
  fi
  ((waited)) || wait "$SPID" 2>/dev/null || rc=$?
  STOP_RC=$rc
  if [[ -z $STOP_NOTE ]]; then
    if ((sent == 0)); then
      STOP_NOTE="died before SIGTERM: exit $rc"
      ((rc > 128)) && STOP_NOTE+=" (signal $((rc - 128))$( ((rc == 135)) && echo ", SIGBUS" || true))"
    elif ((rc > 128 && rc != 143)); then
      STOP_NOTE="died on shutdown: exit $rc (signal $((rc - 128)))"
    elif ((rc != 0)); then
      STOP_NOTE="exit $rc after SIGTERM"
    fi
  fi
  return 0
}

# req METHOD PATH TOKEN [BODY] [OUTFILE]: prints the status (000 when no answer). BODY is a
# JSON string or @file.
req() {
  local args=(-s -o "${5:-/dev/null}" -w '%{http_code}' -m "$REQ_TIMEOUT" -X "$1" -H "authorization: Bearer $3")
  [[ -n ${4:-} ]] && args+=(-H 'content-type: application/json' --data-binary "$4")
  curl "${args[@]}" "$BASE$2" 2>/dev/null || true
}

json_id() { grep -o '"id":[0-9]*' "$1" 2>/dev/null | head -n 1 | cut -d: -f2 || true; }
json_token() { grep -o '"token":"hs_[0-9a-f]*"' "$1" 2>/dev/null | head -n 1 | cut -d'"' -f4 || true; }
json_status() { grep -o '"status":"[a-z]*"' "$1" 2>/dev/null | head -n 1 | cut -d'"' -f4 || true; }
json_published() { grep -q '"published_at":"' "$1" 2>/dev/null; }

# ---- background loops --------------------------------------------------------------------

# Events, one a line: A <ms> <kind> <status> (every write attempted); T <id> <secret> (token
# issued, 201); R <id> <secret> <status> (revocation confirmed: 204, or 404 after an
# unanswered try); Q <id> <secret> (a revocation not confirmed yet); P <id> (plan accepted,
# 202); U <id> (published, 200); D <id> / F <id> (plan seen done / failed); X <ms> <why>
# (the writer stopped early). Tokens are told apart by their secret: a service that answers
# 201 for a write it never commits may hand out the same id again.

writer() { # seconds events-file
  set +e
  local end=$(($(now_ms) + $1 * 1000)) ev=$2 i=0 code id secret next_plan=0 plans=0 tmp=$S/writer.body
  local -a live=() pending=()
  while ((i < MAX_ITER)) && (($(now_ms) < end)); do
    i=$((i + 1))
    if ! alive "$SPID"; then echo "X $(now_ms) server-gone" >>"$ev"; break; fi
    code=$(req POST /api/v1/tokens "$PLANNER" '{"role":"planner"}' "$tmp")
    echo "A $(now_ms) token $code" >>"$ev"
    if [[ $code = 201 ]]; then
      id=$(json_id "$tmp"); secret=$(json_token "$tmp")
      if [[ -n $id && -n $secret ]]; then echo "T $id $secret" >>"$ev"; live+=("$id $secret"); fi
    fi
    if ((i % 3 == 0 && ${#live[@]} >= 2)); then
      read -r id secret <<<"${live[0]}"
      code=$(req DELETE "/api/v1/tokens/$id" "$PLANNER")
      echo "A $(now_ms) revoke $code" >>"$ev"
      if [[ $code = 204 || $code = 404 ]]; then
        echo "R $id $secret $code" >>"$ev"; live=("${live[@]:1}")
      else
        echo "Q $id $secret" >>"$ev" # tried again next time, until confirmed
      fi
    fi
    if ((plans < MAX_PLANS && $(now_ms) >= next_plan)); then
      next_plan=$(($(now_ms) + PLAN_EVERY_MS))
      code=$(req POST /api/v1/plans "$PLANNER" "@$WORK/plan.json" "$tmp")
      echo "A $(now_ms) plan $code" >>"$ev"
      plans=$((plans + 1))
      if [[ $code = 202 ]]; then id=$(json_id "$tmp"); [[ -n $id ]] && { echo "P $id" >>"$ev"; pending+=("$id"); }; fi
    fi
    if ((${#pending[@]} > 0)); then
      id=${pending[0]}
      code=$(req GET "/api/v1/plans/$id" "$PLANNER" "" "$tmp")
      if [[ $code = 200 ]]; then
        case $(json_status "$tmp") in
          done)
            echo "D $id" >>"$ev"
            code=$(req POST "/api/v1/plans/$id/publish" "$PLANNER" "" "$tmp")
            echo "A $(now_ms) publish $code" >>"$ev"
            if [[ $code = 200 ]]; then echo "U $id" >>"$ev"; pending=("${pending[@]:1}");
            elif [[ $code = 409 ]]; then pending=("${pending[@]:1}"); fi ;;
          failed) echo "F $id" >>"$ev"; pending=("${pending[@]:1}") ;;
        esac
      fi
    fi
    sleep 0.05
  done
}

readyz_poller() { # file stopfile
  set +e
  local n=0
  while ((n < 800)) && [[ ! -e $2 ]]; do
    n=$((n + 1))
    echo "$(now_ms) $(curl -s -o /dev/null -w '%{http_code}' -m 2 "$BASE/readyz" 2>/dev/null || true)" >>"$1"
    sleep 0.2
  done
}

# BURST parallel token issues and as many parallel reads, so that the pool opens more
# connections while (or right after) the fault is on; each issue is recorded.
BURST=6
BURST_PIDS=()
burst() { # tag
  local k
  for ((k = 0; k < BURST; k++)); do
    (
      set +e
      f=$S/ev.burst.$1.$k b=$S/burst.$1.$k.body
      c=$(req POST /api/v1/tokens "$PLANNER" '{"role":"planner"}' "$b")
      echo "A $(now_ms) token $c" >>"$f"
      if [[ $c = 201 ]]; then echo "T $(json_id "$b") $(json_token "$b")" >>"$f"; fi
    ) &
    BURST_PIDS+=($!); echo "$!" >>"$PIDS"
    (req GET /api/v1/plans "$PLANNER" >/dev/null) &
    BURST_PIDS+=($!); echo "$!" >>"$PIDS"
  done
}

# ---- faults --------------------------------------------------------------------------------

mount_small_fs() { # dir -> FS_KIND
  local dir=$1
  mkdir -p "$dir"
  if [[ ${FAULT_FS:-tmpfs} = tmpfs ]] && mount -t tmpfs -o "size=$FS_SIZE,mode=0755" tmpfs "$dir" 2>/dev/null; then
    echo "$dir" >>"$MOUNTS"; FS_KIND="tmpfs $FS_SIZE"; return 0
  fi
  truncate -s "$FS_SIZE" "$S/fs.img"
  mkfs.ext4 -q -F -m 0 "$S/fs.img" >/dev/null 2>&1 || return 1
  mount -o loop "$S/fs.img" "$dir" 2>/dev/null || return 1
  echo "$dir" >>"$MOUNTS"; FS_KIND="loop ext4 $FS_SIZE"
}

fill_fs() { # mount point
  local avail
  avail=$(df -B1 --output=avail "$1" | tail -n 1 | tr -d ' ')
  fallocate -l "$avail" "$1/filler" 2>/dev/null || rm -f "$1/filler"
  dd if=/dev/zero of="$1/filler2" bs=64k 2>/dev/null || true
  dd if=/dev/zero of="$1/filler3" bs=512 2>/dev/null || true
}

db_files() { (cd "$1" && ls -1 hs.db* 2>/dev/null | tr '\n' ' '); }

# ---- checks --------------------------------------------------------------------------------

# TOK[secret]=id, REV[secret]=status, UNC[secret]=1, PLAN[id]=times accepted, PUB[id], DONE[id];
# DUP_TOK/DUP_PLAN: ids the service answered more than once for different writes.
declare -A TOK REV UNC PLAN PUB DONE
DUP_TOK=""; DUP_PLAN=""
load_events() {
  TOK=(); REV=(); UNC=(); PLAN=(); PUB=(); DONE=()
  local kind a b
  while read -r kind a b _; do
    case $kind in
      T) TOK[$b]=$a ;;
      Q) UNC[$b]=1 ;;
      R) REV[$b]=1; unset "UNC[$b]" ;;
      P) PLAN[$a]=$((${PLAN[$a]:-0} + 1)) ;;
      U) PUB[$a]=1 ;;
      D) DONE[$a]=1 ;;
    esac
  done < <(cat "$S"/ev.* 2>/dev/null)
  DUP_TOK=$(cat "$S"/ev.* 2>/dev/null | awk '$1 == "T" { n[$2]++ } END { for (i in n) if (n[i] > 1) printf "%s(x%d) ", i, n[i] }')
  DUP_PLAN=$(cat "$S"/ev.* 2>/dev/null | awk '$1 == "P" { n[$2]++ } END { for (i in n) if (n[i] > 1) printf "%s(x%d) ", i, n[i] }')
  return 0
}

over_budget() { (($(now_ms) - SC_T0 > SCENARIO_BUDGET * 1000 || $(now_ms) - T0 > SCRIPT_BUDGET * 1000)); }

# check PHASE: every confirmed write; sets FOUND, CONFIRMED, ACC_TOK, ACC_REQ, STUCK and appends
# what is missing to the scenario's notes.
check_writes() {
  local phase=$1 tmp=$S/check.body id c k ok codes status dead=0 lost=() unlisted=() badrev=() accepted=() plans_bad=() stuck_ids=""
  FOUND=0; ACC_TOK=0; ACC_REQ=0; STUCK=0
  local plans_accepted=0
  for id in "${!PLAN[@]}"; do plans_accepted=$((plans_accepted + PLAN[$id])); done
  CONFIRMED=$((${#TOK[@]} + ${#REV[@]} + plans_accepted + ${#PUB[@]}))
  # A revoked token, or one whose revocation was never confirmed, cannot be checked by
  # using it: its creation is checked in the token list (any of three reads).
  local listed=" "
  for ((k = 0; k < 3; k++)); do
    ((dead >= 5)) || over_budget && break
    c=$(req GET "/api/v1/tokens?limit=1000" "$PLANNER" "" "$tmp")
    [[ $c = 000 ]] && dead=$((dead + 1))
    [[ $c = 200 ]] && listed+="$(grep -o '"id":[0-9]*' "$tmp" | cut -d: -f2 | tr '\n' ' ' || true)"
  done
  local secret
  for secret in $(for secret in "${!TOK[@]}"; do echo "${TOK[$secret]} $secret"; done | sort -n | cut -d' ' -f2); do
    id=${TOK[$secret]}
    [[ -n ${REV[$secret]:-} ]] && continue
    if [[ -n ${UNC[$secret]:-} ]]; then
      if [[ $listed = *" $id "* ]]; then FOUND=$((FOUND + 1)); else unlisted+=("$id"); fi
      continue
    fi
    ok=1; codes=""
    for ((k = 0; k < TOKEN_TRIES; k++)); do
      if ((dead >= 5)) || over_budget; then c=skip; else c=$(req GET /api/v1/plans "$secret"); fi
      [[ $c = 000 ]] && dead=$((dead + 1))
      [[ $c = 200 ]] || ok=0
      codes+="$c,"
    done
    if ((ok)); then FOUND=$((FOUND + 1)); else lost+=("$id:${codes%,}"); fi
  done
  for secret in $(for secret in "${!REV[@]}"; do echo "${TOK[$secret]} $secret"; done | sort -n | cut -d' ' -f2); do
    id=${TOK[$secret]}
    if [[ $listed = *" $id "* ]]; then FOUND=$((FOUND + 1)); else unlisted+=("$id"); fi
    ok=1; codes=""; local n200=0
    for ((k = 0; k < REVOKED_TRIES; k++)); do
      if ((dead >= 5)) || over_budget; then c=skip; else c=$(req GET /api/v1/plans "$secret"); fi
      [[ $c = 000 ]] && dead=$((dead + 1))
      [[ $c = 401 ]] || ok=0
      [[ $c = 2* ]] && n200=$((n200 + 1))
      codes+="$c,"
    done
    if ((ok)); then FOUND=$((FOUND + 1)); else badrev+=("$id:${codes%,}"); fi
    if ((n200 > 0)); then ACC_TOK=$((ACC_TOK + 1)); ACC_REQ=$((ACC_REQ + n200)); accepted+=("$id:$n200/$REVOKED_TRIES"); fi
  done
  for id in $(printf '%s\n' "${!PLAN[@]}" | sort -n); do
    # Several reads: a stale read (a connection left in an old transaction) shows up as
    # answers that disagree.
    ok=1; codes=""; status=""; local unfinished=0
    for ((k = 0; k < TOKEN_TRIES; k++)); do
      if ((dead >= 5)) || over_budget; then c=skip; else c=$(req GET "/api/v1/plans/$id" "$PLANNER" "" "$tmp"); fi
      [[ $c = 000 ]] && dead=$((dead + 1))
      if [[ $c = 200 ]]; then status=$(json_status "$tmp"); else status=$c; ok=0; fi
      [[ $status = queued || $status = running ]] && unfinished=1
      [[ -n ${DONE[$id]:-} && $status != done ]] && ok=0
      if [[ -n ${PUB[$id]:-} && $c = 200 ]] && ! { [[ $status = done ]] && json_published "$tmp"; }; then ok=0; status+="-unpublished"; fi
      codes+="$status,"
    done
    # Stuck: answered queued or running after the grace period, never seen done or failed.
    if ((unfinished)) && ! grep -qx "[DF] $id" "$S/ev.obs" "$S/ev.writer" 2>/dev/null; then STUCK=$((STUCK + 1)); stuck_ids+=" $id:${codes%,}"; fi
    if ((ok)); then
      FOUND=$((FOUND + 1)); [[ -n ${PUB[$id]:-} ]] && FOUND=$((FOUND + 1))
    else
      local tag=""
      [[ -n ${DONE[$id]:-} ]] && tag+=" was-done"
      [[ -n ${PUB[$id]:-} ]] && tag+=" was-published"
      plans_bad+=("$id:${codes%,}${tag:+ (${tag# })}")
    fi
  done
  if ((${#lost[@]} > 0)); then
    local all401 some401 other
    all401=$(printf '%s\n' "${lost[@]}" | grep -c ':401,401,401$' || true)
    some401=$(printf '%s\n' "${lost[@]}" | grep -v ':401,401,401$' | grep -c '401' || true)
    other=$((${#lost[@]} - all401 - some401))
    note "$phase: ${#lost[@]} confirmed tokens do not work (refused on every request: $all401, on some: $some401, other answers: $other); id:answers ${lost[*]:0:8}$( ((${#lost[@]} > 8)) && echo " ..." || true)"
  fi
  ((${#unlisted[@]} == 0)) || note "$phase: ${#unlisted[@]} tokens answered 201 (then revoked or with an unanswered revocation) are not in GET /tokens: ids ${unlisted[*]:0:12}"
  ((${#badrev[@]} == 0)) || note "$phase: ${#badrev[@]} confirmed revocations not refused with 401 on every request (id:answers): ${badrev[*]:0:8}"
  ((${#plans_bad[@]} == 0)) || note "$phase: plans not as confirmed (id:answers): ${plans_bad[*]}"
  [[ -z $stuck_ids ]] || note "$phase: plans still queued or running, never seen done or failed:$stuck_ids"
  ((${#accepted[@]} == 0)) || note "$phase: revoked tokens accepted (id:accepted/tries): ${accepted[*]:0:12}"
  if ((${#UNC[@]} > 0)); then
    local unc_ids=""
    for secret in "${!UNC[@]}"; do unc_ids+=" ${TOK[$secret]}"; done
    note "$phase: ${#UNC[@]} revocation(s) never confirmed (only the token's creation is checked):$unc_ids"
  fi
  ((dead < 5)) || note "$phase: the service stopped answering during the checks (remaining checks skipped, counted missing)"
  return 0
}

NOTES=()
note() { NOTES+=("[$SC] $*"); }

# Waits until every confirmed plan is done or failed (bounded); records D/F.
plan_grace() {
  local end=$(($(now_ms) + PLAN_GRACE * 1000)) id c st left tmp=$S/grace.body
  while :; do
    load_events; left=0
    for id in "${!PLAN[@]}"; do
      grep -qx "[DF] $id" "$S/ev.obs" 2>/dev/null && continue
      c=$(req GET "/api/v1/plans/$id" "$PLANNER" "" "$tmp"); st=$(json_status "$tmp")
      if [[ $c = 200 && $st = done ]]; then echo "D $id" >>"$S/ev.obs";
      elif [[ $c = 200 && $st = failed ]]; then echo "F $id" >>"$S/ev.obs";
      else left=$((left + 1)); fi
    done
    ((left == 0 || $(now_ms) >= end)) && break
    alive "$SPID" || break
    sleep 0.5
  done
  return 0
}

# ---- one scenario --------------------------------------------------------------------------

ROWS=(); FAILED=0
run_scenario() {
  SC=$1; S=$WORK/$SC; mkdir -p "$S"; SC_T0=$(now_ms)
  local dbdir hold deleter="" fault_start fault_end recovered="" ready_after=no unready=no wpid ppid rc1 rc2 died="no"
  local ms2=- live_found restart_found confirmed attempted acc stuck fail_in_fault=0 fail_after=0 codes_fault=""
  echo "== $SC" >&2
  case $SC in
    diskfull)
      dbdir=$S/mnt
      mount_small_fs "$dbdir" || { note "could not mount a small file system (tmpfs nor loop)"; FAILED=1; ROWS+=("$SC|-|-|-|-|-|-|-|-|not run"); return; }
      note "small file system: $FS_KIND"
      hold=4 ;;
    readonly|readonly-main) dbdir=$S/db; mkdir -p "$dbdir"; hold=3 ;;
    journal) dbdir=$S/db; mkdir -p "$dbdir"; hold=2 ;;
    *) die "unknown scenario $SC" ;;
  esac
  : >"$S/ev.writer"; : >"$S/ev.probe"; : >"$S/ev.obs"
  if ! start_server "$dbdir/hs.db" "$S/server1.log"; then
    note "the server did not start: $(tail -n 3 "$S/server1.log" | tr '\n' ' ')"; FAILED=1
    ROWS+=("$SC|-|-|-|-|-|-|-|-|did not start"); return
  fi
  readyz_poller "$S/readyz" "$S/stop-poller" & ppid=$!; echo "$ppid" >>"$PIDS"
  writer $((WARM + hold + POST)) "$S/ev.writer" & wpid=$!; echo "$wpid" >>"$PIDS"
  sleep "$WARM"

  note "files before the fault: $(db_files "$dbdir")"
  # `chattr +i` on each file that still exists: a rollback journal lives only while a write
  # commits, so it may be gone between the listing and the chattr (not a failure).
  freeze() { local f; for f in "$@"; do chattr +i "$f" 2>/dev/null || [[ ! -e $f ]] || return 1; done; }
  fault_start=$(now_ms)
  case $SC in
    readonly) (cd "$dbdir" && freeze hs.db*) ;;
    readonly-main) (cd "$dbdir" && freeze hs.db hs.db-wal hs.db-journal) ;;
    diskfull) fill_fs "$dbdir"; note "free during the fault: $(df -B1 --output=avail "$dbdir" | tail -n 1 | tr -d ' ') bytes" ;;
    journal)
      # Once, then again every 50 ms while the fault lasts: a rollback journal exists only
      # while a write is under way, and a WAL service may make a new -wal.
      (cd "$dbdir" && rm -f hs.db-wal hs.db-shm hs.db-journal)
      (cd "$dbdir" && for _ in $(seq 30); do sleep 0.05; rm -f hs.db-wal hs.db-shm hs.db-journal; done) &
      deleter=$!; echo "$deleter" >>"$PIDS" ;;
  esac
  sleep 1
  burst during
  sleep $((hold - 1))
  case $SC in
    readonly|readonly-main) (cd "$dbdir" && chattr -i hs.db* 2>/dev/null) || true ;;
    diskfull) rm -f "$dbdir"/filler* ;;
    journal) wait "$deleter" 2>/dev/null || true ;;
  esac
  fault_end=$(now_ms); local cleared=$fault_end
  burst after
  # The service must answer writes again: a new token, issued and working.
  local end=$((fault_end + RECOVER * 1000)) c id secret k
  while (($(now_ms) < end)); do
    c=$(req POST /api/v1/tokens "$PLANNER" '{"role":"planner"}' "$S/probe.body")
    echo "A $(now_ms) token $c" >>"$S/ev.probe"
    if [[ $c = 201 ]]; then
      id=$(json_id "$S/probe.body"); secret=$(json_token "$S/probe.body")
      echo "T $id $secret" >>"$S/ev.probe"
      # It must work on every one of several requests (a stale connection may see it alone).
      local works=1
      for k in 1 2 3 4 5; do [[ $(req GET /api/v1/plans "$secret") = 200 ]] || works=0; done
      if ((works)); then recovered=$(($(now_ms) - fault_end)); break; fi
    fi
    alive "$SPID" || break
    sleep 0.5
  done
  wait "$wpid" 2>/dev/null || true
  for k in "${BURST_PIDS[@]}"; do wait "$k" 2>/dev/null || true; done
  BURST_PIDS=()
  # The WAL stays gone: for the journal the window of failed writes runs to the writes after
  # it. /readyz is still asked to be ready from the moment the deleting stopped (`cleared`):
  # the poller stops a few milliseconds after this point, so a window starting here could
  # hold no reading at all (a CI run once failed here as "ready after: no (readyz)" while every write had recovered).
  [[ $SC = journal ]] && fault_end=$(now_ms)
  plan_grace
  load_events
  [[ -z $DUP_TOK ]] || note "the service answered 201 with the same token id for different tokens: $DUP_TOK(id(times))"
  [[ -z $DUP_PLAN ]] || note "the service answered 202 with the same plan id for different plans: $DUP_PLAN"
  # /readyz: unready at some point in the fault (with a second of slack), ready after.
  touch "$S/stop-poller"; wait "$ppid" 2>/dev/null || true
  local rz_codes
  rz_codes=$(awk -v a="$fault_start" -v b="$((fault_end + 1000))" '$1 >= a && $1 <= b && $2 != 200 { c[$2]++ } END { for (k in c) printf "%s%sx%d", n++ ? " " : "", k, c[k] }' "$S/readyz" 2>/dev/null || true)
  if [[ -n $rz_codes ]]; then unready="yes ($rz_codes$([[ $rz_codes = 000x* && $rz_codes != *" "* ]] && echo ": no answer" || true))"; fi
  local rz_after rz_ok=0
  rz_after=$(awk -v b="$cleared" -v e="$((fault_end + RECOVER * 1000))" '$1 > b && $1 <= e && $2 == 200 { print "ok"; exit }' "$S/readyz")
  [[ $(curl -s -o /dev/null -w '%{http_code}' -m 3 "$BASE/readyz" 2>/dev/null || true) = 200 && $rz_after = ok ]] && rz_ok=1
  # Writes that failed (5xx or no answer) in and after the fault.
  read -r fail_in_fault codes_fault < <(awk -v a="$fault_start" -v b="$fault_end" '$1 == "A" && $2 >= a && $2 <= b && $4 !~ /^[234]/ { n++; c[$4]++ } END { s = ""; for (k in c) s = s k "x" c[k] " "; print n + 0, s }' "$S"/ev.*)
  read -r fail_after < <(awk -v a="$((fault_end + 2000))" '$1 == "A" && $2 > a && $4 !~ /^[234]/ { n++ } END { print n + 0 }' "$S"/ev.*)
  attempted=$(cat "$S"/ev.* | grep -c '^A ' || true)
  note "writes failed during the fault: $fail_in_fault ${codes_fault:+($codes_fault)}; failed more than 2 s after it cleared: $fail_after"
  if [[ -n $recovered ]]; then note "a new token was issued and worked ${recovered} ms after the fault cleared"
  else note "no new token was issued and working (on 5 requests in a row) within ${RECOVER} s of the fault clearing"; fi
  ((rz_ok)) && [[ -n $recovered ]] && ready_after=yes
  [[ -n $recovered ]] || ready_after="no (writes)"
  ((rz_ok)) || ready_after="no (readyz)"
  grep -q '^X ' "$S/ev.writer" && note "the writer stopped early: the server was gone at $(( ($(grep '^X ' "$S/ev.writer" | head -n 1 | cut -d' ' -f2) - fault_start) )) ms after the fault started"

  check_writes live
  live_found=$FOUND; confirmed=$CONFIRMED; acc="$ACC_TOK"; stuck=$STUCK
  local acc_req=$ACC_REQ
  stop_server; rc1=$STOP_RC; local ms1=$STOP_MS
  [[ -n $STOP_NOTE ]] && note "first server: $STOP_NOTE"
  if [[ $STOP_NOTE = died* || $STOP_NOTE = hung* ]]; then died="yes: $STOP_NOTE"; fi

  if start_server "$dbdir/hs.db" "$S/server2.log"; then
    check_writes restart
    restart_found=$FOUND; acc="$acc/$ACC_TOK"; acc_req="$acc_req/$ACC_REQ"
    stop_server; rc2=$STOP_RC; ms2=$STOP_MS
    [[ -n $STOP_NOTE ]] && note "restarted server: $STOP_NOTE"
    if [[ $STOP_NOTE = died* || $STOP_NOTE = hung* ]]; then died="${died/#no/yes:} restart: $STOP_NOTE"; fi
  else
    note "the server did not start again on the same database: $(tail -n 3 "$S/server2.log" | tr '\n' ' ')"
    restart_found=0; rc2="-"; ms2="-"; acc="$acc/-"; acc_req="$acc_req/-"; died="${died} (no restart)"
  fi
  note "exit status: first server $rc1 (stopped ${ms1} ms after SIGTERM), restarted server $rc2 (${ms2} ms) (0 = clean stop on SIGTERM)"
  [[ $SC = diskfull ]] && { umount "$dbdir" 2>/dev/null || umount -l "$dbdir" 2>/dev/null || true; }

  # Verdict.
  local bad=0
  ((live_found == confirmed)) || bad=1
  ((restart_found == confirmed)) || bad=1
  [[ $acc = 0/0 ]] || bad=1
  # A deleted rollback journal is no lasting state: it fails only the commits in flight
  # at that instant (answered 503), and there is nothing for /readyz to report after them.
  # Every other fault lasts seconds, and /readyz must see it.
  if ((fail_in_fault > 0)) && [[ $unready = no* ]]; then
    if [[ $SC = journal && $fail_in_fault -le 5 ]]; then
      note "$fail_in_fault writes in flight failed as their journal was deleted; /readyz is not expected to see that instant"
    else
      bad=1; note "writes failed during the fault but /readyz stayed ready"
    fi
  fi
  [[ $ready_after = yes ]] || bad=1
  ((stuck == 0)) || bad=1
  [[ $died = no ]] || bad=1
  ((bad)) && FAILED=1
  note "took $(( ($(now_ms) - SC_T0) / 1000 )) s; $( ((bad)) && echo FAIL || echo pass)"
  ((fail_in_fault == 0)) && unready+=" (no write failed)"
  ROWS+=("$SC|$attempted|$confirmed|$live_found/$confirmed|$restart_found/$confirmed|$acc of ${#REV[@]} tokens ($acc_req req)|$unready|$ready_after|$stuck|$died")
  return 0
}

for sc in $SCENARIOS; do
  if (($(now_ms) - T0 > SCRIPT_BUDGET * 1000 - 60000)); then NOTES+=("[$sc] skipped: the script's time budget is spent"); FAILED=1; continue; fi
  run_scenario "$sc"
done

echo
echo "hazard-sweep fault injection: $BIN ($(( ($(now_ms) - T0) / 1000 )) s)"
printf '%s\n' "${NOTES[@]}"
echo
header="scenario|writes attempted|writes confirmed|confirmed found live after the fault|found after restart|revoked accepted (live/restart)|readyz unready during fault|ready after|stuck plans|server died"
{ echo "$header"; printf '%s\n' "${ROWS[@]}"; } | awk -F'|' '
  { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NF; rows = NR }
  END { for (r = 1; r <= rows; r++) { line = "|"; for (i = 1; i <= n; i++) line = line sprintf(" %-" w[i] "s |", cell[r, i]); print line
        if (r == 1) { line = "|"; for (i = 1; i <= n; i++) { d = ""; for (k = 0; k < w[i] + 2; k++) d = d "-"; line = line d "|" } print line } } }'
echo
if ((FAILED)); then echo "FAIL: see the notes above"; exit 1; fi
echo "pass"
