package web

import (
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
			if strings.Count(m[i], "%") != strings.Count(m[1], "%") {
				t.Errorf("%s: the %s text has other placeholders than the English", key, lang)
			}
		}
	}
}

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

var messageCall = regexp.MustCompile(`\{\{t \S+ "([^"]+)"`)

// messageKeys finds the keys of {{t .Lang "key"}} calls in a template.
func messageKeys(src string) []string {
	var keys []string
	for _, m := range messageCall.FindAllStringSubmatch(src, -1) {
		keys = append(keys, m[1])
	}
	return keys
}
