package console

// Frame is what a wrapper around the console (watch, replay, a pairing
// seat) draws in the console's own frame. The console keeps the layout: a
// wrapper supplies lines, never positions, so a change of layout cannot
// break it. An empty field keeps the console's own line.
//
// It is given at View time rather than in Options because a wrapper's words
// (the driver's status, the replay's cursor) live in the wrapper's model,
// which a func captured at New could not see.
type Frame struct {
	// Rule is the line under the header, e.g. a rule titled with the
	// driver's status or the hash-chain result. It is cut to the width.
	Rule string
	// Status is the wrapper's word in the status row when the console has
	// nothing of its own to say there (no outcome of an action, nothing
	// stopping), in place of the console's standing "watching" notice.
	Status string
	// Notice is shown in the status row even over the console's own
	// outcome: the wrapper's line is the newer one (a pairing key's result).
	Notice string
	// Body, when not nil, fills the rows between the rule and the status
	// row (the banner's rows included) instead of panes, dialog and help.
	Body []string
	// Footer is the help line, for a wrapper whose keys are its own.
	Footer string
}

// ViewWith draws the screen as View does, with a wrapper's lines in the
// frame. The console's "starting" and "terminal too small" screens are
// drawn as they are: a wrapper has nothing to add to them.
func (m Model) ViewWith(f Frame) string { return m.view(f) }

// BodyRows is how many rows a Frame's Body gets at the current size: all
// between the rule and the status row. It is 0 before the first size and
// below the minimum size, when the frame is not drawn.
func (m Model) BodyRows() int {
	if m.tooSmall() {
		return 0
	}
	l := m.layout()
	return l.body + l.banner
}
