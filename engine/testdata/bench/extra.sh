# extra.sh - runway's side of ../shared/bench/measure.sh, sourced by it so
# that runway is timed in the same run as the reference tools:
#
#   go build -o /tmp/runway . && bash ../shared/bench/load.sh 1000000
#   EXTRA=$PWD/engine/testdata/bench/extra.sh TOOL=/tmp/runway bash ../shared/bench/measure.sh
#
# Compare go_copy_ab with a_insert_select and ab_mydumper_myloader_2t,
# go_verify_ab with ab_pt_table_checksum_parallel, go_verify_ab_diff with
# ab_pt_table_sync_print_diff, go_copy_sqlite with sqlite_attach_insert_select.
#
# Sourced from beside it, in the same run:
#   composite.sh  a 3M-row table with a two-column key: go_copy_ab_composite vs
#                 a_insert_select_composite, go_verify_ab_composite vs
#                 ab_checksum_table_composite (COMPOSITE=0 skips)
#   growth.sh     ROWS_10M=1: copy and verify of 10x the rows beside 1x, peak RSS
#   catchup.sh    catch-up vs MariaDB replication on a primary/replica pair of its
#                 own (replica.sh), drain vs copy rate, trigger overhead on the
#                 legacy writer (CATCHUP=0 skips)
#   postgres.sh   PostgreSQL: copy against a COPY pipe, pgcopydb and pgloader,
#                 verify against md5(string_agg) (POSTGRES=0 skips)
#   guards.sh     the same copy run as a runbook with and without five guards every
#                 second and notifications on every phase: the ratio (GUARDS=0 skips)

: "${TOOL:?set TOOL to the runway binary}"
RA="mysql://root@$HOST:$PA/bench"
RB="mysql://root@$HOST:$PB/bench"

# copy A -> B into a table runway creates (its checkpoint is reset with it)
bench go_copy_ab \
  "B -e 'DROP TABLE IF EXISTS orders'" \
  "$TOOL copy --from '$RA' --to '$RB' --table orders" \
  "count_is B orders"

# verify two identical copies
bench go_verify_ab \
  "ensure_b_copy" \
  "$TOOL verify --from '$RA' --to '$RB' --table orders >'$WORK/go_verify.out'" \
  "grep -q 'match rate 100' '$WORK/go_verify.out' && head -1 '$WORK/go_verify.out' | cut -c1-100"

# verify after amount+1 on every (ROWS/DIFF_ROWS)th row of B, as the *_diff
# reference tests do; runway exits 1 when it finds differences, and the check
# wants every changed row named.
if ((${DIFF_ROWS:-1000} > 0)); then
  ensure_b_copy
  step=$((ROWS / ${DIFF_ROWS:-1000})); ((step < 1)) && step=1
  B -e "UPDATE orders SET amount = amount + 1, updated_at = updated_at WHERE id % $step = 0"
  nchg=$(B -N -e "SELECT COUNT(*) FROM orders WHERE id % $step = 0")
  bench go_verify_ab_diff \
    "" \
    "$TOOL verify --from '$RA' --to '$RB' --table orders >'$WORK/go_verify.out'; test \$? = 1" \
    "found=\$(sed -n 's/^  \\([0-9,]*\\) missing, \\([0-9,]*\\) extra, \\([0-9,]*\\) different.*/\\3/p' '$WORK/go_verify.out' | tr -d ,); echo \"found \$found of $nchg changed rows\"; test \"\$found\" = $nchg"
  B -e "UPDATE orders SET amount = amount - 1, updated_at = updated_at WHERE id % $step = 0"
fi

# SQLite -> SQLite into a new file
bench go_copy_sqlite \
  "rm -f '$WORK/dst.db' '$WORK/dst.db-wal' '$WORK/dst.db-shm'" \
  "$TOOL copy --from 'sqlite:$DATA/src.db' --to 'sqlite:$WORK/dst.db' --table orders" \
  "count_is SQ:$WORK/dst.db orders"

# copy and verify on a table with a two-column key (COMPOSITE=0 skips it)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/composite.sh"

# copy and verify of ten times the rows, with peak memory (ROWS_10M=1 runs it)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/growth.sh"

# catch-up beside MariaDB's own replication, and the change-log triggers'
# cost to the legacy writer (CATCHUP=0 skips it)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/catchup.sh"

# PostgreSQL beside its own tools (POSTGRES=0 skips it)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/postgres.sh"

# a copy with five guards every second and notifications on every phase,
# beside the same copy without them (GUARDS=0 skips it)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/guards.sh"
