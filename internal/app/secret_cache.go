package app

import (
	"crypto/sha256"
	"sync"

	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// maxCachedSecrets bounds the opened evidence descriptions kept in memory.
const maxCachedSecrets = 50_000

// secretCache keeps the opened descriptions of evidence items (title,
// origin, file name), so that a case page with a hundred items does not
// decrypt a hundred age files each time. It is keyed by case and by the
// hash of the sealed bytes, so an edited description is opened afresh,
// and it is consulted only after the case key was found to exist: a
// destroyed key still makes the items unreadable, and shredding a case
// drops its entries. The process that holds the vault key could open
// every item anyway, so the cache adds no reader.
type secretCache struct {
	mu    sync.Mutex
	n     int
	cases map[int64]map[[32]byte]evidence.Secret
}

func (c *secretCache) get(caseID int64, sealed []byte) (evidence.Secret, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.cases[caseID][sha256.Sum256(sealed)]
	return s, ok
}

func (c *secretCache) put(caseID int64, sealed []byte, s evidence.Secret) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cases == nil || c.n >= maxCachedSecrets {
		c.cases, c.n = map[int64]map[[32]byte]evidence.Secret{}, 0
	}
	m := c.cases[caseID]
	if m == nil {
		m = map[[32]byte]evidence.Secret{}
		c.cases[caseID] = m
	}
	m[sha256.Sum256(sealed)] = s
	c.n++
}

// forget drops a case's entries (its key was destroyed).
func (c *secretCache) forget(caseID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n -= len(c.cases[caseID])
	delete(c.cases, caseID)
}
