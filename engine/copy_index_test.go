package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// indexNames lists the secondary indexes of table o.
func indexNames(t *testing.T, d *DB) string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'o' AND sql IS NOT NULL ORDER BY name"
	if d.Driver() == MySQL {
		q = "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'o' AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME"
	}
	rows, err := d.SQL().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	return strings.Join(names, ",")
}

// TestSecondaryIndexesAddedAtTheEnd: a created table gets its unique
// indexes at once and its other indexes after the rows, also when the copy
// was interrupted and resumed.
func TestSecondaryIndexesAddedAtTheEnd(t *testing.T) {
	for _, engine := range []string{MySQL, SQLite} {
		t.Run(engine, func(t *testing.T) {
			var src, dst *DB
			if engine == MySQL {
				src, dst = openMySQLT(t), openMySQLT(t)
			} else {
				src, dst = openSQLiteT(t, "src"), openSQLiteT(t, "dst")
			}
			seedOrders(t, src, 2000)
			execT(t, src, "CREATE INDEX by_merchant ON o (merchant, amount)", "CREATE UNIQUE INDEX by_note ON o (note)")
			ctx, cancel := context.WithCancel(context.Background())
			// chunked: an empty SQLite target would take it all at once
			_, err := Copy(ctx, src, dst, CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 100, chunked: true,
				OnCheckpoint: func(c Checkpoint) {
					if c.Rows >= 300 {
						cancel()
					}
				}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("first run: %v", err)
			}
			if got := indexNames(t, dst); got != "by_note" {
				t.Fatalf("indexes while the copy is unfinished: %q, want only the unique one", got)
			}
			copyT(t, src, dst, CopyOptions{Tables: []string{"o"}, Create: true})
			if got := indexNames(t, dst); got != "by_merchant,by_note" {
				t.Fatalf("indexes after the copy: %q", got)
			}
			if n := countT(t, dst, "o"); n != 2000 {
				t.Fatalf("%d rows", n)
			}
		})
	}
}

// The indexes a created table leaves for later are on record before the
// table exists, and stay there when its rows go: a run killed right after
// CREATE TABLE, or a target emptied to start over after an interrupted copy,
// still ends with every index (both had ended without them, saying nothing).
func TestDeferredIndexesSurviveARestart(t *testing.T) {
	for _, engine := range []string{MySQL, SQLite} {
		for _, how := range []string{"killed after create", "target emptied"} {
			t.Run(engine+"/"+how, func(t *testing.T) {
				var src, dst *DB
				if engine == MySQL {
					src, dst = openMySQLT(t), openMySQLT(t)
				} else {
					src, dst = openSQLiteT(t, "src"), openSQLiteT(t, "dst")
				}
				seedOrders(t, src, 2000)
				execT(t, src, "CREATE INDEX by_merchant ON o (merchant, amount)", "CREATE UNIQUE INDEX by_note ON o (note)")
				opts := CopyOptions{Tables: []string{"o"}, Create: true, MaxChunkRows: 100, chunked: true, Job: "j"}
				switch how {
				case "killed after create": // the table made, nothing after it
					ctx := context.Background()
					if err := ensureCheckpointTable(ctx, dst); err != nil {
						t.Fatal(err)
					}
					if _, _, err := (&tableCopy{src: src, dst: dst, name: "o", opts: opts}).prepare(ctx); err != nil {
						t.Fatal(err)
					}
				case "target emptied":
					ctx, cancel := context.WithCancel(context.Background())
					o := opts
					o.OnCheckpoint = func(c Checkpoint) {
						if c.Rows >= 300 {
							cancel()
						}
					}
					if _, err := Copy(ctx, src, dst, o); !errors.Is(err, context.Canceled) {
						t.Fatalf("first run: %v", err)
					}
					execT(t, dst, "DELETE FROM o")
				}
				if got := indexNames(t, dst); got == "by_merchant,by_note" {
					t.Fatalf("the deferred index is there before the rows: %q", got)
				}
				copyT(t, src, dst, opts)
				if n := countT(t, dst, "o"); n != 2000 {
					t.Fatalf("%d rows after the rerun, want 2000", n)
				}
				if got := indexNames(t, dst); got != "by_merchant,by_note" {
					t.Fatalf("indexes after the rerun: %q, want by_merchant,by_note", got)
				}
			})
		}
	}
}
