package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"runway/runbook"
	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
	"runway/runbook/text"
	"runway/ui/inert"
)

// Build reads session id ("" = the latest) from the audit log at path,
// checks the whole log's hash chain, and builds the session's report. The
// log is only read, never changed. When ctx ends first it returns ctx's
// error.
func Build(ctx context.Context, path, id string) (*Report, error) {
	chain := CheckChain(ctx, path)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	info, err := findSession(ctx, l, id)
	if err != nil {
		return nil, err
	}
	events, err := l.Events(ctx, info.ID, 0)
	if err != nil {
		return nil, fmt.Errorf("report on session %s: %w", info.ID, err)
	}
	r := FromEvents(info, events, chain)
	r.AuditLog = path
	r.Generated = time.Now().UTC()
	return r, nil
}

// findSession is the session with id, or the latest one when id is "".
func findSession(ctx context.Context, l *audit.Log, id string) (audit.SessionInfo, error) {
	if id == "" {
		return l.LatestSession(ctx)
	}
	return l.Session(ctx, id)
}

// CheckChain verifies the audit log at path and says the result in one line.
func CheckChain(ctx context.Context, path string) Chain {
	v, err := audit.Verify(ctx, path)
	if err != nil {
		return Chain{Summary: "hash chain NOT CHECKED: " + text.OneLine(err.Error()), Reason: text.OneLine(err.Error())}
	}
	return chainOf(v)
}

func chainOf(v audit.Report) Chain {
	c := Chain{OK: v.OK, Events: v.Events, Sessions: v.Sessions, FirstBad: v.FirstBad, Reason: v.Reason, LastHash: v.LastHash}
	if v.OK {
		noun := "sessions"
		if v.Sessions == 1 {
			noun = "session"
		}
		c.Summary = fmt.Sprintf("hash chain intact: %s events in %d %s", Count(v.Events), v.Sessions, noun)
	} else {
		c.Summary = "TAMPERED: " + v.Reason
	}
	return c
}

// FromEvents builds the report of one session from its stored description
// and its events, in seq order. The per-phase and per-item outcome is the
// session reducer's fold; everything that happened along the way (failures,
// overrides, sign-offs, rollbacks, engine runs) is read from the events.
func FromEvents(info audit.SessionInfo, events []audit.Event, chain Chain) *Report {
	rb, problem := parseStored(info)
	st := fold.NewState(rb)
	b := &builder{
		r: &Report{
			FormatVersion:  FormatVersion,
			Chain:          chain,
			Participants:   []Participant{},
			Phases:         []Phase{},
			Failures:       []Failure{},
			Overrides:      []Override{},
			SignOffs:       []SignOff{},
			RollbackPoints: []RollbackPoint{},
			Rollbacks:      []Rollback{},
			Engines:        []Engine{},
			Notes:          []Note{},
			Incidents:      []Incident{},
			Refusals:       []Refusal{},
			Notifications:  []Notification{},
			Guards:         []Guard{},
			Plan:           PlanActual{Drifts: []Drift{}},
			Timeline:       []Entry{},
		},
		rb: rb, st: &st, t: newTitles(rb),
		people:     map[string]*Participant{},
		phaseFirst: map[string]time.Time{},
		phaseLast:  map[string]time.Time{},
		open:       map[string][]int{},
		runs:       map[string]*engineRun{},
		began:      map[string]time.Time{},
		took:       map[string]time.Duration{},
	}
	b.runbookInfo(info, problem)
	for _, e := range events {
		b.event(e)
	}
	b.finish(info, events)
	return b.r
}

// builder walks a session's events once, collecting every section.
type builder struct {
	r  *Report
	rb *runbook.Runbook
	st *fold.State
	t  titles

	people     map[string]*Participant
	order      []string // participants in order of appearance
	phaseFirst map[string]time.Time
	phaseLast  map[string]time.Time
	open       map[string][]int // "phase/item" → failures not yet resolved
	runs       map[string]*engineRun
	began      map[string]time.Time     // "phase/item" → its latest start or wait for a sign-off
	took       map[string]time.Duration // "phase/item" → how long its latest verdict took
	fold       *Entry                   // the telemetry run being folded, if any
	foldRun    *engineRun               // the latest progress per table in that run
}

func (b *builder) runbookInfo(info audit.SessionInfo, problem string) {
	ri := RunbookInfo{
		Name: info.Runbook, Path: info.RunbookPath, SHA256: info.RunbookSHA,
		Text: string(info.RunbookText), Problem: problem, Risks: risks(b.rb),
	}
	if b.rb != nil {
		ri.Title, ri.Owner = b.rb.Title, b.rb.Owner
		if ri.Name == "" {
			ri.Name = b.rb.Name
		}
	}
	b.r.Runbook = ri
}

// finish fills in what needs the whole walk: the session, the phases, and
// the failures still open at the end.
func (b *builder) finish(info audit.SessionInfo, events []audit.Event) {
	b.flushFold()
	st := b.st
	s := Session{
		ID: info.ID, Runbook: info.Runbook, Title: b.r.Runbook.Title,
		Operator: info.Operator, Host: info.Host, Started: info.Started.UTC(),
		Ended: timePtr(info.Ended), Status: info.Status, State: string(st.Status), Verdict: st.Label(),
		Events: int64(len(events)), Parts: parts(st),
	}
	s.Resumes = max(len(s.Parts)-1, 0)
	var facts chainedFacts // the events' word over the sessions table's
	for _, e := range events {
		facts.add(e)
	}
	facts.apply(&s.Operator, &s.Host, &s.Status)
	if len(events) > 0 {
		s.LastEvent = events[len(events)-1].Time.UTC()
	}
	end := s.LastEvent
	if s.Ended != nil && s.Ended.After(end) {
		end = *s.Ended
	}
	if !s.Started.IsZero() && !end.IsZero() {
		s.Duration, s.DurationSec = Duration(end.Sub(s.Started)), end.Sub(s.Started).Seconds()
	}
	s.Outcome = outcome(st, info, facts)
	b.r.Session = s
	b.phases()
	for key, idx := range b.open {
		phase, item := splitKey(key)
		status := "unknown"
		if it := st.Item(phase, item); it != nil {
			status = string(it.Status)
		}
		for _, i := range idx {
			b.r.Failures[i].Resolution = "unresolved at the end: the item is " + status
		}
	}
	for _, key := range sortedKeys(b.runs) {
		b.endRun(key, "unfinished", nil, time.Time{})
	}
	for _, name := range b.order {
		b.r.Participants = append(b.r.Participants, *b.people[name])
	}
	b.r.RollbackPoints = rollbackPoints(st)
	b.r.Plan = b.planActual()
	for _, c := range st.Channels {
		b.r.Notifications = append(b.r.Notifications, Notification{Channel: c.Name, Sent: c.Sent,
			Failed: c.Failed, Dropped: c.Dropped, LastOK: c.LastOK, LastSummary: c.LastSummary, Last: c.Last})
	}
	b.guards(events) // guards.go
	for _, n := range st.Notes {
		b.r.Notes = append(b.r.Notes, Note{Seq: n.Seq, At: n.At, Actor: n.Actor, Text: n.Text})
	}
}

// rollbackPoints lists every point the session set, in order: those it may
// still roll back to are valid, those a rollback to an earlier one
// discarded are not.
func rollbackPoints(st *fold.State) []RollbackPoint {
	out := []RollbackPoint{}
	add := func(points []fold.RollbackPoint, valid bool) {
		for _, p := range points {
			out = append(out, RollbackPoint{Seq: p.Seq, At: p.At, Name: p.Name, Phase: p.Phase,
				Actor: p.Actor, Checksum: p.Checksum, Valid: valid})
		}
	}
	add(st.RollbackPoints, true)
	add(st.Discarded, false)
	slices.SortFunc(out, func(a, b RollbackPoint) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// outcome says in one line how the session stands; closed is what its
// events say about how it ended.
func outcome(st *fold.State, info audit.SessionInfo, closed chainedFacts) string {
	switch st.Status {
	case fold.StatusPassed:
		if o := st.Outcome(); !o.Clean() {
			return o.Passed() + ": every phase is through, but not every item passed (see the phases below)"
		}
		return "passed: every phase passed"
	case fold.StatusStopped:
		if st.Stop != nil {
			return fmt.Sprintf("stopped: %s (choices: %s)", st.Stop.Reason, joinOr(st.Stop.Choices, "none"))
		}
		return "stopped"
	case fold.StatusRollingBack:
		return "rolling back to " + st.Rollback.Point + " when the log ends"
	case fold.StatusClosed:
		return fmt.Sprintf("%s; continue it with: runway resume %s", closedHow(closed, phaseAt(st)), info.ID)
	}
	if info.Ended.IsZero() {
		return fmt.Sprintf("running in phase %s when the log was read (or the process ended without closing)", phaseAt(st))
	}
	return "ended: " + info.Status
}

// closedHow says what closed a session in phase before its end: the
// operator's quit, a hang-up or a signal, with the reason runway recorded.
func closedHow(f chainedFacts, phase string) string {
	how := "quit before the end"
	switch f.status {
	case event.StatusHangup:
		how = "closed by a hang-up before the end"
	case event.StatusSignalled:
		how = "closed by a signal before the end"
	}
	how += ", in phase " + phase
	if f.reason != "" && f.status != "quit" {
		how += ": " + inert.OneLine(f.reason)
	}
	return how
}

func phaseAt(st *fold.State) string {
	if st.Current >= 0 && st.Current < len(st.Phases) {
		return st.Phases[st.Current].ID
	}
	return "-"
}

// phases reports every phase's outcome from the fold, with its expected
// against actual duration: from its first start to its pass, or to its
// last event when it never passed.
func (b *builder) phases() {
	if b.rb == nil {
		return
	}
	for i, p := range b.rb.Phases {
		ps := b.st.Phases[i]
		ph := Phase{
			ID: p.ID, Title: p.Title, Risk: string(p.Risk), Status: string(ps.Status), Verdict: ps.Label(),
			Expected: p.Expected.Text, ExpectedMaxSec: p.Expected.Max.D().Seconds(),
			RollbackPoint: p.RollbackPoint, Items: []Item{},
		}
		start := b.phaseFirst[p.ID]
		end := b.phaseLast[p.ID]
		if ps.Status == fold.PhasePassed && !ps.Ended.IsZero() {
			end, ph.Finished = ps.Ended, true
		}
		if !start.IsZero() {
			ph.Started = timePtr(start)
			ph.Ended = timePtr(end)
			d := end.Sub(start)
			ph.Actual, ph.ActualSec = Duration(d), d.Seconds()
			ph.OverExpected = p.Expected.Max > 0 && d > p.Expected.Max.D()
		}
		for j, it := range p.Items {
			is := ps.Items[j]
			item := Item{
				ID: it.ID, Title: it.Title, Kind: it.Kind(), Critical: it.Critical,
				Status: string(is.Status), Attempts: is.Attempt, Summary: is.Summary, SkipReason: is.Skip,
			}
			if d, ok := b.took[p.ID+"/"+it.ID]; ok && is.Status != fold.ItemPending {
				item.Duration, item.DurationSec = Duration(d), d.Seconds()
			}
			if is.Override != nil {
				item.Summary = "overridden: " + is.Override.Reason
			}
			ph.Items = append(ph.Items, item)
		}
		b.r.Phases = append(b.r.Phases, ph)
	}
}
