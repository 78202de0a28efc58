package sanctuary

import (
	"context"
	"strconv"
)

// Role says what a person may do in Sanctuary. Staff roles belong to an
// account; a client reaches their own case through an invitation; the
// operator is whoever runs the sanctuary command's maintenance commands on
// the server (they hold the vault key, so no account is asked of them).
type Role string

// The roles.
const (
	RoleAdmin           Role = "admin"            // accounts and, through a logged break-glass, any case
	RoleLawyer          Role = "lawyer"           // cases of their team
	RoleCaseworker      Role = "caseworker"       // cases of their team
	RoleKnowledgeEditor Role = "knowledge_editor" // the knowledge pack
	RoleAuditor         Role = "auditor"          // the audit trail only
	RoleClient          Role = "client"           // their own case: intake answers and uploads
	RoleOperator        Role = "operator"         // maintenance from the server's shell
)

// StaffRoles are the roles an account can have.
func StaffRoles() []Role {
	return []Role{RoleAdmin, RoleLawyer, RoleCaseworker, RoleKnowledgeEditor, RoleAuditor}
}

// Staff reports whether r is a role of a staff account.
func (r Role) Staff() bool {
	for _, s := range StaffRoles() {
		if r == s {
			return true
		}
	}
	return false
}

// Principal is who is acting: a staff member signed in (or using an API
// token, or named on the command line), a client through their invitation,
// or the operator.
type Principal struct {
	Role Role
	// UserID and Email name a staff account.
	UserID int64
	Email  string
	// CaseID and InvitationID: a client's case and the invitation they
	// came in with.
	CaseID       int64
	InvitationID int64
	// Via says how: "web", "api" or "cli".
	Via string
	// Scopes limit an API token to part of what its role may do; nil
	// means everything the role may.
	Scopes []string
	// TokenID names the API token used, for the audit trail.
	TokenID int64
	// Language is the one the person chose (staff) or was invited in
	// (a client): the pages' default.
	Language string
}

// Actor is how the principal is named on timelines, in the custody log
// and in the audit trail: a staff member's email, "client:invitation-N",
// or "operator".
func (p Principal) Actor() string {
	switch {
	case p.Role == RoleClient:
		return "client:invitation-" + strconv.FormatInt(p.InvitationID, 10)
	case p.Role == RoleOperator:
		return "operator"
	}
	return p.Email
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal ctx carries, and whether it carries
// one.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok && p.Role != ""
}
