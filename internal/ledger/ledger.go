// Package ledger writes the custody log: custody events (internal/custody)
// appended to a C2SP tlog-tiles log with Tessera's POSIX storage, its
// checkpoints signed with the instance's log key, and inclusion proofs in
// the c2sp.org/tlog-proof@v1 format.
//
// It is kept apart from package custody so that the offline verifier,
// which only reads those formats, does not carry the log writer.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"filippo.io/torchwood"
	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/client"
	"github.com/transparency-dev/tessera/storage/posix"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
)

// Log is the custody log of one instance.
type Log struct {
	dir      string
	key      *custody.Key
	appender *tessera.Appender
	reader   tessera.LogReader
	shutdown func(context.Context) error
	cancel   context.CancelFunc
	closed   sync.Once
	closeErr error
}

// How often checkpoints are published, and how long entries wait to be
// batched: short, because an ingest waits for its entry.
const (
	checkpointInterval = 200 * time.Millisecond
	batchMaxAge        = 2 * time.Millisecond
	batchMaxSize       = 1024
)

// Open opens (creating if needed) the log in dir. Several processes may
// append to the same log; Tessera serialises them with a file lock (an
// fcntl lock, which belongs to the process: open a log once per process).
//
// The directory and everything in it are for the owner only (0700 and
// 0600), like the rest of the data directory; see private.
func Open(dir string, key *custody.Key) (*Log, error) {
	if err := private(dir); err != nil {
		return nil, fmt.Errorf("custody: open the log: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	driver, err := posix.New(ctx, posix.Config{Path: dir})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("custody: open the log: %w", err)
	}
	opts := tessera.NewAppendOptions().WithCheckpointSigner(key.Signer).
		WithCheckpointInterval(checkpointInterval).WithBatching(batchMaxSize, batchMaxAge)
	appender, shutdown, reader, err := tessera.NewAppender(ctx, driver, opts)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("custody: open the log: %w", err)
	}
	// What Tessera made on opening a new log (.state, the first
	// checkpoint) gets its modes from Tessera and the umask.
	if err := tighten(dir, false); err != nil {
		shutdown(ctx)
		cancel()
		return nil, fmt.Errorf("custody: open the log: %w", err)
	}
	return &Log{dir: dir, key: key, appender: appender, reader: reader, shutdown: shutdown, cancel: cancel}, nil
}

// Close waits for pending entries and stops the log. Closing twice is
// harmless.
func (l *Log) Close() error {
	l.closed.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		l.closeErr = l.shutdown(ctx)
		l.cancel()
	})
	return l.closeErr
}

// Key returns the log's key.
func (l *Log) Key() *custody.Key { return l.key }

// Dir returns the directory the log is kept in.
func (l *Log) Dir() string { return l.dir }

// Append adds an event and returns its index once it is durably sequenced
// and integrated into the tree.
func (l *Log) Append(ctx context.Context, e custody.Event) (uint64, []byte, error) {
	b, err := e.Marshal()
	if err != nil {
		return 0, nil, err
	}
	idx, err := l.appender.Add(ctx, tessera.NewEntry(b))()
	if err != nil {
		return 0, nil, fmt.Errorf("custody: append: %w", err)
	}
	return idx.Index, b, nil
}

// Checkpoint is a verified checkpoint with its signed text.
type Checkpoint struct {
	torchwood.Checkpoint
	Signed []byte
}

// Checkpoint returns the latest published checkpoint, verified against
// the log key.
func (l *Log) Checkpoint(ctx context.Context) (Checkpoint, error) {
	raw, err := l.reader.ReadCheckpoint(ctx)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("custody: read the checkpoint: %w", err)
	}
	c, _, err := torchwood.VerifyCheckpoint(raw, l.key.Policy())
	if err != nil {
		return Checkpoint{}, fmt.Errorf("custody: the log's checkpoint does not verify: %w", err)
	}
	return Checkpoint{Checkpoint: c, Signed: raw}, nil
}

// Verify checks that signed is a checkpoint of this log: its origin,
// signed with its key.
func (l *Log) Verify(signed []byte) error {
	if _, _, err := torchwood.VerifyCheckpoint(signed, l.key.Policy()); err != nil {
		return fmt.Errorf("custody: the checkpoint is not this log's: %w", err)
	}
	return nil
}

// WaitCheckpoint waits until a checkpoint covering the first size entries
// is published, and returns it.
func (l *Log) WaitCheckpoint(ctx context.Context, size uint64) (Checkpoint, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := l.Checkpoint(ctx)
		if err == nil && uint64(c.N) >= size {
			return c, nil
		}
		if time.Now().After(deadline) {
			return Checkpoint{}, errors.Join(errors.New("custody: no checkpoint covers the entries yet"), err)
		}
		select {
		case <-ctx.Done():
			return Checkpoint{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Size returns the number of entries integrated into the log; the
// published checkpoint may lag behind it by up to a checkpoint interval.
func (l *Log) Size(ctx context.Context) (uint64, error) {
	n, err := l.reader.IntegratedSize(ctx)
	if err != nil {
		return 0, fmt.Errorf("custody: log size: %w", err)
	}
	return n, nil
}

// Entry returns the encoded event at index in a tree of the given size.
func (l *Log) Entry(ctx context.Context, index, size uint64) ([]byte, error) {
	if index >= size {
		return nil, fmt.Errorf("custody: index %d is past the tree size %d", index, size)
	}
	b, err := client.GetEntryBundle(ctx, l.reader.ReadEntryBundle, index/256, size)
	if err != nil {
		return nil, fmt.Errorf("custody: read entry %d: %w", index, err)
	}
	i := index % 256
	if i >= uint64(len(b.Entries)) {
		return nil, fmt.Errorf("custody: entry %d is missing from its bundle", index)
	}
	return b.Entries[i], nil
}

// Proof returns the c2sp.org/tlog-proof@v1 inclusion proof of the entry at
// index under the checkpoint.
func (l *Log) Proof(ctx context.Context, index uint64, c Checkpoint) ([]byte, error) {
	pb, err := client.NewProofBuilder(ctx, uint64(c.N), l.reader.ReadTile)
	if err != nil {
		return nil, err
	}
	hashes, err := pb.InclusionProof(ctx, index)
	if err != nil {
		return nil, fmt.Errorf("custody: inclusion proof of %d: %w", index, err)
	}
	p := make(tlog.RecordProof, len(hashes))
	for i, h := range hashes {
		copy(p[i][:], h)
	}
	return torchwood.FormatProof(int64(index), p, c.Signed), nil
}

// AppendAll adds several events at once, so that they are sequenced in
// one batch, and returns their indexes and encodings once all are
// durably sequenced and integrated.
func (l *Log) AppendAll(ctx context.Context, es []custody.Event) ([]uint64, [][]byte, error) {
	futures := make([]tessera.IndexFuture, len(es))
	encoded := make([][]byte, len(es))
	for i, e := range es {
		b, err := e.Marshal()
		if err != nil {
			return nil, nil, err
		}
		encoded[i], futures[i] = b, l.appender.Add(ctx, tessera.NewEntry(b))
	}
	idxs := make([]uint64, len(es))
	for i, f := range futures {
		idx, err := f()
		if err != nil {
			return nil, nil, fmt.Errorf("custody: append: %w", err)
		}
		idxs[i] = idx.Index
	}
	return idxs, encoded, nil
}
