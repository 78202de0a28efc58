package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync/atomic"
	"time"
)

// client speaks Sanctuary's JSON API with one API token.
type client struct {
	base  string
	token string
	hc    *http.Client
}

func newClient(base, token string) *client {
	tr := &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
	return &client{base: base, token: token, hc: &http.Client{Transport: tr, Timeout: 5 * time.Minute}}
}

// reply is an answer read to its end. A transport error (no answer, or
// one cut off) is err; any status is a reply.
type reply struct {
	status int
	body   []byte
	header http.Header
}

func (r reply) ok() bool { return r.status >= 200 && r.status < 300 }

func (r reply) String() string {
	b := string(r.body)
	if len(b) > 300 {
		b = b[:300] + "…"
	}
	return fmt.Sprintf("%d %s", r.status, strings.TrimSpace(b))
}

// call sends a request with a JSON body (none if in is nil) and reads the
// whole answer.
func (c *client) call(ctx context.Context, method, path string, in any) (reply, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return reply{}, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return reply{}, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req)
}

func (c *client) send(req *http.Request) (reply, error) {
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := c.hc.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{}, fmt.Errorf("the answer was cut off after %d bytes: %w", len(b), err)
	}
	return reply{status: res.StatusCode, body: b, header: res.Header}, nil
}

// getJSON calls GET and decodes a 2xx answer into out.
func (c *client) getJSON(ctx context.Context, path string, out any) (reply, error) {
	r, err := c.call(ctx, http.MethodGet, path, nil)
	if err == nil && r.ok() && out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			return r, fmt.Errorf("GET %s: undecodable answer: %w", path, err)
		}
	}
	return r, err
}

// download reads an item's document (or the range of it) and returns its SHA-256 and size;
// the body is hashed as it arrives, not kept.
func (c *client) download(ctx context.Context, path, byteRange string) (status int, sum string, size int64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, "", 0, err
	}
	if byteRange != "" {
		req.Header.Set("Range", byteRange)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, "", 0, err
	}
	defer res.Body.Close()
	h := sha256.New()
	size, err = io.Copy(h, res.Body)
	if err != nil {
		return res.StatusCode, "", size, fmt.Errorf("the document was cut off after %d bytes: %w", size, err)
	}
	return res.StatusCode, hex.EncodeToString(h.Sum(nil)), size, nil
}

// evidenceMeta is the meta part of an upload and the body of an edit.
type evidenceMeta struct {
	Title        string `json:"title"`
	Kind         string `json:"kind"`
	OriginalName string `json:"original_name,omitempty"`
}

// evidenceItem is the part of an item's JSON the campaign reads.
type evidenceItem struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Size         int64  `json:"size"`
	SHA256       string `json:"sha256"`
	KeyDestroyed bool   `json:"key_destroyed"`
}

// upload is one multipart upload, streamed: the document is made as it
// is sent, at most rate bytes a second (0: as fast as it goes).
type upload struct {
	meta     evidenceMeta
	doc      document
	rate     int64
	progress func(sent int64) // after each chunk
	whole    atomic.Bool      // the closing boundary was handed to the connection
}

// send uploads u to the case; err is a transport error (the outcome is
// unknown), a reply any answer.
func (c *client) upload(ctx context.Context, ref string, u *upload) (reply, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/cases/"+ref+"/evidence", pr)
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	written := make(chan struct{})
	go func() { pw.CloseWithError(u.write(mw)); close(written) }()
	r, err := c.send(req)
	pr.Close() // a writer still going stops: the request is over
	<-written
	return r, err
}

func (u *upload) write(mw *multipart.Writer) error {
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="meta"`)
	h.Set("Content-Type", "application/json")
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(w).Encode(u.meta); err != nil {
		return err
	}
	if w, err = mw.CreateFormFile("file", "document.bin"); err != nil {
		return err
	}
	if err := u.doc.copyTo(w, u.rate, u.progress); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	u.whole.Store(true)
	return nil
}
