package fold

import "fmt"

// Warnings counts the failed items of the phases that passed: a phase
// passes only past non-critical failures, so each is a warning, and a
// session that passes with them passes "with N warnings".
func (s State) Warnings() int {
	n := 0
	for _, p := range s.Phases {
		if p.Status != PhasePassed {
			continue
		}
		for _, it := range p.Items {
			if it.Status == ItemFailed {
				n++
			}
		}
	}
	return n
}

// Ending says in one line how the session stands, as it is printed when a
// session ends: "passed with 2 warnings (5 of 5 phases)", "stopped at
// pilot/verify: 3 rows differ", "not finished: 2 of 5 phases passed".
func (s State) Ending() string {
	passed := 0
	for _, p := range s.Phases {
		if p.Status == PhasePassed {
			passed++
		}
	}
	switch {
	case s.AllPassed():
		return fmt.Sprintf("%s (%d of %d phases)", s.Outcome().Passed(), passed, len(s.Phases))
	case s.Rollback != nil && s.Rollback.Running:
		return "rolling back to " + s.Rollback.Point
	case s.Pending != nil:
		return fmt.Sprintf("stopped at %s/%s: its override waits for a second person's approval (%d of %d phases passed)", s.Pending.Phase, s.Pending.Item, passed, len(s.Phases))
	case s.Stop != nil:
		return fmt.Sprintf("stopped at %s/%s: %s (%d of %d phases passed)", s.Stop.Phase, s.Stop.Item, s.Stop.Reason, passed, len(s.Phases))
	}
	for _, p := range s.Phases {
		for _, it := range p.Items {
			if it.Status == ItemAwaiting {
				return fmt.Sprintf("not finished: %s/%s waits for its sign-off (%d of %d phases passed)", p.ID, it.ID, passed, len(s.Phases))
			}
		}
	}
	return fmt.Sprintf("not finished: %d of %d phases passed", passed, len(s.Phases))
}
