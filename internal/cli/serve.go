package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

func (e *env) serveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the server (JSON API; web interface to come)",
		Long: `Run the server. With no flags it keeps everything in ./sanctuary-data
(SQLite) and listens on 127.0.0.1:8080. Until accounts exist it refuses to
listen on any address but loopback: reach it from elsewhere through an SSH
tunnel.`,
		Args: args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error { return e.serve(cmd.Context()) },
	}
}

func (e *env) serve(ctx context.Context) error {
	cfg, _, err := e.config()
	if err != nil {
		return err
	}
	if err := loopbackOnly(cfg.Listen); err != nil {
		return err
	}
	in, err := e.openVault(ctx)
	if err != nil {
		return err
	}
	defer in.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "cannot listen on " + cfg.Listen, Err: err}
	}
	srv := &http.Server{
		Handler:           web.NewHandler(in.app, in.log),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(e.stdout, "Sanctuary is serving on http://%s/ (database: %s %s)\n",
		ln.Addr(), in.db.Dialect(), redact(cfg.Database()))
	return runServer(ctx, srv, ln)
}

// runServer serves until ctx ends, then shuts down gracefully.
func runServer(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "the server stopped", Err: err}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loopbackOnly refuses any listen address but a loopback one: until
// accounts and TLS exist (issue 5), anyone who can reach the server can read
// every case.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return sanctuary.Invalid("the listen address is not host:port", map[string]string{"listen": err.Error()})
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return &sanctuary.Error{Code: sanctuary.EINVALID,
		Message: fmt.Sprintf("refusing to listen on %s: Sanctuary has no user accounts yet, so anyone who can reach that address could read every case; listen on 127.0.0.1 and reach it through an SSH tunnel", addr)}
}
