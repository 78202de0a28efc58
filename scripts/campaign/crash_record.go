package main

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// record is what the campaign's client knows of the server's state: every
// write it saw acknowledged, and every write whose outcome it never
// learned because the server (or the command) died first. After each
// kill the checks compare the server's state with it, then settle the
// unknown outcomes from what they found.
type record struct {
	mu    sync.Mutex
	cases map[string]*caseRec
	refs  []string // in the order they were opened
}

// caseRec is one case as the client knows it.
type caseRec struct {
	ref       string
	throwaway bool // may be shredded
	shredded  bool // an acknowledged shred, or one seen
	shredTry  bool // a shred whose outcome is unknown
	shredSeen bool // its shredded state was checked (documents refused)
	items     map[int64]*itemRec
	uploads   map[string]*uploadRec // by title: uploads whose outcome is unknown
	facts     map[string]*factRec   // by slot
	kept      map[int64]bool        // assessments kept with an acknowledgement; true once reproduced
	packs     map[string]bool       // pack versions a finished reassessment promised this case
	busy      bool                  // a command works on it this round: the load leaves its facts alone
}

// itemRec is one evidence item the server acknowledged (or that turned
// up complete after an unknown outcome).
type itemRec struct {
	id      int64
	doc     document
	title   string
	pending []string // titles of edits whose outcome is unknown
	sha     string
	size    int64
	acked   map[string]int // acknowledged custody events by type
	hashed  bool           // downloaded and hashed since it was recorded
}

// uploadRec is an upload whose outcome is unknown.
type uploadRec struct {
	doc   document
	title string
	sha   string
	size  int64
	whole bool // the client sent the whole body, closing boundary included
	via   string
}

// factRec is one slot of facts, written only by one writer at a time:
// a single fact, or a group set together (values joined by "|"); "" is
// not asked (cleared).
type factRec struct {
	names   []string
	value   string
	pending []string
}

func newRecord() *record { return &record{cases: map[string]*caseRec{}} }

func (r *record) addCase(ref string, throwaway bool) *caseRec {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := &caseRec{ref: ref, throwaway: throwaway, items: map[int64]*itemRec{}, uploads: map[string]*uploadRec{},
		facts: map[string]*factRec{}, kept: map[int64]bool{}, packs: map[string]bool{}}
	for slot, names := range factSlots {
		c.facts[slot] = &factRec{names: names, value: strings.Repeat("|", len(names)-1)}
	}
	r.cases[ref] = c
	r.refs = append(r.refs, ref)
	return c
}

// factSlots are the facts the campaign writes, each slot by one writer:
// the API's single fact, the API's group (set in one request, all or
// none), and the command line's fact.
var factSlots = map[string][]string{
	"api":   {"summons_posted_date"},
	"group": {"military_specialty", "departure_date"},
	"cli":   {"summons_appearance_date"},
}

// live are the cases not shredded, in order.
func (r *record) live() []*caseRec {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*caseRec
	for _, ref := range r.refs {
		if c := r.cases[ref]; !c.shredded {
			out = append(out, c)
		}
	}
	return out
}

func (r *record) all() []*caseRec {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*caseRec, 0, len(r.refs))
	for _, ref := range r.refs {
		out = append(out, r.cases[ref])
	}
	return out
}

// ackItem records an acknowledged upload.
func (r *record) ackItem(c *caseRec, it evidenceItem, u *uploadRec) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if it.SHA256 != u.sha || it.Size != u.size || it.Title != u.title {
		return fmt.Errorf("%s: the upload %q was acknowledged as item %d with sha256 %.12s size %d title %q, but %.12s %d was sent",
			c.ref, u.title, it.ID, it.SHA256, it.Size, it.Title, u.sha, u.size)
	}
	if _, dup := c.items[it.ID]; dup {
		return fmt.Errorf("%s: item %d acknowledged twice", c.ref, it.ID)
	}
	c.items[it.ID] = &itemRec{id: it.ID, doc: u.doc, title: it.Title, sha: u.sha, size: u.size, acked: map[string]int{}}
	return nil
}

// unknownUpload records an upload whose outcome the client never learned.
func (r *record) unknownUpload(c *caseRec, u *uploadRec) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c.uploads[u.title] = u
}

// ackEvent counts an acknowledged custody event of an item.
func (r *record) ackEvent(it *itemRec, typ string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	it.acked[typ]++
}

// edit records an edit of an item's title: acknowledged or not.
func (r *record) edit(it *itemRec, title string, acked bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if acked {
		it.title, it.pending = title, nil
		it.acked["annotate"]++
	} else {
		it.pending = append(it.pending, title)
	}
}

// fact records a write of a slot.
func (r *record) fact(c *caseRec, slot, value string, acked bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := c.facts[slot]
	if acked {
		f.value, f.pending = value, nil
	} else {
		f.pending = append(f.pending, value)
	}
}

// pickItem is a random acknowledged item of a random live case with items.
func (r *record) pickItem(rng *rand.Rand) (*caseRec, *itemRec) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var with []*caseRec
	for _, ref := range r.refs {
		if c := r.cases[ref]; !c.shredded && len(c.items) > 0 {
			with = append(with, c)
		}
	}
	if len(with) == 0 {
		return nil, nil
	}
	c := pick(rng, with)
	ids := slices.Sorted(maps.Keys(c.items))
	return c, c.items[pick(rng, ids)]
}

// shredding reports whether a shred of the case was sent (acknowledged
// or not): its documents and client data may be refused.
func (r *record) shredding(c *caseRec) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return c.shredded || c.shredTry
}

func (r *record) keep(c *caseRec, id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c.kept[id] = false
}

// items are the case's acknowledged items, by id.
func (r *record) items(c *caseRec) []*itemRec {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*itemRec, 0, len(c.items))
	for _, it := range c.items {
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b *itemRec) int { return int(a.id - b.id) })
	return out
}

// settle checks an observed value of a slot against what the client
// knows, and makes it the known value.
func (f *factRec) settle(seen string) error {
	if seen != f.value && !slices.Contains(f.pending, seen) {
		return fmt.Errorf("%v is %q; the last acknowledged write was %q, unknown outcomes %q", f.names, seen, f.value, f.pending)
	}
	f.value, f.pending = seen, nil
	return nil
}
