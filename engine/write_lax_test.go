package engine

import (
	"strconv"
	"testing"
)

func TestHasEmptyMember(t *testing.T) {
	for typ, want := range map[string]bool{
		"enum('a','b')": false, "enum('','a')": true, "enum('a','')": true, "enum('a','','b')": true,
		"enum('''a','b')": false, "enum('a','''b')": false, "enum('')": true,
	} {
		if got := hasEmptyMember(typ); got != want {
			t.Errorf("hasEmptyMember(%s) = %v, want %v", typ, got, want)
		}
	}
}

// BenchmarkLaxScan is what looking for ENUM error values costs a chunk of
// the bench's orders shape with one ENUM column and none of them: the only
// cost the lax path adds to a table without error values (ns/row, against
// about 10,000 ns/row for the copy of such a row on the bench).
func BenchmarkLaxScan(b *testing.B) {
	const rows, cols = 10_000, 9
	batch := NewBatch(cols)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			batch.Add(Value{Kind: KindText, B: []byte("paid " + strconv.Itoa(r))})
		}
	}
	u := &Upserter{lax: make([]bool, cols)}
	u.lax[4] = true
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if u.laxRows(batch) != nil {
			b.Fatal("found error values where there are none")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}
