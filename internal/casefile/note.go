package casefile

import (
	"strings"
	"time"
)

// Note is a free-text note on a case. Notes are never edited; a correction
// is a new note.
type Note struct {
	ID        int64     `json:"id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// MaxNoteLen is the longest note accepted, in bytes.
const MaxNoteLen = 64 << 10

// ValidNoteBody returns what is wrong with a note body, or "".
func ValidNoteBody(body string) string {
	if strings.TrimSpace(body) == "" {
		return "may not be empty"
	}
	if err := CheckText(body, MaxNoteLen); err != nil {
		return err.Error()
	}
	return ""
}
