package specverify

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// canonicalBase64 decodes standard base64 with padding and refuses every
// spelling but the canonical one (encoding/base64 ignores CR and LF, and its
// non-strict mode accepts non-zero padding bits).
func canonicalBase64(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || base64.StdEncoding.EncodeToString(b) != s {
		return nil, false
	}
	return b, true
}

// validKeyName: the signed-note rules for a key name (non-empty, no Unicode
// space, no '+'), on valid UTF-8.
func validKeyName(name string) bool {
	return name != "" && utf8.ValidString(name) && strings.IndexFunc(name, unicode.IsSpace) < 0 &&
		!strings.Contains(name, "+") && strings.IndexFunc(name, unicode.IsControl) < 0
}

// parseVKey checks log.vkey's line (without its LF): NAME+HASH+KEY, HASH 8
// hex, KEY base64 of 0x01 and 32 bytes, and the key hash right.
func parseVKey(line string) (note.Verifier, string, error) {
	name, rest, ok1 := strings.Cut(line, "+")
	hash, key, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 {
		return nil, "", errors.New("is not NAME+HASH+KEY")
	}
	if !validKeyName(name) {
		return nil, "", errors.New("has an invalid key name")
	}
	if len(hash) != 8 || strings.Trim(hash, "0123456789abcdef") != "" {
		return nil, "", errors.New("key hash is not 8 hex digits")
	}
	raw, ok := canonicalBase64(key)
	if !ok || len(raw) != 33 || raw[0] != 0x01 {
		return nil, "", errors.New("key is not the base64 of 0x01 and a 32-byte Ed25519 key")
	}
	v, err := note.NewVerifier(line)
	if err != nil {
		return nil, "", err
	}
	return v, name, nil
}

// checkpoint is the parsed text of the bundle's checkpoint.
type checkpoint struct {
	raw  []byte
	size int64
	root tlog.Hash
}

// parseCheckpoint verifies the signed note with the log key and parses its
// text: ORIGIN (the key's name), SIZE, ROOT, nothing else.
func parseCheckpoint(data []byte, v note.Verifier, origin string) (*checkpoint, error) {
	n, err := note.Open(data, note.VerifierList(v))
	if err != nil {
		var unv *note.UnverifiedNoteError
		if errors.As(err, &unv) {
			return nil, errors.New("is not signed by log.vkey")
		}
		return nil, fmt.Errorf("is not a valid signed note signed by log.vkey: %v", err)
	}
	// note.Open decodes signatures leniently, and skips without verifying
	// any further signature by a key it has seen. The specification: exactly
	// one signature line is by log.vkey (its NAME and key hash), and it
	// verifies. Reading: every signature line, a witness's too, is in
	// canonical base64 (other keys' signatures are otherwise ignored).
	sigs := data[len(n.Text)+1:]
	byLogKey := 0
	for _, line := range strings.Split(strings.TrimSuffix(string(sigs), "\n"), "\n") {
		rest, _ := strings.CutPrefix(line, "— ")
		name, b64, _ := strings.Cut(rest, " ")
		sig, ok := canonicalBase64(b64)
		if !ok {
			return nil, errors.New("has a signature line that is not canonical base64")
		}
		if name == v.Name() && len(sig) >= 4 && binary.BigEndian.Uint32(sig) == v.KeyHash() {
			byLogKey++
			if !v.Verify([]byte(n.Text), sig[4:]) {
				return nil, errors.New("has a signature by log.vkey's name and key hash that does not verify")
			}
		}
	}
	if byLogKey != 1 {
		return nil, fmt.Errorf("has %d signatures by log.vkey, not one", byLogKey)
	}
	text := n.Text
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if !strings.HasSuffix(text, "\n") || len(lines) != 3 {
		return nil, fmt.Errorf("text has %d lines, not ORIGIN, SIZE, ROOT", len(lines))
	}
	if lines[0] != origin {
		return nil, fmt.Errorf("origin '%s' is not the key's name '%s'", lines[0], origin)
	}
	if !isDecimal(lines[1]) {
		return nil, fmt.Errorf("size '%s' is not decimal without leading zeros", lines[1])
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("size '%s' is too large", lines[1])
	}
	root, ok := canonicalBase64(lines[2])
	if !ok || len(root) != tlog.HashSize {
		return nil, fmt.Errorf("root '%s' is not the base64 of 32 bytes", lines[2])
	}
	cp := &checkpoint{raw: data, size: size}
	copy(cp.root[:], root)
	return cp, nil
}

// checkProof parses a c2sp.org/tlog-proof@v1 and checks it: its index is
// index, it ends with the bundle's checkpoint byte for byte (cp.raw), and its
// path leads from leaf to ROOT for a tree of SIZE entries. cp may be nil when
// the checkpoint itself was refused: then only the form is checked.
func checkProof(data []byte, index int64, leaf tlog.Hash, cpRaw []byte, cp *checkpoint) error {
	sep := bytes.Index(data, []byte("\n\n"))
	if sep < 0 || sep > maxProofHeader {
		return errors.New("has no empty line before the checkpoint")
	}
	head, tail := string(data[:sep+1]), data[sep+2:]
	lines := strings.Split(strings.TrimSuffix(head, "\n"), "\n")
	if len(lines) < 2 || lines[0] != proofHeaderLine {
		return fmt.Errorf("does not begin with the line %s", proofHeaderLine)
	}
	if strings.HasPrefix(lines[1], "extra ") {
		return errors.New("has an extra line")
	}
	idx, ok := strings.CutPrefix(lines[1], "index ")
	if !ok || !isDecimal(idx) {
		return errors.New("second line is not `index I`")
	}
	if idx != strconv.FormatInt(index, 10) {
		return fmt.Errorf("index %s is not the event's log index %d", idx, index)
	}
	hashes := lines[2:]
	if len(hashes) > 63 {
		return errors.New("has more hashes than any tree needs")
	}
	path := make(tlog.RecordProof, len(hashes))
	for i, h := range hashes {
		raw, ok := canonicalBase64(h)
		if !ok || len(raw) != tlog.HashSize {
			return fmt.Errorf("line %d is not the base64 of a 32-byte hash", i+3)
		}
		copy(path[i][:], raw)
	}
	if cpRaw == nil || !bytes.Equal(tail, cpRaw) {
		return errors.New("does not end with the bundle's checkpoint byte for byte")
	}
	if cp == nil {
		return nil
	}
	if err := tlog.CheckRecord(path, cp.size, cp.root, index, leaf); err != nil {
		return fmt.Errorf("path does not lead from the event to the checkpoint's root (%v)", err)
	}
	return nil
}
