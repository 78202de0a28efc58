package cli_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/cli"
)

// TestServe_EndToEnd starts the real server on a free loopback port, waits
// for /healthz, opens a case over HTTP, reads it back, and stops the server
// by cancelling its context.
func TestServe_EndToEnd(t *testing.T) {
	s := newSanctuary(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := cli.Main(ctx, []string{"serve", "--listen", "127.0.0.1:0"}, func(k string) string { return s.env[k] },
			strings.NewReader(""), pw, io.Discard)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v (exit %d)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	base := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`).FindString(line)
	if base == "" {
		t.Fatalf("serve printed %q, no URL", line)
	}
	waitHealthy(t, base)

	body := `{"person":{"name_cyrillic":{"given":"Олег"}},"destinations":["FI"]}`
	res, err := http.Post(base+"/api/v1/cases", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ Reference string }
	json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || created.Reference == "" {
		t.Fatalf("create: %d %+v", res.StatusCode, created)
	}
	res, err = http.Get(base + "/api/v1/cases/" + created.Reference)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("get: %v %v", res, err)
	}
	res.Body.Close()

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after cancel, want 0", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("/healthz never answered")
}
