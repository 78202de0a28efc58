package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"syscall"
	"time"
)

// server is a running "sanctuary serve".
type server struct {
	cmd    *exec.Cmd
	base   string // http://localhost:PORT
	done   chan struct{}
	result result // once done is closed
}

var servingURL = regexp.MustCompile(`https?://localhost:[0-9]+`)

// startServe starts "sanctuary serve" on a free loopback port and waits
// until /readyz answers 200.
func (b *box) startServe(ctx context.Context, args ...string) (*server, error) {
	cmd := b.command("", append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = b.logWriter("serve")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(out)
		line, _ := r.ReadString('\n')
		lines <- line
		io.Copy(b.logWriter("serve stdout"), r)
	}()
	go func() {
		err := cmd.Wait()
		s.result = ended(cmd, err, "", "", time.Since(start))
		close(s.done)
	}()
	select {
	case line := <-lines:
		if s.base = servingURL.FindString(line); s.base == "" {
			s.kill()
			return nil, fmt.Errorf("serve printed %q, no address (see %s)", line, b.log.Name())
		}
	case <-time.After(2 * time.Minute):
		s.kill()
		return nil, errors.New("serve printed nothing for 2 minutes")
	}
	return s, s.waitReady(ctx)
}

// waitReady polls /readyz.
func (s *server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("serve ended while starting: %v", s.result)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if res, err := http.Get(s.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("/readyz did not answer 200 within a minute")
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// alive reports whether the process is still running.
func (s *server) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and reports whether it was the kill that ended the
// process (false: it had ended before, by itself).
func (s *server) kill() bool {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	return s.result.killed
}

// stop asks the server to shut down (SIGINT, as Ctrl-C) and waits for it.
func (s *server) stop(timeout time.Duration) error {
	if !s.alive() {
		return fmt.Errorf("serve had already ended: %v", s.result)
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
		if s.result.code != 0 {
			return fmt.Errorf("serve ended with %v after SIGINT", s.result)
		}
		return nil
	case <-time.After(timeout):
		s.kill()
		return fmt.Errorf("serve did not stop within %s of SIGINT", timeout)
	}
}
