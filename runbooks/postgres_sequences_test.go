package runbooks

import (
	"context"
	"database/sql"
	"testing"

	"runway/engine"
	"runway/engine/enginetest"
	"runway/runbook"
)

// TestPostgresTemplateSequences runs the MySQL to PostgreSQL template's
// own SQL against tables as the copy creates them (ids as plain columns,
// bigint or numeric(20,0), no sequence): the ids get a sequence, the sequences move past the copied
// ids, and the check that new orders will not reuse an id passes.
func TestPostgresTemplateSequences(t *testing.T) {
	ctx := context.Background()
	d, err := engine.OpenURL(enginetest.PostgresPrefixed(t, "rw_pgattack_"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	db := d.SQL()
	tables := []string{"customers", "addresses", "products", "product_reviews", "coupons", "orders", "payments", "shipments"}
	for i, tb := range tables {
		idType := "bigint"
		if i%2 == 0 { // a MySQL BIGINT UNSIGNED id, as the copy creates it
			idType = "numeric(20,0)"
		}
		mustExec(t, db, "CREATE TABLE "+tb+" (id "+idType+" NOT NULL, note text, PRIMARY KEY (id))")
		mustExec(t, db, "INSERT INTO "+tb+" SELECT g, 'copied' FROM generate_series(1, 50) g")
	}
	mustExec(t, db, "CREATE TABLE order_items (order_id bigint NOT NULL, line int NOT NULL, PRIMARY KEY (order_id, line))")
	rb := load(t, "mysql-to-postgres.yaml")
	for _, id := range []string{"ids-identity", "pilot-sequences", "move-sequences"} {
		s := sqlItem(t, rb, id)
		mustExec(t, db, s.Exec)
	}
	ahead := sqlItem(t, rb, "sequences-ahead")
	var got string
	if err := db.QueryRowContext(ctx, "SELECT ("+ahead.Query+")::text").Scan(&got); err != nil || got != ahead.Expect {
		t.Errorf("sequences-ahead: %q (%v), want %q", got, err, ahead.Expect)
	}
	for _, tb := range tables {
		var id int64
		if err := db.QueryRowContext(ctx, "INSERT INTO "+tb+" (note) VALUES ('new') RETURNING id").Scan(&id); err != nil || id <= 50 {
			t.Errorf("%s: a new row got id %d (%v), want one past the copied ids", tb, id, err)
		}
	}
}

func sqlItem(t *testing.T, rb *runbook.Runbook, id string) *runbook.SQL {
	t.Helper()
	for _, p := range rb.Phases {
		for _, it := range p.Items {
			if it.ID == id && it.SQL != nil {
				return it.SQL
			}
		}
	}
	t.Fatalf("no sql item %s", id)
	return nil
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
