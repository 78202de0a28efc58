package rules

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// miniFiles returns the mini pack's files, to break one at a time.
func miniFiles(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := fs.WalkDir(os.DirFS("testdata/mini"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile("testdata/mini/" + path)
		files[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestLint_FindsEachProblemAtItsLine breaks the mini pack in one way per
// case and checks that loading refuses it with the problem at its line.
func TestLint_FindsEachProblemAtItsLine(t *testing.T) {
	contradiction := `- id: de-closed
  version: 1
  jurisdiction: DE
  kind: pathway-closed
  subject: de-refugee-status
  valid_from: 2024-01-01
  known_from: 2024-01-01
  condition: "!proof_held"
  finding: {en: Closed., ru: Закрыто., de: Geschlossen.}
  sources: [{id: law-a, pinpoint: x}]
  confidence: high
`
	tests := []struct {
		name, file, old, new, want string
	}{
		{"UnknownFact", "rules/ru.yaml", "has_summons && summons_form", "has_sumons && summons_form", "rules/ru.yaml:8: condition: undeclared reference to 'has_sumons'"},
		{"TypeError", "rules/ru.yaml", "summons_form == 'electronic'", "summons_form == 3", "rules/ru.yaml:8: condition: found no matching overload for '_==_'"},
		{"NotBool", "rules/ru.yaml", "condition: has_summons && summons_form == 'electronic'", "condition: summons_form", "rules/ru.yaml:8: condition: must be true or false"},
		{"BadDateLiteral", "rules/ru.yaml", "has_summons && summons_form == 'electronic'", "has_summons && as_of > date('2023-02-30')", "rules/ru.yaml:8: condition: date(\"2023-02-30\")"},
		{"UnknownSource", "rules/ru.yaml", "[{id: law-a, pinpoint: art. 1}]", "[{id: law-b, pinpoint: art. 1}]", "rules/ru.yaml:13: id: unknown source \"law-b\""},
		{"NoSources", "rules/ru.yaml", "sources: [{id: law-a, pinpoint: art. 1}]", "sources: []", "rules/ru.yaml:13: sources: a rule must cite at least one source"},
		{"NoPinpoint", "rules/ru.yaml", "[{id: law-a, pinpoint: art. 1}]", "[{id: law-a}]", "rules/ru.yaml:13: pinpoint is required"},
		{"ImpossibleDate", "rules/ru.yaml", "valid_from: 2023-04-14", "valid_from: 2023-02-30", "rules/ru.yaml:6: valid_from: \"2023-02-30\" is not a real date"},
		{"EndBeforeStart", "rules/ru.yaml", "  valid_to: 2024-01-01\n", "  valid_to: 2021-01-01\n", "rules/ru.yaml:21: valid_to: 2021-01-01 is not after valid_from 2022-01-01"},
		{"DuplicateVersion", "rules/ru.yaml", "  version: 2\n", "  version: 1\n", "rules/ru.yaml:27: rule ru-conscription-age version 1 is declared twice"},
		{"OverlappingVersions", "rules/ru.yaml", "  valid_from: 2024-01-01\n  known_from: 2023-08-04\n", "  valid_from: 2023-06-01\n  known_from: 2022-01-01\n", "rules/ru.yaml:27: rule ru-conscription-age: versions 1 and 2 are both in force on 2023-06-01 and known from the same day"},
		{"CorrectionKnownEarlier", "rules/ru.yaml", "  valid_from: 2024-01-01\n  known_from: 2023-08-04\n", "  valid_from: 2023-06-01\n  known_from: 2021-12-01\n", "rules/ru.yaml:27: rule ru-conscription-age: version 2 overlaps version 1 but is known earlier"},
		{"SourceAfterKnownFrom", "sources.yaml", "  published: 2021-12-01", "  published: 2023-04-15", "rules/ru.yaml:25: id: law-a was published 2023-04-15, after the rule's known_from 2022-01-01"},
		{"CorroborationNotLater", "rules/ru.yaml", "[{id: law-a, pinpoint: art. 1}]", "[{id: law-a, pinpoint: art. 1}, {id: rumour, pinpoint: x, corroborates: true}]", "rumour was published 2022-05, by the rule's known_from 2023-04-20: cite it as a source, not as corroboration"},
		{"OnlyCorroborations", "rules/ru.yaml", "[{id: law-a, pinpoint: art. 1}]", "[{id: law-a, pinpoint: art. 1, corroborates: true}]", "rules/ru.yaml:13: sources: every source is marked corroborates"},
		{"EndKnownWithoutEnd", "rules/ru.yaml", "  known_from: 2023-04-20\n", "  known_from: 2023-04-20\n  end_known_from: 2023-05-01\n", "end_known_from: is set, but the rule has no valid_to"},
		{"EndKnownBeforeRule", "rules/ru.yaml", "  valid_to: 2024-01-01\n", "  valid_to: 2024-01-01\n  end_known_from: 2021-01-01\n", "end_known_from: 2021-01-01 is before known_from 2022-01-01"},
		{"Contradiction", "rules/de.yaml", "- id: de-deserter-no-proof", contradiction + "- id: de-deserter-no-proof", "are on the same subject \"de-refugee-status\" and both apply as of"},
		{"UnknownField", "rules/ru.yaml", "  confidence: high\n- id: ru-conscription-age", "  confidence: high\n  colour: red\n- id: ru-conscription-age", "rules/ru.yaml:15: unknown field \"colour\""},
		{"MissingLanguage", "rules/ru.yaml", "{en: Liable to conscription (18–27)., ru: Подлежит призыву (18–27)., de: Wehrpflichtig (18–27).}", "{en: Liable to conscription (18–27)., de: Wehrpflichtig (18–27).}", "rules/ru.yaml:24: finding: the ru text is missing"},
		{"YAMLSyntax", "rules/ru.yaml", "  kind: risk\n  subject: ru-summons", "  kind: risk\n   subject: ru-summons", "rules/ru.yaml:5: not valid YAML"},
		{"UnknownPlaceholder", "rules/ru.yaml", "An {summons_form} summons", "An {summons_colour} summons", "rules/ru.yaml:10: finding: the en text names {summons_colour}, which is not a fact"},
		{"OverconfidentRule", "rules/de.yaml", "  sources: [{id: rumour, pinpoint: para 2}]\n  confidence: low", "  sources: [{id: rumour, pinpoint: para 2}]\n  confidence: high", "rules/de.yaml:23: confidence: high, but its best source is only low"},
		{"UnknownOverride", "rules/de.yaml", "overrides: [de-deserter-no-proof]", "overrides: [de-nothing]", "rules/de.yaml:1: overrides: unknown rule \"de-nothing\""},
		{"IDPrefix", "rules/de.yaml", "- id: de-deserter-protection", "- id: deserter-protection", "rules/de.yaml:1: id: \"deserter-protection\" must start with \"de-\""},
		{"UnknownJurisdiction", "rules/de.yaml", "  jurisdiction: DE\n  kind: pathway-open", "  jurisdiction: XX\n  kind: pathway-open", "rules/de.yaml:3: jurisdiction: \"XX\" is not in jurisdictions.yaml"},
		{"UnknownSourceField", "sources.yaml", "  confidence: low", "  confidence: so-so", "sources.yaml:11: confidence: \"so-so\" must be one of: high, medium, low"},
		{"DuplicateFact", "facts.yaml", "- name: birth_date", "- name: has_summons", "facts.yaml:13: name: fact \"has_summons\" is already declared on line 1"},
		{"AskedIfSelf", "facts.yaml", "asked_if: has_summons", "asked_if: summons_form == 'paper'", "facts.yaml:6: asked_if: may not depend on summons_form itself"},
		{"TestUnknownRule", "tests/basic.yaml", "present: [ru-e-summons, ru-conscription-age]", "present: [ru-e-summons, ru-nothing]", "tests/basic.yaml:4: present: unknown rule \"ru-nothing\""},
		{"TestBadValue", "tests/basic.yaml", "summons_form: electronic", "summons_form: pigeon", "tests/basic.yaml:3: facts: summons_form: \"pigeon\" is not one of"},
		{"PackNoCoversUntil", "pack.yaml", "covers_until: 2025-12-31\n", "", "pack.yaml:1: covers_until is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := miniFiles(t)
			src := string(files[tc.file])
			if !strings.Contains(src, tc.old) {
				t.Fatalf("%s does not contain %q", tc.file, tc.old)
			}
			files[tc.file] = []byte(strings.Replace(src, tc.old, tc.new, 1))
			_, err := ParseFiles(files)
			var le *LintError
			if !errors.As(err, &le) {
				t.Fatalf("loaded a broken pack (err %v)", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("problems:\n%v\nwant one containing %q", err, tc.want)
			}
		})
	}
}

func TestLint_MiniPackIsClean(t *testing.T) {
	if _, err := ParseFiles(miniFiles(t)); err != nil {
		t.Fatal(err)
	}
}
