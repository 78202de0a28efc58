package store

import (
	"strconv"
	"strings"
	"time"
)

// dialect is everything that differs between SQLite and PostgreSQL outside
// the migration files.
type dialect struct {
	name string
	// dollar: PostgreSQL numbers its placeholders ($1, $2); SQLite takes ?.
	dollar bool
	// microTime: SQLite keeps times as integer microseconds since 1970
	// (UTC), which sort and read fastest; PostgreSQL has timestamptz.
	microTime bool
	// lockMigrations is run first in each migration transaction so that
	// two servers starting together do not migrate twice.
	lockMigrations string
	// tableExists counts the tables of the current schema with a name.
	tableExists string
	// forUpdate ends a SELECT that locks its rows until the transaction
	// ends; SQLite needs none, its write transactions hold the whole
	// database.
	forUpdate string
	// skipLocked ends a SELECT that locks its rows like forUpdate but
	// passes over rows another transaction holds, instead of waiting.
	skipLocked string
	// lock takes a named lock held until the transaction ends; see
	// Tx.Lock. SQLite needs none: its write transactions exclude each
	// other.
	lock string
}

var (
	dialectSQLite = dialect{name: "sqlite", microTime: true,
		tableExists: `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`}
	dialectPostgres = dialect{name: "postgres", dollar: true,
		lockMigrations: "SELECT pg_advisory_xact_lock(hashtext(current_schema()))",
		forUpdate:      " FOR UPDATE",
		skipLocked:     " FOR UPDATE SKIP LOCKED",
		lock:           "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/' || ?))",
		tableExists: `SELECT COUNT(*) FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name = ?`}
)

// rebind turns the ? placeholders of a query into $1, $2 ... where the
// dialect needs it. Queries in this package never contain a literal '?'.
func (d dialect) rebind(q string) string {
	if !d.dollar || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// timeLayout is the text form of the time a migration was applied.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// timeArg converts t into the value the dialect stores.
func (d dialect) timeArg(t time.Time) any {
	t = t.UTC()
	if d.microTime {
		return t.UnixMicro()
	}
	return t
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
