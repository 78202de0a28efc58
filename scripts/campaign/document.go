package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"time"
)

// document is the content of an upload: size bytes that follow from seed
// alone, so that the campaign knows their hash without keeping them.
type document struct {
	seed uint64
	size int64
}

const chunkSize = 64 << 10

// reader returns the document's bytes.
func (d document) reader() io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], d.seed)
	return io.LimitReader(rand.NewChaCha8(key), d.size)
}

// sha256 is the hex SHA-256 of the document.
func (d document) sha256() string {
	h := sha256.New()
	io.Copy(h, d.reader())
	return hex.EncodeToString(h.Sum(nil))
}

// prefixSHA256 is the hex SHA-256 of the document's first n bytes.
func (d document) prefixSHA256(n int64) string {
	h := sha256.New()
	io.Copy(h, io.LimitReader(d.reader(), n))
	return hex.EncodeToString(h.Sum(nil))
}

// copyTo writes the document to w in chunks, at most rate bytes a second
// (0: no limit), calling progress after each chunk.
func (d document) copyTo(w io.Writer, rate int64, progress func(int64)) error {
	r := d.reader()
	buf := make([]byte, chunkSize)
	start := time.Now()
	var sent int64
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
			sent += int64(n)
			if progress != nil {
				progress(sent)
			}
			if rate > 0 {
				if ahead := time.Duration(sent*int64(time.Second)/rate) - time.Since(start); ahead > 0 {
					time.Sleep(ahead)
				}
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
