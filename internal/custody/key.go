package custody

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
)

// Key signs the log's checkpoints. Its name is the log's origin, unique to
// the instance.
type Key struct {
	Signer   note.Signer
	Verifier note.Verifier
	// VKey is the public verifier key, as a court receives it: "origin+hash+key".
	VKey string
}

// Origin is the log's origin line: the key's name.
func (k *Key) Origin() string { return k.Verifier.Name() }

// Policy is what a checkpoint of this log must satisfy: the right origin,
// signed by this key.
func (k *Key) Policy() torchwood.Policy { return PolicyFor(k.Verifier) }

// PolicyFor requires the verifier's origin and signature.
func PolicyFor(v note.Verifier) torchwood.Policy {
	return torchwood.ThresholdPolicy(2, torchwood.OriginPolicy(v.Name()), torchwood.SingleVerifierPolicy(v))
}

// CreateKeyFile generates a new log key with a fresh origin and writes it
// to path (mode 0600), refusing to overwrite.
func CreateKeyFile(path string) (*Key, error) {
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, "sanctuary.custody/"+hex.EncodeToString(id))
	if err != nil {
		return nil, fmt.Errorf("custody: generate the log key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("custody: create the log key: %w", err)
	}
	_, werr := fmt.Fprintf(f, "# Sanctuary custody log key: it signs the log's checkpoints.\n%s\n%s\n", skey, vkey)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return nil, fmt.Errorf("custody: write the log key: %w", err)
	}
	return newKey(skey, vkey)
}

// LoadKeyFile reads a log key written by CreateKeyFile.
func LoadKeyFile(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("custody: read the log key: %w", err)
	}
	var skey, vkey string
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "PRIVATE+KEY+"):
			skey = line
		case line != "" && !strings.HasPrefix(line, "#"):
			vkey = line
		}
	}
	if skey == "" || vkey == "" {
		return nil, fmt.Errorf("custody: %s does not hold a log key", path)
	}
	return newKey(skey, vkey)
}

func newKey(skey, vkey string) (*Key, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("custody: log signing key: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("custody: log verifier key: %w", err)
	}
	if s.Name() != v.Name() || s.KeyHash() != v.KeyHash() {
		return nil, errors.New("custody: the signing and verifier keys do not match")
	}
	return &Key{Signer: s, Verifier: v, VKey: vkey}, nil
}
