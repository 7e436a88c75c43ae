package runbook

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// onlyProblem parses text and returns its one problem, failing the test
// unless there is exactly one.
func onlyProblem(t *testing.T, text string) string {
	t.Helper()
	_, err := Parse("rb.yaml", []byte(text), nil)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("want one problem, got %d: %.300v", len(ps), err)
	}
	return ps[0].String()
}

// manyLines repeats format, given the line's number, n times.
func manyLines(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

func TestDeepNestingIsRefusedBeforeParsing(t *testing.T) {
	const deep = "rb.yaml:%s: nested too deeply: more than 64 levels of lists and mappings"
	indented := "" // k0:, then "  k1:", "    k2:" ...
	for i := range 100 {
		indented += strings.Repeat("  ", i) + fmt.Sprintf("k%d:\n", i)
	}
	for _, c := range []struct{ name, text, at string }{
		// 200 KB of "[" took the parser a minute and 15 GB.
		{"flow lists", strings.Repeat("[", 200_000), "1:64"},
		{"flow mappings", strings.Repeat("{a: ", 50_000), "1:253"},
		{"flow in a value", "version: 1\nphases: " + strings.Repeat("[", 200_000), "2:72"},
		{"flow over lines", "a:\n" + strings.Repeat("  [\n", 100), "64:3"},
		{"compact lists", strings.Repeat("- ", 100_000) + "x\n", "1:129"},
		{"indented", indented, "65:129"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, want := onlyProblem(t, c.text), fmt.Sprintf(deep, c.at); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestNestingWithinTheLimitIsParsed(t *testing.T) {
	for _, text := range []string{
		"a: " + strings.Repeat("[", 63) + strings.Repeat("]", 63) + "\n",
		// brackets in quotes, comments and block scalars are text
		"a: \"" + strings.Repeat("[", 100) + "\"\nb: '[[[[' # [[[[[[\n",
		"a: [\"" + strings.Repeat("[", 100) + "\", '[{''']\n",
		"run: |\n" + strings.Repeat("  [ -f x && {\n", 100) + "b: x\n",
		"- |\n" + strings.Repeat("  [[[\n", 100) + "- b\n",
		"title: a [b\n" + strings.Repeat("k: x [y {z\n", 100),
	} {
		if p := checkLimits("rb.yaml", []byte(text)); p != nil {
			t.Errorf("%s\nrefused: %s", text[:min(len(text), 60)], p)
		}
	}
}

func TestShippedRunbooksAreWithinLimits(t *testing.T) {
	paths, _ := filepath.Glob("../runbooks/*.yaml")
	more, _ := filepath.Glob("testdata/*.yaml")
	for _, path := range append(paths, more...) {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if p := checkLimits(path, text); p != nil {
			t.Errorf("refused: %s", p)
		}
	}
	if len(paths) == 0 {
		t.Fatal("no shipped runbooks found")
	}
}

func TestLongMappingIsRefusedBeforeParsing(t *testing.T) {
	// The parser's time grows with the square of a block mapping's length.
	got := onlyProblem(t, manyLines(200_000, "k%d: x\n"))
	if want := "rb.yaml:1001:1: a mapping has more than 1000 keys (runway reads at most 1000)"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	text := "version: 1\nname: t\nconnections:\n" + manyLines(1000, "  c%d: {driver: sqlite, dsn: a.db}\n")
	if p := checkLimits("rb.yaml", []byte(text)); p != nil {
		t.Errorf("1000 keys refused: %s", p)
	}
}

func TestOversizedRunbookIsRefused(t *testing.T) {
	text := "# " + strings.Repeat("x", MaxSize) + "\n"
	if got, want := onlyProblem(t, text), "rb.yaml:1:1: runbook is 4.0 MiB; runway reads at most 4 MiB"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// a file on disk says its own size, not the part of it runway read
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte("# "+strings.Repeat("x", 9<<20-3)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].String() != path+":1:1: runbook is 9.0 MiB; runway reads at most 4 MiB" {
		t.Errorf("Load: %v", err)
	}
	if _, _, err := LoadStructure(path); !errors.As(err, &ps) || len(ps) != 1 || ps[0].String() != path+":1:1: runbook is 9.0 MiB; runway reads at most 4 MiB" {
		t.Errorf("LoadStructure (lint): %v", err)
	}
}

func TestBudgetProblemComesAlone(t *testing.T) {
	// 30,000 items without aliases: the budget is the cause, and what runs
	// out after it ("missing title" 500 times) is not reported.
	text := head + manyLines(30_000, "      - {id: i%d, title: t, manual: {role: x}}\n")
	got := onlyProblem(t, text)
	if !strings.Contains(got, ": runbook too large: more than 200000 values (runway reads at most 200000)") {
		t.Errorf("got %s", got)
	}
}

// BenchmarkDeepNesting measures the inputs that made loading quadratic.
func BenchmarkDeepNesting(b *testing.B) {
	for _, text := range []string{strings.Repeat("[", 200_000), manyLines(200_000, "k%d: x\n")} {
		for range b.N {
			_, _ = Parse("rb.yaml", []byte(text), nil)
		}
	}
}

func TestAliasBudgetProblemNamesAliases(t *testing.T) {
	text := "version: 1\nname: t\n" +
		"connections: {old: {driver: sqlite, dsn: a.db}, new: {driver: sqlite, dsn: b.db}}\n" +
		"x: &t [a, b, c, d, e, f, g, h, i, j]\n" +
		"y: &i {id: a, title: A, copy: {from: old, to: new, tables: *t}}\n" +
		"z: &p {id: p, title: P, items: [*i" + strings.Repeat(", *i", 299) + "]}\n" +
		"phases: [*p" + strings.Repeat(", *p", 299) + "]\n"
	if got := onlyProblem(t, text); !strings.Contains(got, ": runbook too large: aliases expand to more than 200000 values") {
		t.Errorf("got %s", got)
	}
}
