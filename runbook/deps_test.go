package runbook

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layer is what one package may link: the runway packages it may reach,
// and, for each third-party package it must not link on its own, the
// runway packages allowed to bring it in.
type layer struct {
	pkg      string
	runway   []string            // runway packages it may depend on; nil = any
	banned   []string            // runway packages it must never reach, even through others
	throughs map[string][]string // third-party prefix -> the only packages that may import it
}

// Drivers arrive only where a package needs them: the MySQL driver with the
// runbook (its DSN parser checks connections at lint time), SQLite with the
// audit log. Nobody below ui/ links Charm.
//
// The runbook reads PostgreSQL URLs with net/url, not pgx's
// pgconn.ParseConfig: that parser also reads PGPASSWORD, ~/.pgpass and
// service files (a lint would depend on the machine it runs on) and links
// the wire protocol and TLS into the format. So pgx stays out of it.
var (
	mysqlVia  = []string{"runway/runbook"}
	sqliteVia = []string{"runway/runbook/audit"}
	noCharm   = map[string][]string{"github.com/charmbracelet/": nil}
	noPgx     = map[string][]string{"github.com/charmbracelet/": nil, "github.com/jackc/": nil, "github.com/lib/pq": nil}
)

// noDrivers keeps Charm out, and the database drivers to where they belong.
var noDrivers = map[string][]string{
	"github.com/charmbracelet/":   nil,
	"github.com/go-sql-driver/":   mysqlVia,
	"modernc.org/sqlite":          sqliteVia,
	"github.com/jackc/":           nil,
	"github.com/lib/pq":           nil,
	"github.com/mattn/go-sqlite3": nil,
}

// textPkg holds the words every layer shares; it imports no runway package.
const textPkg = "runway/runbook/text"

var layers = []layer{
	// The runbook format stays free of the UI, the engines and the checks
	// that use it.
	{pkg: "runway/runbook", runway: []string{textPkg}, throughs: noPgx},
	{pkg: "runway/runbook/audit", runway: []string{"runway/runbook", textPkg}, throughs: noCharm},
	// Events and their fold are read by every view: they link no engine,
	// check or executor, so a report or a watcher does not either.
	{pkg: "runway/runbook/event", runway: []string{"runway/runbook", "runway/runbook/audit", textPkg}, throughs: noDrivers},
	{pkg: "runway/runbook/fold", runway: []string{"runway/runbook", "runway/runbook/audit", "runway/runbook/event", textPkg}, throughs: noDrivers},
	// The forecast is a pure function of the runbook and the fold: views,
	// metrics and the executor all compute it without linking an engine.
	{pkg: "runway/runbook/forecast", runway: []string{"runway/runbook", "runway/runbook/audit", "runway/runbook/event", "runway/runbook/fold", textPkg}, throughs: noDrivers},
	// Locking files is a system call and nothing else.
	{pkg: "runway/runbook/flock", runway: []string{}, throughs: noDrivers},
	{pkg: "runway/runbook/session", throughs: noCharm},
	{pkg: "runway/engine", throughs: noCharm},
	{pkg: "runway/checks", throughs: noCharm},
	// A report folds a log: no engine, check or executor behind it.
	{pkg: "runway/ui/report", banned: []string{"runway/engine", "runway/checks", "runway/runbook/session"},
		throughs: noDrivers},
	// Metrics read the fold through the session: no Charm, no engine or check.
	{pkg: "runway/ui/metrics", banned: []string{"runway/engine", "runway/checks", "runway/runbook/session"},
		throughs: noDrivers},
}

func TestDependencies(t *testing.T) {
	for _, l := range layers {
		t.Run(l.pkg, func(t *testing.T) {
			graph := imports(t, l.pkg)
			for dep := range graph {
				if strings.HasPrefix(dep, "runway/") && dep != l.pkg {
					if l.runway != nil && !slices.Contains(l.runway, dep) {
						t.Errorf("%s depends on %s", l.pkg, dep)
					}
					if slices.Contains(l.banned, dep) {
						t.Errorf("%s depends on %s", l.pkg, dep)
					}
				}
			}
			for dep, importers := range graph {
				for prefix, via := range l.throughs {
					if !strings.HasPrefix(dep, prefix) {
						continue
					}
					for _, imp := range importers {
						if !strings.HasPrefix(imp, prefix) && !slices.Contains(via, imp) {
							t.Errorf("%s links %s through %s", l.pkg, dep, imp)
						}
					}
				}
			}
		})
	}
}

// imports maps every package pkg depends on (and pkg itself) to the
// packages of that set that import it directly.
func imports(t *testing.T, pkg string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if _, ok := graph[fields[0]]; !ok {
			graph[fields[0]] = nil
		}
		for _, dep := range fields[1:] {
			graph[dep] = append(graph[dep], fields[0])
		}
	}
	return graph
}
