package runbook

import "strings"

// Texts handed to another interpreter (a shell, a database) never get a
// variable's value pasted into them: quoting can break, and whatever the
// interpreter echoes back (a shell's mangled word, a database's "near '…'"
// error) is a piece of the secret that exact-match redaction cannot catch.

// sqlVarsProblem is why SQL text may not reference variables.
const sqlVarsProblem = "variables are secrets and would be echoed in SQL errors; put credentials in the connection's dsn"

// shellRun reads a command's run text with its ${VAR} references kept for
// the shell, and the NAME=value pairs to put in its environment.
func (d *decoder) shellRun(f *fieldset, what string) (run string, env []string) {
	if f == nil { // not a mapping: already reported
		return "", nil
	}
	v := f.get("run")
	if !v.present() {
		d.problem(f.at, "%s: missing run", what)
		return "", nil
	}
	d.noteBareVars(v)
	x, ok := d.scalarWith(v, shellRefs)
	if v.val == nil || ok && strings.TrimSpace(x.text) == "" {
		d.problem(v.pos(), "%s: run is empty", what)
	}
	return x.text, x.vars
}

// sqlText reads SQL text (a query, a statement, a where filter), which must
// not reference variables.
func (d *decoder) sqlText(f *fieldset, name, what string, required bool) string {
	if d.sqlHasVars(f.get(name), what) {
		return ""
	}
	if required {
		return d.required(f, name, what)
	}
	return d.str(f, name)
}

// sqlHasVars reports (once, at the value) a variable reference in SQL text.
func (d *decoder) sqlHasVars(v kv, what string) bool {
	if !hasRefs(v) {
		return false
	}
	d.problem(v.pos(), "%s: %s: %s", what, v.name, sqlVarsProblem)
	return true
}

// identVarsProblem is why a table or column name, the runbook's name, a
// phase or item id or a rollback point may not reference variables: they
// are stored in clear in the audit log (its sessions table, the hash-chained
// phase and item columns) and shown everywhere.
const identVarsProblem = "variables are secrets, and a name is shown in progress, errors and the audit log; write the name itself"

// identifiers reads a list of table or column names, which must not
// reference variables.
func (d *decoder) identifiers(f *fieldset, name, what string) []string {
	return d.stringsExcept(f, name, func(e kv) bool {
		if !hasRefs(e) {
			return false
		}
		d.problem(e.pos(), "%s: %s: %s", what, name, identVarsProblem)
		return true
	})
}

// identifier reads a required name or id, which must not reference variables.
func (d *decoder) identifier(f *fieldset, name, what string) string {
	if v := f.get(name); hasRefs(v) {
		d.problem(v.pos(), "%s: %s: %s", what, name, identVarsProblem)
		return ""
	}
	return d.required(f, name, what)
}

// hasRefs reports whether a scalar value holds a ${VAR} reference (looking
// nothing up).
func hasRefs(v kv) bool {
	return v.val != nil && isScalar(v.val) && shellRefs(nodeText(v.val), nil).refs > 0
}
