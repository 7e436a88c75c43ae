package engine

import (
	"context"
	"database/sql"
	"fmt"
)

// showCreateTable reads SHOW CREATE TABLE of name. A view answers it with
// four columns instead of two: that is said in a sentence, not as a scan
// error.
func showCreateTable(ctx context.Context, d *DB, name string) (string, error) {
	rows, err := d.db.QueryContext(ctx, "SHOW CREATE TABLE "+quoteMySQL(name))
	if err != nil {
		return "", fmt.Errorf("read definition of %s in %s: %w", name, d, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", fmt.Errorf("read definition of %s in %s: %w", name, d, err)
	}
	if len(cols) != 2 || cols[1] != "Create Table" {
		return "", fmt.Errorf("%s in %s is a view, not a base table: copy its base tables", name, d)
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", fmt.Errorf("read definition of %s in %s: %w", name, d, err)
		}
		return "", fmt.Errorf("read definition of %s in %s: %w", name, d, sql.ErrNoRows)
	}
	var tn, create string
	if err := rows.Scan(&tn, &create); err != nil {
		return "", fmt.Errorf("read definition of %s in %s: %w", name, d, err)
	}
	return create, rows.Err()
}
