package runbook

import (
	"reflect"
	"strings"
	"testing"
)

// Engine table lists are trimmed before repeats are looked for, as the
// engines take them, and allow_target_triggers reads like any flag.
func TestEngineTablesTrimmedAndTriggersAllowed(t *testing.T) {
	rb := mustParse(t, "rb.yaml", head+
		`      - {id: c, title: C, copy: {from: old, to: new, tables: ["a ", " b"], allow_target_triggers: true}}
      - {id: v, title: V, verify: {from: old, to: new, tables: [a], repair: true, allow_target_triggers: true}}
      - {id: u, title: U, catchup: {from: old, to: new, log_table: log, tables: [a], allow_target_triggers: true}}
      - {id: d, title: D, copy: {from: old, to: new, tables: [a]}}
`, nil)
	c, _ := rb.Item("", "c")
	if !reflect.DeepEqual(c.Copy.Tables, []string{"a", "b"}) || !c.Copy.AllowTargetTriggers {
		t.Errorf("copy: %+v", c.Copy)
	}
	v, _ := rb.Item("", "v")
	u, _ := rb.Item("", "u")
	d, _ := rb.Item("", "d")
	if !v.Verify.AllowTargetTriggers || !u.Catchup.AllowTargetTriggers || d.Copy.AllowTargetTriggers {
		t.Errorf("allow_target_triggers: verify %v catchup %v default %v", v.Verify.AllowTargetTriggers, u.Catchup.AllowTargetTriggers, d.Copy.AllowTargetTriggers)
	}
	ps := problemsOf(t, head+`      - {id: c, title: C, copy: {from: old, to: new, tables: [a, " a"], allow_target_triggers: maybe}}
`, nil)
	all := strings.Join(ps, "\n")
	for _, want := range []string{`table "a" is listed twice`, `allow_target_triggers must be true or false, not "maybe"`} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}
