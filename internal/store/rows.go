package store

import (
	"context"
	"fmt"
)

// queryAll runs a query and scans every row with scan, in order. what
// names the rows in errors ("list sessions"). It reads all rows before it
// returns, so the caller may query again at once (a PostgreSQL connection
// runs one query at a time).
func queryAll[T any](ctx context.Context, tx *Tx, what, q string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}
