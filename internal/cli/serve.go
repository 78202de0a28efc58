package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/demo"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

func (e *env) serveCommand() *cobra.Command {
	var demoMode bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the server: sign-in pages and the JSON API",
		Long: `Run the server. With no flags it keeps everything in ./sanctuary-data
(SQLite) and listens on 127.0.0.1:8080.

On any address but loopback it needs HTTPS: either --tls-cert and --tls-key
here, or --behind-tls-proxy when a proxy in front terminates TLS (and then
--public-url, the address browsers use). Without either it refuses to start,
because passwords and client data would cross the network in the clear.

With --demo it serves three fictional cases — a deserter in transit, a
conscript without a summons, a blogger in a "discrediting the army" case —
with facts, notes, encrypted evidence, assessments and timelines, and prints
a demo login (email, password, TOTP secret and a one-time recovery code) and
a client invitation link. Everything lives in a new temporary directory,
printed at start and deleted when the server stops; the data directory is
never opened, and --demo refuses --data-dir and --database (or their
environment variables), so it cannot write into real data.`,
		Args: args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error { return e.serve(cmd.Context(), demoMode) },
	}
	cmd.Flags().BoolVar(&demoMode, "demo", false, "serve fictional demo cases from a temporary directory, deleted on stop")
	return cmd
}

func (e *env) serve(ctx context.Context, demoMode bool) error {
	cfg, from, err := e.config()
	if err != nil {
		return err
	}
	if err := checkTransport(cfg); err != nil {
		return err
	}
	var in *instance
	if demoMode {
		in, err = e.openDemo(ctx, cfg, from)
	} else {
		in, err = e.openVault(ctx)
	}
	if err != nil {
		return err
	}
	defer in.closeLogged()
	srv := newServer(cfg, in)
	ln, err := listen(cfg, srv)
	if err != nil {
		return err
	}
	if cfg.PublicURL == "" { // the port is known only now (it may have been :0)
		cfg.Listen = ln.Addr().String()
		in.app.SetPublicURL(cfg.publicURL())
	}
	var login *demo.Login
	if demoMode {
		if login, err = seedDemo(ctx, in); err != nil {
			ln.Close()
			return err
		}
	}
	fmt.Fprintf(e.stdout, "Sanctuary is serving on %s/ (listening on %s; database: %s %s)\n",
		cfg.publicURL(), ln.Addr(), in.db.Dialect(), redact(in.cfg.Database()))
	if login != nil {
		printDemo(e.stdout, in.throwaway, *login)
	}
	go in.housekeeping(ctx)
	err = runServer(ctx, srv, ln)
	in.anchorAudit(context.WithoutCancel(ctx)) // what happened until the end is fixed in the log
	return err
}

// newServer is the HTTP server of the instance's pages and API.
func newServer(cfg Config, in *instance) *http.Server {
	opt := web.Options{Secure: cfg.TLSCertFile != "" || cfg.BehindTLSProxy == "true", BehindProxy: cfg.BehindTLSProxy == "true"}
	return &http.Server{
		Handler:           web.NewHandler(in.app, in.log, opt),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// listen opens the listening socket for srv, with TLS when a certificate
// is configured.
func listen(cfg Config, srv *http.Server) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "cannot listen on " + cfg.Listen, Err: err}
	}
	if cfg.TLSCertFile == "" {
		return ln, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
	if err != nil {
		ln.Close()
		return nil, &sanctuary.Error{Code: sanctuary.EINVALID, Message: "cannot load the TLS certificate and key", Err: err}
	}
	srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	return tls.NewListener(ln, srv.TLSConfig), nil
}

// closeLogged closes the instance when serve ends, and logs what could
// not be closed (or, for the demo, removed).
func (in *instance) closeLogged() {
	if err := in.Close(); err != nil {
		in.log.Warn("closing down failed", "err", err)
	}
}

// housekeeping runs while the server runs: every few minutes it anchors
// the audit trail in the custody log, finishes or undoes ingests that were
// interrupted more than the grace period ago (start-up leaves younger
// ones, which may be under way in another process: without this, one
// left by a crash just before a restart would wait for the next), and
// forgets expired sessions.
func (in *instance) housekeeping(ctx context.Context) {
	tick := time.NewTicker(5 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			in.anchorAudit(ctx)
			rep, err := in.app.RecoverEvidence(ctx, app.OrphanGrace)
			if err != nil {
				in.log.Warn("recovering interrupted ingests failed", "err", err)
			}
			in.logRecovery(rep)
			if _, err := in.app.DeleteExpiredSessions(ctx); err != nil {
				in.log.Warn("removing expired sessions failed", "err", err)
			}
		}
	}
}

func (in *instance) anchorAudit(ctx context.Context) {
	if _, _, err := in.app.AnchorAudit(operatorContext(ctx)); err != nil {
		in.log.Warn("anchoring the audit trail failed", "err", err)
	}
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

// checkTransport refuses to serve a non-loopback address in the clear:
// passwords, session cookies and client data would cross the network
// readable by anyone on the path. TLS here, or a TLS proxy in front that
// the operator names explicitly, is required.
func checkTransport(cfg Config) error {
	host, _, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return sanctuary.Invalid("the listen address is not host:port", map[string]string{"listen": err.Error()})
	}
	loopback := host == "localhost"
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
	}
	switch {
	case loopback || cfg.TLSCertFile != "":
		return nil
	case cfg.BehindTLSProxy == "true" && cfg.PublicURL == "":
		return sanctuary.Invalid("behind a TLS proxy, say where browsers reach the server",
			map[string]string{"public-url": "give --public-url https://... (SANCTUARY_PUBLIC_URL)"})
	case cfg.BehindTLSProxy == "true":
		return nil
	}
	return &sanctuary.Error{Code: sanctuary.EINVALID,
		Message: fmt.Sprintf("refusing to listen on %s without TLS: passwords and client data would cross the network in the clear; "+
			"give --tls-cert and --tls-key, or --behind-tls-proxy if a proxy in front terminates TLS", cfg.Listen)}
}
