package runbook

import "sort"

// Var is one environment variable a runbook references, as it stood when
// the runbook was read. A session fingerprints these values so that a
// resume can tell whether the environment still gives the same runbook.
type Var struct {
	Name  string
	Value string // a secret: never shown or stored
	Set   bool   // false when the variable was not set (its default applied)
}

// varRecorder wraps an environment lookup and remembers every variable
// looked up.
type varRecorder struct {
	env  func(string) (string, bool)
	seen map[string]Var
}

func newVarRecorder(env func(string) (string, bool)) *varRecorder {
	return &varRecorder{env: env, seen: map[string]Var{}}
}

// lookup is env, recorded.
func (r *varRecorder) lookup(name string) (string, bool) {
	v, ok := "", false
	if r.env != nil {
		v, ok = r.env(name)
	}
	r.seen[name] = Var{Name: name, Value: v, Set: ok}
	return v, ok
}

// vars lists the variables looked up, sorted by name.
func (r *varRecorder) vars() []Var {
	out := make([]Var, 0, len(r.seen))
	for _, v := range r.seen {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
