package store

// Sealer protects client data at rest. Every column that holds client data
// passes through Seal on the way in and Open on the way out, with the case
// it belongs to, so that a per-case key can be used.
//
// Open returns an error if the data cannot be read back: corrupted, or its
// key destroyed.
type Sealer interface {
	Seal(caseID int64, plaintext []byte) ([]byte, error)
	Open(caseID int64, sealed []byte) ([]byte, error)
}

// Plaintext is the Sealer that stores data as it is. It stands in until
// per-case encryption arrives with accounts (issue 5).
type Plaintext struct{}

// Seal returns the plaintext unchanged.
func (Plaintext) Seal(_ int64, p []byte) ([]byte, error) { return p, nil }

// Open returns the data unchanged.
func (Plaintext) Open(_ int64, s []byte) ([]byte, error) { return s, nil }
