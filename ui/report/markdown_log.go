package report

import "strconv"

// extras are the sections a session may not have: notes, incidents, refused
// actions, notification channels, and the runbook's risk register.
func (m *md) extras(r *Report) {
	if len(r.Notes) > 0 {
		m.h2("Notes", len(r.Notes))
		m.table("When", "Who", "Note")
		for _, n := range r.Notes {
			m.row(Stamp(n.At), n.Actor, n.Text)
		}
	}
	if len(r.Incidents) > 0 {
		m.h2("Incidents", len(r.Incidents))
		for _, in := range r.Incidents {
			state := "open when the log ends"
			if in.Closed {
				state = "closed"
			}
			m.p("\n- **%s** opened by %s at %s, %s", cell(in.Title), cell(in.Actor), Stamp(in.At), state)
			for i, s := range in.Steps {
				box := "[ ]"
				if containsInt(in.StepsDone, i+1) {
					box = "[x]"
				}
				m.p("  - %s %s", box, cell(s))
			}
		}
	}
	if len(r.Refusals) > 0 {
		m.h2("Refused actions", len(r.Refusals))
		m.table("When", "Who", "Action", "Reason")
		for _, f := range r.Refusals {
			m.row(Stamp(f.At), f.Actor, f.Action, f.Reason)
		}
	}
	if len(r.Notifications) > 0 {
		m.h2("Notifications", len(r.Notifications))
		m.table("Channel", "Sent", "Failed attempts", "Dropped", "Last")
		for _, c := range r.Notifications {
			m.row(c.Channel, strconv.Itoa(c.Sent), strconv.Itoa(c.Failed), strconv.Itoa(c.Dropped), Stamp(c.Last)+" "+c.LastSummary)
		}
	}
	if len(r.Runbook.Risks) > 0 {
		m.h2("Risk register", len(r.Runbook.Risks))
		m.table("ID", "Risk", "Probability", "Impact", "Score", "Level", "Mitigation")
		for _, k := range r.Runbook.Risks {
			m.row(k.ID, k.Name, k.Probability, k.Impact, strconv.Itoa(k.Score), k.Level, k.Mitigation)
		}
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (m *md) timeline(r *Report) {
	m.h2("Timeline", len(r.Timeline))
	m.p("Every event of the session in order; runs of engine progress and checkpoints are folded into one line, and guard samples are counted under Guards.\n")
	m.table("Event", "Time", "Elapsed", "Who", "Kind", "Where", "What")
	for _, e := range r.Timeline {
		seq := strconv.FormatInt(e.Seq, 10)
		if e.LastSeq > 0 {
			seq += "–" + strconv.FormatInt(e.LastSeq, 10)
		}
		m.row(seq, Clock(e.At), Elapsed(r.Session.Started, e.At), e.Actor, icon(e.Tone)+" "+e.Kind, where(e.Phase, e.Item), e.Text)
	}
}

func where(phase, item string) string {
	switch {
	case phase == "" && item == "":
		return ""
	case item == "":
		return phase
	}
	return phase + "/" + item
}

func (m *md) runbook(r *Report) {
	m.h2("Runbook", -1)
	rb := r.Runbook
	m.p("%s, sha256 %s.", lead(orString(rb.Path, rb.Name)), cell(orString(rb.SHA256, "-")))
	m.p("The text as stored with the session: `${VAR}` references are shown, never their values.\n")
	if rb.Problem != "" {
		m.p("It could not be read again: %s\n", cell(rb.Problem))
	}
	m.fence("yaml", rb.Text)
}
