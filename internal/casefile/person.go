package casefile

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/language"
)

// Name is a person's name in one script. Patronymic is used in Russian
// names and may be empty.
type Name struct {
	Family     string `json:"family,omitempty"`
	Given      string `json:"given,omitempty"`
	Patronymic string `json:"patronymic,omitempty"`
}

// IsZero reports whether no part of the name is given.
func (n Name) IsZero() bool { return n == Name{} }

// String renders "Family Given Patronymic", skipping empty parts.
func (n Name) String() string {
	return strings.Join(nonEmpty(n.Family, n.Given, n.Patronymic), " ")
}

// Contact is one way to reach the person.
type Contact struct {
	Channel string `json:"channel"`
	Value   string `json:"value"`
	Note    string `json:"note,omitempty"`
}

// ContactChannels lists the accepted contact channels.
func ContactChannels() []string {
	return []string{"phone", "email", "signal", "telegram", "whatsapp", "threema", "matrix", "postal", "other"}
}

// Identity holds the fields that identify the client: names in both scripts,
// birth date and contact channels. They travel together so that the store
// can seal them as one (see the package doc).
type Identity struct {
	NameLatin    Name      `json:"name_latin"`
	NameCyrillic Name      `json:"name_cyrillic"`
	BirthDate    *Date     `json:"birth_date,omitempty"`
	Contacts     []Contact `json:"contacts"`
}

// DisplayName is the name to show staff: Latin script if given, else
// Cyrillic.
func (id Identity) DisplayName() string {
	if !id.NameLatin.IsZero() {
		return id.NameLatin.String()
	}
	return id.NameCyrillic.String()
}

// Person is the client of a case.
type Person struct {
	Identity
	// Citizenships are ISO 3166-1 alpha-2 codes ("RU"); Languages are ISO
	// 639-1 codes ("ru") in order of preference.
	Citizenships []string `json:"citizenships"`
	Languages    []string `json:"languages"`
}

// Limits on a person's fields.
const (
	MaxNamePartLen = 100
	MaxContacts    = 20
	MaxContactLen  = 200
)

// Valid returns every problem with the person, keyed by field path under
// prefix ("person."). today bounds the birth date.
func (p Person) Valid(prefix string, today Date) map[string]string {
	errs := map[string]string{}
	if p.NameLatin.IsZero() && p.NameCyrillic.IsZero() {
		errs[prefix+"name_latin"] = "give the name in Latin or Cyrillic script (or both)"
	}
	checkName(errs, prefix+"name_latin.", p.NameLatin, unicode.Latin, "Latin")
	checkName(errs, prefix+"name_cyrillic.", p.NameCyrillic, unicode.Cyrillic, "Cyrillic")
	if b := p.BirthDate; b != nil {
		if b.After(today) {
			errs[prefix+"birth_date"] = "may not be in the future"
		} else if b.Year < 1900 {
			errs[prefix+"birth_date"] = "must be in 1900 or later"
		}
	}
	checkContacts(errs, prefix+"contacts", p.Contacts)
	checkCodes(errs, prefix+"citizenships", p.Citizenships, ValidCountry, "an ISO 3166-1 alpha-2 country code such as RU")
	checkCodes(errs, prefix+"languages", p.Languages, ValidLanguage, "an ISO 639-1 language code such as ru")
	return errs
}

func checkName(errs map[string]string, prefix string, n Name, script *unicode.RangeTable, scriptName string) {
	parts := map[string]string{"family": n.Family, "given": n.Given, "patronymic": n.Patronymic}
	for field, s := range parts {
		if msg := checkNamePart(s, script, scriptName); msg != "" {
			errs[prefix+field] = msg
		}
	}
}

func checkNamePart(s string, script *unicode.RangeTable, scriptName string) string {
	if len(s) > MaxNamePartLen {
		return fmt.Sprintf("is longer than %d bytes", MaxNamePartLen)
	}
	if s != strings.TrimSpace(s) {
		return "may not start or end with a space"
	}
	for _, r := range s {
		switch {
		case unicode.Is(script, r), unicode.Is(unicode.Mn, r):
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.':
		default:
			return fmt.Sprintf("may contain only %s letters, spaces, hyphens, apostrophes and dots", scriptName)
		}
	}
	return ""
}

func checkContacts(errs map[string]string, prefix string, cs []Contact) {
	if len(cs) > MaxContacts {
		errs[prefix] = fmt.Sprintf("at most %d contacts", MaxContacts)
		return
	}
	for i, c := range cs {
		p := fmt.Sprintf("%s[%d].", prefix, i)
		if !slices.Contains(ContactChannels(), c.Channel) {
			errs[p+"channel"] = "must be one of: " + strings.Join(ContactChannels(), ", ")
		}
		if strings.TrimSpace(c.Value) == "" {
			errs[p+"value"] = "is required"
		} else if err := CheckText(c.Value, MaxContactLen); err != nil {
			errs[p+"value"] = err.Error()
		}
		if err := CheckText(c.Note, MaxContactLen); err != nil {
			errs[p+"note"] = err.Error()
		}
	}
}

func checkCodes(errs map[string]string, field string, codes []string, valid func(string) bool, what string) {
	seen := map[string]bool{}
	for i, c := range codes {
		key := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !valid(c):
			errs[key] = fmt.Sprintf("%q is not %s", c, what)
		case seen[c]:
			errs[key] = fmt.Sprintf("%q is listed twice", c)
		}
		seen[c] = true
	}
}

// ValidLanguage reports whether s is a lower-case ISO 639-1 code.
func ValidLanguage(s string) bool {
	if len(s) != 2 || strings.ToLower(s) != s {
		return false
	}
	b, err := language.ParseBase(s)
	return err == nil && b.String() == s
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
