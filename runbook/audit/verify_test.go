package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// A closed log of two interleaved sessions, built once and copied for each
// tampering.
var (
	tamperOnce sync.Once
	tamperSrc  []byte
	tamperIDs  [2]string
)

const tamperSeq = 6 // the row every tampering targets

func tamperedCopy(t *testing.T) string {
	t.Helper()
	tamperOnce.Do(func() {
		dir, err := os.MkdirTemp("", "audit-tamper")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "runway.db")
		l, err := openQuiet(path)
		if err != nil {
			t.Fatal(err)
		}
		a, b := newSession(t, l), newSession(t, l)
		tamperIDs = [2]string{a.ID, b.ID}
		for i := range 5 {
			appendN(t, l, a.ID, 1)
			if _, err := l.Append(note(b.ID, i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if tamperSrc, err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	})
	path := filepath.Join(t.TempDir(), "runway.db")
	if err := os.WriteFile(path, tamperSrc, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tamper runs SQL on a copy of the log the way an attacker would: its own
// connection, the append-only triggers dropped first.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db := rawDB(t, path)
	for _, s := range append([]string{`DROP TRIGGER events_no_update`, `DROP TRIGGER events_no_delete`}, stmts...) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()
}

// flipped returns s with one byte changed to another printable byte.
func flipped(s string, at int) string {
	b := []byte(s)
	at %= len(b)
	if b[at] == 'x' {
		b[at] = 'y'
	} else {
		b[at] = 'x'
	}
	return string(b)
}

func TestUntouchedLogVerifies(t *testing.T) {
	rep := mustVerify(t, tamperedCopy(t))
	if !rep.OK || rep.Events != 12 || rep.Sessions != 2 || rep.FirstBad != 0 || rep.Reason != "" || len(rep.LastHash) != 64 {
		t.Fatalf("Verify = %+v", rep)
	}
}

func TestVerifyNamesTheTamperedColumnRow(t *testing.T) {
	path := tamperedCopy(t)
	db := rawDB(t, path)
	cols := strings.Split(eventColumns, ", ")
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := db.QueryRow(`SELECT `+eventColumns+` FROM events WHERE seq = ?`, tamperSeq).Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for i, col := range cols {
		t.Run(col, func(t *testing.T) {
			path := tamperedCopy(t)
			var newVal any
			want := fmt.Sprintf("event %d: hash does not match its contents", tamperSeq)
			switch v := vals[i].(type) {
			case int64:
				newVal = v ^ 1 // one bit
				if col == "seq" {
					newVal = v + 1000
					want = fmt.Sprintf("event %d: missing (event %d is followed by event %d)", tamperSeq, tamperSeq-1, tamperSeq+1)
				}
			case string:
				if v == "" {
					t.Fatalf("column %s of the target row is empty", col)
				}
				newVal = flipped(v, len(v)/2)
			default:
				t.Fatalf("column %s is %T", col, v)
			}
			if col == "prev_hash" {
				want = fmt.Sprintf("event %d: previous hash does not match event %d", tamperSeq, tamperSeq-1)
			}
			tamper(t, path, fmt.Sprintf(`UPDATE events SET %s = %s WHERE seq = %d`, col, sqlLiteral(newVal), tamperSeq))
			rep := mustVerify(t, path)
			if rep.OK || rep.FirstBad != tamperSeq || rep.Reason != want {
				t.Errorf("after changing %s: %+v\nwant reason %q", col, rep, want)
			}
		})
	}
}

func sqlLiteral(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return fmt.Sprint(v)
}

func TestVerifyFindsRowTampering(t *testing.T) {
	n := tamperSeq
	others := `session, time, mono, run, actor, kind, phase, item, payload, prev_hash, hash`
	for _, tc := range []struct {
		name  string
		stmts []string
		want  string
		bad   int64
	}{
		{"deleted row", []string{fmt.Sprintf(`DELETE FROM events WHERE seq = %d`, n)},
			fmt.Sprintf("event %d: missing (event %d is followed by event %d)", n, n-1, n+1), int64(n)},
		{"deleted first row", []string{`DELETE FROM events WHERE seq = 1`},
			"event 1: missing (the log starts at event 2)", 1},
		{"rows swapped", []string{
			fmt.Sprintf(`UPDATE events SET seq = -1 WHERE seq = %d`, n),
			fmt.Sprintf(`UPDATE events SET seq = %d WHERE seq = %d`, n, n+1),
			fmt.Sprintf(`UPDATE events SET seq = %d WHERE seq = -1`, n+1)},
			fmt.Sprintf("event %d: previous hash does not match event %d", n, n-1), int64(n)},
		{"contents swapped", []string{
			`CREATE TEMP TABLE keep AS SELECT * FROM events WHERE seq IN (6, 7)`,
			fmt.Sprintf(`UPDATE events SET (%s) = (SELECT %s FROM keep WHERE keep.seq = 13 - events.seq) WHERE seq IN (6, 7)`, others, others)},
			fmt.Sprintf("event %d: previous hash does not match event %d", n, n-1), int64(n)},
		{"a byte moved between columns", []string{
			fmt.Sprintf(`UPDATE events SET phase = phase || substr(item, 1, 1), item = substr(item, 2) WHERE seq = %d`, n)},
			fmt.Sprintf("event %d: hash does not match its contents", n), int64(n)},
		{"row added at the end", []string{
			`INSERT INTO events SELECT seq + 100, session, time, mono, run, actor, kind, phase, item, payload, hash, hash FROM events WHERE seq = 12`},
			"event 13: missing (event 12 is followed by event 112)", 13},
		{"row added with the next seq", []string{
			`INSERT INTO events SELECT 13, session, time, mono, run, actor, kind, phase, item, payload, hash, hash FROM events WHERE seq = 12`},
			"event 13: hash does not match its contents", 13},
		{"session removed", []string{`DELETE FROM sessions WHERE id = '` + sessionOf(t, 0) + `'`},
			"event 1: session " + sessionOf(t, 0) + " is not in the log", 1},
		{"runbook text changed", []string{`UPDATE sessions SET runbook_text = CAST('version: 2' AS BLOB) WHERE id = '` + sessionOf(t, 1) + `'`},
			"session " + sessionOf(t, 1) + ": runbook_text in the sessions table does not hash to its runbook_sha256", 2},
		{"runbook SHA changed", []string{`UPDATE sessions SET runbook_sha256 = '` + strings.Repeat("0", 64) + `' WHERE id = '` + sessionOf(t, 0) + `'`},
			"session " + sessionOf(t, 0) + ": runbook_sha256 in the sessions table differs from its session.opened event 1", 1},
		{"runbook text and SHA changed together", []string{
			`UPDATE sessions SET runbook_text = CAST('version: 2' AS BLOB), runbook_sha256 = '` + sha256Hex([]byte("version: 2")) + `' WHERE id = '` + sessionOf(t, 1) + `'`},
			"session " + sessionOf(t, 1) + ": runbook_sha256 in the sessions table differs from its session.opened event 2", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tamperedCopy(t)
			tamper(t, path, tc.stmts...)
			rep := mustVerify(t, path)
			if rep.OK || rep.Reason != tc.want || rep.FirstBad != tc.bad {
				t.Errorf("Verify = %+v\nwant reason %q, first bad %d", rep, tc.want, tc.bad)
			}
		})
	}
}

// sessionOf is the id of the i-th session of the tampering log.
func sessionOf(t *testing.T, i int) string {
	tamperedCopy(t)
	return tamperIDs[i]
}

func TestTriggersRefuseEdits(t *testing.T) {
	path := tamperedCopy(t)
	db := rawDB(t, path)
	for _, s := range []string{`UPDATE events SET actor = 'mallory' WHERE seq = 3`, `DELETE FROM events WHERE seq = 3`} {
		if _, err := db.Exec(s); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", s, err)
		}
	}
}

func TestVerifyFindsBytesEditedInTheFile(t *testing.T) {
	path := tamperedCopy(t)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Session b's third note is event 8; edit its payload in place, below SQLite.
	target := []byte(`{"text":"note 2"}`)
	i := strings.Index(string(b), string(target))
	if i < 0 || strings.Count(string(b), string(target)) != 1 {
		t.Fatalf("payload found %d times", strings.Count(string(b), string(target)))
	}
	b[i+len(target)-3] = '7'
	os.WriteFile(path, b, 0o644)
	rep := mustVerify(t, path)
	if rep.OK || rep.FirstBad != 8 || rep.Reason != "event 8: hash does not match its contents" {
		t.Errorf("Verify = %+v", rep)
	}
}

func TestVerifyDamagedFile(t *testing.T) {
	path := tamperedCopy(t)
	b, _ := os.ReadFile(path)
	// Scribble over everything but the file header.
	for i := 100; i < len(b); i++ {
		b[i] ^= 0x5a
	}
	os.WriteFile(path, b, 0o644)
	rep, err := Verify(context.Background(), path)
	if err != nil || rep.OK || !strings.Contains(rep.Reason, "damaged") {
		t.Fatalf("Verify of a damaged file = %+v, %v", rep, err)
	}
	t.Log(rep.Reason)
}
