package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// CaseKey is a case's age identity, unwrapped. It exists in memory only
// while the case's objects are being read.
type CaseKey struct {
	id *age.HybridIdentity
}

// NewCaseKey generates a new hybrid (ML-KEM-768 + X25519) case identity.
func NewCaseKey() (*CaseKey, error) {
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return nil, fmt.Errorf("vault: generate a case key: %w", err)
	}
	return &CaseKey{id: id}, nil
}

// Recipient is the public key objects of the case are encrypted to.
func (k *CaseKey) Recipient() string { return k.id.Recipient().String() }

// Fingerprint identifies the key without revealing it: the SHA-256 of
// its public key, in hex. The custody log records it when a key is shred.
func (k *CaseKey) Fingerprint() string { return Fingerprint(k.Recipient()) }

// Fingerprint is the fingerprint of a recipient string.
func Fingerprint(recipient string) string {
	sum := sha256.Sum256([]byte(recipient))
	return hex.EncodeToString(sum[:])
}

// Export returns the identity as an age identity file, which the stock
// age command accepts with -i.
func (k *CaseKey) Export(caseRef string) []byte {
	return []byte(fmt.Sprintf("# Sanctuary case key for %s: it opens every evidence object of the case.\n"+
		"# public key: %s\n%s\n", caseRef, k.Recipient(), k.id))
}

// Wrap encrypts the case identity to the vault key.
func (v *Key) Wrap(k *CaseKey) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, v.recipient)
	if err != nil {
		return nil, fmt.Errorf("vault: wrap the case key: %w", err)
	}
	if _, err := io.WriteString(w, k.id.String()); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unwrap decrypts a wrapped case identity with the vault key.
func (v *Key) Unwrap(wrapped []byte) (*CaseKey, error) {
	if len(wrapped) == 0 {
		return nil, ErrShredded
	}
	r, err := age.Decrypt(bytes.NewReader(wrapped), v.identity)
	if err != nil {
		return nil, fmt.Errorf("vault: unwrap the case key (is this the right vault key?): %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, 8<<10))
	if err != nil {
		return nil, fmt.Errorf("vault: unwrap the case key: %w", err)
	}
	id, err := age.ParseHybridIdentity(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("vault: the wrapped case key is damaged: %w", err)
	}
	return &CaseKey{id: id}, nil
}

// Recipient is the vault key's public key, for the operator.
func (v *Key) Recipient() string {
	if s, ok := v.recipient.(fmt.Stringer); ok {
		return s.String()
	}
	return "(passphrase)"
}

// SealTo encrypts a small secret to a case's recipient: only the case key
// opens it, so destroying the key destroys the secret too.
func SealTo(recipient string, plaintext []byte) ([]byte, error) {
	r, err := age.ParseHybridRecipient(recipient)
	if err != nil {
		return nil, fmt.Errorf("vault: bad case recipient: %w", err)
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MaxSecret bounds what Open reads back.
const MaxSecret = 1 << 20

// Open decrypts a secret sealed to this case key.
func (k *CaseKey) Open(sealed []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), k.id)
	if err != nil {
		return nil, fmt.Errorf("vault: open a sealed secret: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxSecret))
	if err != nil {
		return nil, fmt.Errorf("vault: open a sealed secret: %w", err)
	}
	return b, nil
}
