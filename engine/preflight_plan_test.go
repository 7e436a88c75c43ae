package engine

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// A plan reads both catalogs and writes nothing: no checkpoint table, no
// created table, not even a SQLite target file that does not exist yet.
// It shows the statements it would run, an existing target that fits, and
// a column that does not, by name.
func TestPreflightPlanWritesNothing(t *testing.T) {
	ctx := context.Background()
	src := openMySQLT(t)
	execT(t, src, "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40))",
		"CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(10,2), note VARCHAR(40),"+
			" FOREIGN KEY fk_customer (customer_id) REFERENCES customers (id))",
		"CREATE TABLE items (id INT PRIMARY KEY, qty INT)")
	dst := openMySQLT(t)
	execT(t, dst, "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(6,2), note VARCHAR(5))",
		"CREATE TABLE items (id INT PRIMARY KEY, qty INT)")
	before := tablesOf(t, dst)
	p, err := PreflightPlan(ctx, src, dst, PreflightOptions{Tables: []string{"customers", "orders", "items"}, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := tablesOf(t, dst); !reflect.DeepEqual(got, before) {
		t.Errorf("the plan changed the target's tables: %v, was %v", got, before)
	}
	text := planText(p)
	for _, want := range []string{
		"customers → customers", "does not exist; created as:", "CREATE TABLE `customers`",
		"orders.amount is decimal(10,2) on the source and decimal(6,2) on the target: larger values do not fit",
		"orders.note is varchar(40) on the source and varchar(5) on the target: values up to 40 characters do not fit in 5",
		"items → items", "exists, compatible", "2 problems; nothing is written",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the plan does not say %q:\n%s", want, text)
		}
	}
	if len(p.Problems) != 2 || p.Problems[0].Column != "amount" || p.Problems[1].Column != "note" {
		t.Errorf("problems: %+v", p.Problems)
	}
	for _, l := range p.Lines() {
		if len([]rune(l)) > 80 && !strings.HasPrefix(l, "              ") {
			t.Errorf("a prose line wider than 80 columns: %q", l)
		}
	}

	// a SQLite file that does not exist is planned, and stays absent
	file := openSQLiteT(t, "new")
	p, err = PreflightPlan(ctx, src, file, PreflightOptions{Tables: []string{"orders", "customers"}, Create: true})
	if err != nil || len(p.Problems) != 0 {
		t.Fatalf("plan into a new file: %v %q", err, p.Problems)
	}
	text = planText(p)
	for _, want := range []string{"does not exist yet: the copy creates it", `CREATE TABLE "orders"`, "no problems: the copy can start (2 tables)",
		"foreign   fk_customer (customer_id) → customers (id)", "foreign keys: the source's, not created on the target"} {
		if !strings.Contains(text, want) {
			t.Errorf("the plan does not say %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(file.path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the plan created %s: %v", file.path, err)
	}
}

// planText is the plan's text, with the problems and the target note
// unwrapped as well, to look for sentences in.
func planText(p *Plan) string {
	s := strings.Join(p.Lines(), "\n") + "\n" + p.TargetNote
	for _, pr := range p.Problems {
		s += "\n" + pr.Text
	}
	return s
}
