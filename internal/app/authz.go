package app

import (
	"slices"

	"github.com/sanctuary-platform/sanctuary"
)

// Action is something a principal may or may not do. Every use case names
// its action; whether it is allowed is decided here and nowhere else, for
// the web UI, the API and the CLI alike.
type Action string

// The actions.
const (
	ActCaseCreate     Action = "case.create"
	ActCaseList       Action = "case.list"
	ActCaseRead       Action = "case.read" // record, facts and their history, notes, timeline, assessments
	ActCaseUpdate     Action = "case.update"
	ActCaseExport     Action = "case.export"
	ActCaseShred      Action = "case.shred"
	ActCaseKeyExport  Action = "case.export_key"
	ActCaseInvite     Action = "case.invite"
	ActBreakGlass     Action = "case.break_glass"
	ActCaseAssign     Action = "case.assign" // the operator's repair of a case's team
	ActFactRead       Action = "fact.read"
	ActFactWrite      Action = "fact.write"
	ActEvidenceRead   Action = "evidence.read" // list, descriptions, custody history
	ActEvidenceOpen   Action = "evidence.open" // view or download the document
	ActEvidenceAdd    Action = "evidence.add"
	ActEvidenceEdit   Action = "evidence.edit"
	ActEvidenceExport Action = "evidence.export"
	ActKnowledgeRead  Action = "knowledge.read"
	ActVocabularyRead Action = "vocabulary.read"
	ActAuditRead      Action = "audit.read"
	ActAuditVerify    Action = "audit.verify"
	ActUserManage     Action = "user.manage"
	ActTokenManage    Action = "token.manage" // list and revoke the account's own API tokens
	ActReassess       Action = "cases.reassess"
	ActMaintain       Action = "vault.maintain" // fsck, recovery
)

// API token scopes.
const (
	ScopeCasesRead     = "cases:read"
	ScopeCasesWrite    = "cases:write"
	ScopeEvidenceRead  = "evidence:read"
	ScopeEvidenceWrite = "evidence:write"
	ScopeKnowledgeRead = "knowledge:read"
	ScopeAuditRead     = "audit:read"
	// ScopeTokens lets a token list and revoke its account's tokens. It
	// is never implied by another scope: a token that reads evidence must
	// not be able to revoke the tokens of the account's other programs.
	ScopeTokens = "tokens"
)

// Scopes lists every scope an API token can have.
func Scopes() []string {
	return []string{ScopeCasesRead, ScopeCasesWrite, ScopeEvidenceRead, ScopeEvidenceWrite,
		ScopeKnowledgeRead, ScopeAuditRead, ScopeTokens}
}

// rule is who may do an action: the roles, whether the principal must
// belong to the case (its team, a break-glass grant, or the client of it),
// and the scope an API token needs for it.
type rule struct {
	roles   []sanctuary.Role
	perCase bool
	scope   string
}

var (
	team        = []sanctuary.Role{sanctuary.RoleLawyer, sanctuary.RoleCaseworker, sanctuary.RoleAdmin}
	teamClient  = []sanctuary.Role{sanctuary.RoleLawyer, sanctuary.RoleCaseworker, sanctuary.RoleAdmin, sanctuary.RoleClient}
	staff       = sanctuary.StaffRoles()
	staffClient = append(sanctuary.StaffRoles(), sanctuary.RoleClient)
)

// policy is the whole permission table. Admins appear in the per-case
// rows only through break-glass: they are never on a team.
var policy = map[Action]rule{
	ActCaseCreate:     {roles: []sanctuary.Role{sanctuary.RoleLawyer, sanctuary.RoleCaseworker}, scope: ScopeCasesWrite},
	ActCaseList:       {roles: team, scope: ScopeCasesRead},
	ActCaseRead:       {roles: team, perCase: true, scope: ScopeCasesRead},
	ActCaseUpdate:     {roles: team, perCase: true, scope: ScopeCasesWrite},
	ActCaseExport:     {roles: team, perCase: true, scope: ScopeCasesRead},
	ActCaseShred:      {roles: []sanctuary.Role{sanctuary.RoleLawyer, sanctuary.RoleAdmin}, perCase: true, scope: ScopeCasesWrite},
	ActCaseKeyExport:  {roles: []sanctuary.Role{sanctuary.RoleLawyer, sanctuary.RoleAdmin}, perCase: true, scope: ScopeEvidenceWrite},
	ActCaseInvite:     {roles: []sanctuary.Role{sanctuary.RoleLawyer, sanctuary.RoleCaseworker}, perCase: true, scope: ScopeCasesWrite},
	ActBreakGlass:     {roles: []sanctuary.Role{sanctuary.RoleAdmin}, scope: ScopeCasesWrite},
	ActFactRead:       {roles: teamClient, perCase: true, scope: ScopeCasesRead},
	ActFactWrite:      {roles: teamClient, perCase: true, scope: ScopeCasesWrite},
	ActEvidenceRead:   {roles: team, perCase: true, scope: ScopeEvidenceRead},
	ActEvidenceOpen:   {roles: team, perCase: true, scope: ScopeEvidenceRead},
	ActEvidenceAdd:    {roles: teamClient, perCase: true, scope: ScopeEvidenceWrite},
	ActEvidenceEdit:   {roles: team, perCase: true, scope: ScopeEvidenceWrite},
	ActEvidenceExport: {roles: team, perCase: true, scope: ScopeEvidenceRead},
	ActKnowledgeRead:  {roles: staff, scope: ScopeKnowledgeRead},
	ActVocabularyRead: {roles: staffClient, scope: ScopeKnowledgeRead},
	ActAuditRead:      {roles: []sanctuary.Role{sanctuary.RoleAuditor}, scope: ScopeAuditRead},
	ActAuditVerify:    {roles: []sanctuary.Role{sanctuary.RoleAuditor, sanctuary.RoleOperator}, scope: ScopeAuditRead},
	ActTokenManage:    {roles: staff, scope: ScopeTokens},
	// Accounts are managed from the server's shell or an admin's signed-in
	// session, never with an API token: a stolen token must not be able to
	// reset a lawyer's account and sign in as them.
	ActUserManage: {roles: []sanctuary.Role{sanctuary.RoleAdmin, sanctuary.RoleOperator}},
	ActReassess:   {roles: []sanctuary.Role{sanctuary.RoleOperator}},
	ActCaseAssign: {roles: []sanctuary.Role{sanctuary.RoleOperator}},
	ActMaintain:   {roles: []sanctuary.Role{sanctuary.RoleOperator}},
}

// roleDenial says why a principal may not do an action at all, or "".
func roleDenial(p sanctuary.Principal, act Action) string {
	ru, ok := policy[act]
	switch {
	case !ok:
		return "no rule allows " + string(act)
	case !slices.Contains(ru.roles, p.Role):
		return "the role " + string(p.Role) + " may not " + string(act)
	case p.Scopes != nil && (ru.scope == "" || !slices.Contains(p.Scopes, ru.scope)):
		return "the API token's scopes do not include " + orNone(ru.scope)
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "this action: no API token may do it"
	}
	return s
}
