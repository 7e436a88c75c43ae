package console

import (
	"github.com/dustin/go-humanize"
)

// compareFigures stand in for a compare's bar, which has no total to fill:
// its match rate and how many rows differ once it has finished ("98.2%
// match, 3 different"), else what it has read so far.
func (m Model) compareFigures(sel selection, t tableView, paused bool) string {
	e := sel.is.Engine
	if e == nil || e.Result == nil || e.Result.MatchRate == nil {
		return t.info(paused)
	}
	r := e.Result
	text := percent(*r.MatchRate) + " match"
	if r.DiffCount == 0 {
		return m.sty.OK.Render(text + ", none different")
	}
	return m.sty.Fail.Render(text + ", " + humanize.Comma(r.DiffCount) + " different")
}
