package engine

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// benchSchema is the shared bench's SQLite orders table (shared/bench/sqlite_schema.sql).
const benchSchema = `CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  merchant_id INTEGER NOT NULL,
  amount      DECIMAL(12,2) NOT NULL,
  status      VARCHAR(16) NOT NULL,
  note        VARCHAR(255),
  created_at  DATETIME NOT NULL,
  updated_at  TIMESTAMP NOT NULL,
  payload     BLOB
);
CREATE INDEX idx_user_id ON orders(user_id);`

// benchRows is the size of the benchmark table: RUNWAY_BENCH_ROWS or 200,000.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("RUNWAY_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// makeBenchSource writes the bench's orders rows (same arithmetic as
// shared/bench/load.sh) into a new SQLite file.
func makeBenchSource(b *testing.B, dir string, n int) string {
	path := filepath.Join(dir, "src.db")
	d, err := Open(SQLite, path)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	stmts := []string{"PRAGMA journal_mode=WAL", benchSchema, fmt.Sprintf(`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < %d)
INSERT INTO orders SELECT n, (n*7919) %% 100003 + 1, (n*31) %% 5000 + 1, ((n*104729) %% 9999999) / 100.0,
  CASE n %% 5 WHEN 0 THEN 'new' WHEN 1 THEN 'paid' WHEN 2 THEN 'shipped' WHEN 3 THEN 'delivered' ELSE 'cancelled' END,
  CASE WHEN n %% 10 = 0 THEN NULL ELSE 'note for order ' || n || ' ' || substr('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua', 1, n %% 60) END,
  strftime('%%Y-%%m-%%d %%H:%%M:%%S', '2023-01-01 00:00:00', '+' || (n*37) || ' seconds') || '.' || printf('%%06d', (n*7919) %% 1000000),
  strftime('%%Y-%%m-%%d %%H:%%M:%%S', '2023-01-01 00:00:00', '+' || (n*37 + n %% 86400) || ' seconds'),
  CASE WHEN n %% 8 = 0 THEN NULL ELSE substr(randomblob(200), 1 + n %% 50, 40 + (n*13) %% 121) END
FROM c`, n), "PRAGMA wal_checkpoint(TRUNCATE)"}
	for _, q := range stmts {
		if _, err := d.SQL().Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	return path
}

// BenchmarkSQLiteCopy copies the bench's orders table SQLite→SQLite with the
// copy engine and, on the same data in the same run, with ATTACH + INSERT…
// SELECT (the physical limit) through the same driver and, when installed,
// through the sqlite3 command line as shared/bench does. Metrics: rows/s of
// each and ratio = copy rows/s ÷ ATTACH rows/s.
//
//	go test ./engine -run '^$' -bench SQLiteCopy -benchtime 3x
func BenchmarkSQLiteCopy(b *testing.B) {
	n := benchRows()
	dir := b.TempDir()
	src := makeBenchSource(b, dir, n)
	cli, _ := exec.LookPath("sqlite3")
	var copySecs, attachSecs, cliSecs float64
	for i := 0; i < b.N; i++ {
		dst := filepath.Join(dir, fmt.Sprintf("dst%d.db", i))

		// the copy engine
		t0 := time.Now()
		s, err := Open(SQLite, src)
		if err != nil {
			b.Fatal(err)
		}
		d, err := Open(SQLite, dst)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Copy(context.Background(), s, d, CopyOptions{Tables: []string{"orders"}, Create: true})
		if err != nil || res.Tables[0].Rows != int64(n) {
			b.Fatalf("copy: %v %+v", err, res)
		}
		s.Close()
		d.Close()
		copySecs += time.Since(t0).Seconds()

		// ATTACH + INSERT…SELECT through the same driver
		ref := filepath.Join(dir, fmt.Sprintf("ref%d.db", i))
		attach := fmt.Sprintf(`ATTACH '%s' AS dst; PRAGMA dst.journal_mode=WAL;
CREATE TABLE dst.orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, merchant_id INTEGER NOT NULL, amount DECIMAL(12,2) NOT NULL,
  status VARCHAR(16) NOT NULL, note VARCHAR(255), created_at DATETIME NOT NULL, updated_at TIMESTAMP NOT NULL, payload BLOB);
CREATE INDEX dst.idx_user_id ON orders(user_id);
INSERT INTO dst.orders SELECT * FROM main.orders;`, ref)
		t0 = time.Now()
		s, _ = Open(SQLite, src)
		conn, err := s.SQL().Conn(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conn.ExecContext(context.Background(), attach); err != nil {
			b.Fatal(err)
		}
		conn.Close()
		s.Close()
		attachSecs += time.Since(t0).Seconds()

		// the same through the sqlite3 command line (C), as shared/bench measures it
		if cli != "" {
			ref2 := filepath.Join(dir, fmt.Sprintf("cli%d.db", i))
			t0 = time.Now()
			out, err := exec.Command(cli, "-bail", src, fmt.Sprintf(`ATTACH '%s' AS dst; PRAGMA dst.journal_mode=WAL; CREATE TABLE dst.orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, merchant_id INTEGER NOT NULL, amount DECIMAL(12,2) NOT NULL, status VARCHAR(16) NOT NULL, note VARCHAR(255), created_at DATETIME NOT NULL, updated_at TIMESTAMP NOT NULL, payload BLOB); CREATE INDEX dst.idx_user_id ON orders(user_id); INSERT INTO dst.orders SELECT * FROM main.orders;`, ref2)).CombinedOutput()
			if err != nil {
				b.Fatalf("sqlite3: %v %s", err, out)
			}
			cliSecs += time.Since(t0).Seconds()
		}
		for _, p := range []string{dst, ref} {
			os.Remove(p)
			os.Remove(p + "-wal")
			os.Remove(p + "-shm")
		}
	}
	rows := float64(n) * float64(b.N)
	b.ReportMetric(rows/copySecs, "copy_rows/s")
	b.ReportMetric(rows/attachSecs, "attach_go_rows/s")
	b.ReportMetric(attachSecs/copySecs, "ratio_go")
	if cliSecs > 0 {
		b.ReportMetric(rows/cliSecs, "attach_cli_rows/s")
		b.ReportMetric(cliSecs/copySecs, "ratio_cli")
	}
}
