package checks

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// A guard's value and error are cut between characters, marked, and short:
// a 10 KB line of multi-byte text or a 10 KB error become one short line.
func TestSampleClipsValueAndError(t *testing.T) {
	long := strings.Repeat("é", 5000) // 10 KB, two bytes a character
	f := sampleFunc(func(context.Context, Env) (string, error) { return "x" + long, errors.New("boom " + long) })
	v, err := f.Sample(context.Background(), Env{})
	if len(v) > maxSampleLen || !utf8.ValidString(v) || !strings.HasSuffix(v, "…") {
		t.Errorf("value: %d bytes, valid %v, %q…", len(v), utf8.ValidString(v), v[:20])
	}
	if err == nil || len(err.Error()) > maxSampleLen || !utf8.ValidString(err.Error()) {
		t.Errorf("error: %v", err)
	}
}
