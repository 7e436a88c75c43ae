package audit

import (
	"regexp"
	"strings"
)

// masked is what the redactor runway sets puts in place of a secret (the
// runbook package's Redacted); a secret is at least 3 bytes long.
const masked = "***"

// maskedEqual reports whether a sessions column holds the value its chained
// event records. The event's payload went through the redactor and the
// column did not, so where the event shows a mask the column may hold any
// secret-sized text; everything else must be equal.
func maskedEqual(column, chained string) bool {
	if column == chained {
		return true
	}
	if !strings.Contains(chained, masked) {
		return false
	}
	parts := strings.Split(chained, masked)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile(`^(?s:` + strings.Join(parts, `.{3,}`) + `)$`)
	return err == nil && re.MatchString(column)
}
