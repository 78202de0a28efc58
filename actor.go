package sanctuary

import (
	"context"
	"strings"
	"unicode"
)

// Actor names who does something: a staff member, a client, or a process
// such as "cli:anna" or "system:reassess". Until accounts exist it is free
// text given by the caller; every change on a case is attributed to one.
type Actor string

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or "" if there is none.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// MaxActorLen is the longest actor name accepted.
const MaxActorLen = 100

// Valid reports what is wrong with the actor name, or "" if it is fine.
func (a Actor) Valid() string {
	s := string(a)
	switch {
	case strings.TrimSpace(s) == "":
		return "an actor is required"
	case len(s) > MaxActorLen:
		return "an actor name is at most 100 bytes"
	case strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "an actor name may not contain control characters"
	}
	return ""
}
