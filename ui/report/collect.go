package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"runway/runbook/audit"
	"runway/runbook/event"
	"runway/runbook/fold"
)

// event advances the fold by one event and records what the report needs
// from it. The fold is applied first, so the state seen here is the state
// just after the event.
func (b *builder) event(e audit.Event) {
	b.st.Apply(e)
	at := e.Time.UTC()
	b.person(e.Actor, at, true)
	if e.Phase != "" {
		if _, ok := b.phaseFirst[e.Phase]; !ok && e.Kind == event.KindPhaseStarted {
			b.phaseFirst[e.Phase] = at
		}
		b.phaseLast[e.Phase] = at
	}
	b.timeline(e)
	key := e.Phase + "/" + e.Item
	switch e.Kind {
	case event.KindSessionOpened:
		var p audit.OpenedPayload
		decode(e.Payload, &p)
		b.role(orString(p.Operator, e.Actor), at, "operator")
	case event.KindSessionResumed:
		var p event.ResumedPayload
		decode(e.Payload, &p)
		b.role(orString(p.Operator, e.Actor), at, "operator")
	case event.KindItemAwaiting:
		b.began[key] = at
	case event.KindItemStarted:
		b.began[key] = at
		var p event.StartedPayload
		decode(e.Payload, &p)
		if engineKinds[orString(p.Kind, b.t.kinds[key])] {
			b.endRun(key, "interrupted", nil, at) // an earlier run that never reported
			b.runs[key] = &engineRun{seq: e.Seq, at: at, phase: e.Phase, item: e.Item,
				kind: orString(p.Kind, b.t.kinds[key]), attempt: p.Attempt}
		}
	case event.KindItemPassed, event.KindItemFailed:
		b.verdict(e, key, at)
	case event.KindItemInterrupted:
		b.endRun(key, "interrupted", nil, at)
	case event.KindItemSkipped:
		var p event.SkipPayload
		decode(e.Payload, &p)
		b.resolve(key, "skipped: "+p.Reason)
	case event.KindOverrideRequested, event.KindOverrideApproved,
		event.KindOverrideRejected, event.KindItemOverridden:
		b.override(e, key, at)
	case event.KindRollbackStarted, event.KindRollbackStepStart, event.KindRollbackStepPassed,
		event.KindRollbackStepFailed, event.KindRollbackFinished:
		b.rollback(e, at)
	case event.KindEngineProgress:
		var p event.ProgressPayload
		decode(e.Payload, &p)
		b.run(e, key, at).progress(p)
	case event.KindEngineCheckpoint:
		b.run(e, key, at).checkpoints++
	case event.KindEnginePlan:
		p := event.Decode[event.PlanPayload](e.Payload)
		b.run(e, key, at).plan = &p
	case event.KindEngineControl:
		b.role(e.Actor, at, "engine control")
	case event.KindNote:
		b.role(e.Actor, at, "notes")
	case event.KindIncidentOpened, event.KindIncidentStep, event.KindIncidentClosed:
		b.incident(e, at)
		b.role(e.Actor, at, "incident")
	case event.KindActionRefused:
		var p event.RefusedPayload
		decode(e.Payload, &p)
		b.r.Refusals = append(b.r.Refusals, Refusal{Seq: e.Seq, At: at, Actor: e.Actor, Action: p.Action, Reason: p.Reason})
	case event.KindControlHanded:
		var p event.ControlHandPayload
		decode(e.Payload, &p)
		b.role(p.To, at, "in control")
	}
}

// verdict records an item's pass or failure: a failure with its output, a
// sign-off with who, role and observation, an engine run's figures.
func (b *builder) verdict(e audit.Event, key string, at time.Time) {
	var p event.ResultPayload
	decode(e.Payload, &p)
	failed := e.Kind == event.KindItemFailed
	switch start, ok := b.began[key]; {
	case p.DurationMS > 0:
		b.took[key] = msDur(p.DurationMS)
	case ok:
		b.took[key] = at.Sub(start)
	}
	if failed {
		b.resolve(key, fmt.Sprintf("failed again on attempt %d", p.Attempt))
	} else {
		b.resolve(key, fmt.Sprintf("passed on attempt %d", p.Attempt))
	}
	if so := p.SignOff; so != nil {
		verdict := "pass"
		if failed {
			verdict = "fail"
		}
		when := so.At.UTC()
		if when.IsZero() {
			when = at
		}
		b.r.SignOffs = append(b.r.SignOffs, SignOff{
			Seq: e.Seq, At: when, Phase: e.Phase, Item: e.Item, Title: b.t.item(e.Phase, e.Item),
			Operator: orString(so.Operator, e.Actor), Role: so.Role, Verdict: verdict,
			Expected: b.t.expect[key], Observation: so.Observation,
		})
		b.role(orString(so.Operator, e.Actor), when, orString(so.Role, "signer"))
	}
	if failed {
		b.r.Failures = append(b.r.Failures, Failure{
			Seq: e.Seq, At: at, Actor: e.Actor, Phase: e.Phase, Item: e.Item, Title: b.t.item(e.Phase, e.Item),
			Attempt: p.Attempt, Critical: p.Critical || b.t.crit[key], Summary: p.Summary, Output: p.Output,
		})
		b.open[key] = append(b.open[key], len(b.r.Failures)-1)
	}
	if b.runs[key] != nil || p.Engine != nil {
		verdict := "passed"
		if failed {
			verdict = "failed"
		}
		b.run(e, key, at)
		b.runs[key].summary = p.Summary
		if p.Attempt > 0 {
			b.runs[key].attempt = p.Attempt
		}
		b.endRun(key, verdict, p.Engine, at)
	}
}

// resolve says what became of the item's open failures.
func (b *builder) resolve(key, what string) {
	for _, i := range b.open[key] {
		b.r.Failures[i].Resolution = what
	}
	delete(b.open, key)
}

// override follows an override from its request to its outcome.
func (b *builder) override(e audit.Event, key string, at time.Time) {
	var p event.OverridePayload
	decode(e.Payload, &p)
	var o *Override
	for i := len(b.r.Overrides) - 1; i >= 0; i-- {
		if c := &b.r.Overrides[i]; c.Phase+"/"+c.Item == key && c.Outcome == "waiting for approval" {
			o = c
			break
		}
	}
	if o == nil {
		b.r.Overrides = append(b.r.Overrides, Override{
			Seq: e.Seq, At: at, Phase: e.Phase, Item: e.Item, Title: b.t.item(e.Phase, e.Item),
		})
		o = &b.r.Overrides[len(b.r.Overrides)-1]
	}
	o.Reason, o.Policy = orString(p.Reason, o.Reason), orString(p.Policy, o.Policy)
	o.RequestedBy = orString(p.RequestedBy, orString(o.RequestedBy, e.Actor))
	o.ApprovedBy = orString(p.ApprovedBy, o.ApprovedBy)
	switch e.Kind {
	case event.KindOverrideRequested:
		o.Outcome = "waiting for approval"
		b.role(o.RequestedBy, at, "requested an override")
	case event.KindOverrideApproved:
		b.role(o.ApprovedBy, at, "approver")
	case event.KindOverrideRejected:
		o.Outcome, o.RejectedBy = "rejected", e.Actor
		b.role(e.Actor, at, "approver")
	case event.KindItemOverridden:
		o.Outcome, o.At, o.Seq = "overridden", at, e.Seq
		what := "overridden by " + o.RequestedBy
		if o.ApprovedBy != "" {
			what += ", approved by " + o.ApprovedBy
			b.role(o.ApprovedBy, at, "approver")
		}
		b.resolve(key, what)
	}
}

// rollback follows a rollback from its start through its steps to its end.
func (b *builder) rollback(e audit.Event, at time.Time) {
	var last *Rollback
	if n := len(b.r.Rollbacks); n > 0 {
		last = &b.r.Rollbacks[n-1]
	}
	switch e.Kind {
	case event.KindRollbackStarted:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		rb := Rollback{Seq: e.Seq, Point: p.Point, Actor: e.Actor, Started: at, Steps: []RollbackStep{}}
		for _, s := range p.Steps {
			phase, item := splitKey(s)
			rb.Steps = append(rb.Steps, RollbackStep{Phase: phase, Item: item, Title: b.t.item(phase, item), Status: "pending"})
		}
		b.r.Rollbacks = append(b.r.Rollbacks, rb)
		b.role(e.Actor, at, "rolled back")
		return
	case event.KindRollbackFinished:
		var p event.RollbackPayload
		decode(e.Payload, &p)
		if last == nil || last.Finished != nil {
			b.r.Rollbacks = append(b.r.Rollbacks, Rollback{Seq: e.Seq, Point: p.Point, Actor: e.Actor, Started: at, Steps: []RollbackStep{}})
			last = &b.r.Rollbacks[len(b.r.Rollbacks)-1]
		}
		last.Finished, last.OK, last.Reason = timePtr(at), p.OK, p.Reason
		if p.OK {
			b.resolveRolledBack(last.Point)
		}
		return
	}
	if last == nil {
		return
	}
	var p event.RollbackStepPayload
	decode(e.Payload, &p)
	step := last.step(e.Phase, e.Item, b.t.item(e.Phase, e.Item))
	switch e.Kind {
	case event.KindRollbackStepStart:
		step.Status = "running"
	case event.KindRollbackStepPassed:
		step.Status, step.Summary, step.Output = "passed", p.Summary, p.Output
	case event.KindRollbackStepFailed:
		step.Status, step.Summary, step.Output = "failed", p.Summary, p.Output
		b.r.Failures = append(b.r.Failures, Failure{
			Seq: e.Seq, At: at, Actor: e.Actor, Phase: e.Phase, Item: e.Item, Title: step.Title,
			Critical: true, Rollback: true, Summary: p.Summary, Output: p.Output,
			Resolution: "the rollback to " + orString(p.Point, last.Point) + " stopped at this step",
		})
	}
}

// step finds a rollback step by phase and id, adding it if the start event
// did not list it.
func (r *Rollback) step(phase, item, title string) *RollbackStep {
	for i := range r.Steps {
		if r.Steps[i].Phase == phase && r.Steps[i].Item == item {
			return &r.Steps[i]
		}
	}
	r.Steps = append(r.Steps, RollbackStep{Phase: phase, Item: item, Title: title, Status: "pending"})
	return &r.Steps[len(r.Steps)-1]
}

// resolveRolledBack marks the open failures of items a rollback reset.
func (b *builder) resolveRolledBack(point string) {
	for key := range b.open {
		phase, item := splitKey(key)
		if it := b.st.Item(phase, item); it != nil && it.Status == fold.ItemPending {
			b.resolve(key, "rolled back to "+point)
		}
	}
}

// incident follows an emergency procedure.
func (b *builder) incident(e audit.Event, at time.Time) {
	var p event.IncidentPayload
	decode(e.Payload, &p)
	if e.Kind == event.KindIncidentOpened {
		inc := Incident{Seq: e.Seq, At: at, Actor: e.Actor, Procedure: p.Procedure, Title: p.Procedure,
			Steps: []string{}, StepsDone: []int{}}
		if b.rb != nil {
			for _, pr := range b.rb.Procedures {
				if pr.ID == p.Procedure {
					inc.Title = orString(pr.Title, pr.ID)
					inc.Steps = append(inc.Steps, pr.Steps...)
				}
			}
		}
		b.r.Incidents = append(b.r.Incidents, inc)
		return
	}
	for i := len(b.r.Incidents) - 1; i >= 0; i-- {
		inc := &b.r.Incidents[i]
		if inc.Procedure != p.Procedure || inc.Closed {
			continue
		}
		if e.Kind == event.KindIncidentClosed {
			inc.Closed = true
		} else if p.Step > 0 {
			inc.StepsDone = append(inc.StepsDone, p.Step)
		}
		return
	}
}

// person counts an event by its actor.
func (b *builder) person(name string, at time.Time, counts bool) *Participant {
	if name == "" {
		return nil
	}
	p := b.people[name]
	if p == nil {
		p = &Participant{Name: name, Roles: []string{}, First: at, Last: at}
		b.people[name] = p
		b.order = append(b.order, name)
	}
	if counts {
		p.Events++
	}
	if at.Before(p.First) {
		p.First = at
	}
	if at.After(p.Last) {
		p.Last = at
	}
	return p
}

// role notes what a participant did, once per role.
func (b *builder) role(name string, at time.Time, role string) {
	p := b.person(name, at, false)
	if p == nil || role == "" {
		return
	}
	for _, r := range p.Roles {
		if r == role {
			return
		}
	}
	p.Roles = append(p.Roles, role)
}

// decode reads a payload into v; an unreadable payload leaves v zero, as
// the reducer does.
func decode(raw json.RawMessage, v any) {
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, v)
	}
}

func orString(s, or string) string {
	if strings.TrimSpace(s) == "" {
		return or
	}
	return s
}

func joinOr(list []string, or string) string {
	if len(list) == 0 {
		return or
	}
	return strings.Join(list, ", ")
}

// splitKey splits "phase/item".
func splitKey(key string) (string, string) {
	phase, item, _ := strings.Cut(key, "/")
	return phase, item
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
