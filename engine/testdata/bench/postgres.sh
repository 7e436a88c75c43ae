# postgres.sh - PostgreSQL beside the reference tools, sourced by extra.sh
# inside ../shared/bench/measure.sh (POSTGRES=0 skips it):
#
#   pg_copy_pipe            COPY orders TO STDOUT | COPY orders FROM STDIN, PG A -> PG B (the limit)
#   pgcopydb_clone          pgcopydb clone of the database holding orders, PG A -> PG B
#   go_copy_pg_pg           runway copy PG A -> PG B
#   pgloader_mysql_pg       pgloader of bench.orders, MariaDB A -> PG C
#   go_copy_mysql_pg        runway copy MariaDB A -> PG C
#   pg_md5_agg_pair         md5(string_agg(row text ORDER BY id)) on PG A and B at once (verify's limit)
#   go_verify_pg_pg         runway verify PG A vs PG B
#   go_verify_pg_pg_diff    the same after amount+1 on DIFF_ROWS rows of B: every one must be found
#   go_copy_*_5x_rss        PG_5X=1: copy of 5x the rows in each direction with PG, peak RSS (< 150 MB);
#                           MySQL -> PG reads bench.orders_5x on A, made once (untimed) from orders
#                           with the ids shifted, as growth.sh makes orders_10x
#
# The databases bench_pg_a/b/c live on the PostgreSQL at BENCH_PG (default
# postgres://postgres@127.0.0.1:5432); bench_pg_a.orders is made from the same
# arithmetic as load.sh's (untimed) when missing or of another size.

PG_URL=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG() { psql -X -q -v ON_ERROR_STOP=1 "$PG_URL/$1" "${@:2}"; }
PGA() { PG bench_pg_a "$@"; }
PGB() { PG bench_pg_b "$@"; }
PGC() { PG bench_pg_c "$@"; }
pg_count() { PG "$1" -At -c "SELECT COUNT(*) FROM $2"; }
pg_count_is() { # pg_count_is DB TABLE N
  local n; n=$(pg_count "$1" "$2")
  if [[ $n == "$3" ]]; then echo "rows=$n"; else echo "rows=$n expected $3"; return 1; fi
}
pg_recreate() { # pg_recreate DB: an empty database
  PG postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
}
PG_DDL="CREATE TABLE orders (
  id bigint NOT NULL PRIMARY KEY, user_id bigint NOT NULL, merchant_id integer NOT NULL,
  amount numeric(12,2) NOT NULL, status varchar(16) NOT NULL, note varchar(255),
  created_at timestamp(6) NOT NULL, updated_at timestamp NOT NULL, payload bytea)"
PG_FILLER='lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'
PG_BLOBHEX=$(for i in 0 1 2 3 4 5 6 7; do printf 'bench-seed-%d' "$i" | sha256sum | cut -c1-64; done | tr -d '\n')
pg_gen() { # pg_gen DB TABLE FROM TO: rows FROM..TO of load.sh's arithmetic
  PG "$1" -c "INSERT INTO $2 SELECT n, (n*7919) % 100003 + 1, (n*31) % 5000 + 1,
      ((n*104729) % 9999999) / 100.0,
      (ARRAY['new','paid','shipped','delivered','cancelled'])[n % 5 + 1],
      CASE WHEN n % 10 = 0 THEN NULL ELSE 'note for order ' || n || ' ' || substr('$PG_FILLER', 1, (n % 60)::int) END,
      timestamp '2023-01-01' + (n*37) * interval '1 second' + ((n*7919) % 1000000) * interval '1 microsecond',
      timestamp '2023-01-01' + (n*37 + n % 86400) * interval '1 second',
      CASE WHEN n % 8 = 0 THEN NULL ELSE substring(decode('$PG_BLOBHEX', 'hex') from (1 + n % 50)::int for (40 + (n*13) % 121)::int) END
    FROM generate_series($3::bigint, $4::bigint) n"
}
pg_load() { # bench_pg_a.orders with ROWS rows (and orders_5x when PG_5X=1)
  if [[ $(pg_count bench_pg_a orders 2>/dev/null) != "$ROWS" ]]; then
    echo "(untimed) loading bench_pg_a.orders: $ROWS rows" >&2
    pg_recreate bench_pg_a >/dev/null && PGA -c "$PG_DDL" && pg_gen bench_pg_a orders 1 "$ROWS" &&
      PGA -c "CREATE INDEX idx_user_id ON orders (user_id)" -c "VACUUM ANALYZE orders" || return 1
  fi
  [[ ${PG_5X:-0} == 1 ]] || return 0
  [[ $(pg_count bench_pg_a orders_5x 2>/dev/null) == $((ROWS * 5)) ]] && return 0
  echo "(untimed) loading bench_pg_a.orders_5x: $((ROWS * 5)) rows" >&2
  PGA -c "DROP TABLE IF EXISTS orders_5x" -c "${PG_DDL/orders/orders_5x}" &&
    pg_gen bench_pg_a orders_5x 1 $((ROWS * 5)) && PGA -c "VACUUM ANALYZE orders_5x"
}
pg_pipe() { # COPY out of A into the same table on B, then the secondary index
  PGB -c "$PG_DDL" &&
    PGA -c "COPY orders TO STDOUT" | PGB -c "COPY orders FROM STDIN" &&
    PGB -c "CREATE INDEX idx_user_id ON orders (user_id)"
}
pg_md5_q() { echo "SELECT count(*) || ' ' || md5(string_agg(o::text, '|' ORDER BY id)) FROM orders o"; }
pg_md5_pair() {
  PGA -At -c "$(pg_md5_q)" >"$WORK/pgmd5.a" & local pa=$!
  PGB -At -c "$(pg_md5_q)" >"$WORK/pgmd5.b" & local pb=$!
  wait $pa && wait $pb
}
pg_md5_note() { if cmp -s "$WORK/pgmd5.a" "$WORK/pgmd5.b"; then echo "match $(cat "$WORK/pgmd5.a")"; else echo "DIFFER"; fi; }
pg_ensure_b() { # B holds an identical orders for the verify cases
  [[ $(pg_count bench_pg_b orders 2>/dev/null) == "$ROWS" ]] && return 0
  pg_recreate bench_pg_b >/dev/null && pg_pipe
}
pgloader_run() {
  cat >"$WORK/pgloader.load" <<EOF
LOAD DATABASE FROM mysql://root@$HOST:$PA/bench INTO $PG_URL/bench_pg_c
 WITH create tables, create indexes, workers = 2, concurrency = 1
 INCLUDING ONLY TABLE NAMES MATCHING 'orders'
 ALTER SCHEMA 'bench' RENAME TO 'public';
EOF
  pgloader --quiet "$WORK/pgloader.load" && echo "pgloader done"
}

if [[ ${POSTGRES:-1} != 0 && ( -z $ONLY || $ONLY == *pg* ) ]]; then
  if ! pg_isready -q -d "$PG_URL/postgres"; then
    echo "-- PostgreSQL at $PG_URL is not ready: its tests are skipped" >&2
  else
    echo "-- PostgreSQL at $PG_URL: bench_pg_a/b/c" >&2
    pg_load || echo "PostgreSQL load failed" >&2
    RPA="$PG_URL/bench_pg_a"; RPB="$PG_URL/bench_pg_b"; RPC="$PG_URL/bench_pg_c"
    bench pg_copy_pipe "pg_recreate bench_pg_b" "pg_pipe" "pg_count_is bench_pg_b orders $ROWS"
    bench pgcopydb_clone \
      "pg_recreate bench_pg_b; rm -rf '$WORK/pgcopydb'" \
      "pgcopydb clone --source '$RPA' --target '$RPB' --dir '$WORK/pgcopydb' --table-jobs 2 --index-jobs 2 --no-owner --no-acl --notice 2>&1 | tail -3" \
      "pg_count_is bench_pg_b orders $ROWS"
    bench go_copy_pg_pg "pg_recreate bench_pg_b" \
      "$TOOL copy --from '$RPA' --to '$RPB' --table orders" \
      "pg_count_is bench_pg_b orders $ROWS"
    bench pgloader_mysql_pg "pg_recreate bench_pg_c" "pgloader_run" "pg_count_is bench_pg_c orders $ROWS"
    bench go_copy_mysql_pg "pg_recreate bench_pg_c" \
      "$TOOL copy --from '$RA' --to '$RPC' --table orders" \
      "pg_count_is bench_pg_c orders $ROWS"
    bench pg_md5_agg_pair "pg_ensure_b" "pg_md5_pair" "pg_md5_note"
    bench go_verify_pg_pg "pg_ensure_b" \
      "$TOOL verify --from '$RPA' --to '$RPB' --table orders >'$WORK/go_verify_pg.out'" \
      "grep -q 'match rate 100' '$WORK/go_verify_pg.out' && head -1 '$WORK/go_verify_pg.out' | cut -c1-100"
    if ((${DIFF_ROWS:-1000} > 0)) && want go_verify_pg_pg_diff; then
      pg_ensure_b
      step=$((ROWS / ${DIFF_ROWS:-1000})); ((step < 1)) && step=1
      PGB -c "UPDATE orders SET amount = amount + 1 WHERE id % $step = 0"
      nchg=$(PGB -At -c "SELECT COUNT(*) FROM orders WHERE id % $step = 0")
      bench go_verify_pg_pg_diff "" \
        "$TOOL verify --from '$RPA' --to '$RPB' --table orders >'$WORK/go_verify_pg.out'; test \$? = 1" \
        "found=\$(sed -n 's/^  \\([0-9,]*\\) missing, \\([0-9,]*\\) extra, \\([0-9,]*\\) different.*/\\3/p' '$WORK/go_verify_pg.out' | tr -d ,); echo \"found \$found of $nchg changed rows\"; test \"\$found\" = $nchg"
      PGB -c "UPDATE orders SET amount = amount - 1 WHERE id % $step = 0"
    fi
    if [[ ${PG_5X:-0} == 1 ]] && [[ -x /usr/bin/time ]]; then
      n5=$((ROWS * 5))
      rss_ok() { local kb; kb=$(tail -1 "$WORK/$1.rss"); echo "peak_rss=$((kb / 1024))MB"; ((kb < 150 * 1024)); }
      bench go_copy_pg_pg_5x_rss "PGB -c 'DROP TABLE IF EXISTS orders_5x'" \
        "/usr/bin/time -f %M -o '$WORK/pgpg5.rss' $TOOL copy --from '$RPA' --to '$RPB' --table orders_5x" \
        "pg_count_is bench_pg_b orders_5x $n5 && rss_ok pgpg5"
      bench go_copy_pg_mysql_5x_rss "B -e 'DROP TABLE IF EXISTS orders_5x'" \
        "/usr/bin/time -f %M -o '$WORK/pgmy5.rss' $TOOL copy --from '$RPA' --to '$RB' --table orders_5x" \
        "[[ \$(B -N -e 'SELECT COUNT(*) FROM orders_5x') == $n5 ]] && rss_ok pgmy5"
      bench go_copy_pg_sqlite_5x_rss "rm -f '$WORK/pg5.db'*" \
        "/usr/bin/time -f %M -o '$WORK/pgsq5.rss' $TOOL copy --from '$RPA' --to 'sqlite:$WORK/pg5.db' --table orders_5x" \
        "[[ \$(SQ '$WORK/pg5.db' 'SELECT COUNT(*) FROM orders_5x') == $n5 ]] && rss_ok pgsq5"
      my_5x_load() { # bench.orders_5x on A: orders five times, the ids shifted by ROWS each time
        [[ $(A -N -e 'SELECT COUNT(*) FROM orders_5x' 2>/dev/null) == "$n5" ]] && return 0
        echo "(untimed) making bench.orders_5x on A: $n5 rows" >&2
        A -e 'DROP TABLE IF EXISTS orders_5x; CREATE TABLE orders_5x LIKE orders' || return 1
        local k
        for ((k = 0; k < 5; k++)); do
          A -e "INSERT INTO orders_5x SELECT id + $k * $ROWS, user_id, merchant_id, amount, status, note, created_at, updated_at, payload FROM orders" || return 1
        done
      }
      if want go_copy_mysql_pg_5x_rss && my_5x_load; then
        bench go_copy_mysql_pg_5x_rss "PGC -c 'DROP TABLE IF EXISTS orders_5x'" \
          "/usr/bin/time -f %M -o '$WORK/mypg5.rss' $TOOL copy --from '$RA' --to '$RPC' --table orders_5x" \
          "pg_count_is bench_pg_c orders_5x $n5 && rss_ok mypg5"
      fi
      bench go_verify_pg_pg_5x_rss "" \
        "/usr/bin/time -f %M -o '$WORK/pgv5.rss' $TOOL verify --from '$RPA' --to '$RPB' --table orders_5x >'$WORK/go_verify_pg5.out'" \
        "grep -q 'match rate 100' '$WORK/go_verify_pg5.out' && rss_ok pgv5"
    fi
  fi
fi
