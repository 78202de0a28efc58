package casefile

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Case is one person's protection case.
type Case struct {
	ID        int64  `json:"-"`
	Reference string `json:"reference"`
	Status    Status `json:"status"`
	Person    Person `json:"person"`
	// Destinations are the countries (ISO 3166-1 alpha-2) where protection
	// is sought or considered.
	Destinations []string `json:"destinations"`
	// Assignees name the staff working on the case; free text until
	// accounts exist.
	Assignees []string  `json:"assignees"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version grows by one with every change to the case record (not its
	// facts or notes); an update may name the version it was based on.
	Version int64 `json:"version"`
	// KeyDestroyed is set once the case's key was destroyed (shredded):
	// its person and all its client data can no longer be read.
	KeyDestroyed bool `json:"key_destroyed,omitempty"`
}

// ReferencePrefix starts every case reference.
const ReferencePrefix = "SN"

var referenceForm = regexp.MustCompile(`^SN-[0-9]{4}-[0-9]{4,9}$`)

// FormatReference returns the reference of the n-th case of year:
// SN-2026-0042.
func FormatReference(year int, n int64) string {
	return fmt.Sprintf("%s-%04d-%04d", ReferencePrefix, year, n)
}

// ValidReference reports whether s has the form of a case reference.
func ValidReference(s string) bool { return referenceForm.MatchString(s) }

// Limits on case fields.
const (
	MaxAssignees    = 20
	MaxAssigneeLen  = 100
	MaxDestinations = 30
)

// ValidDestinations returns problems with a list of destination countries.
func ValidDestinations(field string, ds []string) map[string]string {
	errs := map[string]string{}
	if len(ds) > MaxDestinations {
		errs[field] = fmt.Sprintf("at most %d destinations", MaxDestinations)
		return errs
	}
	checkCodes(errs, field, ds, ValidCountry, "an ISO 3166-1 alpha-2 country code such as DE")
	return errs
}

// ValidAssignees returns problems with a list of assignees.
func ValidAssignees(field string, as []string) map[string]string {
	errs := map[string]string{}
	if len(as) > MaxAssignees {
		errs[field] = fmt.Sprintf("at most %d assignees", MaxAssignees)
		return errs
	}
	for i, a := range as {
		key := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case strings.TrimSpace(a) == "":
			errs[key] = "may not be empty"
		case CheckText(a, MaxAssigneeLen) != nil || strings.ContainsAny(a, "\n\r\t"):
			errs[key] = fmt.Sprintf("must be one line of at most %d bytes", MaxAssigneeLen)
		case slices.Contains(as[:i], a):
			errs[key] = fmt.Sprintf("%q is listed twice", a)
		}
	}
	return errs
}
