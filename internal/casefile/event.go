package casefile

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// EventKind names what happened on a case.
type EventKind string

// The kinds of timeline events.
const (
	EventCaseCreated      EventKind = "case.created"
	EventCaseUpdated      EventKind = "case.updated"
	EventFactSet          EventKind = "fact.set"
	EventFactCleared      EventKind = "fact.cleared"
	EventStatusChanged    EventKind = "status.changed"
	EventNoteAdded        EventKind = "note.added"
	EventCaseExported     EventKind = "case.exported"
	EventAssessed         EventKind = "case.assessed"
	EventReassessed       EventKind = "case.reassessed"
	EventEvidenceAdded    EventKind = "evidence.added"
	EventEvidenceEdited   EventKind = "evidence.edited"
	EventKeyShredded      EventKind = "case.key_shredded"
	EventKeyExported      EventKind = "case.key_exported"
	EventEvidenceExported EventKind = "evidence.exported"
	EventClientInvited    EventKind = "client.invited"
	EventInviteRevoked    EventKind = "client.invitation_revoked"
	EventAnswersSubmitted EventKind = "client.answers_submitted"
	EventDeadlineSet      EventKind = "deadline.set"
	EventDeadlineDone     EventKind = "deadline.done"
	EventBreakGlass       EventKind = "case.break_glass"
	EventMemberReset      EventKind = "team.account_reset"
)

// EventKinds lists every kind of event.
func EventKinds() []EventKind {
	return []EventKind{EventCaseCreated, EventCaseUpdated, EventFactSet, EventFactCleared, EventStatusChanged,
		EventNoteAdded, EventCaseExported, EventAssessed, EventReassessed, EventEvidenceAdded, EventEvidenceEdited,
		EventKeyShredded, EventKeyExported, EventEvidenceExported, EventClientInvited, EventInviteRevoked,
		EventAnswersSubmitted, EventBreakGlass, EventMemberReset, EventDeadlineSet, EventDeadlineDone}
}

// Event is one entry of a case's append-only timeline: who did what, when.
//
// Detail holds the JSON of an EventDetail. It stays encoded until someone
// needs it (DecodeDetail): a case page loads hundreds of events and sends
// most of them on as they are.
type Event struct {
	ID     int64           `json:"id"`
	At     time.Time       `json:"at"`
	Actor  string          `json:"actor"`
	Kind   EventKind       `json:"kind"`
	Detail json.RawMessage `json:"detail"`
}

// NewEvent returns an event of the kind with its detail encoded.
func NewEvent(actor string, kind EventKind, d EventDetail) (Event, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return Event{}, fmt.Errorf("casefile: encode event detail: %w", err)
	}
	return Event{Actor: actor, Kind: kind, Detail: b}, nil
}

// DecodeDetail decodes the event's detail.
func (e Event) DecodeDetail() (EventDetail, error) {
	var d EventDetail
	if len(e.Detail) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(e.Detail, &d); err != nil {
		return d, fmt.Errorf("casefile: event %d: %w", e.ID, err)
	}
	return d, nil
}

// EventDetail says what changed. Which fields are set depends on the kind.
type EventDetail struct {
	Fields   []string `json:"fields,omitempty"`   // case.updated: the fields changed
	Changes  []Change `json:"changes,omitempty"`  // case.updated: old and new lists
	Fact     *Fact    `json:"fact,omitempty"`     // fact.set: the new fact
	Previous *Fact    `json:"previous,omitempty"` // fact.set, fact.cleared: what it was
	From     Status   `json:"from,omitempty"`     // status.changed
	To       Status   `json:"to,omitempty"`       // status.changed
	Reason   string   `json:"reason,omitempty"`   // status.changed
	NoteID   int64    `json:"note_id,omitempty"`  // note.added

	// case.assessed and case.reassessed
	AssessmentID int64    `json:"assessment_id,omitempty"`
	AsOf         string   `json:"as_of,omitempty"`
	PackVersion  string   `json:"pack_version,omitempty"`
	Changed      []string `json:"changed,omitempty"` // case.reassessed: one line per finding that changed

	// evidence.*: the item, and for an export every item
	EvidenceID  int64   `json:"evidence_id,omitempty"`
	EvidenceIDs []int64 `json:"evidence_ids,omitempty"`

	// deadline.*: the deadline and its due date (its label is not repeated)
	DeadlineID int64  `json:"deadline_id,omitempty"`
	Due        string `json:"due,omitempty"`

	// client.*: the invitation; case.break_glass: until when (and Reason)
	InvitationID int64  `json:"invitation_id,omitempty"`
	Until        string `json:"until,omitempty"`
}

// Change records the old and new value of a list field of a case
// (destinations, assignees, citizenships, languages). Identity fields are
// only named in Fields, never copied.
type Change struct {
	Field string   `json:"field"`
	From  []string `json:"from"`
	To    []string `json:"to"`
}

// Summary renders the event in one line of English for logs of the case
// itself (the CLI); it contains fact values, so it is client data.
func (e Event) Summary() string {
	d, err := e.DecodeDetail()
	if err != nil {
		return string(e.Kind) + " (detail unreadable)"
	}
	if d.isEmpty() && !detailless[e.Kind] {
		return string(e.Kind) + " (details destroyed with the case key)"
	}
	switch e.Kind {
	case EventCaseCreated:
		return "case opened"
	case EventCaseUpdated:
		return "updated " + strings.Join(d.Fields, ", ")
	case EventFactSet, EventFactCleared:
		return describeFactChange(e.Kind, d)
	case EventStatusChanged:
		s := fmt.Sprintf("status %s → %s", d.From, d.To)
		if d.Reason != "" {
			s += " (" + d.Reason + ")"
		}
		return s
	case EventNoteAdded:
		return fmt.Sprintf("note #%d added", d.NoteID)
	case EventCaseExported:
		return "case exported"
	case EventAssessed:
		return fmt.Sprintf("assessed as of %s with knowledge pack %s (assessment #%d)", d.AsOf, d.PackVersion, d.AssessmentID)
	case EventEvidenceAdded:
		return fmt.Sprintf("evidence #%d added", d.EvidenceID)
	case EventEvidenceEdited:
		return fmt.Sprintf("evidence #%d: %s changed", d.EvidenceID, strings.Join(d.Fields, ", "))
	case EventEvidenceExported:
		return fmt.Sprintf("evidence exported: %d item(s)", len(d.EvidenceIDs))
	case EventKeyShredded:
		return "case key destroyed: the case's evidence and client data can no longer be read"
	case EventKeyExported:
		return "case key exported"
	case EventClientInvited:
		return fmt.Sprintf("client invited (invitation #%d, good until %s)", d.InvitationID, d.Until)
	case EventDeadlineSet:
		return fmt.Sprintf("deadline #%d set for %s", d.DeadlineID, d.Due)
	case EventDeadlineDone:
		return fmt.Sprintf("deadline #%d (due %s) done", d.DeadlineID, d.Due)
	case EventAnswersSubmitted:
		return "the client reviewed their answers and sent them"
	case EventInviteRevoked:
		return fmt.Sprintf("client invitation #%d revoked", d.InvitationID)
	case EventMemberReset:
		return fmt.Sprintf("the account of team member %s was reset by %s; if they did not ask for it, something is wrong", strings.Join(d.Fields, ", "), d.Reason)
	case EventBreakGlass:
		return fmt.Sprintf("break-glass access until %s: %s", d.Until, d.Reason)
	case EventReassessed:
		s := fmt.Sprintf("reassessed with knowledge pack %s (assessment #%d)", d.PackVersion, d.AssessmentID)
		if len(d.Changed) == 0 {
			return s + ": no finding changed"
		}
		return s + ": " + strings.Join(d.Changed, "; ")
	}
	return string(e.Kind)
}

func (d EventDetail) isEmpty() bool { return reflect.ValueOf(d).IsZero() }

// detailless are the kinds of event whose summary needs no detail.
var detailless = map[EventKind]bool{EventCaseCreated: true, EventCaseExported: true,
	EventKeyShredded: true, EventKeyExported: true, EventAnswersSubmitted: true}

func describeFactChange(kind EventKind, d EventDetail) string {
	switch {
	case kind == EventFactSet && d.Fact != nil:
		return fmt.Sprintf("%s: %s → %s", d.Fact.Name, describeFact(d.Previous), describeFact(d.Fact))
	case kind == EventFactCleared && d.Previous != nil:
		return fmt.Sprintf("%s: %s → not asked", d.Previous.Name, describeFact(d.Previous))
	}
	return string(kind) + " (detail incomplete)"
}

func describeFact(f *Fact) string {
	switch {
	case f == nil:
		return "not asked"
	case f.State == StateKnown && f.Value != nil:
		return fmt.Sprintf("%s (%s)", f.Value, f.Source)
	default:
		return fmt.Sprintf("%s (%s)", f.State, f.Source)
	}
}
