package text

import (
	"fmt"
	"strings"
	"time"
)

const day = 24 * time.Hour

// Coarse writes a duration the way a runbook writes one: 45s, 12m, 3h20m,
// 2d4h, 2w. It rounds to the unit it shows.
func Coarse(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	switch {
	case d >= 7*day && d%(7*day) == 0:
		return fmt.Sprintf("%dw", d/(7*day))
	case d >= day:
		days, rest := d/day, (d % day).Round(time.Hour)
		if rest == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd%dh", days, rest/time.Hour)
	case d >= time.Hour:
		h, m := d/time.Hour, (d%time.Hour).Round(time.Minute)/time.Minute
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%dm", h, m)
	}
	return fmt.Sprintf("%dm", d.Round(time.Minute)/time.Minute)
}

// Duration writes how long something took, as precisely as an operator
// reads it: 120ms, 4.2s, 45s, 12m05s, then as Coarse: 3h20m, 2d4h. Zero
// (and less) is 0s.
func Duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < 10*time.Second:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", d.Seconds()), ".0") + "s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Round(time.Second).Seconds()))
	case d < time.Hour:
		d = d.Round(time.Second)
		m, s := d/time.Minute, (d%time.Minute)/time.Second
		if s == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return Coarse(d)
}

// Seconds is Duration for a count of seconds.
func Seconds(s float64) string { return Duration(time.Duration(s * float64(time.Second))) }

// Short writes a duration in a fixed few cells, for a row of a screen:
// 40ms, 0.4s, 12s, 3m05s, 2h10m, 5d. It truncates, so a running clock
// never shows a second that has not passed; a negative duration is "".
func Short(d time.Duration) string {
	switch {
	case d < 0:
		return ""
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 100*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// Clock writes an elapsed time as h:mm:ss; a negative one is 0:00:00.
func Clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}
