package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

// TestRecoveries reads the server's settle lines as slog's text handler
// writes them (internal/cli logRecovery), and counts a reworded line as
// not understood rather than as nothing settled.
func TestRecoveries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "serve.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(f, nil))
	log.Warn("interrupted evidence work settled", "ingests_completed", 2, "ingests_removed", 1, "case_events_logged", 0)
	log.Info("listening", "addr", "127.0.0.1:1")
	log.Warn("interrupted evidence work settled", "ingests_completed", 0, "ingests_removed", 0, "case_events_logged", 3)
	log.Warn("interrupted evidence ingests", "completed", 5, "removed", 5) // an older wording
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := recoveries(path), (settled{times: 2, completed: 2, undone: 1, caseEvents: 3, unknown: 1}); got != want {
		t.Errorf("recoveries = %v, want %v", got, want)
	}
}
