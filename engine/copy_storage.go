package engine

import (
	"context"
	"fmt"
	"time"
)

// StorageTable is the table on the TARGET where a copy records the storage
// ids of each table it copied (see catchup_guard_storage.go): the source's
// as the copy began, the target's once it was done, by source database
// (several may be copied into one target) and table. A catch-up that has
// no ids of its own for a table yet holds it to these, so that a TRUNCATE
// between the copy and the catch-up's first run is seen too.
const StorageTable = "_runway_storage"

// sourceStorage is the storage id of the copied table on the source, ""
// when the source has none or hides it.
func (tc *tableCopy) sourceStorage(ctx context.Context) string {
	ids, err := tc.src.dialect.storageIDs(ctx, tc.src, []string{tc.st.Name})
	if err != nil {
		return ""
	}
	return ids[tc.st.Name]
}

// startStorage is the source table's storage id as this copy of it began.
// A copy resumed after a stop keeps the id recorded when it began: a
// TRUNCATE while it was stopped emptied rows it had already written, which
// the resumed copy never reads again, and the catch-up is to see it. So does
// a copy into a target holding rows of an earlier one (waves by filter, or
// a copy begun again): a TRUNCATE between them emptied those rows on the
// source. A copy beginning now into an empty target records now's ids at
// once, for a resume to find.
func (tc *tableCopy) startStorage(ctx context.Context, resumed bool) (string, error) {
	now := tc.sourceStorage(ctx)
	if now == "" {
		return "", nil
	}
	if resumed {
		if was, ok, err := copiedStorage(ctx, tc.dst, tc.src, tc.st.Name); err == nil && ok && was.src != "" {
			return was.src, nil
		}
	}
	ids := storeIDs{src: now}
	if got, err := tc.dst.dialect.storageIDs(ctx, tc.dst, []string{tc.dt.Name}); err == nil {
		ids.dst = got[tc.dt.Name]
	}
	return now, retrySetup(ctx, tc.opts.RetryFor, func() error { return saveStorage(ctx, tc.dst, tc.src, tc.st.Name, ids) })
}

// recordStorage records the table's storage ids on the target once it is
// copied: the source's as the copy began, the target's now, after its
// indexes (a FULLTEXT index rebuilds an InnoDB table).
func (tc *tableCopy) recordStorage(ctx context.Context, srcID string) error {
	ids := storeIDs{src: srcID}
	if got, err := tc.dst.dialect.storageIDs(ctx, tc.dst, []string{tc.dt.Name}); err == nil {
		ids.dst = got[tc.dt.Name]
	}
	if ids == (storeIDs{}) {
		return nil
	}
	return retrySetup(ctx, tc.opts.RetryFor, func() error { return saveStorage(ctx, tc.dst, tc.src, tc.st.Name, ids) })
}

// storageSource names a source database in StorageTable: a digest of where
// it is (no secrets in it either way).
func storageSource(src *DB) string { return digest(src.ident) }

// saveStorage writes the storage ids of src's table into d's StorageTable.
func saveStorage(ctx context.Context, d, src *DB, table string, ids storeIDs) error {
	if _, err := d.db.ExecContext(ctx, d.dialect.sql().storageTable); err != nil {
		return fmt.Errorf("create %s in %s: %w", StorageTable, d, err)
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000000")
	q := "INSERT INTO " + d.Quote(StorageTable) + " (source, tbl, ids, updated_at) VALUES (?, ?, ?, ?)" +
		upsertSuffix(d, []string{"source", "tbl"}, []string{"ids", "updated_at"})
	if _, err := d.db.ExecContext(ctx, d.dialect.bind(q), storageSource(src), table, ids.text(), now); err != nil {
		return fmt.Errorf("record the storage of %s in %s: %w", table, d, err)
	}
	return nil
}

// copiedStorage is the storage ids the last copy of src's table into d
// recorded; ok is false when none did.
func copiedStorage(ctx context.Context, d, src *DB, table string) (ids storeIDs, ok bool, err error) {
	exists, err := d.Exists(ctx, StorageTable)
	if err != nil || !exists {
		return ids, false, err
	}
	var text string
	err = d.db.QueryRowContext(ctx, d.dialect.bind("SELECT ids FROM "+d.Quote(StorageTable)+" WHERE source = ? AND tbl = ?"),
		storageSource(src), table).Scan(&text)
	if isNoRows(err) {
		return ids, false, nil
	}
	if err != nil {
		return ids, false, fmt.Errorf("read %s in %s: %w", StorageTable, d, err)
	}
	return parseStoreIDs(text), true, nil
}
