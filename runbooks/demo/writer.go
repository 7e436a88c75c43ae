package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultRate is how many changes per second the background writer makes:
// enough for the catch-up to have live work, little enough to converge.
const DefaultRate = 30

// WriterStats counts what the background writer did.
type WriterStats struct {
	Inserted, Updated, Deleted int64
	Err                        error // why it stopped early, if it did
}

// Changes is the total number of changes written.
func (s WriterStats) Changes() int64 { return s.Inserted + s.Updated + s.Deleted }

// Writer is the legacy application's traffic during the demo: it inserts,
// updates and deletes orders of the merchants outside the pilot slices, so
// the pilot verifications see a still picture while the full migration has
// to chase live changes. It stops writing for good once the READONLY file
// exists (the cut-over step creates it), and removes writer.pid then, which
// is how the cut-over step knows the legacy side is quiet.
type Writer struct {
	l      Layout
	cancel context.CancelFunc
	done   chan struct{}

	mu    sync.Mutex
	stats WriterStats
}

// StartWriter starts the background writer on the demo's legacy database at
// rate changes per second. It does nothing if the folder is already read-only.
func StartWriter(l Layout, rate int, seed uint64) (*Writer, error) {
	if rate <= 0 {
		rate = DefaultRate
	}
	w := &Writer{l: l, done: make(chan struct{})}
	if _, err := os.Stat(l.ReadOnly); err == nil {
		close(w.done)
		return w, nil
	}
	db, err := Open(l.Legacy)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := os.WriteFile(l.Writer, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		db.Close()
		return nil, fmt.Errorf("write %s: %w", l.Writer, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	go w.run(ctx, db, rate, seed)
	return w, nil
}

// Stop stops the writer, waits for its last change to commit, and returns
// what it did. It is safe to call more than once.
func (w *Writer) Stop() WriterStats {
	if w.cancel != nil {
		w.cancel()
	}
	<-w.done
	return w.Stats()
}

// Done is closed once the writer has stopped for good.
func (w *Writer) Done() <-chan struct{} { return w.done }

// Stats returns what the writer has done so far.
func (w *Writer) Stats() WriterStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

func (w *Writer) run(ctx context.Context, db *sql.DB, rate int, seed uint64) {
	defer close(w.done)
	defer os.Remove(w.l.Writer)
	defer db.Close()
	r := rand.New(rand.NewPCG(seed, uint64(time.Now().UnixNano())))
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	sc, err := writerScope(ctx, db)
	if err != nil {
		w.fail(err)
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		// The READONLY check and the change share one write transaction, and
		// writer.pid goes only once the loop has ended: when the cut-over
		// step sees writer.pid gone, the last change has committed.
		stop, err := w.change(ctx, db, r, &sc)
		if err != nil {
			if ctx.Err() == nil {
				w.fail(err)
			}
			return
		}
		if stop {
			return
		}
	}
}

func (w *Writer) fail(err error) {
	w.mu.Lock()
	w.stats.Err = err
	w.mu.Unlock()
}

// scope is what the writer writes to: the merchants of the last wave, the
// users an order may belong to, and the highest order id so far.
type scope struct {
	merchants []int
	users     int
	maxID     int64
}

func writerScope(ctx context.Context, db *sql.DB) (scope, error) {
	var sc scope
	rows, err := db.QueryContext(ctx, "SELECT id FROM merchants WHERE wave = 3 ORDER BY id")
	if err != nil {
		return sc, fmt.Errorf("read merchants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return sc, fmt.Errorf("read merchants: %w", err)
		}
		sc.merchants = append(sc.merchants, id)
	}
	if err := rows.Err(); err != nil {
		return sc, fmt.Errorf("read merchants: %w", err)
	}
	var users, maxID sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT (SELECT MAX(id) FROM users), (SELECT MAX(id) FROM orders)").Scan(&users, &maxID); err != nil {
		return sc, fmt.Errorf("read orders: %w", err)
	}
	sc.users, sc.maxID = int(users.Int64), maxID.Int64
	if len(sc.merchants) == 0 || sc.users == 0 || sc.maxID == 0 {
		return sc, errors.New("legacy database has no merchants, users or orders to write for")
	}
	return sc, nil
}

// change makes one change in its own transaction, unless the folder has
// become read-only, in which case it reports stop.
func (w *Writer) change(ctx context.Context, db *sql.DB, r *rand.Rand, sc *scope) (stop bool, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	// BEGIN IMMEDIATE takes the write lock before the READONLY check.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return false, fmt.Errorf("begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if _, err := os.Stat(w.l.ReadOnly); err == nil {
		return true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	merchant := sc.merchants[r.IntN(len(sc.merchants))]
	now := time.Now().UTC().Format(timeLayout)
	var kind *int64
	var res sql.Result
	switch n := r.IntN(20); {
	case n < 7: // a new order
		sc.maxID++
		row := orderRow(r, int(sc.maxID), Shape{Users: sc.users, Merchants: 1})
		row[2], row[6], row[7] = merchant, now, now
		res, err = conn.ExecContext(ctx, "INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?)", row...)
		kind = &w.stats.Inserted
	case n < 17: // a status or amount change on an existing order
		res, err = conn.ExecContext(ctx, `UPDATE orders SET status = ?, amount = ?, note = ?, updated_at = ?
			WHERE id = (SELECT id FROM orders WHERE merchant_id = ? AND id >= ? ORDER BY id LIMIT 1)`,
			statuses[r.IntN(len(statuses))], amount(r), note(r), now, merchant, 1+r.Int64N(sc.maxID))
		kind = &w.stats.Updated
	default: // an order removed
		res, err = conn.ExecContext(ctx, `DELETE FROM orders
			WHERE id = (SELECT id FROM orders WHERE merchant_id = ? AND id >= ? ORDER BY id LIMIT 1)`,
			merchant, 1+r.Int64N(sc.maxID))
		kind = &w.stats.Deleted
	}
	if err != nil {
		return false, fmt.Errorf("write an order change: %w", err)
	}
	// A change once written is committed whole, even as Stop cancels ctx: a
	// COMMIT cut short by the cancel could land while its count did not.
	if _, err := conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		return false, fmt.Errorf("commit: %w", err)
	}
	committed = true
	// An update or delete aimed past the merchant's last order touches no
	// row: it is no change, and the change log has nothing for it either.
	if n, err := res.RowsAffected(); err == nil && n > 0 {
		w.mu.Lock()
		*kind++
		w.mu.Unlock()
	}
	return false, nil
}

// RunningWriter reports the process id of another live process whose
// background writer is running in the folder: a demo session is open there
// and the folder must not be rebuilt or resumed under it. A writer.pid left
// by a killed process is ignored.
func (l Layout) RunningWriter() (int, bool) {
	b, err := os.ReadFile(l.Writer)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 || pid == os.Getpid() {
		return 0, false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return 0, false
	}
	return pid, true
}
