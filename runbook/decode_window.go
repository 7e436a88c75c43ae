package runbook

import (
	"fmt"
	"strings"
	"time"
)

var windowFields = []string{"start", "end"}

// expected reads a phase's or an item's expected: "2h", "1-2w" (zero when absent).
func (d *decoder) expected(f *fieldset) Expected {
	v := f.get("expected")
	s, ok := d.scalar(v)
	if !ok {
		return Expected{}
	}
	exp, err := ParseExpected(s)
	if err != nil {
		d.problem(v.pos(), "expected: %v", err)
	}
	return exp
}

// plan reads the runbook's window: and drift_tolerance:.
func (d *decoder) plan(top *fieldset) Plan {
	p := Plan{Tolerance: DefaultDriftTolerance}
	if v := top.get("drift_tolerance"); v.present() {
		p.Tolerance = d.tolerance(v)
	}
	v := top.get("window")
	if !v.present() {
		return p
	}
	f := d.fields(v, "window", windowFields...)
	if f == nil {
		return p
	}
	w := &Window{Pos: v.pos()}
	var ok [2]bool
	for i, name := range windowFields {
		if !f.has(name) {
			d.problem(f.at, "window: missing %s", name)
			continue
		}
		at := &w.Start
		if name == "end" {
			at = &w.End
		}
		*at, ok[i] = d.instant(f.get(name))
	}
	if ok[0] && ok[1] && !w.End.After(w.Start) {
		d.problem(f.get("end").pos(), "window: end %s is not after start %s", w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339))
	}
	p.Window = w
	return p
}

// tolerance reads drift_tolerance: a percentage of the expected time ("25%"
// or 0.25), from 0 to 1000 %.
func (d *decoder) tolerance(v kv) float64 {
	s, ok := d.scalar(v)
	if !ok {
		return DefaultDriftTolerance
	}
	r, err := parseRatio(s)
	if err == nil && (r < 0 || r > 10) {
		err = fmt.Errorf("must be between 0%% and 1000%%, not %s", strings.TrimSpace(s))
	}
	if err != nil {
		d.problem(v.pos(), "drift_tolerance: %v (a share of the expected time, such as 25%%)", err)
		return DefaultDriftTolerance
	}
	return r
}

// instant reads a window bound with its zone stated.
func (d *decoder) instant(v kv) (time.Time, bool) {
	s, ok := d.scalar(v)
	if !ok {
		return time.Time{}, false
	}
	t, err := ParseInstant(s)
	if err != nil {
		d.problem(v.pos(), "window %s: %v", v.name, err)
		return time.Time{}, false
	}
	return t, true
}

// ParseInstant reads a moment with its zone stated: RFC 3339
// ("2026-12-06T22:00:00+01:00", "…Z") or "2026-12-06 22:00" followed by a
// zone: UTC, an offset (+01:00) or a zone name (Europe/Paris). A time without
// a zone is refused: the window is often planned in one place and run from
// another, and guessing the zone would move it by hours.
func ParseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	fields := strings.Fields(s)
	if len(fields) == 2 {
		if _, err := time.Parse("2006-01-02 15:04", s); err == nil {
			return time.Time{}, fmt.Errorf("%q has no zone (write it after the time: UTC, +01:00 or Europe/Paris)", s)
		}
	}
	if len(fields) != 3 {
		return time.Time{}, fmt.Errorf("%q is not a time (use 2026-12-06T22:00:00Z or \"2026-12-06 22:00 Europe/Paris\")", s)
	}
	loc, err := zone(fields[2])
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", fields[0]+" "+fields[1], loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time (use 2026-12-06T22:00:00Z or \"2026-12-06 22:00 Europe/Paris\")", s)
	}
	return t, nil
}

// zone reads UTC, Z, an offset (+01:00, -0530) or a zone name.
func zone(s string) (*time.Location, error) {
	if s == "Z" || s == "UTC" {
		return time.UTC, nil
	}
	if s[0] == '+' || s[0] == '-' {
		for _, layout := range []string{"-07:00", "-0700", "-07"} {
			if t, err := time.Parse(layout, s); err == nil {
				_, off := t.Zone()
				return time.FixedZone(s, off), nil
			}
		}
		return nil, fmt.Errorf("zone offset %q is not like +01:00", s)
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("unknown zone %q (use UTC, an offset such as +01:00, or a name such as Europe/Paris)", s)
	}
	return loc, nil
}
