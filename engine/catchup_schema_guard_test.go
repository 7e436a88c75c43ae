package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// usersT makes users (id, name) on src with two rows, copies it to dst and
// installs the change-log triggers on src.
func usersT(t *testing.T, src, dst *DB) {
	t.Helper()
	execT(t, src, "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO users VALUES (1, 'a'), (2, 'b')")
	copyT(t, src, dst, CopyOptions{Tables: []string{"users"}, Create: true})
	installT(t, src, []string{"users"})
}

// swapUsers is an online schema change by table swap, as gh-ost and
// pt-online-schema-change end one: users copied into a shadow table that
// then takes its name.
func swapUsers(t *testing.T, src *DB) {
	t.Helper()
	execT(t, src, "CREATE TABLE users_new (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO users_new SELECT * FROM users")
	if src.Driver() == MySQL {
		execT(t, src, "RENAME TABLE users TO _users_del, users_new TO users")
		return
	}
	execT(t, src, "ALTER TABLE users RENAME TO _users_del", "ALTER TABLE users_new RENAME TO users")
}

// refusedWith fails unless err contains every part.
func refusedWith(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error without %q: %v", what, p, err)
		}
	}
}

// A table swapped by RENAME before the catch-up starts: the triggers stayed
// on the old table, so the drain is refused, naming both; removing and
// installing the triggers, repairing and draining again makes the target whole.
func TestCatchupRefusesTableSwappedByRename(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	usersT(t, src, dst)
	execT(t, src, "UPDATE users SET name = 'a1' WHERE id = 1")
	swapUsers(t, src)
	execT(t, src, "UPDATE users SET name = 'b2' WHERE id = 2", "INSERT INTO users VALUES (3, 'c')")
	opts := CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained}
	res, err := Catchup(ctx, src, dst, opts)
	refusedWith(t, "drain after the swap", err, "table users in", "does not log its changes", "runway_users_ins is on _users_del now")
	if res.Drained || res.Converged {
		t.Errorf("claimed its end over a table without triggers: %+v", res)
	}

	if _, err := RemoveTriggers(ctx, src, "change_log", []string{"users"}); err != nil {
		t.Fatal(err)
	}
	installT(t, src, []string{"users"})
	if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"users"}, Repair: true}); err != nil {
		t.Fatal(err)
	}
	if res, err := Catchup(ctx, src, dst, opts); err != nil || !res.Drained {
		t.Fatalf("drain after reinstalling: %+v, %v", res, err)
	}
	verifyNoDiffs(t, src, dst, "users")
}

// A catch-up of every table in the log knows its tables only from the log:
// a trigger that fires on another table than its name says is enough.
func TestCatchupOfEveryTableRefusesTableSwapped(t *testing.T) {
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	usersT(t, src, dst)
	swapUsers(t, src)
	execT(t, src, "UPDATE users SET name = 'b2' WHERE id = 2")
	res, err := Catchup(context.Background(), src, dst, CatchupOptions{LogTable: "change_log", Until: UntilDrained})
	refusedWith(t, "drain", err, "table users in", "its trigger runway_users_ins fires on _users_del instead")
	if res.Drained {
		t.Errorf("drained: %+v", res)
	}
}

// While a catch-up runs, on every kind of source: a table swapped by RENAME,
// or a trigger dropped, is found by the periodic check long before the
// catch-up would converge.
func TestCatchupStopsWhenTriggersGoWhileRunning(t *testing.T) {
	cases := []struct {
		source, change string
		want           string
	}{
		{"mysql", "swap", "runway_users_ins is on _users_del now"},
		{"sqlite", "swap", "runway_users_ins is on _users_del now"},
		{"postgres", "swap", "runway_users_ins is on _users_del now"},
		{"sqlite", "drop", "runway_users_upd is missing"},
		{"postgres", "drop", "runway_users_upd is missing"},
	}
	for _, tc := range cases {
		t.Run(tc.source+"/"+tc.change, func(t *testing.T) {
			src, dst := guardSource(t, tc.source), openSQLiteT(t, "dst")
			usersT(t, src, dst)
			changed := false
			change := func() {
				if changed {
					return
				}
				changed = true
				if tc.change == "swap" {
					swapUsers(t, src)
					return
				}
				drop := "DROP TRIGGER runway_users_upd"
				if src.Driver() == Postgres {
					drop += " ON users"
				}
				execT(t, src, drop)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a missed change would converge only after an hour
			defer cancel()
			res, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"users"},
				ConvergeFor: time.Hour, Poll: 10 * time.Millisecond, guardEvery: 10 * time.Millisecond, guarded: change})
			refusedWith(t, "catch-up", err, "table users in", "does not log its changes", tc.want)
			if res.Converged {
				t.Errorf("converged: %+v", res)
			}
		})
	}
}

// guardSource opens a source database of kind.
func guardSource(t *testing.T, kind string) *DB {
	switch kind {
	case "mysql":
		return openMySQLT(t)
	case "postgres":
		return openPostgresT(t)
	}
	return openSQLiteT(t, "src")
}

// A column added on both sides after the catch-up read users: the drain
// stops before claiming it is drained, naming the column, and sets its
// position back, so that running it again writes the rows it had written
// without the column.
func TestCatchupStopsWhenColumnAdded(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	usersT(t, src, dst)
	execT(t, src, "UPDATE users SET name = 'a1' WHERE id = 1")
	added := false
	addEmail := func() { // after the check at the start, before the first batch
		if added {
			return
		}
		added = true
		execT(t, dst, "ALTER TABLE users ADD COLUMN email VARCHAR(40) NULL")
		execT(t, src, "ALTER TABLE users ADD COLUMN email VARCHAR(40) NULL",
			"UPDATE users SET email = 'a@x' WHERE id = 1", "INSERT INTO users VALUES (3, 'c', 'c@x')")
	}
	opts := CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained,
		guardEvery: time.Hour, guarded: addEmail}
	res, err := Catchup(ctx, src, dst, opts)
	refusedWith(t, "drain", err, "the columns of users in", "changed since the catch-up read them (email added)", "run the catch-up again", "replays from log id 0")
	if res.Drained || res.Applied == 0 {
		t.Errorf("the drain claimed its end, or applied nothing before its end: %+v", res)
	}
	opts.guarded = nil
	if res, err := Catchup(ctx, src, dst, opts); err != nil || !res.Drained {
		t.Fatalf("drain again: %+v, %v", res, err)
	}
	verifyNoDiffs(t, src, dst, "users")
}

func TestColumnChange(t *testing.T) {
	users := func(cols ...Column) *Table { return &Table{Name: "users", Columns: cols, Key: []int{0}} }
	id, name := Column{Name: "id", Type: "int"}, Column{Name: "name", Type: "varchar(20)"}
	cases := []struct {
		now  *Table
		want string
	}{
		{users(id, name), ""},
		{users(id, Column{Name: "NAME", Type: "varchar(20)"}), ""},
		{&Table{Columns: []Column{name, id}, Key: []int{1}}, ""}, // read and written by name
		{users(id, name, Column{Name: "email", Type: "text"}), "email added"},
		{users(id), "name dropped"},
		{users(id, Column{Name: "name", Type: "varchar(40)"}), "name changed from varchar(20) to varchar(40)"},
		{users(id, Column{Name: "name", Type: "varchar(20)", Generated: true}), "name changed from varchar(20) to varchar(20) generated"},
		{&Table{Columns: []Column{id, name}, Key: []int{0, 1}}, "key changed from (id) to (id, name)"},
	}
	for _, tc := range cases {
		if got := columnChange(users(id, name), tc.now); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.now.Columns, got, tc.want)
		}
	}
}

// A change log the application fills itself (no runway triggers on the
// table, as when it logs its own writes) is replayed: only tables that had
// runway's triggers when first checked are watched for losing them.
func TestCatchupOfApplicationFilledLog(t *testing.T) {
	ctx := context.Background()
	src, dst := openSQLiteT(t, "src"), openSQLiteT(t, "dst")
	execT(t, src, "CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT)", "INSERT INTO items VALUES (1, 'a'), (2, 'b')")
	copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
	if err := EnsureChangeLog(ctx, src, "change_log"); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "UPDATE items SET sku = 'changed' WHERE id = 1", "DELETE FROM items WHERE id = 2",
		"INSERT INTO change_log (table_name, pk) VALUES ('items', '1'), ('items', '2')")
	if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"items"}, Until: UntilDrained}); err != nil {
		t.Fatalf("catch-up of a log the application fills: %v", err)
	}
	verifyNoDiffs(t, src, dst, "items")
}

// What a catch-up found its tables to be is kept with its position, so the
// next run holds them to it: triggers lost while no catch-up ran (a swap
// whose old table was then dropped, as pt-online-schema-change does) stop
// it, with or without a table list (it drained, the changes unseen).
func TestCatchupGuardSurvivesARestart(t *testing.T) {
	for _, tables := range [][]string{{"users"}, nil} {
		t.Run(fmt.Sprint(len(tables), " tables named"), func(t *testing.T) {
			ctx := context.Background()
			src, dst := openMySQLT(t), openMySQLT(t)
			usersT(t, src, dst)
			execT(t, src, "UPDATE users SET name = 'a1' WHERE id = 1")
			opts := CatchupOptions{LogTable: "change_log", Tables: tables, Until: UntilDrained}
			if res, err := Catchup(ctx, src, dst, opts); err != nil || !res.Drained {
				t.Fatalf("first drain: %+v %v", res, err)
			}
			swapUsers(t, src)
			execT(t, src, "DROP TABLE _users_del", "UPDATE users SET name = 'b2' WHERE id = 2")
			_, err := Catchup(ctx, src, dst, opts)
			refusedWith(t, "drain after the triggers went", err, "table users in", "does not log its changes", "runway_users_ins is missing")
		})
	}
}

// A column added after the last check, then the catch-up stopped before
// the next one: the batches it wrote since lack the column. The next run
// sees the change against what the last one checked, goes back to that
// check and writes those rows again (it started after them, and drained
// with the column missing on the target).
func TestCatchupColumnAddedBeforeAStop(t *testing.T) {
	for _, tables := range [][]string{{"users"}, nil} {
		t.Run(fmt.Sprint(len(tables), " tables named"), func(t *testing.T) { columnAddedBeforeAStop(t, tables) })
	}
}

// columnAddedBeforeAStop: without a table list, a table is set up by the
// first change read, and a check then stores its shape; the next run sets
// up the tables the last one checked before its first check (set up by
// the first change read, the table took the new columns for the ones it
// always had, and the shapes stored were those of the tables set up).
func columnAddedBeforeAStop(t *testing.T, tables []string) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	usersT(t, src, dst)
	execT(t, src, "UPDATE users SET name = 'a1' WHERE id = 1")
	drain := CatchupOptions{LogTable: "change_log", Tables: tables, Until: UntilDrained}
	if _, err := Catchup(ctx, src, dst, drain); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "UPDATE users SET name = 'b1' WHERE id = 2") // sets users up by a batch, without a list
	var logged int64
	checks, added := 0, false
	addEmail := func() { // after a check that knew users, before the batch with the new column
		checks++
		if added || tables == nil && checks < 2 {
			return
		}
		added = true
		execT(t, dst, "ALTER TABLE users ADD COLUMN email VARCHAR(40) NULL")
		execT(t, src, "ALTER TABLE users ADD COLUMN email VARCHAR(40) NULL",
			"UPDATE users SET email = 'a@x' WHERE id = 1", "INSERT INTO users VALUES (3, 'c', 'c@x')")
		logged = countT(t, src, "change_log")
	}
	stopped, stop := context.WithCancel(ctx)
	defer stop()
	every := time.Hour // only the check at the start
	if tables == nil {
		every = time.Millisecond // and the one after the batch that set users up
	}
	_, err := Catchup(stopped, src, dst, CatchupOptions{LogTable: "change_log", Tables: tables, ConvergeFor: time.Hour,
		Poll: 10 * time.Millisecond, guardEvery: every, guarded: addEmail,
		Progress: func(p Progress) {
			if added && p.Done >= logged {
				stop() // the batch is written: stop before any other check
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the stopped run: %v", err)
	}
	if _, err := Catchup(ctx, src, dst, drain); err != nil {
		t.Fatal(err)
	}
	verifyNoDiffs(t, src, dst, "users")
}

// A key changed between two runs: the log names rows by the old key, which
// the new one would read as other rows (it drained, applying the update to
// nothing and deleting rows). The catch-up stops, saying what to do.
func TestCatchupKeyChangedBetweenRuns(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	execT(t, src, "CREATE TABLE acct (email VARCHAR(40) NOT NULL PRIMARY KEY, id INT NOT NULL, note VARCHAR(20))",
		"INSERT INTO acct VALUES ('a@x', 1, 'a'), ('b@x', 2, 'b')")
	copyT(t, src, dst, CopyOptions{Tables: []string{"acct"}, Create: true})
	installT(t, src, []string{"acct"})
	opts := CatchupOptions{LogTable: "change_log", Tables: []string{"acct"}, Until: UntilDrained}
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*DB{src, dst} {
		execT(t, d, "ALTER TABLE acct DROP PRIMARY KEY, ADD PRIMARY KEY (id)")
	}
	execT(t, src, "UPDATE acct SET note = 'a2' WHERE id = 1")
	_, err := Catchup(ctx, src, dst, opts)
	refusedWith(t, "catch-up after a key change", err, "the key of acct changed", "remove and install runway's triggers on acct again",
		"empty the change log and delete this catch-up's position")
	if _, err := RemoveTriggers(ctx, src, "change_log", []string{"acct"}); err != nil { // what the error says to do
		t.Fatal(err)
	}
	installT(t, src, []string{"acct"})
	execT(t, src, "DELETE FROM change_log")
	execT(t, dst, "DELETE FROM "+CatchupTable+" WHERE job = 'change_log'")
	if _, err := Verify(ctx, src, dst, VerifyOptions{Tables: []string{"acct"}, Repair: true}); err != nil {
		t.Fatal(err)
	}
	execT(t, src, "UPDATE acct SET note = 'b3' WHERE id = 2")
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatalf("after doing what the error said: %v", err)
	}
	verifyNoDiffs(t, src, dst, "acct")
}

// Tables a catch-up no longer replays are not held to their triggers: one
// left out of the list after its triggers were removed, and one dropped
// (both stopped every later run of the job, for good).
func TestCatchupLetsTablesGo(t *testing.T) {
	for _, how := range []string{"left out of the list", "dropped"} {
		t.Run(how, func(t *testing.T) {
			ctx := context.Background()
			src, dst := openMySQLT(t), openMySQLT(t)
			usersT(t, src, dst)
			execT(t, src, "CREATE TABLE items (id INT PRIMARY KEY, sku VARCHAR(20))", "INSERT INTO items VALUES (1, 'a')")
			copyT(t, src, dst, CopyOptions{Tables: []string{"items"}, Create: true})
			installT(t, src, []string{"items"})
			execT(t, src, "UPDATE users SET name = 'a1' WHERE id = 1", "UPDATE items SET sku = 'b' WHERE id = 1")
			if _, err := Catchup(ctx, src, dst, CatchupOptions{LogTable: "change_log", Tables: []string{"users", "items"}, Until: UntilDrained}); err != nil {
				t.Fatal(err)
			}
			if _, err := RemoveTriggers(ctx, src, "change_log", []string{"items"}); err != nil {
				t.Fatal(err)
			}
			opts := CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained}
			if how == "dropped" {
				execT(t, src, "DROP TABLE items")
				opts.Tables = nil
			}
			execT(t, src, "UPDATE users SET name = 'a2' WHERE id = 1")
			if _, err := Catchup(ctx, src, dst, opts); err != nil {
				t.Fatalf("catch-up without items: %v", err)
			}
			verifyNoDiffs(t, src, dst, "users")
		})
	}
}

// A column change found at a run's first check keeps what the run before
// knew: the next run still stops when the triggers go (the set-back
// position was stored without it, and a later swap went unnoticed).
func TestCatchupFirstCheckChangeKeepsWhatWasSeen(t *testing.T) {
	ctx := context.Background()
	src, dst := openMySQLT(t), openMySQLT(t)
	usersT(t, src, dst)
	execT(t, src, "UPDATE users SET name = 'a1' WHERE id = 1")
	opts := CatchupOptions{LogTable: "change_log", Tables: []string{"users"}, Until: UntilDrained}
	if _, err := Catchup(ctx, src, dst, opts); err != nil {
		t.Fatal(err)
	}
	altered := false
	second := opts
	second.Progress = func(p Progress) { // between the tables' set-up and the first check
		if !altered && strings.Contains(p.Note, "started at") {
			altered = true
			execT(t, src, "ALTER TABLE users ADD COLUMN email VARCHAR(40) NULL")
			execT(t, dst, "ALTER TABLE users ADD COLUMN email VARCHAR(40) NULL")
		}
	}
	_, err := Catchup(ctx, src, dst, second)
	refusedWith(t, "the run that saw the column added", err, "the columns of users in", "email added")
	execT(t, src, "CREATE TABLE users_new (id INT PRIMARY KEY, name VARCHAR(20), email VARCHAR(40))", "INSERT INTO users_new SELECT * FROM users",
		"RENAME TABLE users TO _users_del, users_new TO users", "DROP TABLE _users_del", "UPDATE users SET name = 'b2' WHERE id = 2")
	_, err = Catchup(ctx, src, dst, opts)
	refusedWith(t, "after the triggers went", err, "does not log its changes")
}
