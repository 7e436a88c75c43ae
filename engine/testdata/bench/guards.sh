# guards.sh - what guards and notifications cost a copy, sourced by extra.sh
# inside ../shared/bench/measure.sh so that its figures come from the same run:
#
#   go_copy_ab_guards.plain    `runway run --plain` of a three-phase runbook copying
#                              bench.orders from A to B (a table runway creates)
#   go_copy_ab_guards.guarded  the same runbook with five guards every second (sql on
#                              A and on B, http, tcp, command) and a route sending every
#                              event of every phase to a webhook (a local receiver)
#
# Each rep runs both twice, quiesced before each, in ABBA order (BAAB in the
# next rep), so that the machine's other load falls on both alike. The ratio printed at the end
# (plain seconds / guarded seconds: the guarded copy's speed as a fraction of
# the plain one's; the goal is >= 0.95) is also in $RES/guards.txt.
#
# Knobs: GUARDS=0 skips it.

GD_RB=$WORK/guards; mkdir -p "$GD_RB"

# gd_receiver: a webhook receiver on a free loopback port that answers every
# POST 200 (counting them) and a GET with "0" (the http guard's value)
gd_receiver() {
  rm -f "$GD_RB/port" "$GD_RB/posts" # a former run's
  python3 - "$GD_RB" <<'PY' &
import http.server, os, sys
out = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with open(os.path.join(out, "posts"), "a") as f:
            f.write("1\n")
        self.send_response(200); self.end_headers()
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"0\n")
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(s.server_address[1]))
os.replace(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
s.serve_forever()
PY
  GD_PID=$!
  for _ in $(seq 1 100); do [[ -s $GD_RB/port ]] && break; sleep 0.1; done
  GD_HOOK="http://$HOST:$(cat "$GD_RB/port")"
}

# gd_runbook NAME GUARDED: the copy runbook, with guards and notifications
# when GUARDED is 1
gd_runbook() {
  {
    cat <<YAML
version: 1
name: bench-$1
title: copy benchmark, $1
connections:
  a: {driver: mysql, dsn: "root@tcp($HOST:$PA)/bench"}
  b: {driver: mysql, dsn: "root@tcp($HOST:$PB)/bench"}
YAML
    if [[ $2 == 1 ]]; then
      cat <<YAML
notify:
  channels:
    team: {type: webhook, url: "$GD_HOOK/hook"}
  routes:
    - {channels: [team]}
guards:
  - {id: a-threads, title: Threads running on A, sql: {conn: a, query: "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_RUNNING'"}, every: 1s, warn: "> 200", critical: "> 500"}
  - {id: b-threads, title: Threads running on B, sql: {conn: b, query: "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_RUNNING'"}, every: 1s, warn: "> 200", critical: "> 500"}
  - {id: app-errors, title: Application errors, http: {url: "$GD_HOOK/errors"}, every: 1s, critical: "> 0"}
  - {id: b-reachable, title: B reachable, tcp: {address: "$HOST:$PB"}, every: 1s, critical: "< 1"}
  - {id: disk-free, title: Disk free, command: {run: "echo 90"}, every: 1s, warn: "< 20", critical: "< 10"}
YAML
    fi
    cat <<YAML
phases:
  - id: prepare
    title: Prepare
    items:
      - {id: source-rows, title: Source rows, sql: {conn: a, query: "SELECT COUNT(*) FROM orders", expect: "$ROWS"}}
  - id: copy
    title: Copy
    items:
      - {id: copy-orders, title: Copy the orders, critical: true, copy: {from: a, to: b, tables: [orders], create: true}}
  - id: check
    title: Check
    items:
      - {id: target-rows, title: Target rows, sql: {conn: b, query: "SELECT COUNT(*) FROM orders", expect: "$ROWS"}}
YAML
  } >"$GD_RB/$1.yaml"
}

# gd_run NAME: B without the table, quiesced, then the runbook timed as phase NAME
gd_run() {
  B -e 'DROP TABLE IF EXISTS orders' || return 1
  rm -f "$GD_RB/$1.db" "$GD_RB/$1.db-wal" "$GD_RB/$1.db-shm"
  [[ $1 == guarded ]] && : >"$GD_RB/posts" # the note counts the last guarded run's
  quiesce
  phase "$1" "$TOOL" --audit "$GD_RB/$1.db" run --plain "$GD_RB/$1.yaml" >"$GD_RB/$1.out" 2>&1 ||
    { tail -5 "$GD_RB/$1.out"; return 1; }
}

# gd_ab: both runbooks twice, ABBA, starting with the other one from one rep
# ($rep, bench's) to the next: a drift in the machine's load falls on both
gd_ab() {
  local a=plain b=guarded
  if ((${rep:-1} % 2 == 0)); then a=guarded b=plain; fi
  gd_run $a && gd_run $b && gd_run $b && gd_run $a
}

# gd_note: the guarded run sampled its guards and notified, and B holds every row
gd_note() {
  local sent
  sent=$(wc -l <"$GD_RB/posts" 2>/dev/null || echo 0)
  grep -q 'session  closed  passed' "$GD_RB/guarded.out" || { echo "the guarded run did not pass"; return 1; }
  ((sent > 0)) || { echo "no notification reached the receiver"; return 1; }
  count_is B orders >/dev/null || { count_is B orders; return 1; }
  echo "rows=$ROWS last guarded run: $sent webhook posts, $(gd_samples) guard samples"
}

# gd_samples: guard samples the last guarded session recorded
gd_samples() { "$TOOL" --audit "$GD_RB/guarded.db" report --format json 2>/dev/null | python3 -c 'import json,sys; print(sum(g["samples"] for g in json.load(sys.stdin)["guards"]))' 2>/dev/null; }

if [[ ${GUARDS:-1} != 0 ]] && want 'go_copy_ab_guards'; then
  echo "-- guards: a copy with five guards every second and notifications, beside the same copy without" >&2
  gd_receiver
  gd_runbook plain 0
  gd_runbook guarded 1
  bench go_copy_ab_guards "" "gd_ab" "gd_note"
  kill "$GD_PID" 2>/dev/null; wait "$GD_PID" 2>/dev/null
  gd_summary() {
    local med; med() { awk -F, -v t="$1" '$1==t && $4=="ok" {print $3}' "$RAW" | sort -g | awk '{v[NR]=$1} END {if (NR) print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
    local p g
    p=$(med go_copy_ab_guards.plain); g=$(med go_copy_ab_guards.guarded)
    awk -F, '$4=="ok" && $1=="go_copy_ab_guards.plain" {p[$2]+=$3; pt+=$3} $4=="ok" && $1=="go_copy_ab_guards.guarded" {g[$2]+=$3; gt+=$3}
      END {for (r in p) if (r in g) printf "  rep %s: plain %.2f s, guarded %.2f s (two runs each), ratio %.3f\n", r, p[r], g[r], p[r] / g[r]
           if (gt) printf "  all runs: plain %.2f s, guarded %.2f s, ratio %.3f\n", pt, gt, pt / gt}' "$RAW" | sort
    awk -v p="$p" -v g="$g" -v n="$ROWS" 'BEGIN {
      if (p != "" && g != "") printf "copy A->B, 5 guards every 1s + notifications: %.0f rows/s vs %.0f without (medians): %.3fx (goal >= 0.95)\n", n / g, n / p, p / g
    }'
  }
  gd_summary | tee "$RES/guards.txt" >&2
fi
