package report

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"runway/runbook/audit"
	"runway/ui/inert"
)

// SessionRow is one line of a listing of the sessions in an audit log.
type SessionRow struct {
	ID       string     `json:"id"`
	Runbook  string     `json:"runbook"`
	Operator string     `json:"operator"`
	Host     string     `json:"host"`
	Started  time.Time  `json:"started"`
	Ended    *time.Time `json:"ended"`
	Status   string     `json:"status"`
	Outcome  string     `json:"outcome,omitempty"` // what a pass hid: "1 override · 2 skipped"
	Events   int64      `json:"events"`
}

// Verdict is the status in words: "passed with 1 override · 2 skipped"
// when the pass was not clean.
func (r SessionRow) Verdict() string {
	if r.Status == "passed" && r.Outcome != "" {
		return r.Status + " with " + r.Outcome
	}
	return r.Status
}

// ListSessions lists the sessions in a log, newest first, with the number
// of events each holds. Operator, host and a closed session's status come
// from its chained events, not from the sessions table.
func ListSessions(ctx context.Context, l *audit.Log) ([]SessionRow, error) {
	infos, err := l.Sessions(ctx)
	if err != nil {
		return nil, err
	}
	spans, err := l.Spans(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]SessionRow, 0, len(infos))
	for _, s := range infos {
		row := SessionRow{
			ID: s.ID, Runbook: s.Runbook, Operator: s.Operator, Host: s.Host,
			Started: s.Started.UTC(), Ended: timePtr(s.Ended), Status: s.Status,
		}
		if sp, ok := spans[s.ID]; ok {
			// The executor opens a session with session.opened and closes it
			// with session.closed: its ends tell operator, host and status.
			row.Events = sp.Events
			var f chainedFacts
			f.add(sp.First)
			if sp.Last.Seq != sp.First.Seq {
				f.add(sp.Last)
			}
			f.apply(&row.Operator, &row.Host, &row.Status)
			if f.closedLast {
				row.Outcome = f.outcome
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// WriteSessions writes the listing as an aligned table.
func WriteSessions(w io.Writer, rows []SessionRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRUNBOOK\tOPERATOR\tSTARTED\tENDED\tSTATUS\tEVENTS")
	for _, r := range rows {
		ended := "-"
		if r.Ended != nil {
			ended = Stamp(*r.Ended)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			inert.OneLine(r.ID), inert.OneLine(r.Runbook), inert.OneLine(r.Operator), Stamp(r.Started), ended, inert.OneLine(r.Verdict()), Count(r.Events))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write session list: %w", err)
	}
	return nil
}
