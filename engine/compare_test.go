package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLooseValues(t *testing.T) {
	same := [][2]any{
		{[]byte("12.50"), 12.5},
		{"012.50", int64(12) + 0}, // compared below as different
		{[]byte("-0.00"), int64(0)},
		{"2023-01-02T03:04:05.120Z", []byte("2023-01-02 03:04:05.12")},
		{time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC), "2023-01-02 03:04:05.000000"},
		{true, int64(1)},
	}
	for i, p := range same {
		eq := loose(p[0]) == loose(p[1])
		if want := i != 1; eq != want {
			t.Errorf("%v vs %v: equal %v, want %v (%q, %q)", p[0], p[1], eq, want, loose(p[0]), loose(p[1]))
		}
	}
	if loose(nil) == loose("") || loose(nil) == loose("NULL") {
		t.Error("NULL equals a text")
	}
}

func TestMatchResults(t *testing.T) {
	old := resultSet{Cols: []string{"k", "n", "total"}, Rows: [][]any{
		{"a", int64(1), "10.00"}, {"b", int64(2), "20.00"}, {"c", int64(3), "30.00"}, {"d", int64(4), nil}, {"d", int64(4), nil},
	}}
	cur := resultSet{Cols: []string{"TOTAL", "K", "N", "unused"}, Rows: [][]any{
		{10.0, []byte("a"), int64(1), 0}, {"20.01", "b", int64(2), 0}, {nil, "d", int64(4), 0}, {"1", "e", int64(5), 0},
	}}
	res, err := matchResults(old, cur, []string{"k"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// a matches, b differs in total, c is missing, d once matched once missing, e extra
	if res.Rows != 5 || res.NewRows != 4 || res.Matched != 2 || res.Different != 1 || res.Missing != 2 || res.Extra != 1 {
		t.Errorf("result %+v", res)
	}
	got := diffSet(res.Diffs)
	want := map[string]string{"b": "different total", "c": "missing", "d": "missing", "e": "extra"}
	sameDiffs(t, "compare", got, want)
	if _, err := matchResults(old, resultSet{Cols: []string{"k"}}, []string{"k"}, 0); err == nil || !strings.Contains(err.Error(), "column n") {
		t.Errorf("missing column: %v", err)
	}
	if _, err := matchResults(old, cur, []string{"zz"}, 0); err == nil {
		t.Error("an unknown key column was accepted")
	}
}

// TestCompareThresholds runs the same question on MySQL and SQLite with a
// planted share of differences and checks pass, fail and critical.
func TestCompareThresholds(t *testing.T) {
	ctx := context.Background()
	oldDB, newDB := openMySQLT(t), openSQLiteT(t, "new")
	execT(t, oldDB, "CREATE TABLE sales (merchant INT NOT NULL, amount DECIMAL(10,2) NOT NULL, at DATETIME(6) NOT NULL)")
	execT(t, newDB, "CREATE TABLE sales (merchant INT NOT NULL, amount DECIMAL(10,2) NOT NULL, at DATETIME(6) NOT NULL)")
	var vals []string
	for m := 1; m <= 100; m++ {
		for j := 0; j < 3; j++ {
			vals = append(vals, fmt.Sprintf("(%d, '%d.%02d', '2023-01-01 00:00:%02d.500000')", m, m*10+j, j*5, j))
		}
	}
	execT(t, oldDB, "INSERT INTO sales VALUES "+strings.Join(vals, ","))
	execT(t, newDB, "INSERT INTO sales VALUES "+strings.Join(vals, ","))
	q := "SELECT merchant, COUNT(*) AS n, SUM(amount) AS total, MAX(at) AS last_at FROM sales GROUP BY merchant"
	run := func(min, crit float64) CompareResult {
		t.Helper()
		res, err := Compare(ctx, oldDB, newDB, CompareOptions{OldQuery: q, NewQuery: q, Key: []string{"merchant"}, MinMatch: min, CriticalBelow: crit})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := run(0, 0); res.MatchRate != 1 || !res.Passed || res.Rows != 100 || res.Matched != 100 {
		t.Fatalf("identical sides: %+v", res)
	}
	// 4 merchants differ, 1 is missing, 1 extra: 95 of 101 match
	execT(t, newDB, "UPDATE sales SET amount = amount + 1 WHERE merchant IN (1, 2, 3, 4)",
		"DELETE FROM sales WHERE merchant = 50",
		"INSERT INTO sales VALUES (500, '1.00', '2023-01-01 00:00:00')")
	res := run(0.9, 0.8)
	if res.Different != 4 || res.Missing != 1 || res.Extra != 1 || res.Matched != 95 || !res.Passed || res.Critical {
		t.Errorf("5%% planted, min 0.9: %+v", res)
	}
	if want := 95.0 / 101; res.MatchRate != want {
		t.Errorf("match rate %v, want %v", res.MatchRate, want)
	}
	if res := run(0.95, 0.8); res.Passed || res.Critical {
		t.Errorf("min 0.95: passed %v critical %v at %v", res.Passed, res.Critical, res.MatchRate)
	}
	execT(t, newDB, "UPDATE sales SET amount = amount + 1 WHERE merchant <= 30")
	if res := run(0.95, 0.8); res.Passed || !res.Critical {
		t.Errorf("below 0.8: passed %v critical %v at %v", res.Passed, res.Critical, res.MatchRate)
	}
	if _, err := Compare(ctx, oldDB, newDB, CompareOptions{OldQuery: q, NewQuery: "SELECT nope FROM sales", Key: []string{"merchant"}}); err == nil {
		t.Error("a failing query passed")
	}
}
