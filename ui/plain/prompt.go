package plain

import (
	"context"
	"errors"
	"strings"
	"time"

	"runway/checks"
	"runway/runbook"
	"runway/runbook/fold"
	"runway/runbook/session"
	"runway/runbook/text"
)

// signOff asks the operator for a manual item's verdict, and the observation
// or the reason it needs.
func (r *run) signOff(ctx context.Context, phase, id string) error {
	item, ok := findItem(r.sess.Runbook(), phase, id)
	if !ok {
		return errors.New("no item " + id)
	}
	role := checks.RequiredRole(item)
	if item.Instructions != "" {
		r.p.say("  %s", text.OneLine(item.Instructions))
	}
	if item.Manual.Expect != "" {
		r.p.say("  expect: %s", text.OneLine(item.Manual.Expect))
	}
	as := ""
	if role != "" {
		as = " as " + role
	}
	var verdict checks.Verdict
	for verdict == "" {
		r.p.prompt("sign off %q%s [y pass / n fail / s skip]: ", item.Title, as)
		answer, err := r.in.read(ctx)
		if err != nil {
			r.p.say("")
			r.p.say("no answer: %s/%s still waits for its sign-off", phase, id)
			return errQuit
		}
		switch strings.ToLower(answer) {
		case "y", "yes", "p", "pass":
			verdict = checks.Pass
		case "n", "no", "f", "fail":
			verdict = checks.Fail
		case "s", "skip":
			verdict = checks.Skip
		}
	}
	so := checks.SignOff{Operator: r.sess.Operator(), Role: role, Verdict: verdict, At: time.Now().UTC()}
	var err error
	switch {
	case verdict == checks.Skip:
		so.Reason, err = r.ask(ctx, "reason for skipping: ")
	case item.Manual.Observe:
		so.Observation, err = r.ask(ctx, "observation (what you saw): ")
	}
	if err != nil {
		return err
	}
	return r.sess.Do(session.SignOff{Item: id, SignOff: so})
}

// onStop offers the choices a stop rule leaves, on an interactive terminal.
func (r *run) onStop(ctx context.Context, st fold.State) error {
	if guardStopped(st) {
		return r.onGuardStop(ctx, st) // guard_stop.go
	}
	stop := st.Stop
	can := func(c string) bool {
		for _, x := range stop.Choices {
			if x == c {
				return true
			}
		}
		return false
	}
	options := []string{}
	if can("retry") {
		options = append(options, "r retry")
	}
	if can("override") {
		options = append(options, "o override")
	}
	point := ""
	if n := len(st.RollbackPoints); n > 0 && can("rollback") {
		point = st.RollbackPoints[n-1].Name
		options = append(options, "b roll back to "+point)
	}
	options = append(options, "q quit")
	r.p.prompt("stopped at %s/%s [%s]: ", stop.Phase, stop.Item, strings.Join(options, " / "))
	answer, err := r.in.read(ctx)
	if err != nil {
		return errQuit
	}
	switch strings.ToLower(answer) {
	case "r", "retry":
		if can("retry") {
			return r.sess.Do(session.Retry{Item: stop.Item})
		}
	case "o", "override":
		if can("override") {
			reason, err := r.ask(ctx, "reason for the override: ")
			if err != nil {
				return err
			}
			return r.sess.Do(session.Override{Item: stop.Item, Reason: reason})
		}
	case "b", "rollback":
		if point != "" {
			return r.sess.Do(session.Rollback{Point: point})
		}
	case "q", "quit":
		return errQuit
	}
	return nil // asked again
}

// signOffStep asks for the verdict on a manual rollback step: done or not.
func (r *run) signOffStep(ctx context.Context, phase, id string) error {
	var step runbook.Item
	for _, p := range r.sess.Runbook().Phases {
		if p.ID != phase {
			continue
		}
		for i, it := range p.Rollback {
			if fold.StepID(p, i) == id && it.Manual != nil {
				step = it
			}
		}
	}
	if step.Manual == nil {
		return errors.New("no manual rollback step " + id)
	}
	role := checks.RequiredRole(step)
	if step.Manual.Expect != "" {
		r.p.say("  expect: %s", text.OneLine(step.Manual.Expect))
	}
	as := ""
	if role != "" {
		as = " as " + role
	}
	for {
		r.p.prompt("rollback step %q done%s? [y done / n failed]: ", step.Title, as)
		answer, err := r.in.read(ctx)
		if err != nil {
			r.p.say("")
			r.p.say("no answer: rollback step %s/%s still waits for its sign-off", phase, id)
			return errQuit
		}
		verdict := checks.Verdict("")
		switch strings.ToLower(answer) {
		case "y", "yes":
			verdict = checks.Pass
		case "n", "no":
			verdict = checks.Fail
		default:
			continue
		}
		so := checks.SignOff{Operator: r.sess.Operator(), Role: role, Verdict: verdict, At: time.Now().UTC()}
		if step.Manual.Observe {
			if so.Observation, err = r.ask(ctx, "observation (what you saw): "); err != nil {
				return err
			}
		}
		return r.sess.Do(session.SignOff{Item: id, SignOff: so})
	}
}

// ask prompts for one line of text, asking again while it is empty.
func (r *run) ask(ctx context.Context, prompt string) (string, error) {
	for {
		r.p.prompt("%s", prompt)
		answer, err := r.in.read(ctx)
		if err != nil {
			return "", errQuit
		}
		if answer != "" {
			return answer, nil
		}
	}
}

func findItem(rb *runbook.Runbook, phase, id string) (runbook.Item, bool) {
	for _, p := range rb.Phases {
		if p.ID != phase {
			continue
		}
		for _, it := range p.Items {
			if it.ID == id && it.Manual != nil {
				return it, true
			}
		}
	}
	return runbook.Item{}, false
}
