package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sanctuary-platform/sanctuary"
)

// Keyring wraps and unwraps the instance secrets the store keeps (see
// secrets.go): the instance's vault key does it (vault.Key). It is the
// store's one dependency on keys.
type Keyring interface {
	WrapSecret(secret []byte) ([]byte, error)
	UnwrapSecret(wrapped []byte) ([]byte, error)
}

// ErrKeyDestroyed is returned when client data of a case whose key was
// destroyed (shredded) is read.
var ErrKeyDestroyed = &sanctuary.Error{Code: sanctuary.ECONFLICT,
	Message: "the case's key was destroyed: its client data can no longer be read"}

// sealVersion starts every sealed value: XChaCha20-Poly1305 under the case's
// data key, with a random nonce, bound to the case.
const sealVersion = 1

// seal encodes v as JSON and seals it for the case.
func (tx *Tx) seal(ctx context.Context, caseID int64, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode: %w", err)
	}
	return tx.sealBytes(ctx, caseID, b)
}

// open unseals data of the case and decodes its JSON into v.
func (tx *Tx) open(ctx context.Context, caseID int64, sealed []byte, v any) error {
	b, err := tx.openBytes(ctx, caseID, sealed)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode sealed data of case %d: %w", caseID, err)
	}
	return nil
}

// sealBytes encrypts client data of a case with its data key, making the
// key on first use.
func (tx *Tx) sealBytes(ctx context.Context, caseID int64, plaintext []byte) ([]byte, error) {
	aead, err := tx.dataKey(ctx, caseID, true)
	if err != nil {
		return nil, err
	}
	return seal(aead, caseAD(caseID), plaintext)
}

// seal encrypts one value: version ‖ random nonce ‖ ciphertext, bound to
// ad.
func seal(aead aeadCipher, ad, plaintext []byte) ([]byte, error) {
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1:], plaintext, ad), nil
}

// openBytes decrypts client data of a case. It returns ErrKeyDestroyed if
// the case's key was destroyed.
func (tx *Tx) openBytes(ctx context.Context, caseID int64, sealed []byte) ([]byte, error) {
	aead, err := tx.dataKey(ctx, caseID, false)
	if err != nil {
		return nil, err
	}
	p, err := unseal(aead, caseAD(caseID), sealed)
	if err != nil {
		return nil, fmt.Errorf("store: sealed data of case %d %w", caseID, err)
	}
	return p, nil
}

var (
	errMalformed = errors.New("is malformed")
	errNoOpen    = errors.New("does not open (tampered, or moved from another case)")
)

// unseal checks and decrypts one value sealed for ad.
func unseal(aead aeadCipher, ad, sealed []byte) ([]byte, error) {
	n := 1 + aead.NonceSize()
	if len(sealed) < n+aead.Overhead() || sealed[0] != sealVersion {
		return nil, errMalformed
	}
	p, err := aead.Open(nil, sealed[1:n], sealed[n:], ad)
	if err != nil {
		return nil, errNoOpen
	}
	return p, nil
}

// caseAD binds a sealed value to its case, so that it cannot be moved to
// another case's row.
func caseAD(caseID int64) []byte { return []byte("sanctuary/case/" + strconv.FormatInt(caseID, 10)) }

// keyAD binds a wrapped data key to its case.
// keyWrapper is the AEAD that wraps the case data keys, under the
// instance's case-key-wrapping secret.
// dataKey returns the case's data key as an AEAD: from this transaction's
// cache, else read and unwrapped, else,
// when create is set and the case has none, a new one.
// loadKeys reads the data keys of the cases into the transaction's cache
// (nil for a destroyed key). Readers call it before they iterate over rows,
// because a PostgreSQL connection runs one query at a time.
// DestroyDataKey destroys the case's data key: its client data in the
// database can no longer be read, by anyone.
// timeArg is the transaction's time as the dialect stores it.
func (tx *Tx) timeArg() any { return tx.db.dialect.timeArg(tx.now) }

// timeValue is any time as the dialect stores it.
func (tx *Tx) timeValue(t time.Time) any { return tx.db.dialect.timeArg(t) }
