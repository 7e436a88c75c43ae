package engine

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
)

func newTestCutter(first, last string, kind Kind, rows int64) *spanCutter {
	f, _ := new(big.Int).SetString(first, 10)
	l, _ := new(big.Int).SetString(last, 10)
	return &spanCutter{kind: kind, first: f, last: l, rows: rows}
}

func intKey(s string) []Value { return []Value{{Kind: KindInt, B: []byte(s)}} }

// TestSpanCutterFollowsDensity walks a key space: dense, then sparse (spans
// widen at most twice per chunk), then empty (rows are counted instead), then
// dense again, and ends in one open chunk at the largest key.
func TestSpanCutterFollowsDensity(t *testing.T) {
	s := newTestCutter("0", "1000000", KindInt, 100)
	through, _, ok := s.next(nil)
	if !ok || string(through[0].B) != "100" {
		t.Fatalf("first chunk through %v (ok %v), want 100", through, ok)
	}
	s.observe(nil, through, 100)
	through, _, _ = s.next(through)
	if string(through[0].B) != "200" {
		t.Fatalf("dense: second chunk through %s, want 200", through[0].B)
	}

	s.observe(intKey("100"), intKey("200"), 10) // a tenth of the keys are rows
	var spans []string
	after := intKey("200")
	for range 5 {
		var rows int64
		through, rows, ok = s.next(after)
		if !ok {
			t.Fatal("a density of 0.1 fell back to counting")
		}
		if want := (mustInt(t, through) - mustInt(t, after)) / 10; rows != want {
			t.Errorf("rows expected in a span of %d at density 0.1: %d, want %d", mustInt(t, through)-mustInt(t, after), rows, want)
		}
		spans = append(spans, fmt.Sprint(mustInt(t, through)-mustInt(t, after)))
		after = through
	}
	if got := strings.Join(spans, " "); got != "200 400 800 1000 1000" {
		t.Errorf("sparse spans %s, want 200 400 800 1000 1000", got)
	}

	s.observe(intKey("0"), intKey("1000"), 0) // nothing at all
	var wider []string
	for range 100 {
		if through, _, ok = s.next(after); !ok {
			break
		}
		wider = append(wider, fmt.Sprint(mustInt(t, through)-mustInt(t, after)))
		after = through
	}
	if ok || len(wider) > 0 {
		t.Errorf("empty stretch after spans of 1000: spans %v, then ok %v; want counting at once (2000 > 16×100)", wider, ok)
	}
	if _, _, ok = s.next(after); ok {
		t.Errorf("still empty: a span of %d, want counting", s.span)
	}

	s.observe(nil, intKey("100"), 100) // dense again: back to 100 at once
	through, _, ok = s.next(intKey("999950"))
	if !ok || string(through[0].B) != "1000000" {
		t.Errorf("next to the largest key: through %v ok %v, want a chunk ending at it", through, ok)
	}
	if s.span != 100 {
		t.Errorf("span after a dense chunk %d, want 100", s.span)
	}
	if _, _, ok = s.next(through); ok {
		t.Error("past the largest key at the start: cut by span, want counting (rows may have arrived)")
	}
}

// TestSpanCutterUnsignedMax cuts next to BIGINT UNSIGNED's largest value
// without wrapping around.
func TestSpanCutterUnsignedMax(t *testing.T) {
	s := newTestCutter("18446744073709550615", "18446744073709551615", KindUint, 300) // max-1000 .. max
	var bounds []string
	var after []Value
	for range 10 {
		through, _, ok := s.next(after)
		if !ok {
			break // past the largest key: counted
		}
		if through[0].Kind != KindUint {
			t.Errorf("bound kind %s, want uint", through[0].Kind)
		}
		bounds = append(bounds, string(through[0].B))
		s.observe(after, through, 300)
		after = through
	}
	want := "18446744073709550915 18446744073709551215 18446744073709551515 18446744073709551615"
	if got := strings.Join(bounds, " "); got != want {
		t.Errorf("bounds %s, want %s, then counting", got, want)
	}
}

func mustInt(t *testing.T, k []Value) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(string(k[0].B), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVerifyBySpanFindsEveryDifference verifies a table whose ids are dense,
// then sparse, then dense again far away, cut by key span, with differences
// planted in each stretch, in a gap, below the smallest and above the
// largest source key.
func TestVerifyBySpanFindsEveryDifference(t *testing.T) {
	verifyBySpan(t, openMySQLT(t), openMySQLT(t))
}

// verifyBySpan plants differences in dense, sparse and open-ended key
// stretches of a table copied from src to dst, and checks that a verify
// cutting chunks by key span finds every one.
func verifyBySpan(t *testing.T, src, dst *DB) {
	ctx := context.Background()
	ddl := `CREATE TABLE s (id BIGINT NOT NULL PRIMARY KEY, amount DECIMAL(12,2) NOT NULL, note VARCHAR(40) NULL)`
	execT(t, src, ddl)
	var ids []int64
	for i := int64(1); i <= 3000; i++ {
		ids = append(ids, i)
	}
	for k := int64(1); k <= 60; k++ {
		ids = append(ids, 3000+k*997)
	}
	for i := int64(0); i < 3000; i++ {
		ids = append(ids, 5_000_000+i)
	}
	for len(ids) > 0 {
		n := min(1000, len(ids))
		var vals []string
		for _, id := range ids[:n] {
			vals = append(vals, fmt.Sprintf("(%d, %d.25, 'n%d')", id, id%977, id))
		}
		execT(t, src, "INSERT INTO s VALUES "+strings.Join(vals, ","))
		ids = ids[n:]
	}
	copyT(t, src, dst, CopyOptions{Tables: []string{"s"}, Create: true})

	c, err := src.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := src.Table(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	cut, err := newSpanCutter(ctx, src, c, st, 500)
	c.Close()
	if err != nil || cut == nil {
		t.Fatalf("no span cutter for a BIGINT key: %v", err)
	}

	execT(t, dst,
		"UPDATE s SET amount = amount + 1 WHERE id IN (7, 2999, 3997, 42880, 5000000, 5002999)",
		"UPDATE s SET note = NULL WHERE id = 1500",
		"DELETE FROM s WHERE id IN (1, 3000, 5001234)",
		"INSERT INTO s VALUES (-5, 1, 'below'), (0, 1, 'zero'), (3001, 1, 'gap'), (4000000, 1, 'far gap'), (9000000, 1, 'above')",
	)
	var used *spanCutter
	res, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"s"}, ChunkRows: 500, spanCutter: func(s *spanCutter) { used = s }})
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Tables[0].Method; m != MethodServer {
		t.Fatalf("method %s, want %s", m, MethodServer)
	}
	// dense stretches by span, the sparse one and the end by counting
	if used == nil || used.cut < 10 || used.counted < 2 {
		t.Errorf("chunks cut by span and by counting: %+v, want at least 10 and 2", used)
	}
	sameDiffs(t, "span-cut chunks", diffSet(res.Diffs), map[string]string{
		"7": "different amount", "2999": "different amount", "3997": "different amount", "42880": "different amount",
		"5000000": "different amount", "5002999": "different amount", "1500": "different note",
		"1": "missing", "3000": "missing", "5001234": "missing",
		"-5": "extra", "0": "extra", "3001": "extra", "4000000": "extra", "9000000": "extra",
	})
	if r := res.Tables[0].Rows; r != 6060 {
		t.Errorf("%d source rows checked, want 6060", r)
	}
}

// TestVerifyBySpanSourceGrowsPastMax appends rows on both sides once the
// verify has started: past the largest key it saw at the start, the verify
// counts rows again, so no chunk holds more than it promises.
func TestVerifyBySpanSourceGrowsPastMax(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, `CREATE TABLE g (id BIGINT NOT NULL PRIMARY KEY, v INT NOT NULL)`)
	fill := func(d *DB, from, to int) {
		for lo := from; lo <= to; lo += 1000 {
			var vals []string
			for id := lo; id < lo+1000 && id <= to; id++ {
				vals = append(vals, fmt.Sprintf("(%d,%d)", id, id%7))
			}
			execT(t, d, "INSERT INTO g VALUES "+strings.Join(vals, ","))
		}
	}
	fill(src, 1, 1000)
	copyT(t, src, dst, CopyOptions{Tables: []string{"g"}, Create: true})
	const n = 100
	var mu sync.Mutex
	var last, biggest int64
	grown := false
	progress := func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		biggest = max(biggest, p.Done-last)
		last = p.Done
		if p.Done > 0 && !grown { // the first chunk is checked: MIN and MAX were read
			grown = true
			fill(src, 1001, 21000)
			fill(dst, 1001, 21000)
		}
	}
	res, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"g"}, ChunkRows: n, Workers: 1, Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tables[0].Method != MethodServer || !grown {
		t.Fatalf("method %s, rows appended %v", res.Tables[0].Method, grown)
	}
	if biggest > maxSpanFactor*n {
		t.Errorf("a chunk of %d rows, above the %d that span cutting promises", biggest, maxSpanFactor*n)
	}
	if r := res.Tables[0].Rows; r != 21000 || res.DiffCount != 0 {
		t.Errorf("%d rows checked with %d differences, want 21000 and none", r, res.DiffCount)
	}
}
