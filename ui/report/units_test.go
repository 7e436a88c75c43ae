package report

import (
	"bufio"
	"strconv"
	"strings"
	"testing"
	"time"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		120 * time.Millisecond:        "120ms",
		4200 * time.Millisecond:       "4.2s",
		42 * time.Second:              "42s",
		2*time.Minute + 5*time.Second: "2m05s",
		12 * time.Minute:              "12m",
		3*time.Hour + 20*time.Minute:  "3h20m",
		50 * time.Hour:                "2d2h",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestPercentNeverRoundsAMismatchToFull(t *testing.T) {
	for r, want := range map[float64]string{1: "100%", 0.995: "99.5%", 0.99999: ">99.99%", 0: "0%", 0.5: "50%"} {
		if got := Percent(r); got != want {
			t.Errorf("Percent(%v) = %q, want %q", r, got, want)
		}
	}
}

func TestMarkdownCellsCannotBreakTheTable(t *testing.T) {
	got := cell("a | b\n<script>x</script> \\| c")
	want := `a \| b \<script>x\</script> \\\| c`
	if got != want {
		t.Errorf("cell = %q, want %q", got, want)
	}
}

func TestFenceOutgrowsBackticksInside(t *testing.T) {
	var b strings.Builder
	m := md{w: bufio.NewWriter(&b)}
	m.fence("text", "before\n```\ninside\n```")
	m.w.Flush()
	if b.String() != "````text\nbefore\n```\ninside\n```\n````\n" {
		t.Errorf("fence = %q", b.String())
	}
}
