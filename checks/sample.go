package checks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"runway/runbook"
	"runway/runbook/text"
)

// maxSampleLen bounds a guard's value: it is a number or a short word.
const maxSampleLen = 200

// Sampler reads one live value for a guard. It never writes: sql runs its
// query in a read-only transaction that is always rolled back. Errors are
// one line and redacted; a stop ends Sample with ctx's error.
type Sampler interface {
	Sample(ctx context.Context, env Env) (string, error)
}

// NewSampler builds a guard's sampler: sql (the query's first value), prom
// (the one sample), http (the body's first line, or the status when the
// body is empty; another status than expected is an error), tcp (1 when it
// connects, 0 when it does not) or command (the last line of its output;
// another exit status than expected is an error).
func NewSampler(spec runbook.Spec) (Sampler, error) {
	switch {
	case spec.SQL != nil:
		if spec.SQL.Exec != "" || spec.SQL.Query == "" {
			return nil, errors.New("sql guard: needs a query, and never runs exec")
		}
		return sampleFunc(func(ctx context.Context, env Env) (string, error) { return sqlSample(ctx, env, spec.SQL) }), nil
	case spec.Prom != nil:
		u, err := url.Parse(spec.Prom.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, errors.New("prom guard: url: want http:// or https:// with a host")
		}
		c := newPromQuery(u, spec.Prom.Query, "")
		return sampleFunc(func(ctx context.Context, _ Env) (string, error) {
			v, _, err := c.value(ctx)
			return v, err
		}), nil
	case spec.HTTP != nil:
		return newHTTPSample(spec.HTTP)
	case spec.TCP != nil:
		c, err := newTCP(spec.TCP)
		if err != nil {
			return nil, fmt.Errorf("tcp guard: %w", err)
		}
		return sampleFunc(func(ctx context.Context, env Env) (string, error) {
			if res := c.run(ctx, env); !res.Passed {
				return "0", ctx.Err()
			}
			return "1", nil
		}), nil
	case spec.Command != nil:
		return newCommandSample(spec.Command)
	}
	return nil, fmt.Errorf("a guard watches sql, prom, http, tcp or command, not %q", spec.Kind())
}

// ClipSample keeps at most maxSampleLen bytes of s, cut between characters
// and marked with "…" when cut: a guard's value or error is one short line
// wherever it is shown, stored or sent, whatever the check printed.
func ClipSample(s string) string {
	if len(s) <= maxSampleLen {
		return s
	}
	cut := maxSampleLen - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

type sampleFunc func(ctx context.Context, env Env) (string, error)

// Sample runs f, masking secrets in what it returns and turning a panic
// into an error.
func (f sampleFunc) Sample(ctx context.Context, env Env) (v string, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = "", fmt.Errorf("guard check failed unexpectedly: %v", p)
		}
		redact := env.redact()
		v = ClipSample(text.OneLine(redact(v)))
		if err != nil {
			err = errors.New(ClipSample(text.OneLine(redact(err.Error()))))
		}
	}()
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return f(ctx, env)
}

func sqlSample(ctx context.Context, env Env, s *runbook.SQL) (string, error) {
	if env.DB == nil {
		return "", fmt.Errorf("connection %s: no databases available", s.Conn)
	}
	db, err := env.DB(s.Conn)
	if err != nil {
		return "", connErr(s.Conn, err)
	}
	if db == nil {
		return "", fmt.Errorf("connection %s: not open", s.Conn)
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", fmt.Errorf("query on %s: %v", s.Conn, err)
	}
	defer tx.Rollback() // a guard never writes, whatever its query does
	// The value reads as an sql item's would: PostgreSQL's in its text form.
	v, found, err := firstValue(ctx, tx, isPostgres(db), s.Query)
	switch {
	case err != nil:
		return "", fmt.Errorf("query on %s failed: %s", s.Conn, errText(err))
	case !found:
		return "", fmt.Errorf("query on %s returned no rows", s.Conn)
	}
	return v, nil
}

func newHTTPSample(h *runbook.HTTP) (Sampler, error) {
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("http guard: url: want http:// or https:// with a host")
	}
	want := h.ExpectStatus
	if want == 0 {
		want = http.StatusOK
	}
	method := strings.ToUpper(h.Method)
	if method == "" {
		method = http.MethodGet
	}
	client := &http.Client{}
	return sampleFunc(func(ctx context.Context, _ Env) (string, error) {
		req, err := http.NewRequestWithContext(ctx, method, h.URL, nil)
		if err != nil {
			return "", fmt.Errorf("bad request: %v", err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return "", fmt.Errorf("%s failed: %v", method, requestReason(err))
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if resp.StatusCode != want {
			return "", fmt.Errorf("HTTP %d, expected %d", resp.StatusCode, want)
		}
		line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		if line = strings.TrimSpace(line); line == "" {
			return strconv.Itoa(resp.StatusCode), nil
		}
		return line, nil
	}), nil
}

func newCommandSample(c *runbook.Command) (Sampler, error) {
	r, err := newCommand(&runbook.Command{Run: c.Run, Env: c.Env, ExpectExit: c.ExpectExit})
	if err != nil {
		return nil, fmt.Errorf("command guard: %w", err)
	}
	g := guarded{kind: "command", r: r}
	return sampleFunc(func(ctx context.Context, env Env) (string, error) {
		res := g.Run(ctx, env)
		if !res.Passed {
			return "", errors.New(res.Summary)
		}
		return lastLine(res.Output), nil
	}), nil
}

// lastLine is the last non-empty line of out, trimmed.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// SampleTimeout bounds one guard evaluation: its interval, at most the
// kind's default timeout.
func SampleTimeout(spec runbook.Spec, every time.Duration) time.Duration {
	d := DefaultTimeout(spec)
	if every > 0 && (d == 0 || every < d) {
		return every
	}
	return d
}
