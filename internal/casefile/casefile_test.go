package casefile

import (
	"strings"
	"testing"
)

func TestStatus_Transitions(t *testing.T) {
	for _, s := range Statuses() {
		next := s.Next()
		if len(next) == 0 {
			t.Errorf("%s has no way out", s)
		}
		for _, n := range next {
			if !n.Valid() || n == s {
				t.Errorf("%s → %s is not a valid move", s, n)
			}
		}
	}
	if StatusIntake.CanMoveTo(StatusFiled) || !StatusIntake.CanMoveTo(StatusAssessment) {
		t.Error("intake moves wrongly")
	}
	// Every status can be reached from intake.
	seen := map[Status]bool{StatusIntake: true}
	queue := []Status{StatusIntake}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range s.Next() {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	if len(seen) != len(Statuses()) {
		t.Errorf("reachable from intake: %v", seen)
	}
}

func TestReference(t *testing.T) {
	if got := FormatReference(2026, 42); got != "SN-2026-0042" {
		t.Errorf("FormatReference = %s", got)
	}
	for ref, ok := range map[string]bool{"SN-2026-0042": true, "SN-2026-12345": true, "SN-26-0042": false, "sn-2026-0042": false, "SN-2026-0042/": false} {
		if ValidReference(ref) != ok {
			t.Errorf("ValidReference(%q) != %v", ref, ok)
		}
	}
}

func TestPerson_Valid(t *testing.T) {
	today := Date{2026, 11, 26}
	ok := Person{Identity: Identity{NameLatin: Name{Family: "O'Neil-Smith", Given: "Ivan"}, NameCyrillic: Name{Family: "Ёлкин"}},
		Citizenships: []string{"RU", "KZ"}, Languages: []string{"ru", "de"}}
	if errs := ok.Valid("p.", today); len(errs) != 0 {
		t.Errorf("valid person refused: %v", errs)
	}
	bad := Person{Identity: Identity{NameLatin: Name{Family: "Ivanov1"}, NameCyrillic: Name{Given: "Ivan"},
		Contacts: []Contact{{Channel: "fax", Value: ""}}}, Citizenships: []string{"SU", "RU", "RU"}, Languages: []string{"rus"}}
	errs := bad.Valid("p.", today)
	for _, f := range []string{"p.name_latin.family", "p.name_cyrillic.given", "p.contacts[0].channel", "p.contacts[0].value",
		"p.citizenships[0]", "p.citizenships[2]", "p.languages[0]"} {
		if errs[f] == "" {
			t.Errorf("no problem reported for %s: %v", f, errs)
		}
	}
	if errs := (Person{}).Valid("", today); !strings.Contains(errs["name_latin"], "Latin or Cyrillic") {
		t.Errorf("nameless person: %v", errs)
	}
}

func TestBuiltinVocabulary(t *testing.T) {
	v := BuiltinVocabulary()
	for _, d := range v.Defs() {
		for _, lang := range []string{"ru", "en", "de"} {
			if strings.TrimSpace(d.Question[lang]) == "" {
				t.Errorf("fact %s has no %s question", d.Name, lang)
			}
		}
	}
	if _, err := NewVocabulary([]FactDef{{Name: "a", Type: TypeBool}, {Name: "a", Type: TypeBool}}); err == nil {
		t.Error("duplicate fact accepted")
	}
	if _, err := NewVocabulary([]FactDef{{Name: "Bad Name", Type: TypeBool}}); err == nil {
		t.Error("bad fact name accepted")
	}
	if _, err := NewVocabulary([]FactDef{{Name: "e", Type: TypeEnum}}); err == nil {
		t.Error("enum without values accepted")
	}
}

func TestValidCountry(t *testing.T) {
	for s, ok := range map[string]bool{"RU": true, "DE": true, "XK": true, "ZW": true, "AD": true,
		"SU": false, "YU": false, "EU": false, "ZZ": false, "de": false, "D": false, "DEU": false, "D E": false, "EA": false, "DB": false} {
		if ValidCountry(s) != ok {
			t.Errorf("ValidCountry(%q) = %v", s, !ok)
		}
	}
}

// TestEventSummary_WithoutDetail renders every kind of event with the
// empty detail a shredded case's events read as, and with partial ones:
// each gives a line, none panics.
func TestEventSummary_WithoutDetail(t *testing.T) {
	for _, k := range EventKinds() {
		for _, detail := range []string{`{}`, `{"previous":{"name":"has_summons"}}`, `{"fact":{"name":"has_summons"}}`} {
			s := Event{Kind: k, Detail: []byte(detail)}.Summary()
			if s == "" {
				t.Errorf("%s %s: empty summary", k, detail)
			}
		}
	}
	if s := (Event{Kind: EventFactSet, Detail: []byte(`{}`)}).Summary(); !strings.Contains(s, "destroyed") {
		t.Errorf("a fact.set without detail reads %q", s)
	}
	if s := (Event{Kind: EventFactCleared, Detail: []byte(`{"fact":{"name":"x"}}`)}).Summary(); !strings.Contains(s, "incomplete") {
		t.Errorf("a fact.cleared without previous reads %q", s)
	}
}
