package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// Marked starts every note and evidence title of the demo, and names the
// contact of every demo person: a case has no title, and names admit
// letters only.
const Marked = "[DEMO — fictional]"

// story is one fictional case as it unfolds: opened, told, documented,
// moved along, assessed, and then changed by something learned later.
type story struct {
	label   string // what kind of case it is, for the printed summary
	newCase app.NewCase
	facts   []casefile.FactInput
	// notes: the first is written at intake, the others after the
	// assessment.
	notes []string
	docs  []document
	path  []step
	// later are facts learned after the assessment; with reassess the
	// case is assessed again, so that its assessments can be compared.
	later    []casefile.FactInput
	reassess bool
	// deadlines are due so many days from today.
	deadlines []deadline
}

// deadline is a due date, in days from today, and what is due.
type deadline struct {
	inDays int
	label  string
}

// document is a piece of evidence with its file. With review, a colleague
// views it and describes it better, so that its custody history has more
// than the ingest; strip also makes a copy without metadata (a photo).
type document struct {
	meta   evidence.Meta
	body   []byte
	review *evidence.Meta
	strip  bool
}

// step is one transition of the case's workflow.
type step struct {
	to     casefile.Status
	reason string
}

// tell makes the story's case through the use cases, acting as ctx's
// principal, and returns its reference.
func tell(ctx context.Context, a *app.App, s story) (string, error) {
	c, err := a.CreateCase(ctx, s.newCase)
	if err != nil {
		return "", fmt.Errorf("demo: open the %s case: %w", s.label, err)
	}
	ref := c.Reference
	if _, err := a.SetFacts(ctx, ref, s.facts); err != nil {
		return ref, fmt.Errorf("demo: facts of %s: %w", ref, err)
	}
	if err := addNotes(ctx, a, ref, s.notes[:1]); err != nil {
		return ref, err
	}
	if err := addDocuments(ctx, a, ref, s.docs); err != nil {
		return ref, err
	}
	for _, st := range s.path {
		if _, err := a.TransitionCase(ctx, ref, app.Transition{To: st.to, Reason: st.reason}); err != nil {
			return ref, fmt.Errorf("demo: move %s to %s: %w", ref, st.to, err)
		}
	}
	if _, err := a.AssessCase(ctx, ref, app.AssessRequest{}); err != nil {
		return ref, fmt.Errorf("demo: assess %s: %w", ref, err)
	}
	if _, err := a.SetFacts(ctx, ref, s.later); err != nil {
		return ref, fmt.Errorf("demo: later facts of %s: %w", ref, err)
	}
	if s.reassess {
		if _, err := a.AssessCase(ctx, ref, app.AssessRequest{}); err != nil {
			return ref, fmt.Errorf("demo: assess %s again: %w", ref, err)
		}
	}
	for _, d := range s.deadlines {
		due := casefile.DateOf(time.Now().UTC().AddDate(0, 0, d.inDays))
		if _, err := a.AddDeadline(ctx, ref, due, Marked+" "+d.label); err != nil {
			return ref, fmt.Errorf("demo: deadline on %s: %w", ref, err)
		}
	}
	return ref, addNotes(ctx, a, ref, s.notes[1:])
}

func addNotes(ctx context.Context, a *app.App, ref string, notes []string) error {
	for _, n := range notes {
		if _, err := a.AddNote(ctx, ref, n); err != nil {
			return fmt.Errorf("demo: note on %s: %w", ref, err)
		}
	}
	return nil
}

// addDocuments adds the evidence, encrypted into the vault with its ingest
// in the custody log, and reviews what the story says was reviewed.
func addDocuments(ctx context.Context, a *app.App, ref string, docs []document) error {
	for _, d := range docs {
		it, err := a.AddEvidence(ctx, ref, d.meta, bytes.NewReader(d.body))
		if err != nil {
			return fmt.Errorf("demo: evidence %q on %s: %w", d.meta.OriginalName, ref, err)
		}
		if d.review == nil {
			continue
		}
		if err := review(ctx, a, ref, it.ID, d); err != nil {
			return fmt.Errorf("demo: review evidence %d of %s: %w", it.ID, ref, err)
		}
	}
	return nil
}

// review views an item, describes it anew and, for a photo, makes a copy
// without metadata: view, annotate and derive events in its custody
// history.
func review(ctx context.Context, a *app.App, ref string, id int64, d document) error {
	f, err := a.OpenEvidence(ctx, ref, id, false)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := a.UpdateEvidence(ctx, ref, id, *d.review); err != nil {
		return err
	}
	if d.strip {
		_, err = a.DeriveStripped(ctx, ref, id)
	}
	return err
}

// Fact inputs, as a caseworker records the person's answers.

func said(name string, v any) casefile.FactInput {
	return casefile.FactInput{Name: name, Value: jsonOf(v), Source: casefile.SourceStatement}
}

func shown(name string, v any) casefile.FactInput {
	return casefile.FactInput{Name: name, Value: jsonOf(v), Source: casefile.SourceDocument}
}

func unknown(name string) casefile.FactInput {
	return casefile.FactInput{Name: name, State: casefile.StateUnknown, Source: casefile.SourceStatement}
}

// jsonOf encodes a value of this package's stories: a bool, a string, a
// list of strings or a casefile.Date, none of which can fail to encode.
func jsonOf(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("demo: a fact value of the stories does not encode: %v", err))
	}
	return b
}

// contact is how a demo person is reached: an address that cannot exist.
func contact(name string) []casefile.Contact {
	return []casefile.Contact{{Channel: "email", Value: name + "@demo.invalid", Note: Marked}}
}
