package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"runway/runbook/audit"
	"runway/runbook/text"
)

// newVerifyLog is `runway verify-log [PATH] [--expect SEQ:HASH]`: recompute
// the audit log's hash chain. Exit 0 when intact, printing the anchor (last
// event and its hash) to note elsewhere, 1 naming the first bad row or a
// missed anchor, 2 when the file is missing or not a runway audit log.
func newVerifyLog(g *Globals, s IO) *cobra.Command {
	var expect string
	c := &cobra.Command{
		Use:   "verify-log [PATH] [--expect SEQ:HASH]",
		Short: "Check the audit log's hash chain",
		Long: "Recompute every event's hash and its link to the previous one, check the sequence has\n" +
			"no gaps, that each session's runbook text matches the hash it opened with, and that\n" +
			"each sessions row agrees with its events (operator, host, started, status, ended).\n" +
			"Events cut from the end leave a shorter chain that is still intact, which nothing in\n" +
			"the file can show: note the anchor printed (SEQ:HASH of the last event) somewhere\n" +
			"else, in the change ticket say, and give it later to --expect, which fails when that\n" +
			"event is gone or holds another hash.\n" +
			"PATH defaults to --audit. Exit status: 0 intact, 1 tampered, damaged or cut short (the\n" +
			"first bad row is named), 2 missing or not a runway audit log.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := g.Audit
			if len(args) == 1 {
				path = args[0]
			}
			ctx, stop := interruptible(cmd.Context())
			defer stop()
			return interrupted(ctx, "verify-log "+path, verifyLog(ctx, s, path, expect))
		},
	}
	c.Flags().StringVar(&expect, "expect", "", "anchor noted earlier (SEQ:HASH): fail unless event SEQ still has HASH")
	return c
}

func verifyLog(ctx context.Context, s IO, path, expect string) error {
	var seq int64
	var hash string
	if expect != "" {
		var err error
		if seq, hash, err = parseAnchor(expect); err != nil {
			return exitf(ExitUsage, "verify-log: --expect %q: %v", expect, err)
		}
	}
	rep, err := audit.Verify(ctx, path)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if !rep.OK {
		return exitf(ExitStopped, "%s: %s", path, rep.Reason)
	}
	if expect != "" {
		if err := checkAnchor(ctx, path, rep, seq, hash); err != nil {
			return err
		}
	}
	anchor := ""
	if rep.LastHash != "" {
		anchor = fmt.Sprintf(", anchor %d:%s", rep.LastSeq, rep.LastHash)
	}
	held := ""
	if expect != "" {
		held = fmt.Sprintf(", holds event %d as expected", seq)
	}
	fmt.Fprintf(s.Out, "%s: %s in %s, hash chain intact%s%s\n", path,
		text.Counts(rep.Events, "event"), text.Counts(rep.Sessions, "session"), held, anchor)
	return nil
}

// parseAnchor reads SEQ:HASH as printed by verify-log.
func parseAnchor(s string) (int64, string, error) {
	n, h, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || seq < 1 || h == "" {
		return 0, "", fmt.Errorf("want SEQ:HASH as verify-log prints it, e.g. 42:3fa9…")
	}
	return seq, strings.ToLower(h), nil
}

// checkAnchor fails unless event seq of the (intact) log has hash.
func checkAnchor(ctx context.Context, path string, rep audit.Report, seq int64, hash string) error {
	if seq > rep.LastSeq {
		return exitf(ExitStopped, "%s: event %d of the anchor is missing: the log ends at event %d, so events were cut from its end", path, seq, rep.LastSeq)
	}
	l, err := audit.OpenReadOnly(path)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	defer l.Close()
	got, ok, err := l.HashAt(ctx, seq)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if !ok || got != hash {
		return exitf(ExitStopped, "%s: event %d has hash %s, the anchor says %s: the log was rewritten up to there", path, seq, got, hash)
	}
	return nil
}
