package runbook

import (
	"fmt"
	"net/url"
	"strings"
)

// maxConditionDepth bounds all:/any: nesting.
const maxConditionDepth = 4

// condition decodes a guard threshold: a comparison ("> 0.05"), a trend
// ({rate: "> 10", window: 5m} or delta), or {all: […]} / {any: […]} of them.
// nil when absent.
func (d *decoder) condition(v kv, what string, depth int) *GuardCondition {
	if !v.present() && v.val == nil {
		return nil
	}
	if v.val == nil {
		d.problem(v.pos(), "%s: empty threshold", what)
		return nil
	}
	if isScalar(v.val) {
		s, _ := d.scalar(v)
		c := &GuardCondition{Trend: TrendValue, Expect: strings.TrimSpace(s)}
		d.checkThreshold(v, c.Expect, what)
		return c
	}
	allowed := append(append([]string(nil), guardTrends...), append([]string{"window"}, conditionGroup...)...)
	f := d.fields(v, what, allowed...)
	if f == nil {
		return nil
	}
	var present []string
	for _, k := range append(append([]string(nil), guardTrends...), conditionGroup...) {
		if f.has(k) {
			present = append(present, k)
		}
	}
	if len(present) != 1 {
		d.problem(f.at, "%s: give exactly one of value, rate, delta, all or any", what)
		return nil
	}
	k := present[0]
	if k == "all" || k == "any" {
		return d.conditionGroup(f, k, what, depth)
	}
	return d.trendCondition(f, k, what)
}

func (d *decoder) conditionGroup(f *fieldset, k, what string, depth int) *GuardCondition {
	if f.has("window") {
		d.problem(f.get("window").pos(), "%s: window belongs to a rate or delta, not to %s", what, k)
	}
	if depth >= maxConditionDepth {
		d.problem(f.get(k).pos(), "%s: all/any nested more than %d deep", what, maxConditionDepth)
		return nil
	}
	var subs []GuardCondition
	for i, e := range d.list(f.get(k)) {
		e.name = fmt.Sprintf("%s %s %d", what, k, i+1)
		if c := d.condition(e, e.name, depth+1); c != nil {
			subs = append(subs, *c)
		}
	}
	if len(subs) == 0 {
		d.problem(f.get(k).pos(), "%s: %s needs at least one condition", what, k)
		return nil
	}
	if k == "all" {
		return &GuardCondition{All: subs}
	}
	return &GuardCondition{Any: subs}
}

func (d *decoder) trendCondition(f *fieldset, k, what string) *GuardCondition {
	s, _ := d.scalar(f.get(k))
	c := &GuardCondition{Trend: k, Expect: strings.TrimSpace(s)}
	d.checkThreshold(f.get(k), c.Expect, what)
	c.Window = d.duration(f, "window", 0)
	switch {
	case k == TrendValue && f.has("window"):
		d.problem(f.get("window").pos(), "%s: window belongs to a rate or delta, not to value", what)
	case k != TrendValue && !f.has("window"):
		d.problem(f.at, "%s: %s needs a window (how far back, e.g. window: 5m)", what, k)
	case k != TrendValue && c.Window <= 0:
		d.problem(f.get("window").pos(), "%s: window must be longer than 0", what)
	}
	return c
}

// checkThreshold reports a malformed comparison; a threshold never holds a
// secret, but one that references a variable is not quoted back.
func (d *decoder) checkThreshold(v kv, expect, what string) {
	if hasRefs(v) {
		d.problem(v.pos(), "%s: a threshold is written out, not taken from a variable", what)
		return
	}
	if err := checkExpect(expect); err != nil {
		d.problem(v.pos(), "%s: threshold: %v", what, err)
	}
}

// validHTTPURL reports whether u is an http:// or https:// address with a host.
func validHTTPURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}
