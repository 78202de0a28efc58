package web

import (
	"os"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/rules"

	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMessages_EveryLanguage fails on a message missing or empty in any of
// the three languages, or whose placeholders differ between them.
func TestMessages_EveryLanguage(t *testing.T) {
	if len(messages) < 30 {
		t.Fatalf("only %d messages", len(messages))
	}
	for key, m := range messages {
		for i, lang := range []string{"ru", "en", "de"} {
			if strings.TrimSpace(m[i]) == "" {
				t.Errorf("%s has no %s text", key, lang)
			}
			if strings.HasPrefix(key, "n_") {
				checkPluralForms(t, key, lang, m[i])
				continue
			}
			if strings.Count(m[i], "%") != strings.Count(m[1], "%") {
				t.Errorf("%s: the %s text has other placeholders than the English", key, lang)
			}
		}
	}
}

// checkPluralForms: a plural message has each form its language needs,
// each with the count's placeholder at most once.
func checkPluralForms(t *testing.T, key, lang, text string) {
	forms := strings.Split(text, "|")
	if len(forms) != pluralForms[lang] {
		t.Errorf("%s: the %s text has %d plural forms, the language needs %d", key, lang, len(forms), pluralForms[lang])
	}
	for _, f := range forms {
		if strings.TrimSpace(f) == "" || strings.Count(f, "%") > 1 {
			t.Errorf("%s: the %s form %q is empty or has more than one placeholder", key, lang, f)
		}
	}
}

func TestPlurals(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want int
	}{
		{"ru", 1, 0}, {"ru", 21, 0}, {"ru", 101, 0}, {"ru", 11, 2}, {"ru", 2, 1}, {"ru", 4, 1}, {"ru", 22, 1},
		{"ru", 12, 2}, {"ru", 14, 2}, {"ru", 5, 2}, {"ru", 0, 2}, {"ru", 111, 2}, {"ru", 1004, 1},
		{"en", 1, 0}, {"en", 0, 1}, {"en", 2, 1}, {"en", 21, 1}, {"de", 1, 0}, {"de", 5, 1},
	}
	for _, c := range cases {
		if got := pluralForm(c.lang, c.n); got != c.want {
			t.Errorf("pluralForm(%s, %d) = %d, want %d", c.lang, c.n, got, c.want)
		}
	}
	if got := tn("ru", "n_facts", 22); got != "22 факта" {
		t.Errorf("tn(ru, n_facts, 22) = %q", got)
	}
	if got := tn("de", "n_facts", 1); got != "1 Tatsache" {
		t.Errorf("tn(de, n_facts, 1) = %q", got)
	}
}

// TestCode_UsesKnownMessages fails when Go code of the pages asks for a
// message the catalog lacks.
func TestCode_UsesKnownMessages(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	used := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range codeCall.FindAllStringSubmatch(string(b), -1) {
			used++
			if _, ok := messages[m[1]]; !ok {
				t.Errorf("%s uses the unknown message %q", f, m[1])
			}
		}
	}
	if used < 3 {
		t.Errorf("only %d message uses found in the code: the search is broken", used)
	}
}

// TestMessages_EveryValueNamed fails when a status, kind or source that a
// page names through a composed key ("status_" + status) has no message.
func TestMessages_EveryValueNamed(t *testing.T) {
	var keys []string
	for _, s := range casefile.Statuses() {
		keys = append(keys, "status_"+string(s))
	}
	for _, s := range casefile.Sources() {
		keys = append(keys, "source_"+string(s))
	}
	for _, k := range rules.Kinds() {
		keys = append(keys, "kind_"+string(k))
	}
	for _, c := range []rules.Confidence{rules.ConfidenceHigh, rules.ConfidenceMedium, rules.ConfidenceLow} {
		keys = append(keys, "conf_"+string(c))
	}
	for _, c := range []string{rules.ChangeAdded, rules.ChangeRemoved, rules.ChangeStatus, rules.ChangeVersion, rules.ChangeText} {
		keys = append(keys, "chg_"+c)
	}
	for _, k := range evidence.Kinds() {
		keys = append(keys, "ev_kind_"+string(k))
	}
	for _, k := range casefile.EventKinds() {
		keys = append(keys, "event_"+string(k))
	}
	for _, r := range sanctuary.StaffRoles() {
		keys = append(keys, "role_"+string(r))
	}
	for _, k := range keys {
		if _, ok := messages[k]; !ok {
			t.Errorf("no message %q", k)
		}
	}
}

var codeCall = regexp.MustCompile(`\btn?\([a-zA-Z.]+, "([a-z0-9_]+)"[,)]`)

// TestTemplates_UseKnownMessages fails when a page asks for a message the
// catalog lacks (it would show the key).
func TestTemplates_UseKnownMessages(t *testing.T) {
	used := 0
	defer func() {
		if used < 40 {
			t.Errorf("only %d message uses found in the pages: the search is broken", used)
		}
	}()
	for name, tpl := range pages {
		for _, sub := range tpl.Templates() {
			if sub.Tree == nil {
				continue
			}
			for _, key := range messageKeys(sub.Tree.Root.String()) {
				used++
				if _, ok := messages[key]; !ok {
					t.Errorf("page %s uses the unknown message %q", name, key)
				}
			}
		}
	}
}

var messageCall = regexp.MustCompile(`\{\{tn? \S+ "([^"]+)"`)

// messageKeys finds the keys of {{t .Lang "key"}} calls in a template.
func messageKeys(src string) []string {
	var keys []string
	for _, m := range messageCall.FindAllStringSubmatch(src, -1) {
		keys = append(keys, m[1])
	}
	return keys
}

func TestFieldLabels_Known(t *testing.T) {
	for field, key := range fieldLabels {
		if _, ok := messages[key]; !ok {
			t.Errorf("the label of field %s is the unknown message %q", field, key)
		}
	}
}
