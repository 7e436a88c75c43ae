# growth.sh - copy and verify of a table ten times the size of bench.orders,
# beside the same on orders, in one measure.sh run, with the peak resident
# memory of each (GNU time). Sourced by extra.sh when ROWS_10M=1:
#
#   bash ../shared/bench/load.sh 1000000
#   ROWS_10M=1 ONLY='go_*_rss' EXTRA=$PWD/engine/testdata/bench/extra.sh TOOL=/tmp/runway bash ../shared/bench/measure.sh
#
#   go_copy_ab_1x_rss / go_copy_ab_10x_rss       runway copy A -> B of orders / orders_10x
#   go_verify_ab_1x_rss / go_verify_ab_10x_rss   runway verify A vs B of the same
#
# bench.orders_10x is ten copies of orders with the ids shifted by ROWS
# (10M rows for load.sh 1000000), made on A once (untimed). Goals: each 10x
# time at most 10.5 times its 1x time, peak RSS under 150 MB; printed at the
# end and written to $RES/growth.txt.

GR_X=10
GR_ROWS=$((ROWS * GR_X))
GR_TIME=/usr/bin/time
[[ -x $GR_TIME ]] || { echo "growth: /usr/bin/time missing (apt-get install time)" >&2; return 0; }

gr_load() {
  [[ $(A -N -e 'SELECT COUNT(*) FROM orders_10x' 2>/dev/null) == "$GR_ROWS" ]] && return 0
  echo "(untimed) making bench.orders_10x on A: $GR_ROWS rows" >&2
  A -e 'DROP TABLE IF EXISTS orders_10x; CREATE TABLE orders_10x LIKE orders' || return 1
  local k
  for ((k = 0; k < GR_X; k++)); do
    A -e "INSERT INTO orders_10x SELECT id + $k * $ROWS, user_id, merchant_id, amount, status, note, created_at, updated_at, payload FROM orders" || return 1
  done
}
gr_count_is() { # gr_count_is A|B TABLE N
  local n; n=$($1 -N -e "SELECT COUNT(*) FROM $2")
  if [[ $n == "$3" ]]; then echo "rows=$n"; else echo "rows=$n expected $3"; return 1; fi
}
gr_rss_note() { # peak RSS of the last timed run, in MB, and under the 150 MB goal?
  local kb; kb=$(tail -1 "$WORK/$1.rss")
  echo "peak_rss=$((kb / 1024))MB"
  ((kb < 150 * 1024)) || { echo "over 150 MB"; return 1; }
}
# gr_case TABLE ROWS SUFFIX
gr_case() {
  local t=$1 n=$2 s=$3
  bench go_copy_ab_${s}_rss \
    "B -e 'DROP TABLE IF EXISTS $t'" \
    "$GR_TIME -f %M -o '$WORK/copy_$s.rss' $TOOL copy --from '$RA' --to '$RB' --table $t" \
    "gr_count_is B $t $n && gr_rss_note copy_$s"
  bench go_verify_ab_${s}_rss \
    "gr_count_is B $t $n >/dev/null || $TOOL copy --from '$RA' --to '$RB' --table $t >/dev/null" \
    "$GR_TIME -f %M -o '$WORK/verify_$s.rss' $TOOL verify --from '$RA' --to '$RB' --table $t >'$WORK/go_verify_$s.out'" \
    "grep -q 'match rate 100' '$WORK/go_verify_$s.out' && gr_rss_note verify_$s"
}

if [[ ${ROWS_10M:-0} == 1 ]] && want 'go_*_rss'; then
  echo "-- growth: orders ($ROWS rows) and orders_10x ($GR_ROWS rows), peak RSS" >&2
  gr_load
  gr_case orders "$ROWS" 1x
  gr_case orders_10x "$GR_ROWS" 10x
  gr_summary() {
    local med; med() { awk -F, -v t="$1" '$1==t && $4=="ok" {print $3}' "$RAW" | sort -g | awk '{v[NR]=$1} END {if (NR) print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
    local w
    for w in copy verify; do
      awk -v a="$(med go_${w}_ab_1x_rss)" -v b="$(med go_${w}_ab_10x_rss)" -v w=$w -v x=$GR_X \
        -v ra="$(tail -1 "$WORK/${w}_1x.rss" 2>/dev/null)" -v rb="$(tail -1 "$WORK/${w}_10x.rss" 2>/dev/null)" 'BEGIN {
        if (a != "" && b != "") printf "%-6s %dx rows: %.1fs vs %.1fs = %.2fx the time (goal <= 10.5); peak RSS %d / %d MB (goal < 150)\n", w, x, a, b, b / a, ra / 1024, rb / 1024 }'
    done
  }
  gr_summary | tee "$RES/growth.txt" >&2
fi
