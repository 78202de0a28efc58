package casefile

import (
	"slices"
	"strings"
)

// Status is where a case stands in its workflow.
type Status string

// The statuses, in the order a case usually moves through them.
const (
	StatusIntake     Status = "intake"     // taking the person's story
	StatusAssessment Status = "assessment" // weighing protection paths
	StatusEvidence   Status = "evidence"   // gathering what proves the claim
	StatusFiled      Status = "filed"      // application lodged
	StatusInterview  Status = "interview"  // hearing scheduled or held
	StatusDecision   Status = "decision"   // a decision was served
	StatusAppeal     Status = "appeal"     // the decision is being challenged
	StatusClosed     Status = "closed"     // protection granted, or all remedies ended
	StatusWithdrawn  Status = "withdrawn"  // the person stopped, or could not be reached
)

// Statuses lists every status in workflow order.
func Statuses() []Status {
	return []Status{StatusIntake, StatusAssessment, StatusEvidence, StatusFiled,
		StatusInterview, StatusDecision, StatusAppeal, StatusClosed, StatusWithdrawn}
}

// Valid reports whether s is a status.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Open reports whether work on the case goes on (it is neither closed nor
// withdrawn).
func (s Status) Open() bool { return s != StatusClosed && s != StatusWithdrawn }

// Next returns the statuses a case may move to from s. This switch is the
// one table of allowed transitions.
//
// Besides the forward path, a case may step back while it is prepared
// (assessment → intake, evidence → assessment), skip the interview (filed →
// decision), take a new decision after an appeal (appeal → decision), and be
// reopened: a closed case for a subsequent application, which is judged on
// the facts of the day (ex nunc); a withdrawn case when the person returns.
func (s Status) Next() []Status {
	switch s {
	case StatusIntake:
		return []Status{StatusAssessment, StatusWithdrawn}
	case StatusAssessment:
		return []Status{StatusEvidence, StatusIntake, StatusWithdrawn}
	case StatusEvidence:
		return []Status{StatusFiled, StatusAssessment, StatusWithdrawn}
	case StatusFiled:
		return []Status{StatusInterview, StatusDecision, StatusWithdrawn}
	case StatusInterview:
		return []Status{StatusDecision, StatusWithdrawn}
	case StatusDecision:
		return []Status{StatusAppeal, StatusClosed}
	case StatusAppeal:
		return []Status{StatusDecision, StatusClosed, StatusWithdrawn}
	case StatusClosed:
		return []Status{StatusAssessment}
	case StatusWithdrawn:
		return []Status{StatusIntake}
	}
	return nil
}

// CanMoveTo reports whether the workflow allows moving from s to t.
func (s Status) CanMoveTo(t Status) bool { return slices.Contains(s.Next(), t) }

// JoinStatuses renders statuses as "a, b, c".
func JoinStatuses(ss []Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}
