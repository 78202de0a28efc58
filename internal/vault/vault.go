// Package vault keeps evidence encrypted at rest.
//
// Every object is encrypted with age (filippo.io/age) to its case's
// recipient, in one streaming pass that also computes the SHA-256 of the
// plaintext and of the ciphertext; the plaintext never touches the disk.
// The object is then stored under the hash of its ciphertext, so that its
// path reveals nothing about the document: someone who holds a copy of the
// document cannot find it in the store by hashing it.
//
// Each case has its own age identity of the hybrid post-quantum kind
// (ML-KEM-768 + X25519), so that ciphertexts harvested today cannot be
// opened by a future quantum computer. The case identity is kept only
// wrapped (age-encrypted) to the instance's vault key; destroying the
// wrapped copy destroys access to every object of the case
// (crypto-shredding).
package vault

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// ErrShredded is returned for a case whose key was destroyed.
var ErrShredded = errors.New("vault: the case key was destroyed (shredded)")

// Key is the instance's vault key: it wraps every case identity.
type Key struct {
	identity  age.Identity
	recipient age.Recipient
	// Source says where it came from, for the operator.
	Source string
}

// LoadKeyFile reads an age identity (AGE-SECRET-KEY-...) from path.
func LoadKeyFile(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vault: read the vault key: %w", err)
	}
	return parseKey(string(b), path)
}

func parseKey(text, source string) (*Key, error) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if id, err := age.ParseHybridIdentity(line); err == nil {
			return &Key{identity: id, recipient: id.Recipient(), Source: source}, nil
		}
		if id, err := age.ParseX25519Identity(line); err == nil {
			return &Key{identity: id, recipient: id.Recipient(), Source: source}, nil
		}
		return nil, fmt.Errorf("vault: %s does not hold an age identity", source)
	}
	return nil, fmt.Errorf("vault: %s is empty", source)
}

// PassphraseKey derives the vault key from a passphrase (scrypt, as age
// does). Wrapping with it is slow on purpose: about a second per case key.
func PassphraseKey(passphrase string) (*Key, error) {
	if len(passphrase) < 16 {
		return nil, errors.New("vault: the passphrase must be at least 16 characters")
	}
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	return &Key{identity: id, recipient: r, Source: "passphrase"}, nil
}

// CreateKeyFile generates a new hybrid vault key and writes it to path
// (mode 0600, refusing to overwrite a file).
func CreateKeyFile(path string) (*Key, error) {
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("vault: create the vault key: %w", err)
	}
	_, werr := fmt.Fprintf(f, "# Sanctuary vault key. Whoever holds this file and the database can read every case.\n"+
		"# Keep a copy offline (printed, or on an encrypted USB stick); without it no evidence can be opened.\n"+
		"# public key: %s\n%s\n", id.Recipient(), id)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return nil, fmt.Errorf("vault: write the vault key: %w", err)
	}
	return &Key{identity: id, recipient: id.Recipient(), Source: path}, nil
}

// WrapSecret encrypts a small secret (a case's database key) to the vault
// key.
func (v *Key) WrapSecret(secret []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, v.recipient)
	if err != nil {
		return nil, fmt.Errorf("vault: wrap: %w", err)
	}
	if _, err := w.Write(secret); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnwrapSecret decrypts what WrapSecret wrapped.
func (v *Key) UnwrapSecret(wrapped []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(wrapped), v.identity)
	if err != nil {
		return nil, fmt.Errorf("vault: unwrap (is this the right vault key?): %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return nil, fmt.Errorf("vault: unwrap: %w", err)
	}
	return b, nil
}

// NewKey generates a vault key held in memory only, for tests and tools.
func NewKey() (*Key, error) {
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		return nil, err
	}
	return &Key{identity: id, recipient: id.Recipient(), Source: "memory"}, nil
}
