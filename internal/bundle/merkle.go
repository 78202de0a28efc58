package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// This file is the verifier's own reading of the C2SP formats (checkpoint,
// tlog-proof) and of RFC 6962 inclusion proofs. The tests check every proof
// with an independent implementation too (torchwood, x/mod/sumdb/tlog).

// tree is a verified checkpoint's content.
type tree struct {
	origin string
	size   int64
	root   [32]byte
}

// openCheckpoint verifies a signed checkpoint with the log key and reads
// it (c2sp.org/tlog-checkpoint).
func openCheckpoint(signed []byte, vkey note.Verifier) (tree, error) {
	n, err := note.Open(signed, note.VerifierList(vkey))
	if err != nil {
		return tree{}, fmt.Errorf("its signature does not verify with log.vkey: %v", err)
	}
	// note.Open checks one signature per key and passes over the others
	// by the same key: allow only one, so none goes unchecked.
	if len(n.Sigs) != 1 || countSigs(signed, vkey) != 1 {
		return tree{}, errors.New("it carries more than one signature by log.vkey, or a signature line not in canonical base64")
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) != 4 || lines[3] != "" {
		return tree{}, errors.New("it is not origin, size and root hash, one line each (Sanctuary writes no extension lines)")
	}
	if lines[0] != vkey.Name() {
		return tree{}, errors.New("it is not a checkpoint of this log (origin differs)")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return tree{}, errors.New("its size is malformed")
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		return tree{}, errors.New("its root hash is malformed")
	}
	t := tree{origin: lines[0], size: size}
	copy(t.root[:], root)
	return t, nil
}

// proof is a parsed c2sp.org/tlog-proof@v1.
type proof struct {
	index      int64
	path       [][32]byte
	checkpoint []byte
}

// parseProof reads a proof in its one canonical form.
func parseProof(b []byte) (proof, error) {
	var p proof
	rest, ok := bytes.CutPrefix(b, []byte("c2sp.org/tlog-proof@v1\n"))
	if !ok {
		return p, errors.New("its proof is not a c2sp.org/tlog-proof@v1")
	}
	if bytes.HasPrefix(rest, []byte("extra ")) {
		return p, errors.New("its proof carries extra data, which Sanctuary never writes")
	}
	line, rest, ok := bytes.Cut(rest, []byte("\n"))
	s, hasIndex := strings.CutPrefix(string(line), "index ")
	n, err := strconv.ParseInt(s, 10, 64)
	if !ok || !hasIndex || err != nil || n < 0 || strconv.FormatInt(n, 10) != s {
		return p, errors.New("its proof has a malformed index")
	}
	p.index = n
	for {
		line, rest, ok = bytes.Cut(rest, []byte("\n"))
		if !ok {
			return p, errors.New("its proof ends too early")
		}
		if len(line) == 0 {
			break
		}
		h, err := base64.StdEncoding.DecodeString(string(line))
		if err != nil || len(h) != 32 || base64.StdEncoding.EncodeToString(h) != string(line) || len(p.path) >= 64 {
			return p, errors.New("its proof has a malformed hash")
		}
		p.path = append(p.path, [32]byte(h))
	}
	p.checkpoint = rest
	return p, nil
}

// leafHash is RFC 6962's hash of a log entry.
func leafHash(entry []byte) [32]byte {
	return sha256.Sum256(append([]byte{0}, entry...))
}

func nodeHash(l, r [32]byte) [32]byte {
	b := make([]byte, 0, 65)
	b = append(append(append(b, 1), l[:]...), r[:]...)
	return sha256.Sum256(b)
}

// verifyInclusion checks an RFC 6962 inclusion proof (RFC 9162 §2.1.3.2).
func verifyInclusion(index, size int64, leaf [32]byte, path [][32]byte, root [32]byte) bool {
	if index < 0 || index >= size {
		return false
	}
	fn, sn, r := index, size-1, leaf
	for _, p := range path {
		if sn == 0 {
			return false
		}
		if fn&1 == 1 || fn == sn {
			r = nodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			r = nodeHash(r, p)
		}
		fn >>= 1
		sn >>= 1
	}
	return sn == 0 && r == root
}

// countSigs counts the signature lines of a note made by the key, or
// returns -1 if any signature line is not in canonical base64.
func countSigs(signed []byte, vkey note.Verifier) int {
	_, sigs, _ := bytes.Cut(signed, []byte("\n\n"))
	n := 0
	for _, line := range strings.Split(strings.TrimSuffix(string(sigs), "\n"), "\n") {
		rest, _ := strings.CutPrefix(line, "\u2014 ")
		name, sig, _ := strings.Cut(rest, " ")
		b, err := base64.StdEncoding.DecodeString(sig)
		if err != nil || base64.StdEncoding.EncodeToString(b) != sig {
			return -1 // a signature line not in canonical base64
		}
		if name == vkey.Name() && len(b) >= 4 && binary.BigEndian.Uint32(b) == vkey.KeyHash() {
			n++
		}
	}
	return n
}
