package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"runway/runbook/text"
)

// Report is the outcome of Verify.
type Report struct {
	OK       bool   // every check passed
	Events   int64  // events read
	Sessions int    // sessions in the log
	FirstBad int64  // seq of the first bad event; 0 if none, or if the fault is not in one event
	Reason   string // the first fault, e.g. "event 42: hash does not match its contents"
	LastHash string // hash of the last event read; anchoring it elsewhere also detects a cut tail
	LastSeq  int64  // seq of that event
}

// Verify opens the log at path read-only and checks it: seq starts at 1 and
// has no gaps, every event's prev_hash is the previous event's hash, every
// hash matches its row, every event belongs to a session that opened first,
// and each session's runbook text hashes to its stored SHA-256, which equals
// the one in its session.opened event. The sessions table is outside the
// chain, so each row is held to its chained events: runbook, runbook_path,
// operator, host and started to its session.opened event, status and ended
// to its last session.closed event (in a log written before those events
// carried runbook_path or ended, the row is checked for what they hold). A
// fault gives OK false and names the first bad row; an error means the file
// could not be checked at all.
//
// Events cut from the tail leave a shorter chain that is still intact: only
// LastHash, noted somewhere else, can show that.
func Verify(ctx context.Context, path string) (Report, error) {
	l, err := OpenReadOnly(path)
	if sqliteCode(err) == sqlite3.SQLITE_CORRUPT {
		return Report{Reason: writeFailure(err)}, nil
	}
	if err != nil {
		return Report{}, err
	}
	defer l.Close()
	return l.Verify(ctx)
}

// sessionCheck is what Verify learns about a session.
type sessionCheck struct {
	id         string
	textSHA    string // SHA-256 of the stored runbook text
	storedSHA  string
	row        sessionRow // the sessions table's unchained columns
	openedSeq  int64
	openedSHA  string
	opened     OpenedPayload
	openedPath *string // runbook_path of session.opened; nil in older logs
	openedTime string
	hasOpening bool

	lastKind  string // the session's last event
	lastTime  string
	closed    closedFields // its latest session.closed event
	hasClosed bool
}

// sessionRow holds the columns of a sessions row that no hash covers.
type sessionRow struct {
	runbook, path, operator, host, started, ended, status string
}

// kindSessionClosed is the session package's session.closed; its payload
// carries the status the session ended with and, in logs written since it
// did, when it ended: decoded here minimally.
const kindSessionClosed = "session.closed"

type closedFields struct {
	Status string `json:"status"`
	Ended  string `json:"ended"` // RFC 3339; "" in older logs
}

// openedFields tells whether a session.opened payload carries runbook_path,
// which older logs did not record.
type openedFields struct {
	RunbookPath *string `json:"runbook_path"`
}

// Verify checks this log, reading one consistent snapshot of it. When ctx
// ends first it returns ctx's error.
func (l *Log) Verify(ctx context.Context) (Report, error) {
	conn, err := l.rdb.Conn(ctx)
	if err != nil {
		return Report{}, l.readErr(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return Report{}, l.readErr(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)

	sessions, err := loadSessionChecks(ctx, conn)
	if err != nil && ctx.Err() != nil {
		return Report{}, ctx.Err()
	}
	if err != nil {
		return Report{Reason: "sessions unreadable: " + text.OneLine(err.Error())}, nil
	}
	rep := Report{Sessions: len(sessions)}
	rep.Reason, rep.FirstBad = l.verifyEvents(ctx, conn, sessions, &rep)
	if rep.Reason == "" {
		rep.Reason, rep.FirstBad = verifySessions(sessions)
	}
	if err := ctx.Err(); err != nil {
		return Report{}, err // stopped, not a fault of the log
	}
	rep.OK = rep.Reason == ""
	return rep, nil
}

func loadSessionChecks(ctx context.Context, conn *sql.Conn) (map[string]*sessionCheck, error) {
	rows, err := conn.QueryContext(ctx, `SELECT id, runbook, runbook_path, runbook_text, runbook_sha256, operator, host, started, ended, status FROM sessions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*sessionCheck{}
	for rows.Next() {
		var id, sha string
		var text []byte
		var r sessionRow
		if err := rows.Scan(&id, &r.runbook, &r.path, &text, &sha, &r.operator, &r.host, &r.started, &r.ended, &r.status); err != nil {
			return nil, err
		}
		out[id] = &sessionCheck{id: id, textSHA: sha256Hex(text), storedSHA: sha, row: r}
	}
	return out, rows.Err()
}

// verifyEvents walks the chain in seq order and returns the first fault.
func (l *Log) verifyEvents(ctx context.Context, conn *sql.Conn, sessions map[string]*sessionCheck, rep *Report) (string, int64) {
	rows, err := conn.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY seq`)
	if err != nil {
		return "events unreadable: " + text.OneLine(err.Error()), 1
	}
	defer rows.Close()
	var (
		cols [12]any
		ptrs [12]any
		h    hasher
		prev string
		want int64 = 1
	)
	for i := range cols {
		ptrs[i] = &cols[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs[:]...); err != nil {
			return fmt.Sprintf("event %d: unreadable: %s", want, text.OneLine(err.Error())), want
		}
		if want%cancelEvery == 0 && ctx.Err() != nil {
			return "", 0 // Verify returns ctx's error
		}
		r, hash, bad := rowFromColumns(cols[:])
		if bad != "" && r.seq == 0 {
			return fmt.Sprintf("event %d: %s", want, bad), want
		}
		switch {
		case r.seq != want && want == 1:
			return fmt.Sprintf("event 1: missing (the log starts at event %d)", r.seq), 1
		case r.seq != want:
			return fmt.Sprintf("event %d: missing (event %d is followed by event %d)", want, want-1, r.seq), want
		case bad != "":
			return fmt.Sprintf("event %d: %s", r.seq, bad), r.seq
		case r.prevHash != prev && r.seq == 1:
			return "event 1: previous hash should be empty", 1
		case r.prevHash != prev:
			return fmt.Sprintf("event %d: previous hash does not match event %d", r.seq, r.seq-1), r.seq
		case h.sum(&r) != hash:
			return fmt.Sprintf("event %d: hash does not match its contents", r.seq), r.seq
		}
		if reason := checkEventSession(&r, sessions); reason != "" {
			return fmt.Sprintf("event %d: %s", r.seq, reason), r.seq
		}
		rep.Events++
		rep.LastHash, rep.LastSeq = hash, r.seq
		prev = hash
		want++
	}
	if err := rows.Err(); err != nil {
		return fmt.Sprintf("event %d: unreadable: %s", want, text.OneLine(err.Error())), want
	}
	return "", 0
}

// rowFromColumns converts scanned columns to a row, or says which column
// has a value of the wrong type.
func rowFromColumns(c []any) (r row, hash, bad string) {
	names := [...]string{"seq", "session", "time", "mono", "run", "actor", "kind", "phase", "item", "payload", "prev_hash", "hash"}
	ints := [...]*int64{0: &r.seq, 3: &r.mono}
	strs := [...]*string{1: &r.session, 2: &r.time, 4: &r.run, 5: &r.actor, 6: &r.kind, 7: &r.phase, 8: &r.item, 9: &r.payload, 10: &r.prevHash, 11: &hash}
	for i, v := range c {
		if i < len(ints) && ints[i] != nil {
			n, ok := v.(int64)
			if !ok {
				return r, hash, names[i] + " is not an integer"
			}
			*ints[i] = n
			continue
		}
		switch x := v.(type) {
		case string:
			*strs[i] = x
		case []byte:
			*strs[i] = string(x)
		default:
			return r, hash, names[i] + " is not text"
		}
	}
	return r, hash, ""
}

// checkEventSession checks that the event's session exists and opened with
// this event or before it, and records the session.opened SHA.
func checkEventSession(r *row, sessions map[string]*sessionCheck) string {
	s := sessions[r.session]
	if s == nil {
		return fmt.Sprintf("session %s is not in the log", r.session)
	}
	if r.kind != KindSessionOpened {
		if !s.hasOpening {
			return fmt.Sprintf("session %s has an event before its %s", r.session, KindSessionOpened)
		}
		s.lastKind, s.lastTime = r.kind, r.time
		if r.kind == kindSessionClosed {
			var p closedFields
			_ = json.Unmarshal([]byte(r.payload), &p) // no status: any row status disagrees
			if p.Ended == (time.Time{}).Format(time.RFC3339Nano) {
				p.Ended = "" // a zero time records nothing
			}
			s.closed, s.hasClosed = p, true
		}
		return ""
	}
	if s.hasOpening {
		return fmt.Sprintf("session %s is opened a second time (first at event %d)", r.session, s.openedSeq)
	}
	var p OpenedPayload
	if err := json.Unmarshal([]byte(r.payload), &p); err != nil || p.RunbookSHA == "" {
		return fmt.Sprintf("%s payload has no runbook_sha256", KindSessionOpened)
	}
	s.hasOpening, s.openedSeq, s.openedSHA = true, r.seq, p.RunbookSHA
	var f openedFields
	_ = json.Unmarshal([]byte(r.payload), &f) // it decoded above
	s.opened, s.openedPath, s.openedTime = p, f.RunbookPath, r.time
	s.lastKind, s.lastTime = r.kind, r.time
	return ""
}

// verifySessions checks every session's runbook text against its SHA-256,
// in the order the sessions were opened.
func verifySessions(sessions map[string]*sessionCheck) (string, int64) {
	list := make([]*sessionCheck, 0, len(sessions))
	for _, s := range sessions {
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.hasOpening != b.hasOpening {
			return !a.hasOpening // a session that never opened is the first fault
		}
		if a.openedSeq != b.openedSeq {
			return a.openedSeq < b.openedSeq
		}
		return a.id < b.id
	})
	for _, s := range list {
		switch {
		case !s.hasOpening:
			return fmt.Sprintf("session %s: no %s event", s.id, KindSessionOpened), 0
		case s.textSHA != s.storedSHA && s.textSHA != s.openedSHA:
			return fmt.Sprintf("session %s: runbook_text in the sessions table does not hash to its runbook_sha256", s.id), s.openedSeq
		case s.storedSHA != s.openedSHA:
			return fmt.Sprintf("session %s: runbook_sha256 in the sessions table differs from its %s event %d", s.id, KindSessionOpened, s.openedSeq), s.openedSeq
		}
		if reason := s.checkRow(); reason != "" {
			return fmt.Sprintf("session %s: %s", s.id, reason), 0
		}
	}
	return "", 0
}

// checkRow holds the session's row to its chained events. Two crash windows
// are allowed for: a row still "running" (with no end) just after its
// session.closed event, and a row still showing the previous close just
// after a session.resumed event; both are what the executor writes next.
func (s *sessionCheck) checkRow() string {
	r := s.row
	switch {
	case !maskedEqual(r.runbook, s.opened.Runbook):
		return "runbook in the sessions table does not match its " + KindSessionOpened + " event"
	case s.openedPath != nil && !maskedEqual(r.path, *s.openedPath):
		return "runbook_path in the sessions table does not match its " + KindSessionOpened + " event"
	case !maskedEqual(r.operator, s.opened.Operator):
		return "operator in the sessions table does not match its " + KindSessionOpened + " event"
	case !maskedEqual(r.host, s.opened.Host):
		return "host in the sessions table does not match its " + KindSessionOpened + " event"
	case r.started != s.openedTime:
		return "started in the sessions table does not match its " + KindSessionOpened + " event"
	}
	running := r.status == "running" && r.ended == ""
	if s.lastKind == kindSessionClosed {
		switch {
		case running:
		case r.status != s.closed.Status:
			return fmt.Sprintf("status in the sessions table (%s) does not match its last event, %s (%s)", r.status, kindSessionClosed, s.closed.Status)
		case s.closed.Ended != "":
			return s.checkEnded()
		case r.ended == "":
			return "ended in the sessions table is empty, but its last event is " + kindSessionClosed
		case laterThan(s.lastTime, r.ended):
			return "ended in the sessions table precedes its last event"
		}
		return ""
	}
	if !running && !(s.hasClosed && r.status == s.closed.Status) {
		return fmt.Sprintf("status in the sessions table (%s) does not match its events (the session has not closed since)", r.status)
	}
	if !running {
		return s.checkEnded() // resumed, the row still showing the last close
	}
	return ""
}

// checkEnded holds the row's ended to the time its latest session.closed
// event records, when the event records one.
func (s *sessionCheck) checkEnded() string {
	if s.closed.Ended == "" {
		return ""
	}
	want, err := time.Parse(time.RFC3339Nano, s.closed.Ended)
	got, err2 := parseTime(s.row.ended)
	if err != nil || err2 != nil || !got.Equal(want) {
		return fmt.Sprintf("ended in the sessions table (%s) does not match its %s event (%s)", s.row.ended, kindSessionClosed, s.closed.Ended)
	}
	return ""
}

// laterThan reports whether time a is after time b; a time that does not
// parse counts as later, so a garbled ended is reported.
func laterThan(a, b string) bool {
	ta, errA := parseTime(a)
	tb, errB := parseTime(b)
	return errA != nil || errB != nil || ta.After(tb)
}
