package engine

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestSamplerAndBound(t *testing.T) {
	s := sampler{share: 0.1, table: "orders"}
	picked := 0
	for n := range 10000 {
		if s.pick(n) {
			picked++
		}
		if s.pick(n) != (sampler{share: 0.1, table: "orders"}).pick(n) {
			t.Fatal("the sample is not deterministic")
		}
	}
	if picked < 900 || picked > 1100 {
		t.Errorf("10%% sample picked %d of 10000 chunks", picked)
	}
	if !(sampler{}).all() || !(sampler{share: 1}).all() || s.all() {
		t.Error("all() wrong")
	}
	// (1-s)^k <= 5% at the k given, and not at k-1
	for _, share := range []float64{0.01, 0.1, 0.25, 0.5, 0.9} {
		k := chunksFor95(share)
		if math.Pow(1-share, float64(k)) > 0.05 || math.Pow(1-share, float64(k-1)) <= 0.05 {
			t.Errorf("share %v: k = %d", share, k)
		}
	}
	note := SampleNote(0.1, 12, 100)
	if note != "sampled 12 of 100 chunks (10%): a difference in one chunk is seen with probability 10%, a difference spread over 29 or more chunks with 95%" {
		t.Errorf("note %q", note)
	}
	if SampleNote(0, 1, 1) != "" || SampleNote(1, 1, 1) != "" {
		t.Error("a full check has a sample note")
	}
}

// TestVerifySampled changes one row in every chunk of the target: a sampled
// verify finds exactly the changes in the chunks it checked, and says so.
func TestVerifySampled(t *testing.T) {
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	createPlantSource(t, src)
	fillTarget(t, src, dst, true)
	execT(t, dst, "UPDATE t SET note = 'changed' WHERE id % 100 = 2") // one row per 50-row chunk
	res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"t"}, ChunkRows: 50, Sample: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Tables[0]
	if tr.Chunks != plantRows/50+1 || tr.ChunksChecked == 0 || tr.ChunksChecked >= tr.Chunks {
		t.Fatalf("chunks %d, checked %d", tr.Chunks, tr.ChunksChecked)
	}
	// every checked chunk but the open-ended last one holds one change
	want := int64(tr.ChunksChecked)
	if s := (sampler{share: 0.25, table: "t"}); s.pick(tr.Chunks - 1) {
		want--
	}
	if tr.DiffCount != want || tr.ChunksDiffering != int(want) || tr.Rows != want*50 {
		t.Errorf("checked %d chunks: %d differences in %d chunks, %d rows", tr.ChunksChecked, tr.DiffCount, tr.ChunksDiffering, tr.Rows)
	}
	if !strings.HasPrefix(tr.Sampled, fmt.Sprintf("sampled %d of %d chunks (25%%)", tr.ChunksChecked, tr.Chunks)) || res.Passed {
		t.Errorf("sample note %q, passed %v", tr.Sampled, res.Passed)
	}
}

// TestVerifySampledNeverEmpty: a table smaller than one chunk is still
// checked by a sampled verify; a sample that checks nothing would pass a
// table whatever it holds.
func TestVerifySampledNeverEmpty(t *testing.T) {
	for i, share := range []float64{0.01, 0.1, 0.5} {
		src, dst := openSQLiteT(t, fmt.Sprint("src", i)), openSQLiteT(t, fmt.Sprint("dst", i))
		createPlantSource(t, src)
		fillTarget(t, src, dst, true)
		execT(t, dst, "UPDATE t SET note = 'changed' WHERE id = 8")
		res, err := Verify(context.Background(), src, dst, VerifyOptions{Tables: []string{"t"}, ChunkRows: 100000, Sample: share})
		if err != nil {
			t.Fatal(err)
		}
		tr := res.Tables[0]
		if tr.ChunksChecked != 1 || tr.DiffCount != 1 || res.Passed {
			t.Errorf("sample %v: checked %d of %d chunks, %d rows, %d differences, passed %v", share, tr.ChunksChecked, tr.Chunks, tr.Rows, tr.DiffCount, res.Passed)
		}
	}
}
