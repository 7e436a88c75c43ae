# composite.sh - copy and verify on a multi-million-row table with a
# two-column key, sourced by extra.sh inside ../shared/bench/measure.sh:
#
#   a_insert_select_composite     server-side INSERT…SELECT on A (the copy's limit)
#   go_copy_ab_composite          runway copy A -> B
#   ab_checksum_table_composite   CHECKSUM TABLE on A and B at the same time (the verify's limit)
#   go_verify_ab_composite        runway verify A vs B
#
# bench.order_lines (order_id, line_no) holds COMPOSITE_LINES lines per order
# of bench.orders (default 3: 3M rows for load.sh 1000000); it is loaded on A
# (untimed) when missing or of another size. COMPOSITE=0 skips all of it.

CO_LINES=${COMPOSITE_LINES:-3}
CO_ROWS=$((ROWS * CO_LINES))
co_count_is() { # co_count_is A|B TABLE
  local n; n=$($1 -N -e "SELECT COUNT(*) FROM $2")
  if [[ $n == "$CO_ROWS" ]]; then echo "rows=$n"; else echo "rows=$n expected $CO_ROWS"; return 1; fi
}
co_load() {
  [[ $(A -N -e 'SELECT COUNT(*) FROM order_lines' 2>/dev/null) == "$CO_ROWS" ]] && return 0
  echo "(untimed) loading bench.order_lines on A: $CO_ROWS rows" >&2
  A -e "DROP TABLE IF EXISTS order_lines;
    CREATE TABLE order_lines (
      order_id BIGINT NOT NULL,
      line_no  INT NOT NULL,
      sku      VARCHAR(32) NOT NULL,
      qty      INT NOT NULL,
      price    DECIMAL(10,2) NOT NULL,
      added_at DATETIME(6) NOT NULL,
      note     VARCHAR(64) NULL,
      PRIMARY KEY (order_id, line_no)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
    SET time_zone='+00:00';
    INSERT INTO order_lines
      SELECT o.id, l.seq, CONCAT('SKU-', LPAD((o.id * 31 + l.seq * 7) % 100000, 6, '0')),
             1 + (o.id + l.seq) % 9, ((o.id * 7 + l.seq * 13) % 100000) / 100,
             o.created_at + INTERVAL l.seq MINUTE,
             CASE WHEN (o.id + l.seq) % 4 = 0 THEN NULL ELSE CONCAT('line ', l.seq, ' of order ', o.id) END
      FROM orders o JOIN seq_1_to_${CO_LINES} l;
    ANALYZE TABLE order_lines" >/dev/null
}
co_ensure_b() { # B holds an identical order_lines for the verify cases
  [[ $(B -N -e 'SELECT COUNT(*) FROM order_lines' 2>/dev/null) == "$CO_ROWS" ]] && return 0
  echo "(untimed) copying order_lines A -> B for the verify tests" >&2
  mariadb-dump -h$HOST -P$PA -uroot --single-transaction --quick bench order_lines | B
}
co_cks_pair() {
  A -N -e "CHECKSUM TABLE order_lines" >"$WORK/co_cks.a" & local pa=$!
  B -N -e "CHECKSUM TABLE order_lines" >"$WORK/co_cks.b" & local pb=$!
  wait $pa && wait $pb
}

if [[ ${COMPOSITE:-1} != 0 ]] && { want '*_composite'; }; then
  echo "-- composite key: bench.order_lines, $CO_ROWS rows (rows/s columns are for orders; see the notes)" >&2
  co_load
  bench a_insert_select_composite \
    "A -e 'DROP TABLE IF EXISTS order_lines_copy'" \
    "A -e 'CREATE TABLE order_lines_copy LIKE order_lines; INSERT INTO order_lines_copy SELECT * FROM order_lines'" \
    "co_count_is A order_lines_copy"
  A -e 'DROP TABLE IF EXISTS order_lines_copy'
  bench go_copy_ab_composite \
    "B -e 'DROP TABLE IF EXISTS order_lines'" \
    "$TOOL copy --from '$RA' --to '$RB' --table order_lines" \
    "co_count_is B order_lines"
  bench ab_checksum_table_composite "co_ensure_b" "co_cks_pair" \
    "cmp -s '$WORK/co_cks.a' '$WORK/co_cks.b' && echo \"match \$(cut -f2 '$WORK/co_cks.a')\""
  bench go_verify_ab_composite \
    "co_ensure_b" \
    "$TOOL verify --from '$RA' --to '$RB' --table order_lines >'$WORK/go_verify_co.out'" \
    "grep -q 'match rate 100' '$WORK/go_verify_co.out' && head -1 '$WORK/go_verify_co.out' | cut -c1-100"
fi
