package dlog

import (
	"context"
	"log/slog"
)

// Redacting returns l with fn applied to every message and every string
// (or error, or Stringer) value logged through it, groups included: a
// session gives its runbook's secret masking, so a ${VAR} value that
// reaches a log line anyway (a path, a user name in a database's name) is
// masked there too.
func Redacting(l *slog.Logger, fn func(string) string) *slog.Logger {
	if l == nil || fn == nil {
		return l
	}
	return slog.New(redactHandler{h: l.Handler(), fn: fn})
}

type redactHandler struct {
	h  slog.Handler
	fn func(string) string
}

func (r redactHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return r.h.Enabled(ctx, level)
}

func (r redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, r.fn(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(r.attr(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(as))
	for i, a := range as {
		masked[i] = r.attr(a)
	}
	return redactHandler{h: r.h.WithAttrs(masked), fn: r.fn}
}

func (r redactHandler) WithGroup(name string) slog.Handler {
	return redactHandler{h: r.h.WithGroup(name), fn: r.fn}
}

// attr masks a's value when it is text.
func (r redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, r.fn(v.String()))
	case slog.KindGroup:
		g := v.Group()
		masked := make([]any, len(g))
		for i, x := range g {
			masked[i] = r.attr(x)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, r.fn(x.Error()))
		case interface{ String() string }:
			return slog.String(a.Key, r.fn(x.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
