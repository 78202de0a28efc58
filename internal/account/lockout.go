package account

import "time"

// The brute-force policy.
const (
	// AccountFailures failed sign-ins in a row lock the account.
	AccountFailures = 5
	// AccountLock is the first lock; each further AccountFailures double
	// it, up to MaxAccountLock.
	AccountLock    = 15 * time.Minute
	MaxAccountLock = 24 * time.Hour
	// AddressFailures failed sign-ins from one address within
	// AddressWindow refuse that address until the window has passed.
	AddressFailures = 20
	AddressWindow   = 15 * time.Minute
)

// LockAfter returns until when an account is locked when its count of
// attempts in a row reaches failures: at every multiple of
// AccountFailures, for AccountLock, doubling each time up to
// MaxAccountLock; otherwise the zero time (no lock).
func LockAfter(failures int, now time.Time) time.Time {
	if failures < AccountFailures || failures%AccountFailures != 0 {
		return time.Time{}
	}
	d := AccountLock
	for n := failures/AccountFailures - 1; n > 0 && d < MaxAccountLock; n-- {
		d *= 2
	}
	return now.Add(min(d, MaxAccountLock))
}
