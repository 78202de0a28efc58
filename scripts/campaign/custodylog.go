package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// readCustodyLog reads the custody log's entries from its files, as a
// third party would: the log is C2SP tlog-tiles (docs/evidence.md), its
// size the second line of the signed checkpoint, its entries in entry
// bundles of 256, each entry a big-endian uint16 length and its bytes.
func readCustodyLog(dir string) ([][]byte, error) {
	cp, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return nil, err
	}
	lines := strings.SplitN(string(cp), "\n", 3)
	if len(lines) < 3 {
		return nil, fmt.Errorf("the checkpoint has no size line")
	}
	size, err := strconv.ParseUint(lines[1], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("the checkpoint's size: %w", err)
	}
	var entries [][]byte
	for n := uint64(0); n*256 < size; n++ {
		p := filepath.Join(dir, "tile", "entries", tilePath(n))
		if w := size - n*256; w < 256 {
			p += ".p/" + strconv.FormatUint(w, 10)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		for len(b) >= 2 {
			l := int(binary.BigEndian.Uint16(b))
			if len(b) < 2+l {
				return nil, fmt.Errorf("%s: an entry runs past the end", p)
			}
			entries = append(entries, b[2:2+l])
			b = b[2+l:]
		}
	}
	if uint64(len(entries)) < size {
		return nil, fmt.Errorf("the log holds %d entries, its checkpoint says %d", len(entries), size)
	}
	return entries[:size], nil
}

// tilePath encodes a tile index as tlog-tiles does: three-digit path
// elements, all but the last prefixed with x (1234067 → x001/x234/067).
func tilePath(n uint64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n /= 1000; n > 0; n /= 1000 {
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	return s
}

// eventType is the type line of an encoded custody event.
func eventType(e []byte) string {
	lines := strings.SplitN(string(e), "\n", 3)
	if len(lines) < 2 {
		return ""
	}
	return strings.TrimPrefix(lines[1], "type ")
}
