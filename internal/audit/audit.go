// Package audit is the domain of the audit trail: who read or changed
// client data, when, and whether they were allowed to. Entries form a hash
// chain — each entry's hash covers the one before — so that an entry
// changed, removed or inserted afterwards breaks every hash after it; the
// chain's head is anchored in the custody log, whose signed checkpoints
// nobody can rewrite. Entries name people and objects, never client data.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Outcomes of an access.
const (
	Allowed = "allowed"
	Denied  = "denied"
)

// Entry is one access.
type Entry struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Role    string    `json:"role"`
	Via     string    `json:"via"`
	Action  string    `json:"action"`
	Outcome string    `json:"outcome"`
	CaseRef string    `json:"case,omitempty"`
	Object  string    `json:"object,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	Hash    string    `json:"hash"`
}

// domain starts every hashed entry.
const domain = "sanctuary-audit/v1"

// ComputeHash is the hash of the entry chained to the previous entry's
// hash ("" for the first): SHA-256 over the domain tag, the previous hash
// and every field but Hash, each length-prefixed so that no two entries
// encode alike.
func (e Entry) ComputeHash(prev string) string {
	h := sha256.New()
	for _, f := range []string{domain, prev, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.Role, e.Via, e.Action, e.Outcome, e.CaseRef, e.Object, e.Detail} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Anchor is a chain head recorded in the custody log.
type Anchor struct {
	Seq      int64     `json:"seq"`
	Hash     string    `json:"hash"`
	LogIndex int64     `json:"log_index"`
	At       time.Time `json:"at"`
}
