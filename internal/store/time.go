package store

import (
	"fmt"
	"time"
)

// timeCol scans a time column of either dialect: integer microseconds in
// SQLite, timestamptz in PostgreSQL; NULL scans as the zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil: // a NULL time is the zero time
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("store: cannot scan %T into a time", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("store: bad time %q: %w", s, err)
	}
	*c.t = t.UTC()
	return nil
}

// nullTimeArg is t as the dialect stores it, or NULL for the zero time.
func (tx *Tx) nullTimeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return tx.db.dialect.timeArg(t)
}
