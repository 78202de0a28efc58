package audit

import "fmt"

// Report is what checking a run of the chain found.
type Report struct {
	Entries int `json:"entries"`
	// Anchored is the highest sequence number covered by an anchor that
	// matched; entries after it are protected by the chain alone.
	Anchored int64    `json:"anchored"`
	Problems []string `json:"problems,omitempty"`
}

// OK reports whether nothing was wrong.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Verify checks entries — consecutive, starting at Seq 1 or right after
// the entry whose hash is prev — for gaps and broken hashes, and checks
// each anchor whose sequence number falls in the run against it.
func Verify(prev string, entries []Entry, anchors []Anchor) Report {
	r := Report{Entries: len(entries)}
	bySeq := map[int64]string{}
	for i, e := range entries {
		if i > 0 && e.Seq != entries[i-1].Seq+1 {
			r.Problems = append(r.Problems, fmt.Sprintf("entry %d follows entry %d: entries are missing", e.Seq, entries[i-1].Seq))
		}
		if want := e.ComputeHash(prev); e.Hash != want {
			r.Problems = append(r.Problems, fmt.Sprintf("entry %d: its hash does not match its content and the entry before", e.Seq))
		}
		prev = e.Hash
		bySeq[e.Seq] = e.Hash
	}
	for _, a := range anchors {
		h, ok := bySeq[a.Seq]
		switch {
		case !ok:
			continue
		case h != a.Hash:
			r.Problems = append(r.Problems, fmt.Sprintf("entry %d differs from the head anchored in the custody log (entry %d of the log)", a.Seq, a.LogIndex))
		case a.Seq > r.Anchored:
			r.Anchored = a.Seq
		}
	}
	return r
}
