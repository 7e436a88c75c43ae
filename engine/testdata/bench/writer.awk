# writer.awk - the legacy application's writes, as SQL for one connection:
# single-row autocommit statements on TABLE, nine updates of existing rows
# (ids 1..ROWS, pseudo-random from SEED) to one insert of a new row.
#   awk -v TABLE=orders -v ROWS=1000000 -v N=50000 -v SEED=1 -f writer.awk
BEGIN {
  x = SEED * 7919 + 17
  for (i = 1; i <= N; i++) {
    x = (x * 1103515245 + 12345) % 2147483648
    id = 1 + x % ROWS
    if (i % 10 == 0)
      printf "INSERT INTO %s (user_id, merchant_id, amount, status, note, created_at, payload) VALUES (%d, %d, %d.%02d, 'new', 'written by the bench writer %d', NOW(6), NULL);\n", TABLE, id % 100003, id % 5000, id % 1000, i % 100, i
    else
      printf "UPDATE %s SET amount = amount + 0.01, status = 'paid', note = 'changed %d' WHERE id = %d;\n", TABLE, i, id
  }
}
