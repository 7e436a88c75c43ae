package runbook

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// fieldset is one YAML mapping decoded against a known list of fields.
// Methods on a nil fieldset (the value was not a mapping) return nothing.
type fieldset struct {
	at   Position
	vals map[string]kv
}

func (f *fieldset) get(name string) kv {
	if f == nil {
		return kv{name: name}
	}
	v, ok := f.vals[name]
	if !ok {
		return kv{name: name}
	}
	return v
}

func (f *fieldset) has(name string) bool { return f.get(name).present() }

// entry is one key of a mapping whose keys are names (connections, procedures).
type entry struct {
	name string
	kv
}

// entries reads a mapping with free-form keys, in file order, reporting
// duplicate and non-scalar keys.
func (d *decoder) entries(v kv, what string) []entry {
	m := d.asMapping(v, what)
	if m == nil {
		return nil
	}
	seen := map[string]Position{}
	var out []entry
	for _, mv := range m.Values {
		name, ok := d.keyName(mv, what)
		if !ok {
			continue
		}
		at := posOf(mv.Key)
		if first, dup := seen[name]; dup {
			d.problem(at, "duplicate %s %q (first at %d:%d)", what, name, first.Line, first.Column)
			continue
		}
		seen[name] = at
		out = append(out, entry{name: name, kv: kv{name: name, key: mv.Key, val: d.resolve(mv.Value)}})
	}
	return out
}

// fields reads a mapping whose keys must be among allowed, reporting unknown
// and duplicate fields. A null value reads as an empty mapping.
func (d *decoder) fields(v kv, what string, allowed ...string) *fieldset {
	if v.val == nil {
		return &fieldset{at: v.pos(), vals: map[string]kv{}}
	}
	m := d.asMapping(v, what)
	if m == nil {
		return nil
	}
	f := &fieldset{at: posOf(m), vals: map[string]kv{}}
	for _, mv := range m.Values {
		name, ok := d.keyName(mv, what)
		if !ok {
			continue
		}
		at := posOf(mv.Key)
		if !contains(allowed, name) {
			d.problem(at, "unknown field %q in %s%s", name, what, suggest(name, allowed))
			continue
		}
		if first, dup := f.vals[name]; dup {
			p := posOf(first.key)
			d.problem(at, "duplicate field %q in %s (first at %d:%d)", name, what, p.Line, p.Column)
			continue
		}
		f.vals[name] = kv{name: name, key: mv.Key, val: d.resolve(mv.Value)}
	}
	return f
}

func (d *decoder) asMapping(v kv, what string) *ast.MappingNode {
	if v.val == nil {
		return nil
	}
	m, ok := v.val.(*ast.MappingNode)
	if !ok {
		d.problem(v.pos(), "%s must be a mapping, not %s", what, describe(v.val))
		return nil
	}
	return m
}

// keyName is a mapping key's text; merge keys and non-scalar keys are problems.
func (d *decoder) keyName(mv *ast.MappingValueNode, what string) (string, bool) {
	if mv == nil || mv.Key == nil {
		return "", false
	}
	if mv.Key.IsMergeKey() {
		d.problem(posOf(mv.Key), "merge keys (<<) are not supported in runbooks")
		return "", false
	}
	k := d.resolve(mv.Key)
	if k == nil || !isScalar(k) {
		d.problem(posOf(mv.Key), "a key in %s must be a plain name", what)
		return "", false
	}
	return nodeText(k), true
}

// list reads a sequence; null or absent reads as empty.
func (d *decoder) list(v kv) []kv {
	if v.val == nil {
		return nil
	}
	s, ok := v.val.(*ast.SequenceNode)
	if !ok {
		d.problem(v.pos(), "%s must be a list, not %s", v.name, describe(v.val))
		return nil
	}
	out := make([]kv, 0, len(s.Values))
	for _, n := range s.Values {
		if n == nil {
			continue
		}
		out = append(out, kv{name: v.name, key: n, val: d.resolve(n)})
	}
	return out
}

// scalar reads a single value with ${VAR} expanded. ok is false when the
// value is absent, null, or not a single value (reported).
func (d *decoder) scalar(v kv) (string, bool) {
	x, ok := d.scalarWith(v, expand)
	return x.text, ok
}

// scalarWith reads a single value through scan (expand or shellRefs),
// registering the values it looked up as secrets and reporting its problems.
func (d *decoder) scalarWith(v kv, scan func(string, func(string) (string, bool)) expansion) (expansion, bool) {
	if v.val == nil {
		return expansion{}, false
	}
	if !isScalar(v.val) {
		d.problem(v.pos(), "%s must be a single value, not %s", v.name, describe(v.val))
		return expansion{}, false
	}
	x := scan(nodeText(v.val), d.env)
	d.secrets.Add(x.secrets...)
	if d.notes != nil && len(x.unset) > 0 && len(x.unset) == len(x.problems) {
		d.noteUnset(v, x.unset)
		return expansion{}, false // its value is unknown: nothing more to check in it
	}
	for _, p := range x.problems {
		d.problem(v.pos(), "%s: %s", v.name, p)
	}
	if len(x.problems) > 0 { // reported; checking a half-expanded value would only add noise
		return expansion{}, false
	}
	return x, true
}

// str reads a text field ("" when absent).
func (d *decoder) str(f *fieldset, name string) string {
	s, _ := d.scalar(f.get(name))
	return s
}

// required reads a text field that must be present and non-empty.
func (d *decoder) required(f *fieldset, name, what string) string {
	if f == nil { // not a mapping: already reported
		return ""
	}
	v := f.get(name)
	if !v.present() {
		d.problem(f.at, "%s: missing %s", what, name)
		return ""
	}
	s, ok := d.scalar(v)
	if v.val == nil || ok && strings.TrimSpace(s) == "" {
		d.problem(v.pos(), "%s: %s is empty", what, name)
	}
	return s
}

// boolean reads true or false (false when absent).
func (d *decoder) boolean(f *fieldset, name string) bool {
	v := f.get(name)
	s, ok := d.scalar(v)
	if !ok {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true
	case "false":
		return false
	}
	d.problem(v.pos(), "%s must be true or false, not %q", name, s)
	return false
}

// integer reads a whole number within [lo, hi]; def when absent.
func (d *decoder) integer(f *fieldset, name string, def, lo, hi int) int {
	v := f.get(name)
	s, ok := d.scalar(v)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
	if err != nil {
		d.problem(v.pos(), "%s must be a whole number, not %q", name, s)
		return def
	}
	if n < lo || n > hi {
		d.problem(v.pos(), "%s must be between %d and %d, not %d", name, lo, hi, n)
		return def
	}
	return n
}

// ratio reads a share written as 0.95 or "95%"; def when absent. open makes
// zero invalid: the range is (0,1] instead of [0,1].
func (d *decoder) ratio(f *fieldset, name string, def float64, open bool) float64 {
	v := f.get(name)
	s, ok := d.scalar(v)
	if !ok {
		return def
	}
	r, err := parseRatio(s)
	if err != nil {
		d.problem(v.pos(), "%s: %v", name, err)
		return def
	}
	switch {
	case open && (r <= 0 || r > 1):
		d.problem(v.pos(), "%s must be above 0 and at most 1 (or 100%%), not %s", name, strings.TrimSpace(s))
		return def
	case r < 0 || r > 1:
		d.problem(v.pos(), "%s must be between 0 and 1 (or 100%%), not %s", name, strings.TrimSpace(s))
		return def
	}
	return r
}

func parseRatio(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct, isPct := strings.CutSuffix(t, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number or a percentage", s)
	}
	if isPct {
		f /= 100
	}
	return f, nil
}

// duration reads a duration ("90s", "15m", "2h", "3d", "2w"); def when absent.
func (d *decoder) duration(f *fieldset, name string, def Duration) Duration {
	v := f.get(name)
	s, ok := d.scalar(v)
	if !ok {
		return def
	}
	dur, err := ParseDuration(s)
	if err != nil {
		d.problem(v.pos(), "%s: %v", name, err)
		return def
	}
	return dur
}

// strings reads a list of non-empty texts.
func (d *decoder) strings(f *fieldset, name string) []string {
	return d.stringsExcept(f, name, nil)
}

// stringsExcept is strings without the entries refused by reject (which
// reports why).
func (d *decoder) stringsExcept(f *fieldset, name string, reject func(kv) bool) []string {
	var out []string
	for _, e := range d.list(f.get(name)) {
		if reject != nil && reject(e) {
			continue
		}
		s, ok := d.scalar(e)
		if !ok && e.val == nil {
			d.problem(e.pos(), "%s: empty entry", name)
		}
		if ok && strings.TrimSpace(s) == "" {
			d.problem(e.pos(), "%s: empty entry", name)
			continue
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// enum reads a value that must be one of choices (def when absent).
func (d *decoder) enum(f *fieldset, name, def string, choices ...string) string {
	v := f.get(name)
	s, ok := d.scalar(v)
	if !ok {
		return def
	}
	if !contains(choices, s) {
		d.problem(v.pos(), "%s: unknown value %q (use %s)", name, s, orList(choices))
		return def
	}
	return s
}

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
