package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/sanctuary-platform/sanctuary"
)

// An upload (the API's, the case page's, the client's page's) is a
// multipart body whose last part is the file, streamed into the vault as
// it arrives. It is stored whole or not at all: the file has ended only
// when the body's closing boundary has been read after it, so a body cut
// anywhere before that — mid-file, after the file's delimiter, or
// without a closing boundary at all — fails the vault's read, which then
// stores nothing, and no item is committed.

// errPartAfterFile: the file must be the upload's last part.
var errPartAfterFile = errors.New("a part follows the file")

// lastPart reads the file part of an upload and, at its end, confirms
// that the closing boundary follows it.
type lastPart struct {
	part *multipart.Part
	mr   *multipart.Reader
	err  error // the end, once reached
}

func wholeFile(mr *multipart.Reader, part *multipart.Part) io.Reader {
	return &lastPart{part: part, mr: mr}
}

func (l *lastPart) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.part.Read(p)
	if err == io.EOF {
		err = l.closing()
	}
	l.err = err
	return n, err
}

// closing reads what follows the file: only the closing boundary
// (NextPart's io.EOF, unwrapped) makes the file's end the document's.
func (l *lastPart) closing() error {
	next, err := l.mr.NextPart()
	switch {
	case err == io.EOF:
		return io.EOF
	case err == nil:
		next.Close()
		return errPartAfterFile
	}
	return fmt.Errorf("the upload ended before its closing boundary: %w", err)
}

// uploadContext is the context an upload is stored under. The request's
// own is cancelled when the client hangs up, which may happen after its
// last byte: an upload read whole is then stored all the same, and one cut
// short fails in the reading, before anything is committed.
func uploadContext(r *http.Request) context.Context { return context.WithoutCancel(r.Context()) }

// uploadError says what went wrong with an upload of at most limit bytes.
func uploadError(err error, limit int64) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return &sanctuary.Error{Code: sanctuary.ETOOLARGE, Message: fmt.Sprintf("the upload is larger than %d bytes", limit), Err: err}
	case errors.Is(err, errPartAfterFile):
		return &sanctuary.Error{Code: sanctuary.EINVALID, Message: "the file must be the last part of the upload; nothing was stored",
			Fields: map[string]string{"file": "must be the last part"}, Err: err}
	}
	return err
}
