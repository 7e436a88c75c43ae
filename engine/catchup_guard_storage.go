package engine

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Why a catch-up watches each table's storage: TRUNCATE empties a table
// without firing a row trigger, so nothing is logged and the target keeps
// every row the source lost. MySQL and PostgreSQL give a truncated table new
// storage (InnoDB's table id, the relfilenode). So do OPTIMIZE TABLE, ALTER
// TABLE … FORCE, VACUUM FULL and CLUSTER, which keep the rows; the two
// cannot be told apart from here, so either stops the catch-up once, and
// verify tells which it was.

// errStorageHidden is a storage id the server does not show this user.
var errStorageHidden = errors.New("storage id hidden")

// storeIDs are a table's storage ids on both sides, "" where unknown.
type storeIDs struct{ src, dst string }

// text is the ids as stored: "source/target", "-" for unknown.
func (s storeIDs) text() string { return orDash(s.src) + "/" + orDash(s.dst) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// parseStoreIDs reads text back.
func parseStoreIDs(text string) storeIDs {
	a, b, _ := strings.Cut(text, "/")
	return storeIDs{src: strings.TrimPrefix(a, "-"), dst: strings.TrimPrefix(b, "-")}
}

// readStores reads the storage ids of tables on both sides.
func (c *catchup) readStores(ctx context.Context, tables []*catchupTable) ([]storeIDs, error) {
	srcNames, dstNames := make([]string, len(tables)), make([]string, len(tables))
	for i, t := range tables {
		srcNames[i], dstNames[i] = t.st.Name, t.dt.Name
	}
	src, err := c.storageIDs(ctx, c.src, srcNames)
	if err != nil {
		return nil, err
	}
	dst, err := c.storageIDs(ctx, c.dst, dstNames)
	if err != nil {
		return nil, err
	}
	out := make([]storeIDs, len(tables))
	for i := range tables {
		out[i] = storeIDs{src: src[srcNames[i]], dst: dst[dstNames[i]]}
	}
	return out, nil
}

// storageIDs are the storage ids of tables on d, none when d hides them;
// a server that hides them is noted once per run.
func (c *catchup) storageIDs(ctx context.Context, d *DB, tables []string) (map[string]string, error) {
	if len(tables) == 0 {
		return nil, nil
	}
	ids, err := d.dialect.storageIDs(ctx, d, tables)
	if errors.Is(err, errStorageHidden) {
		if !c.storageHiddenNoted {
			c.storageHiddenNoted = true
			c.note(fmt.Sprintf("a TRUNCATE in %s is not watched: reading InnoDB's table ids needs the PROCESS privilege", d))
		}
		return nil, nil
	}
	return ids, err
}

// storeWatch is a table whose storage is watched: its names on both sides
// ("" for a target not known yet) and its ids now.
type storeWatch struct {
	src, dst string
	now      storeIDs
}

// watched are the set-up tables with their ids now, then the tables
// waiting to be set up with their source's.
func (c *catchup) watched(tables []*catchupTable, now []storeIDs, waiting []string, waitIDs map[string]string) []storeWatch {
	out := make([]storeWatch, 0, len(tables)+len(waiting))
	for i, t := range tables {
		out = append(out, storeWatch{src: t.st.Name, dst: t.dt.Name, now: now[i]})
	}
	for _, name := range waiting {
		out = append(out, storeWatch{src: name, now: storeIDs{src: waitIDs[name]}})
	}
	return out
}

// waiting lists the tables that runway's triggers log and this catch-up
// replays but has not set up yet, as a catch-up without a tables list sets
// a table up only when it reads its first change. Their source's storage
// is watched from the first check on, so that a TRUNCATE before that
// change is not taken for the table as it always was.
func (c *catchup) waiting(tables []*catchupTable, trs []logTrigger) []string {
	if len(c.opts.Tables) > 0 {
		return nil // every table is set up at the start
	}
	seen := map[string]bool{}
	for _, t := range tables {
		seen[strings.ToLower(t.st.Name)] = true
	}
	var out []string
	for _, tr := range trs {
		if !seen[strings.ToLower(tr.table)] && c.wanted(tr.table) {
			seen[strings.ToLower(tr.table)] = true
			out = append(out, tr.table)
		}
	}
	return out
}

// wasStored is table's storage ids at the last check, this run's or the
// run before; for a table no check has seen, or a side no check knew (the
// target of a table still waiting to be set up), those the copy into the
// target recorded (see copy_storage.go), so that a TRUNCATE between the
// copy and the first catch-up that sees it is seen.
func (c *catchup) wasStored(table string) storeIDs {
	copied := c.copied[table]
	if text, ok := c.state.tables.Stores[storedName(c.state.tables.Stores, table)]; ok {
		was := parseStoreIDs(text)
		return storeIDs{src: cmp.Or(was.src, copied.src), dst: cmp.Or(was.dst, copied.dst)}
	}
	return copied
}

// knownBoth reports whether a check stored table's ids on both sides.
func (c *catchup) knownBoth(table string) bool {
	text, ok := c.state.tables.Stores[storedName(c.state.tables.Stores, table)]
	if !ok {
		return false
	}
	was := parseStoreIDs(text)
	return was.src != "" && was.dst != ""
}

// readCopied reads, once per run, what copies recorded of the tables that
// no check has seen on both sides yet.
func (c *catchup) readCopied(ctx context.Context, tables []*catchupTable, waiting []string) error {
	names := slices.Clone(waiting)
	for _, t := range tables {
		names = append(names, t.st.Name)
	}
	for _, name := range names {
		if c.knownBoth(name) {
			continue
		}
		if _, read := c.copied[name]; read {
			continue
		}
		ids, _, err := copiedStorage(ctx, c.dst, c.src, name)
		if err != nil {
			return err
		}
		if c.copied == nil {
			c.copied = map[string]storeIDs{}
		}
		c.copied[name] = ids
	}
	return nil
}

// storesSame stops on the first table whose storage changed on either side
// since the last check, this run's or the run before. The new ids are
// stored first, so the run after a verify goes on from here.
func (c *catchup) storesSame(ctx context.Context, watched []storeWatch) error {
	for _, w := range watched {
		was := c.wasStored(w.src)
		side, name := "", ""
		switch {
		case was.src != "" && w.now.src != "" && was.src != w.now.src:
			side, name = "source", w.src
		case was.dst != "" && w.now.dst != "" && was.dst != w.now.dst:
			side, name = "target", w.dst
		default:
			continue
		}
		if err := c.storeOnly(ctx, w.src, w.now); err != nil {
			return fmt.Errorf("%w (and storing that failed: %v)", storageChanged(c.opts.LogTable, name, side), err)
		}
		return storageChanged(c.opts.LogTable, name, side)
	}
	return nil
}

// storageChanged is the error of a table truncated or rebuilt on side.
func storageChanged(logTable, table, side string) error {
	lost := "the target may still hold rows the source no longer has"
	if side == "target" {
		lost = "if it was emptied, the rows written into it are gone"
	}
	return fmt.Errorf("catch-up %s: %s on the %s was truncated or rebuilt since the catch-up last checked it "+
		"(TRUNCATE, OPTIMIZE TABLE, ALTER TABLE … FORCE, VACUUM FULL and CLUSTER give a table new storage), "+
		"and no trigger logs a TRUNCATE: %s; compare them with verify --repair, then run the catch-up again, which goes on from here",
		logTable, table, side, lost)
}

// storeOnly records table's new storage ids in the stored position, and
// nothing else of this run: the stored position stays the last one written
// with its batch. Before the first position is stored, they go where a
// copy records them, which the next run reads then.
func (c *catchup) storeOnly(ctx context.Context, table string, ids storeIDs) error {
	s, ok, err := loadCatchupState(ctx, c.dst, c.opts.Job)
	if err != nil {
		return err
	}
	if !ok {
		was, _, err := copiedStorage(ctx, c.dst, c.src, table)
		if err != nil {
			return err
		}
		return saveStorage(ctx, c.dst, c.src, table, storeIDs{src: cmp.Or(ids.src, was.src), dst: cmp.Or(ids.dst, was.dst)})
	}
	s.tables.Stores = withStore(s.tables.Stores, table, ids)
	return saveCatchupState(ctx, c.dst, c.dst.db, c.opts.Job, s)
}

// storesSeen are the watched tables' storage ids as now, by name, and those
// stored for tables not watched in this run (yet).
func (c *catchup) storesSeen(watched []storeWatch) map[string]string {
	out := make(map[string]string, len(watched))
	for name, ids := range c.state.tables.Stores {
		out[name] = ids
	}
	for _, w := range watched {
		out = withStore(out, w.src, w.now)
	}
	return out
}

// withStore sets table's ids in stores, under the name the source spells;
// a side not known now keeps the id stored for it.
func withStore(stores map[string]string, table string, ids storeIDs) map[string]string {
	if stores == nil {
		stores = map[string]string{}
	}
	name := storedName(stores, table)
	was := parseStoreIDs(stores[name])
	if ids.src == "" {
		ids.src = was.src
	}
	if ids.dst == "" {
		ids.dst = was.dst
	}
	delete(stores, name)
	if ids != (storeIDs{}) {
		stores[table] = ids.text()
	}
	return stores
}

// storageRows reads (name, id) rows into a map.
func storageRows(rows *sql.Rows, err error, d *DB) (map[string]string, error) {
	if err != nil {
		return nil, fmt.Errorf("read the storage ids of tables in %s: %w", d, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			return nil, fmt.Errorf("read the storage ids of tables in %s: %w", d, err)
		}
		out[name] = strconv.FormatInt(id, 10)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the storage ids of tables in %s: %w", d, err)
	}
	return out, nil
}

// repairStop is a stop whose way on repairs table with verify --repair:
// whatever renewed its storage meanwhile is then repaired too.
type repairStop struct {
	table string
	err   error
}

func (e *repairStop) Error() string { return e.err.Error() }
func (e *repairStop) Unwrap() error { return e.err }

func repairFirst(table string, err error) error { return &repairStop{table: table, err: err} }

// renewAfter records, for a stop that repairs its table, the table's
// storage ids as they are now, both in the stored position and where a
// copy records them (the way on may delete the position): a table swapped
// by RENAME, or rebuilt with a new key, has new storage, and the run after
// the repair would stop once more for it.
func (c *catchup) renewAfter(ctx context.Context, err error) error {
	var rs *repairStop
	if !errors.As(err, &rs) {
		return err
	}
	srcName, dstName := rs.table, ""
	for _, t := range c.replayed() {
		if strings.EqualFold(t.st.Name, rs.table) {
			srcName, dstName = t.st.Name, t.dt.Name
		}
	}
	var ids storeIDs
	if got, rerr := c.storageIDs(ctx, c.src, []string{srcName}); rerr == nil {
		ids.src = got[srcName]
	}
	if dstName != "" {
		if got, rerr := c.storageIDs(ctx, c.dst, []string{dstName}); rerr == nil {
			ids.dst = got[dstName]
		}
	}
	if ids == (storeIDs{}) {
		return err
	}
	if serr := c.storeOnly(ctx, srcName, ids); serr != nil {
		return fmt.Errorf("%w (and storing the table's storage failed: %v)", err, serr)
	}
	if serr := saveStorage(ctx, c.dst, c.src, srcName, ids); serr != nil {
		return fmt.Errorf("%w (and storing the table's storage failed: %v)", err, serr)
	}
	return err
}
