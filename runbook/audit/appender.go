package audit

// Appender writes to a log with a redactor of its own: a session masks its
// runbook's secrets in what it writes without changing the log, which other
// sessions, a watcher or a report may share. Its methods are the log's.
type Appender struct {
	l      *Log
	redact func(string) string // nil: nothing masked
}

// Redacting returns an Appender that applies fn to payload text before it
// is written, so secrets never reach the file. nil masks nothing.
func (l *Log) Redacting(fn func(string) string) Appender { return Appender{l: l, redact: fn} }

// Append is Log.Append with the Appender's redactor.
func (a Appender) Append(e Event) (Event, error) {
	var out [1]Event
	if err := a.l.appendEvents(a.redact, []Event{e}, out[:]); err != nil {
		return Event{}, err
	}
	return out[0], nil
}

// AppendBatch is Log.AppendBatch with the Appender's redactor.
func (a Appender) AppendBatch(es []Event) ([]Event, error) {
	if len(es) == 0 {
		return nil, nil
	}
	out := make([]Event, len(es))
	if err := a.l.appendEvents(a.redact, es, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateSession is Log.CreateSession with the Appender's redactor.
func (a Appender) CreateSession(info SessionInfo) (SessionInfo, error) {
	return a.l.createSession(a.redact, info)
}
