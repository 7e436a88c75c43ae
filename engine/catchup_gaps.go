package engine

import (
	"sort"
	"time"
)

// LogPosition is how far a catch-up has read a change log. Change-log ids are
// handed out when a transaction inserts, but become visible when it commits,
// so a reader can see id 12 before id 11. The position therefore keeps the
// highest id seen (MaxSeen) and the ids below it that have not been seen yet
// (Gaps). Every id up to LowWater() has been seen or given up on.
//
// A gap is given up on (counted in Skipped) when it is older than the gap
// timeout: the transaction that took the id rolled back, or was never going
// to commit. When draining a source that has been made read-only nothing is
// in flight any more, so the remaining gaps are closed at once.
type LogPosition struct {
	MaxSeen int64      `json:"max_seen"`
	Gaps    []GapRange `json:"gaps,omitempty"` // sorted, disjoint
	Skipped int64      `json:"skipped,omitempty"`
	// Mark is a log row this position has read, as it was read: a log
	// whose ids started over holds another row under its id (see
	// catchup_log_mark.go).
	Mark *LogMark `json:"mark,omitempty"`
}

// GapRange is a run of unseen ids [From, To], and when it was first noticed.
type GapRange struct {
	From  int64     `json:"from"`
	To    int64     `json:"to"`
	Since time.Time `json:"since"`
}

// DefaultGapTimeout is how long an unseen change-log id is waited for before
// it is taken for a rolled-back transaction. It is well above InnoDB's default
// lock wait timeout (50 s), so a transaction that waited on a lock and then
// committed is still picked up.
const DefaultGapTimeout = 5 * time.Minute

// LowWater is the highest id such that every id at or below it has been seen
// (or skipped).
func (p *LogPosition) LowWater() int64 {
	if len(p.Gaps) > 0 {
		return p.Gaps[0].From - 1
	}
	return p.MaxSeen
}

// GapCount is the number of ids still awaited below MaxSeen.
func (p *LogPosition) GapCount() int64 {
	var n int64
	for _, g := range p.Gaps {
		n += g.To - g.From + 1
	}
	return n
}

// InGap reports whether id is an awaited id below MaxSeen.
func (p *LogPosition) InGap(id int64) bool {
	i := sort.Search(len(p.Gaps), func(i int) bool { return p.Gaps[i].To >= id })
	return i < len(p.Gaps) && p.Gaps[i].From <= id
}

// Seen records that id has been read (and will be applied with the batch
// that read it). It reports false when the id was already seen, so a reader
// never applies the same log row twice.
func (p *LogPosition) Seen(id int64, now time.Time) bool {
	if id > p.MaxSeen {
		if id > p.MaxSeen+1 {
			p.Gaps = append(p.Gaps, GapRange{From: p.MaxSeen + 1, To: id - 1, Since: now})
		}
		p.MaxSeen = id
		return true
	}
	i := sort.Search(len(p.Gaps), func(i int) bool { return p.Gaps[i].To >= id })
	if i == len(p.Gaps) || p.Gaps[i].From > id {
		return false // at or below the low-water mark, or seen before
	}
	g := p.Gaps[i]
	switch {
	case g.From == id && g.To == id:
		p.Gaps = append(p.Gaps[:i], p.Gaps[i+1:]...)
	case g.From == id:
		p.Gaps[i].From++
	case g.To == id:
		p.Gaps[i].To--
	default: // split the range in two
		p.Gaps = append(p.Gaps, GapRange{})
		copy(p.Gaps[i+2:], p.Gaps[i+1:])
		p.Gaps[i] = GapRange{From: g.From, To: id - 1, Since: g.Since}
		p.Gaps[i+1] = GapRange{From: id + 1, To: g.To, Since: g.Since}
	}
	return true
}

// seenOf records the ids of entries as seen and returns the entries not
// seen before.
func (p *LogPosition) seenOf(entries []logEntry, now time.Time) []logEntry {
	var fresh []logEntry
	for _, e := range entries {
		if p.Seen(e.id, now) {
			fresh = append(fresh, e)
		}
	}
	return fresh
}

// Expire gives up on gaps first noticed before now-timeout, and returns how
// many ids it gave up on. A timeout of zero or less closes every gap.
func (p *LogPosition) Expire(now time.Time, timeout time.Duration) int64 {
	var n int64
	kept := p.Gaps[:0]
	for _, g := range p.Gaps {
		if timeout > 0 && now.Sub(g.Since) < timeout {
			kept = append(kept, g)
			continue
		}
		n += g.To - g.From + 1
	}
	for i := len(kept); i < len(p.Gaps); i++ {
		p.Gaps[i] = GapRange{}
	}
	p.Gaps = kept
	p.Skipped += n
	return n
}

// Clone returns an independent copy, so a batch can advance a copy and only
// keep it once the batch has committed.
func (p *LogPosition) Clone() LogPosition {
	c := *p
	c.Gaps = append([]GapRange(nil), p.Gaps...)
	return c
}

// rangesPredicate is "(id BETWEEN ? AND ?) OR …" over gaps, with its
// arguments; "" when there are none.
func rangesPredicate(idCol string, gaps []GapRange) (string, []any) {
	if len(gaps) == 0 {
		return "", nil
	}
	s := "("
	var args []any
	for i, g := range gaps {
		if i > 0 {
			s += " OR "
		}
		s += idCol + " BETWEEN ? AND ?"
		args = append(args, g.From, g.To)
	}
	return s + ")", args
}

// expiring lists the gaps Expire would give up that end after checked, the
// last id a read has just looked at again.
func (p *LogPosition) expiring(now time.Time, timeout time.Duration, checked int64) []GapRange {
	var out []GapRange
	for _, g := range p.Gaps {
		if g.To > checked && (timeout <= 0 || now.Sub(g.Since) >= timeout) {
			out = append(out, g)
		}
	}
	return out
}

// rangesThrough lists the gaps at or below id, the last one cut at id.
func (p *LogPosition) rangesThrough(id int64) []GapRange {
	var out []GapRange
	for _, g := range p.Gaps {
		if g.From > id {
			break
		}
		g.To = min(g.To, id)
		out = append(out, g)
	}
	return out
}

// gapsThrough counts the awaited ids at or below id.
func (p *LogPosition) gapsThrough(id int64) int64 {
	var n int64
	for _, g := range p.Gaps {
		if g.From > id {
			break
		}
		n += min(g.To, id) - g.From + 1
	}
	return n
}

// expireThrough gives up on the awaited ids at or below id.
func (p *LogPosition) expireThrough(id int64) {
	kept := p.Gaps[:0]
	for _, g := range p.Gaps {
		switch {
		case g.To <= id:
			p.Skipped += g.To - g.From + 1
		case g.From <= id:
			p.Skipped += id - g.From + 1
			g.From = id + 1
			kept = append(kept, g)
		default:
			kept = append(kept, g)
		}
	}
	p.Gaps = kept
}
