package vault

import "os"

// syncEvery is how much ciphertext is written between two background
// syncs.
const syncEvery = 64 << 20

// syncingFile writes an object's ciphertext and, every syncEvery bytes,
// has a goroutine fsync what was written so far while the pipeline goes
// on encrypting. Without it a large object waits in the page cache until
// the final fsync, which then writes all of it while nothing else happens:
// encryption and the disk take turns instead of working at once (measured
// in docs/benchmarks.md). The final fsync, after stop, is what makes the
// object durable; the background ones only move the work earlier, so
// their errors are left to it.
type syncingFile struct {
	f       *os.File
	written int64
	synced  int64 // written when the last background sync was asked for
	kick    chan struct{}
	done    chan struct{}
}

func newSyncingFile(f *os.File) *syncingFile {
	s := &syncingFile{f: f, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for range s.kick {
			s.f.Sync()
		}
	}()
	return s
}

func (s *syncingFile) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.written += int64(n)
	if s.written-s.synced >= syncEvery {
		s.synced = s.written
		select {
		case s.kick <- struct{}{}:
		default: // a sync is still running: the next one will cover this too
		}
	}
	return n, err
}

// stop waits for the background sync to end; call it before the final
// fsync and before closing the file.
func (s *syncingFile) stop() {
	close(s.kick)
	<-s.done
}
