package cli

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Config is the whole configuration of a sanctuary process, read once
// from flags and the environment and passed down explicitly.
type Config struct {
	// DataDir holds the embedded database (and, later, the evidence vault
	// and custody log).
	DataDir string
	// DatabaseURL is a postgres:// URL, or empty for SQLite in DataDir.
	DatabaseURL string
	// Listen is the address serve listens on.
	Listen string
	// LogLevel is debug, info, warn or error; LogFormat is text or json.
	LogLevel  string
	LogFormat string
	// Actor is the email of the staff account that case commands act as.
	Actor string
	// PublicURL is where browsers reach the server (setup and invitation
	// links, passkeys); empty: http://localhost:PORT for a loopback listen
	// address.
	PublicURL string
	// TLSCertFile and TLSKeyFile make serve speak HTTPS itself.
	TLSCertFile string
	TLSKeyFile  string
	// BehindTLSProxy ("true") says a TLS-terminating proxy is in front.
	BehindTLSProxy string
	// Knowledge is a directory holding a knowledge pack; empty means the
	// default pack built into the binary.
	Knowledge string
	// VaultKeyFile holds the age identity that wraps every case key; empty
	// means DataDir/vault.key, created on first start. VaultPassphrase
	// replaces it with a passphrase.
	VaultKeyFile    string
	VaultPassphrase string
	// LogKeyFile holds the key that signs the custody log's checkpoints;
	// empty means DataDir/custody.key, created on first start.
	LogKeyFile string
}

// vaultKeyPath is where the vault key is read from (or created).
func (c Config) vaultKeyPath() string {
	if c.VaultKeyFile != "" {
		return c.VaultKeyFile
	}
	return filepath.Join(c.DataDir, "vault.key")
}

// logKeyPath is where the custody log key is read from (or created).
func (c Config) logKeyPath() string {
	if c.LogKeyFile != "" {
		return c.LogKeyFile
	}
	return filepath.Join(c.DataDir, "custody.key")
}

// Database is what store.Open takes: the PostgreSQL URL, or the path of
// the SQLite file in the data directory.
func (c Config) Database() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.DataDir, "sanctuary.db")
}

// setting is one configuration value: its flag, its environment variable
// and, for secrets, a *_FILE variable naming a file that holds it.
type setting struct {
	key    string // the flag name
	env    string
	def    func(getenv func(string) string) string
	usage  string
	secret bool
	field  func(*Config) *string
}

// settingsTable lists every setting. A secret may come from ENV_FILE and is
// redacted when printed.
func settingsTable() []setting {
	return []setting{
		{key: "data-dir", env: "SANCTUARY_DATA_DIR", def: constant("sanctuary-data"),
			usage: "directory for the embedded database", field: func(c *Config) *string { return &c.DataDir }},
		{key: "database", env: "SANCTUARY_DATABASE_URL", def: constant(""), secret: true,
			usage: "PostgreSQL URL (postgres://...); empty: SQLite in the data directory", field: func(c *Config) *string { return &c.DatabaseURL }},
		{key: "listen", env: "SANCTUARY_LISTEN", def: constant("127.0.0.1:8080"),
			usage: "address for serve (loopback only until accounts exist)", field: func(c *Config) *string { return &c.Listen }},
		{key: "log-level", env: "SANCTUARY_LOG_LEVEL", def: constant("info"),
			usage: "debug, info, warn or error", field: func(c *Config) *string { return &c.LogLevel }},
		{key: "log-format", env: "SANCTUARY_LOG_FORMAT", def: constant("text"),
			usage: "text or json", field: func(c *Config) *string { return &c.LogFormat }},
		{key: "knowledge", env: "SANCTUARY_KNOWLEDGE_DIR", def: constant(""),
			usage: "directory of a knowledge pack; empty: the default pack built in", field: func(c *Config) *string { return &c.Knowledge }},
		{key: "vault-key-file", env: "SANCTUARY_VAULT_KEY_FILE", def: constant(""),
			usage: "file of the vault key; empty: vault.key in the data directory, created on first start", field: func(c *Config) *string { return &c.VaultKeyFile }},
		{key: "vault-passphrase", env: "SANCTUARY_VAULT_PASSPHRASE", def: constant(""), secret: true,
			usage: "a passphrase to use as the vault key instead of a key file", field: func(c *Config) *string { return &c.VaultPassphrase }},
		{key: "log-key-file", env: "SANCTUARY_LOG_KEY_FILE", def: constant(""),
			usage: "file of the custody log's signing key; empty: custody.key in the data directory", field: func(c *Config) *string { return &c.LogKeyFile }},
		{key: "actor", env: "SANCTUARY_ACTOR", def: constant(""),
			usage: "the email of the staff account that case commands act as", field: func(c *Config) *string { return &c.Actor }},
		{key: "public-url", env: "SANCTUARY_PUBLIC_URL", def: constant(""),
			usage: "where browsers reach the server, such as https://sanctuary.ngo.example; empty: http://localhost:PORT", field: func(c *Config) *string { return &c.PublicURL }},
		{key: "tls-cert", env: "SANCTUARY_TLS_CERT_FILE", def: constant(""),
			usage: "TLS certificate file (PEM, with its chain) for serve", field: func(c *Config) *string { return &c.TLSCertFile }},
		{key: "tls-key", env: "SANCTUARY_TLS_KEY_FILE", def: constant(""),
			usage: "TLS private key file (PEM) for serve", field: func(c *Config) *string { return &c.TLSKeyFile }},
		{key: "behind-tls-proxy", env: "SANCTUARY_BEHIND_TLS_PROXY", def: constant("false"),
			usage: "true: a TLS-terminating proxy is in front of serve (allows a non-loopback address without TLS here)", field: func(c *Config) *string { return &c.BehindTLSProxy }},
	}
}

func constant(s string) func(func(string) string) string {
	return func(func(string) string) string { return s }
}

// settings holds the flag values of one command line.
type settings struct {
	fs     *pflag.FlagSet
	values map[string]*string
}

func (s *settings) register(root *cobra.Command) {
	s.fs = root.PersistentFlags()
	s.values = map[string]*string{}
	for _, st := range settingsTable() {
		s.values[st.key] = s.fs.String(st.key, "", fmt.Sprintf("%s (env %s)", st.usage, st.env))
	}
}

// source says where a setting's value came from, for "sanctuary config".
type source string

// config resolves every setting: flag, then environment variable, then its
// *_FILE variable, then the default. Giving both ENV and ENV_FILE is an
// error, as is an unreadable file.
func (e *env) config() (Config, map[string]source, error) {
	var c Config
	from := map[string]source{}
	for _, st := range settingsTable() {
		v, src, err := e.resolve(st)
		if err != nil {
			return Config{}, nil, err
		}
		*st.field(&c) = v
		from[st.key] = src
	}
	return c, from, c.valid()
}

func (e *env) resolve(st setting) (string, source, error) {
	if f := e.flags.fs.Lookup(st.key); f != nil && f.Changed {
		return *e.flags.values[st.key], source("flag --" + st.key), nil
	}
	val, file := e.getenv(st.env), ""
	if st.secret {
		file = e.getenv(st.env + "_FILE")
	}
	switch {
	case val != "" && file != "":
		return "", "", sanctuary.Errorf(sanctuary.EINVALID, "both %s and %s_FILE are set; set one", st.env, st.env)
	case val != "":
		return val, source("env " + st.env), nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", sanctuary.Errorf(sanctuary.EINVALID, "%s_FILE: cannot read %s: %v", st.env, file, err)
		}
		return strings.TrimRight(string(b), "\r\n"), source("file " + file), nil
	}
	return st.def(e.getenv), "default", nil
}

func (c Config) valid() error {
	errs := map[string]string{}
	if c.DatabaseURL != "" && !store.IsPostgresURL(c.DatabaseURL) {
		errs["database"] = "must be a postgres:// URL (leave it empty for SQLite)"
	}
	if c.DataDir == "" {
		errs["data-dir"] = "may not be empty"
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs["log-level"] = "must be debug, info, warn or error"
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs["log-format"] = "must be text or json"
	}
	if c.Actor != "" {
		if _, msg := account.NormalizeEmail(c.Actor); msg != "" {
			errs["actor"] = msg
		}
	}
	if c.BehindTLSProxy != "true" && c.BehindTLSProxy != "false" {
		errs["behind-tls-proxy"] = "must be true or false"
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		errs["tls-cert"] = "give both --tls-cert and --tls-key, or neither"
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" && u.Path != "/" {
			errs["public-url"] = "must be a URL such as https://sanctuary.ngo.example"
		}
	}
	if len(errs) > 0 {
		return sanctuary.Invalid("the configuration is not valid", errs)
	}
	return nil
}

// redact hides the password of a database URL.
func redact(v string) string {
	u, err := url.Parse(v)
	if err != nil {
		if v == "" {
			return ""
		}
		return "(redacted)"
	}
	return u.Redacted()
}

func (e *env) configCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration, secrets redacted",
		Args:  args(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, from, err := e.config()
			if err != nil {
				return err
			}
			for _, st := range settingsTable() {
				v := *st.field(&c)
				if st.secret && st.key == "database" {
					v = redact(v)
				} else if st.secret && v != "" {
					v = "(set, not shown)"
				}
				fmt.Fprintf(e.stdout, "%-11s = %-32q # %s\n", st.key, v, from[st.key])
			}
			fmt.Fprintf(e.stdout, "# database in use: %s\n", redact(c.Database()))
			if k, err := custody.LoadKeyFile(c.logKeyPath()); err == nil {
				fmt.Fprintf(e.stdout, "# custody log key: %s\n# its fingerprint, to publish (a court compares it with \"sha256sum log.vkey\"): %s\n",
					k.VKey, bundle.KeySHA256(k.VKey))
			}
			return nil
		},
	}
}

// publicURL is where browsers reach the server: as configured, else
// http://localhost:PORT (a host name, not 127.0.0.1: passkeys refuse IP
// addresses).
func (c Config) publicURL() string {
	if c.PublicURL != "" {
		return strings.TrimSuffix(c.PublicURL, "/")
	}
	_, port, err := net.SplitHostPort(c.Listen)
	if err != nil {
		port = "8080"
	}
	scheme := "http"
	if c.TLSCertFile != "" {
		scheme = "https"
	}
	return scheme + "://localhost:" + port
}
