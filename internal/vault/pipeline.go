package vault

import (
	"crypto/sha256"
	"errors"
	"hash"
	"io"
	"sync"

	"filippo.io/age"
)

// The pipeline runs the costly parts of storing an object on separate
// cores: reading and hashing the plaintext; encrypting it; writing the
// ciphertext. Buffers circulate through small channels, so memory stays
// constant whatever the size of the document. The ciphertext is not
// hashed (see newObjectID).
const (
	pipeBuffer = 1 << 20
	pipeDepth  = 4
)

type pipeResult struct {
	plain      hash.Hash
	n, cipherN int64
}

// encryptPipeline reads src to the end, encrypts it to rcpt and writes the
// ciphertext to dst, hashing the plaintext.
func encryptPipeline(src io.Reader, dst io.Writer, rcpt age.Recipient) (pipeResult, error) {
	res := pipeResult{plain: sha256.New()}
	free := make(chan []byte, 2*pipeDepth+2)
	for range 2*pipeDepth + 2 {
		free <- make([]byte, pipeBuffer)
	}
	plainCh, cipherCh := make(chan []byte, pipeDepth), make(chan []byte, pipeDepth)
	var wg sync.WaitGroup
	var readErr, writeErr error
	stop := make(chan struct{})
	wg.Add(2)
	go func() { defer wg.Done(); readErr = readStage(src, res.plain, &res.n, free, plainCh, stop) }()
	go func() { defer wg.Done(); writeErr = writeStage(dst, &res.cipherN, free, cipherCh) }()
	encErr := encryptStage(rcpt, plainCh, cipherCh, free)
	if encErr != nil {
		close(stop)
		for range plainCh { // let the reader finish
		}
	}
	wg.Wait()
	return res, errors.Join(readErr, encErr, writeErr)
}

// readStage reads and hashes the plaintext, handing filled buffers on.
// Only io.EOF ends the document: any other error of the source is a
// SourceError, io.ErrUnexpectedEOF too (a multipart part whose closing
// boundary never came, a request body shorter than its Content-Length),
// so that a cut upload is never stored as if it were whole.
func readStage(src io.Reader, h hash.Hash, n *int64, free <-chan []byte, out chan<- []byte, stop <-chan struct{}) error {
	defer close(out)
	for {
		buf := <-free
		k, err := fill(src, buf)
		if k > 0 {
			h.Write(buf[:k])
			*n += int64(k)
			select {
			case out <- buf[:k]:
			case <-stop:
				return nil
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &SourceError{err}
		}
	}
}

// fill reads into buf until it is full or src returns an error, which it
// returns as it is: unlike io.ReadFull, it never turns a source's error
// into io.ErrUnexpectedEOF or the other way round.
func fill(src io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := src.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// encryptStage encrypts what it receives with age, passing ciphertext on.
func encryptStage(rcpt age.Recipient, in <-chan []byte, out chan<- []byte, free chan []byte) error {
	cw := &chanWriter{out: out, free: free}
	enc, err := age.Encrypt(cw, rcpt)
	if err != nil {
		close(out)
		return err
	}
	for buf := range in {
		if _, err := enc.Write(buf); err != nil {
			close(out)
			return err
		}
		free <- buf[:cap(buf)]
	}
	err = errors.Join(enc.Close(), cw.flush())
	close(out)
	return err
}

// writeStage writes the ciphertext.
func writeStage(dst io.Writer, n *int64, free chan<- []byte, in <-chan []byte) error {
	var err error
	for buf := range in {
		if err == nil {
			_, err = dst.Write(buf)
			*n += int64(len(buf))
		}
		free <- buf[:cap(buf)]
	}
	return err
}

// chanWriter gathers what age writes into pipeline buffers.
type chanWriter struct {
	out  chan<- []byte
	free chan []byte
	buf  []byte
}

func (c *chanWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if c.buf == nil {
			c.buf = (<-c.free)[:0]
		}
		k := copy(c.buf[len(c.buf):cap(c.buf)], p)
		c.buf, p = c.buf[:len(c.buf)+k], p[k:]
		if len(c.buf) == cap(c.buf) {
			c.out <- c.buf
			c.buf = nil
		}
	}
	return n, nil
}

func (c *chanWriter) flush() error {
	if len(c.buf) > 0 {
		c.out <- c.buf
	}
	c.buf = nil
	return nil
}
