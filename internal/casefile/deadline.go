package casefile

import (
	"strings"
	"time"
)

// Deadline is a date by which something must be done on a case: an
// appeal, a hearing, documents to hand in. Once done it stays, marked.
type Deadline struct {
	ID        int64      `json:"id"`
	CaseID    int64      `json:"-"`
	Due       Date       `json:"due"`
	Label     string     `json:"label"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by"`
	DoneAt    *time.Time `json:"done_at,omitempty"`
	DoneBy    string     `json:"done_by,omitempty"`
}

// MaxDeadlineLabel is the longest label accepted, in bytes.
const MaxDeadlineLabel = 500

// ValidDeadline returns the problems with a new deadline.
func ValidDeadline(due Date, label string) map[string]string {
	errs := map[string]string{}
	if due.IsZero() {
		errs["due"] = "is required"
	}
	switch {
	case strings.TrimSpace(label) == "":
		errs["label"] = "say what is due"
	case CheckText(label, MaxDeadlineLabel) != nil || strings.ContainsAny(label, "\n\r"):
		errs["label"] = "must be one line of at most 500 bytes"
	}
	return errs
}
