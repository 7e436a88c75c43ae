package checks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"runway/runbook"
	"runway/runbook/text"
)

// sqlCheck runs a query and compares its first value, or executes a statement.
type sqlCheck struct {
	conn, query, expect, exec string
}

func newSQL(s *runbook.SQL) (runner, error) {
	switch {
	case s.Conn == "":
		return nil, fmt.Errorf("conn is empty")
	case s.Query == "" && s.Exec == "":
		return nil, fmt.Errorf("needs query or exec")
	case s.Query != "" && s.Exec != "":
		return nil, fmt.Errorf("has both query and exec")
	case s.Exec != "" && s.Expect != "":
		return nil, fmt.Errorf("expect applies to query, not exec")
	}
	if s.Expect != "" {
		if _, _, err := parseExpect(s.Expect); err != nil {
			return nil, fmt.Errorf("expect: %w", err)
		}
	}
	return &sqlCheck{conn: s.Conn, query: s.Query, expect: s.Expect, exec: s.Exec}, nil
}

func (c *sqlCheck) run(ctx context.Context, env Env) Result {
	if env.DB == nil {
		return Result{Summary: fmt.Sprintf("connection %s: no databases available", c.conn)}
	}
	db, err := env.DB(c.conn)
	if err != nil {
		return Result{Summary: connErr(c.conn, err).Error()}
	}
	if db == nil {
		return Result{Summary: fmt.Sprintf("connection %s: not open", c.conn)}
	}
	if c.exec != "" {
		return c.runExec(ctx, db)
	}
	return c.runQuery(ctx, db)
}

func (c *sqlCheck) runExec(ctx context.Context, db *sql.DB) Result {
	res, err := db.ExecContext(ctx, c.exec)
	if err != nil {
		return Result{Summary: fmt.Sprintf("exec on %s failed: %s", c.conn, errText(err))}
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Result{Passed: true, Summary: fmt.Sprintf("exec on %s ok", c.conn)}
	}
	return Result{Passed: true, Summary: fmt.Sprintf("exec on %s ok: %s affected", c.conn, text.Counts(n, "row"))}
}

func (c *sqlCheck) runQuery(ctx context.Context, db *sql.DB) Result {
	got, found, err := firstValue(ctx, db, isPostgres(db), c.query)
	switch {
	case err != nil:
		return Result{Summary: fmt.Sprintf("query on %s failed: %s", c.conn, errText(err))}
	case !found && c.expect == "":
		return Result{Passed: true, Summary: "query ran: no rows"}
	case !found:
		return Result{Summary: fmt.Sprintf("no rows, expected %s", c.expect)}
	case c.expect == "":
		return Result{Passed: true, Summary: "query ran: first value " + show(got), Output: got}
	}
	ok, why, err := CompareValue(got, c.expect)
	if err != nil { // checked in newSQL; kept so a bad expectation can never pass
		return Result{Summary: fmt.Sprintf("expect: %v", err)}
	}
	return Result{Passed: ok, Summary: "first value " + why, Output: got}
}

// queryer runs a query on a database or in a transaction (a guard's).
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// firstValue reads the first column of the first row as text; NULL reads as
// "NULL". PostgreSQL values (pg) read as the server's text cast prints them
// (pgText). found is false when the query returned no rows.
func firstValue(ctx context.Context, q queryer, pg bool, query string) (value string, found bool, err error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return "", false, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", false, err
	}
	if len(cols) == 0 {
		return "", false, errors.New("query returns no columns")
	}
	if !rows.Next() {
		return "", false, rows.Err()
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", false, err
	}
	if pg {
		types, err := rows.ColumnTypes()
		if err != nil {
			return "", false, err
		}
		return pgText(vals[0], types[0].DatabaseTypeName()), true, nil
	}
	return asText(vals[0]), true, nil
}

// asText writes a scanned value the way the database would print it.
func asText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case time.Time:
		if x.Nanosecond() == 0 {
			return x.Format(time.DateTime)
		}
		return x.Format("2006-01-02 15:04:05.999999")
	}
	return fmt.Sprint(v)
}

// connErr names the connection an error is about, unless the error
// already does (the executor's own errors say "connection NAME: …").
func connErr(conn string, err error) error {
	if strings.HasPrefix(err.Error(), "connection "+conn+": ") {
		return err
	}
	return fmt.Errorf("connection %s: %w", conn, err)
}
