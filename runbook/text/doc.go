// Package text writes the small pieces of English every layer of runway
// shares: one-line text, counted nouns, counts with thousands separators and
// durations. It sits below runbook so that runbook, checks, the audit log, the
// session and the UI all say a thing the same way; it imports no Charm
// package, and makes nothing inert: the UI does that (runway/ui/inert).
package text
