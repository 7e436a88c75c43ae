# catchup.sh - the catch-up benchmark, sourced by extra.sh inside
# ../shared/bench/measure.sh so that its figures come from the same run:
#
#   go_copy_catchup_table      runway copy of bench.orders, primary P -> database rwdst on R:
#                              runway's own copy rate on the table the catch-up drains into
#   go_catchup_drain           runway catch-up (a runbook item, until: drained) applying a
#                              backlog of CATCHUP_CHANGES logged changes from P to rwdst
#   mariadb_replica_1t / _4t   MariaDB's own replication applying the same writes: the replica
#                              R (SQL thread stopped while the backlog is written) draining it
#                              with one thread / slave_parallel_threads=4
#   legacy_writer_4c.plain / .triggers
#                              the legacy writer flat out on 4 connections (single-row
#                              autocommit writes, 9 updates : 1 insert) without and with
#                              runway's change-log triggers, alternated 3 times in each
#                              rep (phases; the case's own time means nothing): the
#                              triggers' overhead
#
# P and R are instances of their own (replica.sh, ports 3326/3327). The writes
# are writer.awk's; every backlog is the same statements. Ratios are printed at
# the end and written to $RES/catchup.txt.
#
# Knobs: CATCHUP=0 skips all of it; CATCHUP_CHANGES (default 200000);
# CATCHUP_WRITES (legacy writer statements per case, default 40000).

CU_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PP=${CATCHUP_PORT_P:-3326}; PR=${CATCHUP_PORT_R:-3327}
CU_N=${CATCHUP_CHANGES:-200000}
CU_WRITES=${CATCHUP_WRITES:-40000}
CU_LEGACY_ROWS=100000
P() { mariadb -h$HOST -P$PP -uroot bench "$@"; }
R() { mariadb -h$HOST -P$PR -uroot bench "$@"; }
CU_RP="mysql://root@$HOST:$PP/bench"
CU_RR="mysql://root@$HOST:$PR/rwdst"
CU_RB=$WORK/catchup; mkdir -p "$CU_RB"

# cu_runbook NAME ITEM: a one-item runbook over P (p), rwdst (r) and rwlegacy (l) on R
cu_runbook() {
  cat >"$CU_RB/$1.yaml" <<YAML
version: 1
name: bench-$1
title: catch-up benchmark, $1
connections:
  p: {driver: mysql, dsn: "root@tcp($HOST:$PP)/bench"}
  r: {driver: mysql, dsn: "root@tcp($HOST:$PR)/rwdst"}
  l: {driver: mysql, dsn: "root@tcp($HOST:$PR)/rwlegacy"}
phases:
  - id: one
    title: One step
    items:
      - {id: step, title: $1, critical: true, catchup: $2}
YAML
}
cu_runbook install  "{from: p, to: r, log_table: change_log, tables: [orders], install_triggers: true, until: drained}"
cu_runbook drain    "{from: p, to: r, log_table: change_log, tables: [orders], until: drained}"
cu_runbook remove   "{from: p, to: r, log_table: change_log, tables: [orders], remove_triggers: true}"
cu_runbook winstall "{from: p, to: l, log_table: change_log_w, tables: [legacy_w], install_triggers: true, until: drained}"
cu_runbook wremove  "{from: p, to: l, log_table: change_log_w, tables: [legacy_w], remove_triggers: true}"
# cu_run NAME: run a runbook in line mode, its output in $CU_RB/NAME.out
cu_run() { "$TOOL" --audit "$CU_RB/audit.db" run --plain "$CU_RB/$1.yaml" >"$CU_RB/$1.out" 2>&1 || { tail -5 "$CU_RB/$1.out"; return 1; }; }

# cu_timed NAME CMD...: run CMD, its wall seconds in $CU_RB/NAME.secs (for the notes)
cu_timed() { local n=$1 t0 rc; shift; t0=$(now); "$@"; rc=$?; echo "$(now) - $t0" | bc -l >"$CU_RB/$n.secs"; return $rc; }
cu_rate() { awk -v n="$1" -v s="$(cat "$CU_RB/$2.secs")" 'BEGIN {printf "%.0f", n / s}'; }

# cu_write TABLE N SEED IDS: the legacy writer, N statements over 4
# connections, updating rows among ids 1..IDS
cu_write() {
  local c pids=() rc=0
  for c in 1 2 3 4; do
    awk -v TABLE="$1" -v ROWS="$4" -v N=$(($2 / 4)) -v SEED=$(($3 * 10 + c)) -f "$CU_HERE/writer.awk" >"$CU_RB/w$c.sql"
  done
  for c in 1 2 3 4; do P <"$CU_RB/w$c.sql" & pids+=($!); done
  for c in "${pids[@]}"; do wait "$c" || rc=1; done
  return $rc
}

# cu_seed: P and R hold A's bench.orders (not through the binary log), P the
# legacy writer's table; once per ROWS.
cu_seed() {
  bash "$CU_HERE/replica.sh" start || return 1
  if [[ $(P -N -e 'SELECT n FROM cu_seeded' 2>/dev/null) == "$ROWS" ]]; then return 0; fi
  echo "(untimed) seeding P and R with A's orders" >&2
  R -e 'STOP SLAVE SQL_THREAD'
  mariadb-dump -h$HOST -P$PA -uroot --single-transaction --quick --skip-triggers bench orders >"$CU_RB/orders.sql" || return 1
  local s
  for s in P R; do (echo 'SET sql_log_bin=0;'; cat "$CU_RB/orders.sql") | $s || return 1; done
  rm -f "$CU_RB/orders.sql"
  P -e "SET sql_log_bin=0; DROP TABLE IF EXISTS legacy_w; CREATE TABLE legacy_w LIKE orders;
        INSERT INTO legacy_w SELECT * FROM orders WHERE id <= $CU_LEGACY_ROWS;
        DROP TABLE IF EXISTS cu_seeded; CREATE TABLE cu_seeded (n BIGINT); INSERT INTO cu_seeded VALUES ($ROWS)" || return 1
  R -e 'START SLAVE SQL_THREAD'
}

# cu_reset: no triggers or change log on P, an empty rwdst on R
cu_reset() {
  P -e 'DROP TRIGGER IF EXISTS runway_orders_ins; DROP TRIGGER IF EXISTS runway_orders_upd; DROP TRIGGER IF EXISTS runway_orders_del; DROP TABLE IF EXISTS change_log' &&
    R -e 'DROP DATABASE IF EXISTS rwdst; CREATE DATABASE rwdst'
}
cu_copy() { "$TOOL" copy --from "$CU_RP" --to "$CU_RR" --table orders; }
cu_same() { # cu_same TABLE_ON_P TABLE_ON_R: CHECKSUM TABLE of both agree
  local a b
  a=$(P -N -e "CHECKSUM TABLE $1" | cut -f2); b=$(R -N -e "CHECKSUM TABLE $2" | cut -f2)
  if [[ $a == "$b" ]]; then echo "same checksum $a"; else echo "DIFFER P=$a R=$b"; return 1; fi
}
cu_in_sync() { [[ $(P -N -e 'SELECT COUNT(*) FROM orders') == "$(R -N -e 'SELECT COUNT(*) FROM rwdst.orders' 2>/dev/null)" ]]; }

# cu_ready: rwdst holds a copy of P's orders and the triggers log P's changes
cu_ready() {
  cu_seed || return 1
  if ! cu_in_sync; then echo "(untimed) copying P -> rwdst" >&2; cu_reset && cu_copy >/dev/null || return 1; fi
  cu_run install
}

# replica: cu_replica_prep THREADS stops the SQL thread, writes the backlog
# and waits until the IO thread has fetched all of it
cu_replica_prep() {
  R -e "STOP SLAVE; SET GLOBAL slave_parallel_threads=$1; START SLAVE IO_THREAD" || return 1
  cu_write orders "$CU_N" 1 "$ROWS" || return 1
  local f pos
  read -r f pos < <(P -N -e 'SHOW MASTER STATUS' | awk '{print $1, $2}')
  echo "$f $pos" >"$CU_RB/master.pos"
  for _ in $(seq 1 600); do
    [[ $(R -e 'SHOW SLAVE STATUS\G' | awk '/ Master_Log_File:/ {f=$2} / Read_Master_Log_Pos:/ {p=$2} END {print f, p}') == "$f $pos" ]] && return 0
    sleep 0.2
  done
  echo "the replica did not fetch the backlog"; return 1
}
cu_replica_drain() {
  local f pos r
  read -r f pos <"$CU_RB/master.pos"
  r=$(R -N -e "START SLAVE SQL_THREAD; SELECT MASTER_POS_WAIT('$f', $pos, 3600)") || return 1
  [[ $r =~ ^[0-9]+$ ]] || { echo "MASTER_POS_WAIT: $r"; return 1; }
}
cu_replica_note() { cu_same orders orders >/dev/null || { cu_same orders orders; return 1; }; echo "changes=$CU_N rate=$(cu_rate "$CU_N" "$1")/s, replica = primary"; }

# catch-up drain check: every logged change applied, target = source
cu_drain_note() {
  local n
  n=$(sed -n 's/.*drained: \([0-9,]*\) changes\{0,1\} applied.*/\1/p' "$CU_RB/drain.out" | tail -1 | tr -d ,)
  [[ $n == "$CU_N" ]] || { echo "applied '$n' of $CU_N: $(grep -m1 drained "$CU_RB/drain.out" | cut -c1-100)"; return 1; }
  cu_same orders rwdst.orders >/dev/null || { cu_same orders rwdst.orders; return 1; }
  echo "changes=$n rate=$(cu_rate "$n" go_catchup_drain)/s $(grep -o 'applies [a-z ]*~[0-9,]* changes/s' "$CU_RB/drain.out" | tail -1)"
}

# legacy writer: legacy_w with or without runway's triggers
cu_legacy_plain() { cu_seed && cu_run wremove; }
cu_legacy_triggers() {
  cu_seed && P -e 'DROP TABLE IF EXISTS change_log_w' &&
    R -e 'DROP DATABASE IF EXISTS rwlegacy; CREATE DATABASE rwlegacy; CREATE TABLE rwlegacy.legacy_w LIKE bench.orders' &&
    cu_run winstall
}

# cu_writer_ab: the writer without and with triggers, alternated so that the
# machine's other load falls on both alike
cu_writer_ab() {
  local i
  for i in 1 2 3; do
    cu_legacy_plain >/dev/null && phase plain cu_write legacy_w "$CU_WRITES" "$i" "$CU_LEGACY_ROWS" &&
      cu_legacy_triggers >/dev/null && phase triggers cu_write legacy_w "$CU_WRITES" "$i" "$CU_LEGACY_ROWS" || return 1
  done
}

if [[ ${CATCHUP:-1} != 0 ]]; then
  echo "-- catch-up: runway vs MariaDB replication (P=$HOST:$PP R=$HOST:$PR, $CU_N changes)" >&2
  bench go_copy_catchup_table \
    "cu_seed && cu_reset" \
    "cu_timed go_copy_catchup_table cu_copy" \
    "cu_in_sync || { echo 'rwdst.orders count differs'; false; }; n=\$(R -N -e 'SELECT COUNT(*) FROM rwdst.orders'); echo \$n >'$CU_RB/copy.rows'; echo \"rows=\$n rate=\$(cu_rate \$n go_copy_catchup_table)/s\""
  if want go_catchup_drain || want 'mariadb_replica_*'; then
    cu_ready >&2 || echo "   catch-up setup failed, see $CU_RB/install.out" >&2
    R -e 'STOP SLAVE; SET GLOBAL slave_parallel_threads=0; START SLAVE' >&2
    bench go_catchup_drain \
      "R -N -e 'SELECT 1' && cu_write orders $CU_N 1 $ROWS && P -N -e 'SELECT MAX(id) FROM change_log'" \
      "cu_timed go_catchup_drain cu_run drain" \
      "cu_drain_note"
    bench mariadb_replica_1t "cu_replica_prep 0" "cu_timed mariadb_replica_1t cu_replica_drain" "cu_replica_note mariadb_replica_1t"
    bench mariadb_replica_4t "cu_replica_prep 4" "cu_timed mariadb_replica_4t cu_replica_drain" "cu_replica_note mariadb_replica_4t"
    R -e 'STOP SLAVE; SET GLOBAL slave_parallel_threads=0; START SLAVE' >&2
    cu_run drain >&2 || true # the replica cases' writes, so that rwdst stays a copy of P
  fi
  bench legacy_writer_4c "cu_seed" "cu_writer_ab" \
    "echo \"writes=$CU_WRITES per phase, logged=\$(P -N -e 'SELECT COUNT(*) FROM change_log_w')\""
  cu_run wremove >&2 || true
  cu_summary() { # median seconds of a test from this run's raw.csv
    local med; med() { awk -F, -v t="$1" '$1==t && $4=="ok" {print $3}' "$RAW" | sort -g | awk '{v[NR]=$1} END {if (NR) print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
    local cp dr r1 r4 wp wt rows
    cp=$(med go_copy_catchup_table); dr=$(med go_catchup_drain); r1=$(med mariadb_replica_1t); r4=$(med mariadb_replica_4t)
    wp=$(med legacy_writer_4c.plain); wt=$(med legacy_writer_4c.triggers); rows=$(cat "$CU_RB/copy.rows" 2>/dev/null)
    awk -v cp="$cp" -v dr="$dr" -v r1="$r1" -v r4="$r4" -v wp="$wp" -v wt="$wt" -v n="$CU_N" -v w="$CU_WRITES" -v rows="$rows" 'BEGIN {
      if (cp != "" && rows != "") printf "runway copy P->R            %9.0f rows/s\n", rows / cp
      if (dr != "") printf "runway catch-up drain       %9.0f changes/s\n", n / dr
      if (dr != "" && cp != "" && rows != "") printf "  drain / copy rate         %9.2fx   (goal >= 0.5)\n", (n / dr) / (rows / cp)
      if (dr != "" && r1 != "") printf "  drain / replica 1 thread  %9.2fx   (replica %.0f changes/s)\n", r1 / dr, n / r1
      if (dr != "" && r4 != "") printf "  drain / replica 4 threads %9.2fx   (replica %.0f changes/s)\n", r4 / dr, n / r4
      if (wp != "" && wt != "") printf "legacy writer 4 conns       %9.0f -> %.0f writes/s with triggers: overhead %.1f%% (goal <= 5%%)\n", w / wp, w / wt, 100 * (1 - wp / wt)
    }'
  }
  cu_summary | tee "$RES/catchup.txt" >&2
fi
